// The preamble run for real under both shells a router may have as /bin/sh: dash and BusyBox ash.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { foundIproute2, iproute2Preamble, IPROUTE2_FOUND_MARKER, missingIproute2, MISSING_IPROUTE2_EXIT, usesIproute2 } from '../../src/router/iproute2.js';

const SHELLS: Array<[string, string[]]> = [
  ['dash', ['/bin/dash', '-s']],
  // BusyBox's ash prefers its own applets (ip, tc) over PATH: the case the preamble exists for.
  ['busybox sh', ['/bin/busybox', 'sh', '-s']],
];

function run(shell: string[], script: string) {
  const r = spawnSync(shell[0]!, shell.slice(1), { input: script, encoding: 'utf8', env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe.each(SHELLS)('the iproute2 preamble under %s', (_name, shell) => {
  it("makes ip and tc iproute2's, with JSON output, even where the shell has applets of those names", () => {
    const r = run(shell, `${iproute2Preamble()}\nip -V\ntc -V\nip -j link show lo\n`);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^ip utility, iproute2/m);
    expect(r.stdout).toMatch(/^tc utility, iproute2/m);
    expect(JSON.parse(r.stdout.split('\n').find((l) => l.startsWith('['))!)[0].ifname).toBe('lo');
  });

  it("stops before the script when only BusyBox's applets are there, naming what is missing", () => {
    const dir = mkdtempSync(join(tmpdir(), 'teqlctl-bb-'));
    symlinkSync('/bin/busybox', join(dir, 'ip'));
    symlinkSync('/bin/busybox', join(dir, 'tc'));
    const r = run(shell, `${iproute2Preamble([dir])}\necho SCRIPT RAN\n`);
    expect(r.code).toBe(MISSING_IPROUTE2_EXIT);
    expect(r.stdout).not.toContain('SCRIPT RAN');
    expect(missingIproute2(r.code, r.stdout)).toBe("iproute2's ip and iproute2's tc");
  });
});

/** A folder with an `ip` and a `tc` that log each call's arguments and answer -V as iproute2's. */
function loggingIproute2() {
  const dir = mkdtempSync(join(tmpdir(), 'teqlctl-ipr-'));
  const log = join(dir, 'calls');
  writeFileSync(log, '');
  for (const tool of ['ip', 'tc']) {
    writeFileSync(join(dir, tool), `#!/bin/sh\necho "${tool} $*" >> ${log}\n[ "$1" = -V ] && echo '${tool} utility, iproute2-6.1.0'\nexit 0\n`, { mode: 0o755 });
  }
  return { dir, calls: () => readFileSync(log, 'utf8').trim().split('\n').filter(Boolean) };
}

describe.each(SHELLS)('the preamble over one connection, under %s', (_name, shell) => {
  it('the first script probes (ip -V, tc -V) and says on stderr where it found them', () => {
    const t = loggingIproute2();
    const r = run(shell, `${iproute2Preamble([t.dir], { announce: true })}\nip link show\n`);
    expect(r.code, r.stderr).toBe(0);
    expect(t.calls()).toEqual(['ip -V', 'tc -V', 'ip link show']);
    expect(foundIproute2(r.stderr)).toEqual({ paths: { ip: join(t.dir, 'ip'), tc: join(t.dir, 'tc') }, stderr: '' });
  });

  it('a later one, given where they are, runs no process to find them; where they are gone, it probes again', () => {
    const t = loggingIproute2();
    const known = { ip: join(t.dir, 'ip'), tc: join(t.dir, 'tc') };
    const r = run(shell, `${iproute2Preamble([t.dir], { known })}\nip addr show\ntc qdisc show\n`);
    expect(r.code, r.stderr).toBe(0);
    expect(t.calls()).toEqual(['ip addr show', 'tc qdisc show']);
    const moved = run(shell, `${iproute2Preamble([t.dir], { known: { ip: '/nonexistent/ip', tc: known.tc } })}\nip route show\n`);
    expect(moved.code, moved.stderr).toBe(0);
    expect(t.calls().slice(2)).toEqual(['ip -V', 'tc -V', 'ip route show']);
  });
});

describe('foundIproute2', () => {
  it("takes the preamble's line out of stderr, keeps the rest, and trusts only plain absolute paths", () => {
    expect(foundIproute2(`warning\n${IPROUTE2_FOUND_MARKER} /usr/sbin/ip /usr/sbin/tc\nmore\n`)).toEqual({ paths: { ip: '/usr/sbin/ip', tc: '/usr/sbin/tc' }, stderr: 'warning\nmore\n' });
    expect(foundIproute2(`${IPROUTE2_FOUND_MARKER} /opt/$(reboot)/ip /sbin/tc\n`)).toEqual({ stderr: '' });
    expect(foundIproute2(`${IPROUTE2_FOUND_MARKER} ip tc\n`)).toEqual({ stderr: '' });
    expect(foundIproute2('nothing here\n')).toEqual({ stderr: 'nothing here\n' });
    // A path that is not plain is never written into a later script.
    expect(iproute2Preamble(['/sbin'], { known: { ip: '/a b/ip', tc: '/sbin/tc' } })).not.toContain('/a b/ip');
  });
});

describe('missingIproute2', () => {
  it('names only what is missing, and nothing for other exits', () => {
    expect(missingIproute2(97, '@@teqlctl-missing-iproute2 ip=/sbin/ip tc=none\n')).toBe("iproute2's tc");
    expect(missingIproute2(1, '@@teqlctl-missing-iproute2 ip=none tc=none\n')).toBeUndefined();
    expect(missingIproute2(97, 'something else\n')).toBeUndefined();
  });
});

describe('usesIproute2: which scripts get the preamble', () => {
  it("the facts, an apply and a rollback do; a confirmation, a lock's release and the checks do not", async () => {
    const { factsScript } = await import('../../src/gather/script.js');
    const { stepsScript } = await import('../../src/apply/script.js');
    const { confirmScript, releaseScript } = await import('../../src/deadman/confirm-script.js');
    const { rollbackScript } = await import('../../src/deadman/rollback-script.js');
    const { checksScript } = await import('../../src/verify/ping-script.js');
    expect(usesIproute2(factsScript())).toBe(true);
    expect(usesIproute2(stepsScript([{ kind: 'qdisc-root', dev: 'eth1', qdisc: 'teql0', replace: false }]))).toBe(true);
    expect(usesIproute2(rollbackScript('r1', { then: factsScript() }))).toBe(true);
    expect(usesIproute2(confirmScript('r1', 'link eth1 up mtu 1500\naddress 10.0.0.0/31 eth1'))).toBe(false);
    expect(usesIproute2(releaseScript('r1'))).toBe(false);
    expect(usesIproute2(checksScript([{ task: 't', to: '10.0.0.1', count: 3, timeout: 2, pos: { file: 'p', line: 1, col: 1 } }]))).toBe(false);
  });

  it('finds ip and tc as commands however they stand, and not inside other words or paths', () => {
    for (const s of ['ip link set eth1 up', 'x=$(ip -j addr)', 'cmd=${IP:-ip}; $cmd link', 'true;tc qdisc show', '  tc -j qdisc', 'a && ip route']) expect(usesIproute2(s), s).toBe(true);
    for (const s of ['cat /proc/sys/net/ipv4/ip_forward', 'rm -rf /etc/teqlctl', 'skip=1', 'echo tcp', '/run/ip.lock']) expect(usesIproute2(s), s).toBe(false);
  });
});
