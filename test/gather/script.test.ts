// The facts script on this machine's own shell and iproute2 (it only reads): the sysctls it prints.
import { execFileSync } from 'node:child_process';
import { existsSync, linkSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { factsScript, fingerprintScript, HASH_STABLE, ifupAtBootLine, networkdVersionLine, userlandLine } from '../../src/gather/script.js';
import { parseFacts, parseSysctls } from '../../src/gather/parse-facts.js';
import { parseBoot } from '../../src/gather/parse-boot.js';
import { IPROUTE2_PREAMBLE } from '../../src/router/iproute2.js';
import { sysctlNames } from '../../src/plan/facts-needed.js';
import { task } from '../helpers/facts.js';

describe('factsScript: sysctls', () => {
  it('reads a named rp_filter once, in the loop over every interface, and another named sysctl by itself', () => {
    const script = factsScript(['net.ipv4.conf.lo.rp_filter', 'net.ipv4.ip_forward']);
    expect(script).not.toContain('/proc/sys/net/ipv4/conf/lo/rp_filter');
    expect(script).toContain("grep -H '' /proc/sys/net/ipv4/ip_forward");
    const out = execFileSync('sh', ['-s'], { input: `${IPROUTE2_PREAMBLE}\n${script}`, encoding: 'utf8' });
    const facts = parseFacts('local', out);
    const proc = (p: string) => readFileSync(p, 'utf8').trim();
    expect(facts.sysctls['net.ipv4.conf.lo.rp_filter']).toBe(proc('/proc/sys/net/ipv4/conf/lo/rp_filter'));
    expect(facts.sysctls['net.ipv4.ip_forward']).toBe(proc('/proc/sys/net/ipv4/ip_forward'));
    expect(out.split('\n').filter((l) => l.startsWith('/proc/sys/net/ipv4/conf/lo/rp_filter\t'))).toHaveLength(1);
  });

  it('reads every other named sysctl with one process, whole values, a missing one left out', () => {
    const names = ['net.ipv4.tcp_rmem', 'net.ipv6.conf.lo.mtu', 'net.ipv4.conf.nosuchlink0.forwarding'];
    const script = factsScript(names);
    // One grep for them all, the IPv6 MTUs too (a process is ~45 ms of an emulated router's time).
    expect(script.match(/grep -H ''/g)).toHaveLength(1);
    expect(script).toContain(`tq_sg=$(grep -H '' /proc/sys/net/ipv4/tcp_rmem /proc/sys/net/ipv4/conf/nosuchlink0/forwarding /proc/sys/net/ipv6/conf/lo/mtu 2>/dev/null)`);
    // A link's IPv6 MTU, read for an undo only, and moved by a router advertisement: not fingerprinted.
    const stable = (n: string[]) => execFileSync('sh', ['-s'], { input: `${IPROUTE2_PREAMBLE}\n${fingerprintScript(n)}\nprintf '%s\\n' "$stable" | grep '^/proc/sys/net/ipv[46]/[^c]'; echo "fp $fp"`, encoding: 'utf8' });
    const withMtu = stable(names);
    expect(withMtu).not.toContain('/proc/sys/net/ipv6');
    expect(withMtu).toMatch(/^\/proc\/sys\/net\/ipv4\/tcp_rmem:\d+\s\d+\s\d+\nfp [0-9a-f]{32}\n$/);
    expect(withMtu).toBe(stable(['net.ipv4.tcp_rmem', 'net.ipv4.conf.nosuchlink0.forwarding']));
    const facts = parseFacts('local', execFileSync('sh', ['-s'], { input: `${IPROUTE2_PREAMBLE}\n${script}`, encoding: 'utf8' }));
    const proc = (p: string) => readFileSync(p, 'utf8').trim().replace(/\s+/g, ' ');
    expect(facts.sysctls['net.ipv4.tcp_rmem']).toBe(proc('/proc/sys/net/ipv4/tcp_rmem'));
    expect(facts.sysctls['net.ipv4.tcp_rmem']).toMatch(/^\d+ \d+ \d+$/);
    // A machine without IPv6 has no such file: then it is left out as the missing one.
    expect(facts.sysctls['net.ipv6.conf.lo.mtu']).toBe(existsSync('/proc/sys/net/ipv6/conf/lo/mtu') ? proc('/proc/sys/net/ipv6/conf/lo/mtu') : undefined);
    expect('net.ipv4.conf.nosuchlink0.forwarding' in facts.sysctls).toBe(false);
  });
});

describe('factsScript: a sysctl the glob reads too', () => {
  it("reads an interface's forwarding once where ip_forward's glob reads it too: its value, not '0 0' (a review)", () => {
    const names = sysctlNames([task({ module: 'sysctl', args: { name: 'net.ipv4.ip_forward', value: '1', state: 'present' } }), task({ module: 'sysctl', args: { name: 'net.ipv4.conf.lo.forwarding', value: '0', state: 'present' } })]);
    const script = factsScript(names);
    expect(script).not.toContain('/proc/sys/net/ipv4/conf/lo/forwarding');
    const out = execFileSync('sh', ['-s'], { input: `${IPROUTE2_PREAMBLE}\n${script}`, encoding: 'utf8' });
    expect(out.split('\n').filter((l) => l.startsWith('/proc/sys/net/ipv4/conf/lo/forwarding:'))).toHaveLength(1);
    expect(parseFacts('local', out).sysctls['net.ipv4.conf.lo.forwarding']).toBe(readFileSync('/proc/sys/net/ipv4/conf/lo/forwarding', 'utf8').trim());
  });

  it("quotes a '*' in an interface's name: it is not a glob over other devices (a review)", () => {
    expect(factsScript(['net.ipv6.conf.l*.mtu', 'net.ipv4.conf.l*.forwarding'])).toContain("'/proc/sys/net/ipv6/conf/l*/mtu'");
    const out = execFileSync('sh', ['-s'], { input: `${IPROUTE2_PREAMBLE}\n${factsScript(['net.ipv4.conf.l*.forwarding', 'net.ipv6.conf.l*.mtu'])}`, encoding: 'utf8' });
    // `l*` matched lo here before: its values were read as the named device's.
    expect(Object.keys(parseFacts('local', out).sysctls).filter((n) => /\.l[^.]*\.(forwarding|mtu)$/.test(n))).toEqual([]);
  });

  it('joins only the lines that follow each other: a file grep was given twice is one value', () => {
    const text = ['/proc/sys/net/ipv4/conf/lo/forwarding:0', '/proc/sys/net/ipv4/conf/all/accept_redirects:1', '/proc/sys/net/ipv4/conf/lo/forwarding:0'].join('\n');
    expect(parseSysctls(text)).toEqual({ 'net.ipv4.conf.lo.forwarding': '0', 'net.ipv4.conf.all.accept_redirects': '1' });
  });
});

describe('parseSysctls', () => {
  it("reads grep -H's lines (PATH:VALUE, a value of several lines joined) and the loop's (PATH<tab>VALUE)", () => {
    const text = ['/proc/sys/net/ipv4/conf/eth1/rp_filter\t2', '/proc/sys/net/ipv6/conf/eth1.10/mtu:1400', '/proc/sys/net/x/multi:a b', '/proc/sys/net/x/multi:c', '/proc/sys/net/x/empty:'].join('\n');
    expect(parseSysctls(text)).toEqual({ 'net.ipv4.conf.eth1.rp_filter': '2', 'net.ipv6.conf.eth1.10.mtu': '1400', 'net.x.multi': 'a b c', 'net.x.empty': '' });
  });
});

describe('factsScript: the re-read after changes', () => {
  it('prints the same facts without the fingerprint and without the processes that hash it', () => {
    const run = (script: string) => parseFacts('local', execFileSync('sh', ['-s'], { input: `${IPROUTE2_PREAMBLE}\n${script}`, encoding: 'utf8' }));
    const plain = factsScript(['net.ipv4.ip_forward'], { fingerprint: false });
    expect(plain).not.toMatch(/md5sum|stable=|valid_life_time/);
    const { fingerprint, ...withFp } = run(factsScript(['net.ipv4.ip_forward']));
    expect(fingerprint).toMatch(/^[0-9a-f]{32}$/);
    const without = run(plain);
    expect(without.fingerprint).toBeUndefined();
    expect(without).toEqual(withFp);
  });
});

describe('factsScript: which network stack answered', () => {
  const read = (argv: string[]) => parseFacts('local', execFileSync(argv[0]!, [...argv.slice(1), 'sh', '-s'], { input: `${IPROUTE2_PREAMBLE}\n${factsScript()}`, encoding: 'utf8' })).identity;

  it("is this kernel's boot id with its links, the same on a second read; a network namespace (a container's) under the same boot is another", () => {
    const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    const here = read(['env']);
    expect(here).toMatch(new RegExp(`^${boot} [0-9a-f]{16}$`));
    expect(read(['env'])).toBe(here);
    const inNamespace = read(['unshare', '-rn']);
    expect(inNamespace?.startsWith(`${boot} `)).toBe(true);
    expect(inNamespace).not.toBe(here);
  });
});

describe('factsScript: whose userland', () => {
  it('BusyBox by a symlink (--install -s), a hard link or a symlink to a busybox elsewhere, GNU otherwise, in dash and in BusyBox sh', () => {
    const d = mkdtempSync(join(tmpdir(), 'userland-'));
    writeFileSync(join(d, 'busybox'), '');
    symlinkSync(join(d, 'busybox'), join(d, 'ls-symlink'));
    // A busybox in none of the places looked at: found through readlink.
    mkdirSync(join(d, 'elsewhere'));
    writeFileSync(join(d, 'elsewhere', 'busybox'), '');
    symlinkSync(join(d, 'elsewhere', 'busybox'), join(d, 'ls-elsewhere'));
    linkSync(join(d, 'busybox'), join(d, 'ls-hardlink'));
    writeFileSync(join(d, 'ls-own'), '');
    for (const shell of [['dash'], ['busybox', 'sh']]) {
      const run = (ls: string) => execFileSync(shell[0]!, [...shell.slice(1), '-c', userlandLine(join(d, ls), [join(d, 'busybox'), '/nonexistent/busybox'])], { encoding: 'utf8' });
      expect(run('ls-symlink'), shell[0]).toBe('userland\tbusybox\n');
      expect(run('ls-hardlink'), shell[0]).toBe('userland\tbusybox\n');
      expect(run('ls-elsewhere'), shell[0]).toBe('userland\tbusybox\n');
      expect(run('ls-own'), shell[0]).toBe('userland\tgnu\n');
    }
    // This machine's own ls is GNU's.
    expect(execFileSync('dash', ['-c', userlandLine()], { encoding: 'utf8' })).toBe('userland\tgnu\n');
  });
});

describe("factsScript: systemd's version, where networkd manages a link", () => {
  const fakeSystemctl = () => {
    const bin = mkdtempSync(join(tmpdir(), 'networkd-version-'));
    writeFileSync(join(bin, 'systemctl'), '#!/bin/sh\nprintf "systemd 249 (249.11-0ubuntu3.12)\\n+PAM +AUDIT\\n"\n', { mode: 0o755 });
    return bin;
  };
  const runIn = (root: string, pre: string) => execFileSync('sh', ['-c', `${pre}${networkdVersionLine(root)}`], { encoding: 'utf8', env: { ...process.env, PATH: `${fakeSystemctl()}:${process.env.PATH}` } });

  it('is in the boot section, and read from systemctl --version where no shared library names it, parsed as a number', () => {
    expect(factsScript()).toContain(networkdVersionLine());
    const root = mkdtempSync(join(tmpdir(), 'networkd-nolib-'));
    expect(runIn(root, 'tq_nd=1; ')).toBe('networkd-version\t249\n');
    expect(parseBoot(runIn(root, 'tq_nd=1; ')).networkdVersion).toBe(249);
    // No link that networkd manages: no process, no line.
    expect(runIn(root, '')).toBe('');
  });

  it("is read from the name of systemd's shared library without a process: Debian's multiarch folder, Fedora's tag, a merged /lib", () => {
    const lib = (dir: string, name: string) => {
      const root = mkdtempSync(join(tmpdir(), 'networkd-lib-'));
      mkdirSync(join(root, dir), { recursive: true });
      writeFileSync(join(root, dir, name), '');
      return root;
    };
    expect(runIn(lib('usr/lib/x86_64-linux-gnu/systemd', 'libsystemd-shared-252.so'), 'tq_nd=1; ')).toBe('networkd-version\t252\n');
    expect(runIn(lib('usr/lib64/systemd', 'libsystemd-shared-254.16-1.fc39.so'), 'tq_nd=1; ')).toBe('networkd-version\t254\n');
    const merged = lib('usr/lib/systemd', 'libsystemd-shared-255.so');
    symlinkSync(join(merged, 'usr/lib'), join(merged, 'lib'));
    expect(runIn(merged, 'tq_nd=1; ')).toBe('networkd-version\t255\n');
    // Two versions side by side (an upgrade half done): systemctl says which one runs.
    const two = lib('usr/lib/systemd', 'libsystemd-shared-255.so');
    writeFileSync(join(two, 'usr/lib/systemd/libsystemd-shared-256.so'), '');
    expect(runIn(two, 'tq_nd=1; ')).toBe('networkd-version\t249\n');
    expect(runIn(lib('usr/lib/systemd', 'libsystemd-shared-252.so'), '')).toBe('');
    // Where systemd runs the boot, whatever manages the links: its boot unit depends on it (a review).
    const booted = lib('usr/lib/systemd', 'libsystemd-shared-241.so');
    mkdirSync(join(booted, 'run/systemd/system'), { recursive: true });
    expect(runIn(booted, '')).toBe('networkd-version\t241\n');
  });
});

describe('factsScript: ifupdown stanzas', () => {
  it('lists the interfaces declared, those brought up at boot, and those declared IPv4 static or dhcp, however raised (ifupdown-ng\'s use dhcp too; not inet6: a review)', () => {
    const whole = factsScript().split('\n').find((l) => l.includes("'ifupdown-auto"))!;
    const line = whole.slice(whole.indexOf('if [ -x /sbin/ifup ]'), whole.indexOf('; done; fi') + '; done; fi'.length);
    const dir = mkdtempSync(join(tmpdir(), 'ifupdown-'));
    writeFileSync(join(dir, 'interfaces'), 'auto lo eth1 eth2\niface lo inet loopback\niface eth1 inet static\n    address 10.0.0.0/31\niface eth2 inet manual\nallow-hotplug eth3\niface eth3 inet dhcp\niface eth4 inet manual\niface eth4 inet6 dhcp\niface eth5 inet6 static\n  address 2001:db8::1/64\niface eth6\n  use dhcp\n');
    const out = execFileSync('dash', ['-c', line.replace('[ -x /sbin/ifup ]', 'true').replaceAll('/etc/network/interfaces', join(dir, 'interfaces'))], { encoding: 'utf8' });
    expect(out.split('\n').filter((l) => /^ifupdown(-static|-dhcp)?\t/.test(l))).toEqual(['ifupdown\tlo', 'ifupdown-static\teth1', 'ifupdown\teth1', 'ifupdown\teth2', 'ifupdown-dhcp\teth3', 'ifupdown\teth3', 'ifupdown\teth4', 'ifupdown\teth4', 'ifupdown\teth5', 'ifupdown\teth6', 'ifupdown-dhcp\teth6']);
  });
});

describe('factsScript: the baseline, by the shell', () => {
  it("prints every line of the file, a last line without its newline too, and nothing where there is none", () => {
    const line = factsScript().split('\n').find((l) => l.includes('/var/lib/teqlctl/baseline'))!;
    const dir = mkdtempSync(join(tmpdir(), 'baseline-read-'));
    const file = join(dir, 'baseline');
    const run = () => execFileSync('sh', ['-c', line.replaceAll('/var/lib/teqlctl/baseline', file)], { encoding: 'utf8' });
    expect(run()).toBe('');
    writeFileSync(file, 'link:eth1\tdown mtu 1500\naddress:eth1:10.0.0.0\t{"local":"10.0.0.0","prefixlen":24,"label":"a\\\\b"}\nsysctl:net.ipv4.conf.all.rp_filter\t2');
    expect(run()).toBe('link:eth1\tdown mtu 1500\naddress:eth1:10.0.0.0\t{"local":"10.0.0.0","prefixlen":24,"label":"a\\\\b"}\nsysctl:net.ipv4.conf.all.rp_filter\t2\n');
  });
});

describe('factsScript: teqlctl boot files, read exactly', () => {
  // The boot section's first line, pointed at a folder of this test instead of /etc.
  const dir = mkdtempSync(join(tmpdir(), 'boot-read-'));
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  const line = factsScript().split('\n').find((l) => l.includes('for f in /etc/teqlctl/'))!;
  const reader = line.replace(/^\{ /, '').replace(/^for f in [^;]+;/, `for f in ${dir}/files/*;`);
  mkdirSync(join(dir, 'files'));
  // Longer than base64's 76-column lines, with a tab and a line of its own: framing must not matter.
  const content = `#!/bin/sh\n# ${'x'.repeat(200)}\nrun\tip link set dev eth1 up\n\n`;
  writeFileSync(join(dir, 'files', 'boot.sh'), content, { mode: 0o755 });
  const realBase64 = execFileSync('sh', ['-c', 'command -v base64'], { encoding: 'utf8' }).trim();
  const run = (shell: string[], base64: string) => {
    writeFileSync(join(bin, 'base64'), base64, { mode: 0o755 });
    const out = execFileSync(shell[0]!, [...shell.slice(1), '-s'], { input: reader, encoding: 'utf8', env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } });
    return () => parseBoot(out, 'r1');
  };
  // An older BusyBox base64: no -w (its usage is [-d] [FILE]).
  const old = `#!/bin/sh\nfor a; do [ "$a" = -w0 ] || [ "$a" = -w ] && { echo "base64: invalid option -- 'w'" >&2; exit 1; }; done\nexec ${realBase64} "$@"\n`;
  for (const shell of [['dash'], ['busybox', 'sh']]) {
    it(`${shell.join(' ')}: a file is read byte for byte, even where base64 takes no -w (BusyBox sh: its own applet)`, () => {
      expect(run(shell, old)().files).toEqual([{ path: join(dir, 'files', 'boot.sh'), content, executable: true }]);
    });

  }

  // (BusyBox sh runs its own base64 applet, whatever PATH says: the stand-ins above reach dash only.)
  it('dash: a base64 that prints nothing is a facts error, never an empty file (its undo would write it back)', () => {
    expect(run(['dash'], '#!/bin/sh\nexit 1\n')).toThrow(/could not read the boot file .*boot\.sh exactly \(\d+ bytes on the router, 0 read\)/);
  });
});

describe('factsScript: what ifupdown brings up at boot', () => {
  it('counts an iface only where auto or allow-auto names it (several names on a line, a comment after them), not allow-hotplug (BusyBox ifup -a skips it), in dash and BusyBox sh', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ifupdown-'));
    mkdirSync(join(dir, 'interfaces.d'));
    writeFileSync(join(dir, 'ifup'), '#!/bin/sh\n', { mode: 0o755 });
    writeFileSync(join(dir, 'interfaces'), 'auto lo eth1 # the first links\niface lo inet loopback\niface eth1 inet manual\niface eth2 inet manual\n');
    writeFileSync(join(dir, 'interfaces.d', 'eth3'), 'allow-auto eth3\niface eth3 inet manual\nallow-hotplug eth4\niface eth4 inet manual\n');
    const line = factsScript().split('\n').find((l) => l.includes('/etc/network/interfaces'))!;
    const script = line.replace(/^\{ /, '').replace(/; \} 2>&1$/, '').replaceAll('/sbin/ifup', join(dir, 'ifup')).replaceAll('/etc/network/interfaces', join(dir, 'interfaces'));
    for (const shell of [['dash'], ['busybox', 'sh']]) {
      const out = execFileSync(shell[0]!, [...shell.slice(1), '-c', script], { encoding: 'utf8' });
      expect(parseBoot(out).ifupdown, shell.join(' ')).toEqual(['lo', 'eth1', 'eth3']);
    }
  });
});

describe('factsScript: the file systems of teqlctl folders', () => {
  it('names the one a folder is on (the longest mount point over it, the later of two alike); only tmpfs and ramfs are kept', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mounts-'));
    writeFileSync(join(dir, 'mounts'), '/dev/sda1 / ext4 rw 0 0\nnone /var tmpfs rw 0 0\n/dev/sda2 /var/libx ext4 rw 0 0\ntmpfs /etc tmpfs rw 0 0\noverlay /etc overlay rw 0 0\n');
    const line = factsScript().split('\n').find((l) => l.includes('/proc/mounts'))!;
    const script = line.replace(/^\{ /, '').replace(/; \} 2>&1$/, '').replaceAll('/proc/mounts', join(dir, 'mounts'));
    for (const shell of [['dash'], ['busybox', 'sh']]) {
      const out = execFileSync(shell[0]!, [...shell.slice(1), '-c', script], { encoding: 'utf8' });
      expect(out, shell.join(' ')).toBe('fs\t/var/lib/teqlctl/runs\ttmpfs\nfs\t/etc/teqlctl\toverlay\n');
      expect(parseBoot(out).volatile).toEqual({ '/var/lib/teqlctl/runs': 'tmpfs' });
    }
  });

  it('follows a symlink on the way (OpenWrt: /var -> /tmp, a tmpfs under an overlay root), and counts rootfs as volatile', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mounts-'));
    mkdirSync(join(dir, 'tmp'));
    symlinkSync(join(dir, 'tmp'), join(dir, 'var'));
    writeFileSync(join(dir, 'mounts'), `rootfs / rootfs rw 0 0\noverlayfs:/overlay / overlay rw 0 0\ntmpfs ${dir}/tmp tmpfs rw 0 0\n`);
    const line = factsScript().split('\n').find((l) => l.includes('/proc/mounts'))!;
    const script = line.replace(/^\{ /, '').replace(/; \} 2>&1$/, '').replaceAll('/proc/mounts', join(dir, 'mounts')).replaceAll('/var/lib/teqlctl/runs', `${dir}/var/lib/teqlctl/runs`);
    for (const shell of [['dash'], ['busybox', 'sh']]) {
      const out = execFileSync(shell[0]!, [...shell.slice(1), '-c', script], { encoding: 'utf8' });
      expect(out, shell.join(' ')).toBe(`fs\t${dir}/var/lib/teqlctl/runs\ttmpfs\nfs\t/etc/teqlctl\toverlay\n`);
    }
    expect(parseBoot('fs\t/etc/teqlctl\trootfs\n').volatile).toEqual({ '/etc/teqlctl': 'rootfs' });
  });
});

describe('the fingerprint', () => {
  // A fake ip and tc: the link and the route as the lab's router a shows them, with its carrier
  // and an address as the test sets them.
  function fingerprintOf(carrier: boolean, address = '10.0.0.0/31', gc = '123.45', counter = 0): string {
    const d = mkdtempSync(join(tmpdir(), 'fingerprint-'));
    // A bridge as `ip -d link show` prints it: its timers count (OpenWrt's br-lan).
    const bridge = `{"ifindex":4,"ifname":"br-lan","flags":["UP"],"mtu":1500,"linkinfo":{"info_kind":"bridge","info_data":{"forward_delay":1500,"hello_timer":${gc === '123.45' ? '0.00' : '1.37'},"tcn_timer":0.00,"topology_change_timer":0.00,"gc_timer":${gc}}}}`;
    // A bond's port, as `ip -d link show` prints it: its failures and MII status count, and a
    // capture on it raises its promiscuity.
    const port = `{"ifindex":5,"ifname":"eth3","flags":["UP"],"mtu":1500,"promiscuity":${counter % 2},"allmulti":${counter},"linkinfo":{"info_slave_kind":"bond","info_slave_data":{"state":"ACTIVE","mii_status":"${counter ? 'DOWN' : 'UP'}","link_failure_count":${counter}}}}`;
    const link = carrier
      ? `[{"ifindex":3,"ifname":"eth1","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1500,"qdisc":"teql0","operstate":"UP"},${bridge},${port}]`
      : `[{"ifindex":3,"ifname":"eth1","flags":["NO-CARRIER","BROADCAST","MULTICAST","UP"],"mtu":1500,"qdisc":"teql0","operstate":"DOWN"},${bridge},${port}]`;
    const route = `[{"dst":"10.0.0.0/31","dev":"eth1","protocol":"kernel","scope":"link","prefsrc":"10.0.0.0","flags":[${carrier ? '' : '"linkdown"'}]}]`;
    const addr = `[{"ifindex":3,"ifname":"eth1","addr_info":[{"family":"inet","local":"${address.split('/')[0]}","prefixlen":${address.split('/')[1]}}]}]`;
    // As iproute2 answers its batch (gather/script.ts): one array per command read from stdin.
    const answer = `case "$c" in *link*) echo '${link}';; *addr*) echo '${addr}';; *route*) echo '${route}';; esac`;
    writeFileSync(join(d, 'ip'), `#!/bin/sh\ncase "$*" in *-batch*) while read -r c; do ${answer}; done;; *) c="$*"; ${answer};; esac\n`, { mode: 0o755 });
    // An htb root qdisc on eth3, as tc 6.1 prints it: direct_packets_stat counts packets. Its detail
    // asked (a teql task's slave), so its text is hashed too.
    const htbText = `qdisc htb 1: dev eth3 root refcnt ${2 + counter} r2q 10 default 0 direct_packets_stat ${counter * 7} direct_qlen 1000`;
    const htbJson = `[{"kind":"htb","handle":"1:","dev":"eth3","root":true,"refcnt":${2 + counter},"options":{"r2q":10,"default":"0","direct_packets_stat":${counter * 7},"direct_qlen":1000}}]`;
    writeFileSync(join(d, 'tc'), `#!/bin/sh\ncase "$*" in *-j*) echo '${htbJson}';; *class*|*filter*) ;; *) echo '${htbText}';; esac\n`, { mode: 0o755 });
    return execFileSync('sh', ['-c', `${fingerprintScript([], ['qdisc eth3'])}\necho "$fp"`], { encoding: 'utf8', env: { ...process.env, PATH: `${d}:${process.env.PATH}` } }).trim();
  }

  it('does not change with a link\'s carrier (a flap between the facts and the apply is no stale plan), and does with an address', () => {
    const up = fingerprintOf(true);
    expect(up).toMatch(/^[0-9a-f]{32}$/);
    expect(fingerprintOf(false)).toBe(up);
    expect(fingerprintOf(true, '10.0.0.0/30')).not.toBe(up);
  });

  it('does not change with running counters: htb\'s direct packets, a bond port\'s failures and MII status, a capture\'s promiscuity, all-multicast count, a qdisc\'s reference count (every run on such a router was refused as stale)', () => {
    expect(fingerprintOf(true, '10.0.0.0/31', '123.45', 3)).toBe(fingerprintOf(true));
  });

  it('does not change with a bridge\'s running timers (every run on a router with a bridge was refused as stale)', () => {
    expect(fingerprintOf(true, '10.0.0.0/31', '287.06')).toBe(fingerprintOf(true));
  });
});

describe('the module section', () => {
  // The teql section against a fake /lib/modules and a fake modinfo, under dash and BusyBox sh.
  function teqlSection(layout: 'debian' | 'openwrt' | 'elsewhere' | 'none', modinfo: 'kmod' | 'ubox' | 'busybox'): string {
    const d = mkdtempSync(join(tmpdir(), 'teql-module-'));
    const mods = join(d, 'lib/modules/6.6.0');
    mkdirSync(join(mods, 'kernel/net/sched'), { recursive: true });
    writeFileSync(join(d, 'osrelease'), '6.6.0\n');
    if (layout === 'openwrt') writeFileSync(join(mods, 'sch_teql.ko'), '');
    if (layout === 'debian') writeFileSync(join(mods, 'kernel/net/sched/sch_teql.ko.xz'), '');
    mkdirSync(join(d, 'bin'));
    // kmod's modinfo knows -F; ubox's (OpenWrt) takes exactly one argument, the name; BusyBox's
    // exits 0 whether it finds the module or not, and prints nothing when it does not. They find the
    // module only where depmod placed it elsewhere (updates/), outside the folders looked at first.
    const found = layout === 'elsewhere';
    const path = '/lib/modules/6.6.0/updates/sch_teql.ko';
    const fake = {
      kmod: found ? `[ "$1" = -F ] && echo ${path} || echo "filename: ${path}"` : 'echo "modinfo: ERROR: Module sch_teql not found." >&2; exit 1',
      ubox: `[ $# = 1 ] || { echo "Usage: modinfo <module>" >&2; exit 1; }; ${found ? `echo "module: ${path}"` : 'echo "cannot find module - $1" >&2; exit 1'}`,
      busybox: found ? `[ "$1" = -F ] && echo ${path} || echo "filename: ${path}"` : 'exit 0',
    }[modinfo];
    writeFileSync(join(d, 'bin/modinfo'), `#!/bin/sh\n${fake}\n`, { mode: 0o755 });
    const line = factsScript().split('\n').find((l) => l.includes('sch_teql.ko'))!;
    const script = line.replaceAll('/lib/modules', join(d, 'lib/modules')).replaceAll('/proc/sys/kernel/osrelease', join(d, 'osrelease')).replaceAll('/sys/module/sch_teql', join(d, 'nothing'));
    // BusyBox sh runs its own modinfo applet, not one on PATH: it answers for the file layouts only.
    const shells = layout === 'elsewhere' ? [['dash']] : [['dash'], ['busybox', 'sh']];
    const outs = shells.map((sh) => execFileSync(sh[0]!, [...sh.slice(1), '-c', script], { encoding: 'utf8', env: { ...process.env, PATH: `${d}/bin:${process.env.PATH}` } }));
    expect(outs.at(-1)).toBe(outs[0]);
    return outs[0]!;
  }

  it('finds sch_teql where Debian keeps it and where OpenWrt does (flat), and says when it is nowhere', () => {
    expect(teqlSection('debian', 'kmod')).toBe('loaded=0\navailable=1\n');
    expect(teqlSection('openwrt', 'ubox')).toBe('loaded=0\navailable=1\n');
    expect(teqlSection('elsewhere', 'kmod')).toBe('loaded=0\navailable=1\n');
    expect(teqlSection('elsewhere', 'ubox')).toBe('loaded=0\navailable=1\n');
    expect(teqlSection('none', 'kmod')).toBe('loaded=0\navailable=0\n');
    expect(teqlSection('none', 'ubox')).toBe('loaded=0\navailable=0\n');
    // BusyBox's modinfo exits 0 for a module it cannot find: what it prints counts (a review).
    expect(teqlSection('elsewhere', 'busybox')).toBe('loaded=0\navailable=1\n');
    expect(teqlSection('none', 'busybox')).toBe('loaded=0\navailable=0\n');
  });
});

describe('the boot section without systemd or OpenRC: run-parts, which ifupdown runs its hooks with', () => {
  it('is said found or not as the router\'s shell finds it, under dash and BusyBox sh', () => {
    const line = factsScript().split('\n').find((l) => l.includes("printf 'init\\tnone\\n'"))!;
    const at = line.indexOf('if command -v run-parts');
    expect(at).toBeGreaterThan(-1);
    const runParts = line.slice(at, line.indexOf('; fi', at) + 4);
    const empty = mkdtempSync(join(tmpdir(), 'teqlctl-no-run-parts-'));
    const bin = mkdtempSync(join(tmpdir(), 'teqlctl-run-parts-'));
    writeFileSync(join(bin, 'run-parts'), '#!/bin/sh\n', { mode: 0o755 });
    for (const [cmd, ...args] of [['dash'], ['busybox', 'sh']]) {
      // By its full path: the PATH given is the router's, without the shell's folder.
      const shell = execFileSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).trim();
      const said = (path: string) => parseBoot(execFileSync(shell, [...args, '-c', runParts], { encoding: 'utf8', env: { PATH: path } })).runParts;
      expect(said(bin)).toBe(true);
      // BusyBox's sh finds its own applet without PATH, as its ifup's sh -c does: not there only where it was built without it.
      const applet = cmd === 'busybox' && execFileSync(shell, ['--list'], { encoding: 'utf8' }).split('\n').includes('run-parts');
      expect(said(empty)).toBe(applet);
    }
  });
});

describe('ifupAtBootLine: does a boot script run `ifup -a`', () => {
  const cases: Array<[string, Record<string, string>, string]> = [
    ['Debian sysvinit: the networking service enabled in rcS.d', { 'init.d/networking': '#!/bin/sh\n  if ifup -a $exclusions $verbose && ifup_hotplug; then\n', 'rcS.d/S01networking': '@init.d/networking' }, 'yes'],
    ['BusyBox init with an rcS that runs it', { inittab: '::sysinit:/etc/init.d/rcS\n', 'init.d/rcS': '#!/bin/sh\nmount -a\n/sbin/ifup -a\n' }, 'yes'],
    ['a Buildroot S40network', { 'init.d/S40network': 'start)\n\t/sbin/ifup -a\n\t;;\n' }, 'yes'],
    ['an rcS with the long option', { 'init.d/rcS': '#!/bin/sh\n/sbin/ifup --all\n' }, 'yes'],
    ['an rcS with another -a word beside ifup', { 'init.d/rcS': '#!/bin/sh\n[ -x /sbin/ifup -a -f /etc/network/interfaces ] && echo ok\n' }, 'yes'],
    ['an rcS that runs it only in a comment', { 'init.d/rcS': '#!/bin/sh\n# /sbin/ifup -a\nmount -a\n' }, 'no'],
    ['the networking script present but not enabled', { 'init.d/networking': 'ifup -a\n' }, 'no'],
    ['nothing at all', {}, 'no'],
  ];
  for (const shell of ['dash', 'busybox sh']) {
    it.each(cases)(`${shell}: %s`, (_name, files, expected) => {
      const root = mkdtempSync(join(tmpdir(), 'teqlctl-ifup-'));
      mkdirSync(join(root, 'etc/init.d'), { recursive: true });
      for (const [path, text] of Object.entries(files)) {
        mkdirSync(join(root, 'etc', path, '..'), { recursive: true });
        if (text.startsWith('@')) symlinkSync(join(root, 'etc', text.slice(1)), join(root, 'etc', path));
        else writeFileSync(join(root, 'etc', path), text);
      }
      const [cmd, ...args] = shell.split(' ');
      const out = execFileSync(cmd!, [...args, '-c', ifupAtBootLine(root)], { encoding: 'utf8' });
      expect(out).toBe(`ifup-boot\t${expected}\n`);
      expect(parseBoot(out).ifupAtBoot).toBe(expected === 'yes');
    });
  }
});

describe('the fingerprint without md5sum (a minimal BusyBox)', () => {
  // The hash line alone, under dash, with a PATH holding only the commands given: sed, and a hasher or none.
  const fp = (commands: string[]) => {
    const bin = mkdtempSync(join(tmpdir(), 'teqlctl-hash-'));
    for (const c of commands) symlinkSync(execFileSync('sh', ['-c', `command -v ${c}`], { encoding: 'utf8' }).trim(), join(bin, c));
    return execFileSync('/bin/dash', ['-c', `stable='{"a":1}'\n${HASH_STABLE}\nprintf '%s' "$fp"`], { encoding: 'utf8', env: { PATH: bin } });
  };

  it('is sha256sum\'s, else cksum\'s: never empty while one of them is there (empty, the stale check always passed: a review)', () => {
    expect(fp(['sed', 'md5sum'])).toMatch(/^[0-9a-f]{32}$/);
    expect(fp(['sed', 'sha256sum'])).toMatch(/^[0-9a-f]{64}$/);
    expect(fp(['sed', 'cksum'])).toMatch(/^[0-9]+$/);
    expect(fp(['sed'])).toBe('');
  });
});

describe("factsScript: the links NetworkManager manages (a review of routers' own managers)", () => {
  it('are read from its device state files by ifindex, managed=true only, and parsed', () => {
    const line = factsScript().split('\n').find((l) => l.includes('/run/NetworkManager/devices/'))!;
    const dir = mkdtempSync(join(tmpdir(), 'nm-devices-'));
    const links = execFileSync('sh', ['-c', 'ls /sys/class/net'], { encoding: 'utf8' }).trim().split('\n');
    const index = (dev: string) => readFileSync(`/sys/class/net/${dev}/ifindex`, 'utf8').trim();
    writeFileSync(join(dir, index(links[0]!)), '[device]\nmanaged=true\nperm-hw-addr-fake=\nconnection-uuid=0b5b\n');
    if (links[1]) writeFileSync(join(dir, index(links[1])), '[device]\nmanaged=false\n');
    const out = execFileSync('sh', ['-c', line.replace('/run/NetworkManager/devices/', `${dir}/`)], { encoding: 'utf8' });
    expect(out).toBe(`nm\t${links[0]}\n`);
    expect(parseBoot(out).networkManager).toEqual([links[0]]);
    expect(parseBoot('').networkManager).toBeUndefined();
  });
});

describe('factsScript: the rp_filter lines of the sysctl files (a review of routers\' own managers)', () => {
  it('are read with their file and line, once for a file linked to /etc/sysctl.conf, not from a file a same-named one masks, and parsed as sysctl.d(5) reads them', () => {
    const line = factsScript().split('\n').find((l) => l.includes('sysctl-file'))!;
    const dir = mkdtempSync(join(tmpdir(), 'sysctl-files-'));
    for (const d of ['etc/sysctl.d', 'usr/lib/sysctl.d']) mkdirSync(join(dir, d), { recursive: true });
    writeFileSync(join(dir, 'etc/sysctl.conf'), '# net.ipv4.conf.all.rp_filter=1\nnet.ipv4.ip_forward = 1\nnet.ipv4.conf.all.rp_filter=1\n');
    symlinkSync('../sysctl.conf', join(dir, 'etc/sysctl.d/99-sysctl.conf'));
    writeFileSync(join(dir, 'etc/sysctl.d/60-stig.conf'), '-net/ipv4/conf/eth0.100/rp_filter = 1\nnet.ipv4.conf.*.rp_filter = 2\n-net.ipv4.conf.all.rp_filter\n');
    // Masked: by a same-named file in /etc (read instead), and by a link to /dev/null (read as nothing).
    writeFileSync(join(dir, 'usr/lib/sysctl.d/60-stig.conf'), 'net.ipv4.conf.all.rp_filter = 1\n');
    symlinkSync('/dev/null', join(dir, 'etc/sysctl.d/50-default.conf'));
    writeFileSync(join(dir, 'usr/lib/sysctl.d/50-default.conf'), 'net.ipv4.conf.default.rp_filter = 1\n');
    const list = '/etc/sysctl.d/*.conf /run/sysctl.d/*.conf /usr/local/lib/sysctl.d/*.conf /usr/lib/sysctl.d/*.conf /lib/sysctl.d/*.conf /etc/sysctl.conf';
    expect(line).toContain(list);
    const reader = line.replace(list, list.split(' ').map((p) => `${dir}${p}`).join(' ')).replaceAll('/etc/sysctl.conf ]', `${dir}/etc/sysctl.conf ]`);
    for (const shell of ['sh', 'dash']) {
      const boot = parseBoot(execFileSync(shell, ['-c', reader], { encoding: 'utf8' }));
      expect(boot.sysctlFiles, shell).toEqual([
        { at: `${dir}/etc/sysctl.d/60-stig.conf:1`, key: 'net.ipv4.conf.eth0.100.rp_filter', value: '1' },
        { at: `${dir}/etc/sysctl.d/60-stig.conf:2`, key: 'net.ipv4.conf.*.rp_filter', value: '2' },
        { at: `${dir}/etc/sysctl.d/60-stig.conf:3`, key: 'net.ipv4.conf.all.rp_filter', value: '', exclude: true },
        { at: `${dir}/etc/sysctl.conf:3`, key: 'net.ipv4.conf.all.rp_filter', value: '1' },
      ]);
    }
  });
});
