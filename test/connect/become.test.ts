import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bounded, doasProbeCommand, newPrompt, probeCommand, readProbe, scriptCommand, wantsDashT } from '../../src/connect/become.js';

describe('become command lines', () => {
  it('no become: the script on stdin of /bin/sh (by path: BusyBox timeout runs a bare sh as its own ash), under a timeout', () => {
    expect(scriptCommand({ kind: 'none' }, 120)).toEqual({ command: bounded(120, '/bin/sh -s') });
  });

  it('NOPASSWD: sudo -n, and SSH_CONNECTION carried past env_reset', () => {
    expect(scriptCommand({ kind: 'sudo', user: 'root' }, 60)).toEqual({ command: `sudo -n env SSH_CONNECTION="$SSH_CONNECTION" ${bounded(60, '/bin/sh -s')}` });
    expect(scriptCommand({ kind: 'sudo', user: 'netadm' }, 60).command).toBe(`sudo -n -u netadm env SSH_CONNECTION="$SSH_CONNECTION" ${bounded(60, '/bin/sh -s')}`);
  });

  it('with a password: never in the command; given only after sudo shows its own prompt; -k so sudo always asks', () => {
    const { command, sudo } = scriptCommand({ kind: 'sudo', user: 'root', password: 'hunter2 $x' }, 60, '[P]');
    expect(command).toBe(`sudo -k -S -p '[P]' env SSH_CONNECTION="$SSH_CONNECTION" ${bounded(60, '/bin/sh -s')}`);
    expect(command).not.toContain('hunter2');
    expect(sudo).toEqual({ prompt: '[P]', password: 'hunter2 $x' });
    expect(newPrompt()).toMatch(/^\[teqlctl-sudo-[0-9a-f]{24}\]$/);
    expect(newPrompt()).not.toBe(newPrompt());
  });

  it('probes are bounded and carry no password either', () => {
    expect(probeCommand('root')).toEqual({ command: bounded(30, 'env LC_ALL=C LANG=C LANGUAGE= sudo -k -n true') });
    expect(probeCommand('root', 'pw', '[P]')).toEqual({ command: `${bounded(30, `env LC_ALL=C LANG=C LANGUAGE= sudo -k -S -p '[P]' true`)}`, sudo: { prompt: '[P]', password: 'pw' } });
    expect(probeCommand('netadm', 'pw', '[P]').command).toBe(`${bounded(30, `env LC_ALL=C LANG=C LANGUAGE= sudo -k -S -p '[P]' -u netadm true`)}`);
  });

  it.each(['/bin/sh', 'busybox sh'])('under %s, sudo and doas answer the probe in the C locale whatever the session\'s (a router installed in German: its words were read as a refusal)', (shell) => {
    const dir = mkdtempSync(join(tmpdir(), 'teqlctl-locale-'));
    for (const tool of ['sudo', 'doas']) writeFileSync(join(dir, tool), `#!/bin/sh\necho "${tool} LC_ALL=$LC_ALL LANG=$LANG LANGUAGE=$LANGUAGE"\nexit 1\n`, { mode: 0o755 });
    const env = { PATH: `${dir}:${process.env.PATH}`, LANG: 'de_DE.UTF-8', LANGUAGE: 'de:en', LC_MESSAGES: 'de_DE.UTF-8' };
    const [file, ...pre] = shell.split(' ');
    for (const [tool, command] of [['sudo', probeCommand('root').command], ['sudo', probeCommand('root', 'pw', '[P]').command], ['doas', doasProbeCommand('root').command]] as const) {
      const r = spawnSync(file!, [...pre, '-c', command], { env, encoding: 'utf8' });
      expect(r.stdout).toBe(`${tool} LC_ALL=C LANG=C LANGUAGE=\n`);
    }
  });
});

describe("reading sudo's answer", () => {
  it.each([
    [0, '', 'ok'],
    [1, 'sudo: a password is required\n', 'password required'],
    [1, 'sudo: no password was provided\n', 'password required'],
    [1, 'Sorry, try again.\nsudo: no password was provided\nsudo: 1 incorrect password attempt\n', 'password rejected'],
    [124, '', 'timeout'],
    [1, 'operator is not in the sudoers file.\n', 'failed'],
  ] as const)('exit %s, %j -> %s', (code, stderr, verdict) => {
    expect(readProbe(code, stderr)).toBe(verdict);
  });

});

describe('doas', () => {
  it('runs the script through doas -n (a nopass rule), carrying SSH_CONNECTION, never with a password', () => {
    expect(scriptCommand({ kind: 'doas', user: 'root' }, 60)).toEqual({ command: `doas -n env SSH_CONNECTION="$SSH_CONNECTION" ${bounded(60, '/bin/sh -s')}` });
    expect(scriptCommand({ kind: 'doas', user: 'netadm' }, 60).command).toBe(`doas -n -u netadm env SSH_CONNECTION="$SSH_CONNECTION" ${bounded(60, '/bin/sh -s')}`);
    expect(doasProbeCommand('root')).toEqual({ command: bounded(30, 'env LC_ALL=C LANG=C LANGUAGE= doas -n true') });
  });
  it("reads OpenDoas's answers", () => {
    expect(readProbe(1, 'doas: Authorization required\n')).toBe('password required');
    expect(readProbe(1, 'doas: Authentication required\n')).toBe('password required');
    expect(readProbe(1, 'doas: Operation not permitted\n')).toBe('failed');
  });
});

describe('bounded: timeout where the router has one', () => {
  const run = (shell: string[], cmd: string, path: string) => {
    const started = Date.now();
    const r = spawnSync(shell[0]!, [...shell.slice(1), cmd], { encoding: 'utf8', env: { PATH: path } });
    return { code: r.status, out: r.stdout, err: r.stderr, ms: Date.now() - started };
  };
  for (const shell of [['/bin/dash', '-c'], ['/bin/busybox', 'sh', '-c']]) {
    it(`under ${shell[0]}: a command that runs too long is stopped by timeout`, () => {
      const r = run(shell, bounded(1, '/bin/sleep 5'), '/usr/bin:/bin');
      expect(r.code).not.toBe(0);
      expect(r.ms).toBeLessThan(4000);
    });
    it(`under ${shell[0]}: without any timeout on the router, the command still runs (teqlctl bounds it from its side)`, () => {
      const r = run(shell, bounded(1, '/bin/echo hi'), '/nonexistent');
      expect(r).toMatchObject({ code: 0, out: 'hi\n' });
    });
  }
});

describe("an older BusyBox's timeout, which wants -t SECS (before 1.30: OpenWrt 18.06)", () => {
  // Its parsing, as BusyBox 1.28 does it: options first, and the first other word is the program.
  const bin = mkdtempSync(join(tmpdir(), 'teqlctl-old-timeout-'));
  writeFileSync(join(bin, 'timeout'), `#!/bin/sh
t=10
while :; do case "$1" in -t) t=$2; shift 2;; -s) shift 2;; *) break;; esac; done
command -v "$1" >/dev/null 2>&1 || { echo "timeout: can't execute '$1': No such file or directory" >&2; exit 127; }
exec /usr/bin/timeout "$t" "$@"
`);
  chmodSync(join(bin, 'timeout'), 0o755);
  const run = (cmd: string) => spawnSync('/bin/dash', ['-c', cmd], { encoding: 'utf8', env: { PATH: `${bin}:/usr/bin:/bin` } });

  it('refuses the usual form before running anything, and says so in words wantsDashT knows', () => {
    const r = run(bounded(5, '/bin/echo ran'));
    expect(r.stdout).toBe('');
    expect(wantsDashT(r.status, r.stderr)).toBe(true);
  });

  it('runs the command, bounded, in the -t form', () => {
    expect(run(bounded(5, '/bin/echo ran', 'dash-t'))).toMatchObject({ status: 0, stdout: 'ran\n' });
    const started = Date.now();
    expect(run(bounded(1, '/bin/sleep 5', 'dash-t')).status).not.toBe(0);
    expect(Date.now() - started).toBeLessThan(4000);
  });

  it("a script's own 127 (a command not found) is not taken for it: the script ran, it is not sent again", () => {
    const r = run(bounded(5, '/bin/sh -c nosuchcommand', 'dash-t'));
    expect(r.status).toBe(127);
    expect(wantsDashT(r.status, r.stderr)).toBe(false);
    expect(wantsDashT(127, "sh: 1: timeout: can't execute 'x': No such file or directory\n")).toBe(false);
  });
});
