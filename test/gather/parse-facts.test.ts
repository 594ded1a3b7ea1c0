import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseFacts, parseLinks } from '../../src/gather/parse-facts.js';
import { factsScript } from '../../src/gather/script.js';
import { planHost } from '../../src/plan/plan-host.js';
import { diffState } from '../../src/rollback/compare.js';
import { chapterTasks } from '../helpers/facts.js';

// Outputs of factsScript() recorded on the lab routers, pristine and after the chapter converged.
const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures', `${name}.txt`), 'utf8');

describe('parseFacts on recorded lab output', () => {
  it('reads a pristine router as the lab defines it', () => {
    const f = parseFacts('router_a', fixture('lab-a-pristine'));
    expect(f.links.map((l) => `${l.name}:${l.up ? 'up' : 'down'}`)).toEqual(['lo:up', 'eth0:up', 'eth1:down', 'eth2:down', 'lan0:up']);
    expect(f.links.find((l) => l.name === 'lan0')!.kind).toBe('dummy');
    expect(f.addresses).toContainEqual({ dev: 'lan0', cidr: '192.0.2.1/24', broadcast: '192.0.2.255' });
    expect(f.addresses).toContainEqual({ dev: 'lo', cidr: '127.0.0.1/8', scope: 'host' });
    expect(f.routes).toContainEqual({ to: 'default', via: '10.0.2.2', dev: 'eth0', metric: 0, protocol: 'static' });
    expect(f.rootQdiscs.every((q) => q.isDefault)).toBe(true);
    expect(f.sysctls['net.ipv4.conf.all.rp_filter']).toBe('2');
    expect(f.sysctls['net.ipv4.tcp_reordering']).toBe('3');
    expect(f.teql).toEqual({ loaded: false, available: true });
    expect(f.management).toEqual({ clientIp: '10.0.2.2', dev: 'eth0' });
  });

  it('reads a converged router: teql0 as root qdisc of both slaves, its address and route', () => {
    const f = parseFacts('router_b', fixture('lab-b-converged'));
    expect(f.rootQdiscs.filter((q) => !q.isDefault).map((q) => `${q.dev}:${q.kind}`)).toEqual(['eth1:teql0', 'eth2:teql0']);
    expect(f.addresses).toContainEqual({ dev: 'teql0', cidr: '10.0.0.5/31' });
    expect(f.routes).toContainEqual(expect.objectContaining({ to: '192.0.2.0/24', via: '10.0.0.4', dev: 'teql0' }));
    expect(f.teql).toEqual({ loaded: true, available: true, maxEqualizers: 1 });
  });

  it('reads the runs of this boot not ended, each with its state; none where the section is empty or absent (recordings)', () => {
    const withOpen = fixture('lab-a-pristine').replace('@@teqlctl-section lock\n', '@@teqlctl-section open-runs\n20261206T050000Z-1-ab pending\n20261206T040000Z-2-cd emptied\n@@teqlctl-section lock\n');
    expect(withOpen).not.toBe(fixture('lab-a-pristine'));
    expect(parseFacts('router_a', withOpen).openRuns).toEqual([{ run: '20261206T050000Z-1-ab', state: 'pending' }, { run: '20261206T040000Z-2-cd', state: 'emptied' }]);
    expect(parseFacts('router_a', fixture('lab-a-pristine')).openRuns).toBeUndefined();
    expect(parseFacts('router_a', fixture('lab-a-pristine').replace('@@teqlctl-section lock\n', '@@teqlctl-section open-runs\n@@teqlctl-section lock\n')).openRuns).toBeUndefined();
  });

  it('ignores a junk line (a warning) around the JSON', () => {
    const noisy = fixture('lab-a-pristine').replace('@@teqlctl-section routes\n', '@@teqlctl-section routes\nWarning: junk before JSON\n');
    expect(parseFacts('router_a', noisy).routes).toEqual(parseFacts('router_a', fixture('lab-a-pristine')).routes);
  });

  it('sch_teql built into the kernel: no /sys/module/sch_teql (loaded=0), but teql0 is there as a void link: loaded, built in', () => {
    const builtin = fixture('lab-a-converged').replace(/@@teqlctl-section teql\n[^@]*/, '@@teqlctl-section teql\nloaded=0\navailable=0\n');
    expect(parseFacts('router_a', builtin).teql).toEqual({ loaded: true, available: true, builtin: true, maxEqualizers: 1 });
    // Without teql0 (no module, nothing built in): not loaded, as before.
    expect(parseFacts('router_a', fixture('lab-a-pristine')).teql).toEqual({ loaded: false, available: true });
  });

  it("an older iproute2's route types printed without their key (iproute2 issue #37: FRR's blackhole routes) are read with it", () => {
    const keyless = fixture('lab-a-pristine').replace('{"dst":"192.0.2.0/24"', '{"blackhole","dst":"198.51.100.0/24","protocol":"static","flags":[]},{"unreachable","dst":"203.0.113.0/24","flags":[]},{"dst":"192.0.2.0/24"');
    const routes = parseFacts('router_a', keyless).routes;
    expect(routes).toContainEqual({ to: '198.51.100.0/24', metric: 0, type: 'blackhole', protocol: 'static' });
    expect(routes).toContainEqual({ to: '203.0.113.0/24', metric: 0, type: 'unreachable' });
    // JSON broken otherwise is still said as such.
    expect(() => parseFacts('router_a', fixture('lab-a-pristine').replace('{"dst":"default"', '{"dst":"default",,'))).toThrow(/could not parse routes JSON/);
  });

  it('fails clearly when a section is missing', () => {
    expect(() => parseFacts('router_a', 'bash: ip: command not found\n')).toThrow(/missing its "links" section/);
  });

  it('says an iproute2 without JSON output is too old (Debian 9\'s 4.9), not that its JSON is unreadable', () => {
    const old = fixture('lab-a-pristine').replace(/(@@teqlctl-section links\n)[^@]*/, '$1Option "-j" is unknown, try "ip -help".\n');
    expect(() => parseFacts('router_a', old)).toThrow(/this router's iproute2 has no JSON output \(`Option "-j" is unknown`\): teqlctl reads ip and tc with -j/);
  });

  it('asks for the sysctls the plan needs, in the one script', () => {
    expect(factsScript(['net.ipv4.tcp_reordering'])).toContain('/proc/sys/net/ipv4/tcp_reordering');
    // Not the shell's read, which takes a byte at a time: /proc/sys gives EOF at a non-zero offset,
    // so a tcp_reordering of 30 was read as 3 on the lab.
    expect(factsScript(['net.ipv4.tcp_reordering'])).toContain("grep -H '' /proc/sys/net/ipv4/tcp_reordering 2>/dev/null");
  });
});

describe('the planner predicts what the real router ended up holding', () => {
  it('simulated result of the plan on recorded pristine facts equals the recorded converged facts', () => {
    const pristine = parseFacts('router_a', fixture('lab-a-pristine'));
    const converged = parseFacts('router_a', fixture('lab-a-converged'));
    const tasks = chapterTasks();
    const { expected } = planHost('router_a', tasks, pristine);
    expect(diffState(converged, expected)).toEqual({ missing: [], extra: [] });
    expect(planHost('router_a', tasks, converged).plan.phases.flatMap((p) => p.changes)).toEqual([]);
  });
});

describe('the boot and baseline sections', () => {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  it('reads teqlctl boot files (content, executable bit, symlink), networkd links, ifupdown interfaces; ignores junk', () => {
    const text = [
      `file\t/etc/teqlctl/boot.sh\tx\t${Buffer.byteLength('#!/bin/sh\nrun ip link set dev eth1 up\n')}\t${b64('#!/bin/sh\nrun ip link set dev eth1 up\n')}`,
      // As BusyBox's wc prints a size: padded.
      `file\t/etc/modules-load.d/teqlctl.conf\t-\t      9\t${b64('sch_teql\n')}`,
      'symlink\t/etc/systemd/system/multi-user.target.wants/teqlctl-boot.service\t/etc/systemd/system/teqlctl-boot.service',
      'networkd\tens4\t/run/systemd/network/30-ens4.network',
      'ifupdown\teth1',
      'ifupdown\teth1',
      // eth2 has a stanza, but nothing brings it up at boot (no auto line): not counted.
      'ifupdown\teth2',
      'ifupdown-static\teth1',
      'ifupdown-dhcp\teth3',
      'ifupdown-auto\tlo',
      'ifupdown-auto\teth1',
      'cat: /etc/network/interfaces.d/*: No such file or directory',
    ].join('\n');
    const f = parseFacts('router_a', fixture('lab-a-pristine').replace('@@teqlctl-section sysctls', `@@teqlctl-section boot\n${text}\n@@teqlctl-section baseline\nsysctl:net.ipv4.conf.all.rp_filter\t2\nlink:eth1\tdown mtu 1500\njunk\n@@teqlctl-section sysctls`));
    expect(f.boot).toEqual({
      files: [
        { path: '/etc/modules-load.d/teqlctl.conf', content: 'sch_teql\n', executable: false },
        { path: '/etc/systemd/system/multi-user.target.wants/teqlctl-boot.service', symlink: '/etc/systemd/system/teqlctl-boot.service' },
        { path: '/etc/teqlctl/boot.sh', content: '#!/bin/sh\nrun ip link set dev eth1 up\n', executable: true },
      ],
      networkd: { ens4: '/run/systemd/network/30-ens4.network' },
      ifupdown: ['eth1'],
      ifupdownStatic: ['eth1'],
      ifupdownDhcp: ['eth3'],
    });
    expect(f.baseline).toEqual({ 'sysctl:net.ipv4.conf.all.rp_filter': '2', 'link:eth1': 'down mtu 1500' });
  });

  it('reads what the router is: its init system, OpenRC local service, BusyBox userland; ignores an unknown init', () => {
    const withBoot = (lines: string[]) =>
      parseFacts('router_a', fixture('lab-a-pristine').replace('@@teqlctl-section sysctls', `@@teqlctl-section boot\n${lines.join('\n')}\n@@teqlctl-section baseline\n@@teqlctl-section sysctls`)).boot;
    expect(withBoot(['init\topenrc', 'openrc-local\tyes', 'userland\tbusybox'])).toEqual({ files: [], networkd: {}, ifupdown: [], init: 'openrc', openrcLocal: true, busybox: true });
    expect(withBoot(['init\tnone', 'userland\tgnu'])).toEqual({ files: [], networkd: {}, ifupdown: [], init: 'none', busybox: false });
    expect(withBoot(['init\tupstart'])?.init).toBeUndefined();
  });
});

describe('the identity section', () => {
  it('is read from the facts when the section is there, absent from facts without it', () => {
    const out = fixture('lab-a-pristine');
    expect(parseFacts('router_a', out).identity).toBeUndefined();
    expect(parseFacts('router_a', out.replace('@@teqlctl-section end', '@@teqlctl-section identity\nboot=b1\n@@teqlctl-section end')).identity).toMatch(/^b1 [0-9a-f]{16}$/);
  });
});

describe('parseLinks', () => {
  it("keeps a link's altnames (the kernel takes them; the plan refuses a task by one), none where it has none", () => {
    const links = parseLinks([{ ifname: 'lan0', flags: ['UP'], operstate: 'UP', mtu: 1500, altnames: ['enp0s4', 'wan'] }, { ifname: 'eth1', flags: [], mtu: 1500 }]);
    expect(links[0]!.altnames).toEqual(['enp0s4', 'wan']);
    expect('altnames' in links[1]!).toBe(false);
  });
});
