// The stale check of a run's first apply, run by this machine's shell on its kernel and iproute2, in
// a network namespace of its own (needs root, as CI has): unchanged, the apply goes on; changed (a
// subscriber's session's address, as on a concentrator), it stops and prints what the router holds
// now, with the fingerprint of that, for the controller to plan again from (play/stale-replan.ts).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { staleCheck } from '../../src/deadman/stale-check.js';
import { factsScript } from '../../src/gather/script.js';
import { parseFacts } from '../../src/gather/parse-facts.js';
import { readApply } from '../../src/play/apply-result.js';
import { addressLine } from '../../src/gather/address-fact.js';
import { STALE_MARKER } from '../../src/router/markers.js';
import { netnsShell } from '../helpers/netns.js';

const sh = netnsShell('stale', 'ip link add s0 type veth peer name p0 && ip link set s0 up && ip link set p0 up && ip addr add 10.9.0.0/31 dev s0');
const name = `teqlctl-stale-${process.pid}`;
// dash, bash, and BusyBox's sh (its own `ip` applet set aside for iproute2's, as a router that has
// iproute2 runs it).
const real = (cmd: string) => execFileSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).trim();
const SHELLS: Array<[string, string[], string]> = [
  ['dash', ['/bin/dash', '-c'], ''],
  ['bash', ['/bin/bash', '-c'], ''],
  ['busybox sh', ['/bin/busybox', 'sh', '-c'], `ip() { ${real('ip')} "$@"; }; tc() { ${real('tc')} "$@"; }\n`],
];
/** The check, then a line that stands for the arming and the steps: its exit code and its output. */
const check = (fingerprint: string, [, argv, pre]: (typeof SHELLS)[number] = SHELLS[0]!) => {
  const script = `${pre}export LANG=C LC_ALL=C\n${staleCheck('20261207T000000-stale', fingerprint, [], []).join('\n')}\necho 'went on'`;
  try {
    return { code: 0, stdout: execFileSync('ip', ['netns', 'exec', name, ...argv, script], { encoding: 'utf8' }) };
  } catch (err) {
    const e = err as { status: number; stdout: string };
    return { code: e.status, stdout: e.stdout };
  }
};

describe('the stale check under the lock, on the real kernel', () => {
  it('goes on where the router is what the facts read saw', () => {
    const read = parseFacts('ns', sh(factsScript()));
    expect(read.fingerprint).toMatch(/^[0-9a-f]{32}$/);
    for (const shell of SHELLS) expect(check(read.fingerprint!, shell), shell[0]).toEqual({ code: 0, stdout: 'went on\n' });
  });

  it('stops where it changed, printing the facts it holds now and their fingerprint, which a facts read then gives too', () => {
    const read = parseFacts('ns', sh(factsScript()));
    sh('ip link add ppp0 type veth peer name ppp0p && ip link set ppp0 up && ip addr add 100.64.0.1 peer 100.64.7.7 dev ppp0');
    const fresh = parseFacts('ns', sh(factsScript())).fingerprint;
    for (const shell of SHELLS) {
      const r = check(read.fingerprint!, shell);
      expect(r.code, shell[0]).toBe(3);
      expect(r.stdout).not.toContain('went on');
      expect(r.stdout.startsWith(`${STALE_MARKER} `)).toBe(true);
      const result = readApply('ns', 0, [], [], { ...r, stderr: '' });
      expect(result.stale).toBe(true);
      expect(result.now!.addresses.map(addressLine).filter((l) => l.includes('ppp0')), shell[0]).toEqual([expect.stringMatching(/^address 100\.64\.0\.1\/32 .*peer 100\.64\.7\.7.* dev ppp0/)]);
      expect(result.now!.management).toEqual(read.management);
      expect(result.now!.fingerprint, shell[0]).toBe(fresh);
      expect(result.now!.fingerprint).not.toBe(read.fingerprint);
      // Sent again with it, the check goes on.
      expect(check(result.now!.fingerprint!, shell), shell[0]).toEqual({ code: 0, stdout: 'went on\n' });
    }
  });

  it('its reads after the lock are freed can be stopped: the first arm\'s ignored signals are restored (a review)', async () => {
    const read = parseFacts('ns', sh(factsScript()));
    sh('ip addr add 10.9.0.5/31 dev p0');
    // An ip that hangs on the session's path read (the management section's, after the lock): a router's stuck ip.
    const shim = mkdtempSync(join(tmpdir(), 'ip-hang-'));
    const hanging = join(shim, 'hanging');
    writeFileSync(join(shim, 'ip'), `#!/bin/sh\ncase "$1 $2 $3" in '-j -force -batch') in=$(cat); case $in in *'route get'*) touch ${hanging}; sleep 8;; esac; printf '%s\\n' "$in" | exec ${real('ip')} "$@";; esac\nexec ${real('ip')} "$@"\n`, { mode: 0o755 });
    const script = `export LANG=C LC_ALL=C\ntrap '' HUP PIPE TERM\n${staleCheck('20261207T000000-stale', read.fingerprint!, [], []).join('\n')}\necho 'went on'`;
    const child = spawn(real('ip'), ['netns', 'exec', name, '/bin/dash', '-c', script], { env: { ...process.env, PATH: `${shim}:${process.env.PATH}`, SSH_CONNECTION: '10.9.0.1 50000 10.9.0.0 22' }, stdio: 'ignore' });
    const ended = new Promise<NodeJS.Signals | null>((resolve) => child.on('close', (_code, signal) => resolve(signal)));
    for (let i = 0; i < 100 && !existsSync(hanging); i++) await new Promise((r) => setTimeout(r, 100));
    expect(existsSync(hanging)).toBe(true);
    child.kill('SIGTERM');
    // Still ignored, the shell would wait for the hung ip and go on to its end (exit 3).
    expect(await ended).toBe('SIGTERM');
  });
});
