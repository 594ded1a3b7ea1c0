// The preamble run for real under both shells a router may have as /bin/sh: dash and BusyBox ash.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { iproute2Preamble, missingIproute2, MISSING_IPROUTE2_EXIT, usesIproute2 } from '../../src/router/iproute2.js';

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
