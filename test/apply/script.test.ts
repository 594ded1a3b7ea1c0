import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { shellQuote } from '../../src/router/shell-quote.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { begunLine, revertScript } from '../../src/deadman/arm-script.js';
import { rollbackScript } from '../../src/deadman/rollback-script.js';
import { undoBatchScript } from '../../src/deadman/batch-scripts.js';
import { parseSteps, stepsScript } from '../../src/apply/script.js';
import { renderOp, syncFsAt } from '../../src/apply/render-op.js';
import type { Op } from '../../src/plan/ops.js';

describe('renderOp', () => {
  it('renders the HOWTO commands', () => {
    expect(renderOp({ kind: 'qdisc-root', dev: 'eth1', qdisc: 'teql0', replace: false })).toBe('tc qdisc add dev eth1 root teql0');
    expect(renderOp({ kind: 'link', dev: 'teql0', up: true })).toBe('ip link set dev teql0 up');
    expect(renderOp({ kind: 'addr-add', dev: 'eth1', cidr: '10.0.0.0/31' })).toBe('ip addr add 10.0.0.0/31 dev eth1');
    expect(renderOp({ kind: 'route-add', route: { to: '198.51.100.0/24', via: '10.0.0.5', metric: 0 } })).toBe('ip route add 198.51.100.0/24 via 10.0.0.5 metric 0');
    expect(renderOp({ kind: 'modprobe', module: 'sch_teql', maxEqualizers: 2 })).toBe('modprobe sch_teql max_equalizers=2 && { [ -e /sys/class/net/teql1 ] || { rmmod sch_teql && insmod sch_teql max_equalizers=2; }; }');
    expect(renderOp({ kind: 'modprobe', module: 'sch_teql' })).toBe('modprobe sch_teql');
    // Run with stubs that load nothing (as OpenWrt's modprobe drops the option): teql1 is not made,
    // so the module is loaded again by insmod with it. (Where this machine has a teql1, modprobe alone.)
    const bin = mkdtempSync(join(tmpdir(), 'teqlctl-modprobe-'));
    for (const tool of ['modprobe', 'rmmod', 'insmod']) writeFileSync(join(bin, tool), `#!/bin/sh\necho "${tool} $*" >> ${bin}/log\n`, { mode: 0o755 });
    const r = spawnSync('sh', ['-c', renderOp({ kind: 'modprobe', module: 'sch_teql', maxEqualizers: 2 })], { env: { PATH: `${bin}:/usr/bin:/bin` }, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(readFileSync(join(bin, 'log'), 'utf8')).toBe(existsSync('/sys/class/net/teql1') ? 'modprobe sch_teql max_equalizers=2\n' : 'modprobe sch_teql max_equalizers=2\nrmmod sch_teql\ninsmod sch_teql max_equalizers=2\n');
    // The undo of loading it, on every userland teqlctl runs on (OpenWrt's modprobe has no -r).
    expect(renderOp({ kind: 'rmmod', module: 'sch_teql' })).toBe('rmmod sch_teql');
    expect(renderOp({ kind: 'sysctl', name: 'net.ipv4.conf.eth0.100.rp_filter', value: '0' })).toBe(`printf '%s\\n' 0 > /proc/sys/net/ipv4/conf/eth0.100/rp_filter`);
  });

  it('quotes what the shell would otherwise interpret', () => {
    expect(renderOp({ kind: 'link', dev: "x'; reboot", up: true })).toBe(`ip link set dev 'x'\\''; reboot' up`);
  });
});

describe('stepsScript', () => {
  // The script is plain POSIX sh: run it locally with harmless stand-ins for the router commands.
  const ops: Op[] = [
    { kind: 'sysctl', name: 'a', value: '1' },
    { kind: 'sysctl', name: 'b', value: '2' },
    { kind: 'sysctl', name: 'c', value: '3' },
  ];
  const run = (script: string) => {
    const local = script.replace(/> \/proc\/sys\/a/, '> /dev/null').replace(/> \/proc\/sys\/b/, '> /nonexistent/dir/b').replace(/> \/proc\/sys\/c/, '> /dev/null');
    try {
      return { code: 0, out: execFileSync('sh', ['-c', local], { encoding: 'utf8' }) };
    } catch (err) {
      const e = err as { status: number; stdout: string };
      return { code: e.status, out: e.stdout };
    }
  };

  it('stops at the first failure and says which steps ran', () => {
    const { code, out } = run(stepsScript(ops));
    expect(code).toBe(1);
    const steps = parseSteps(ops, out);
    expect(steps.map((s) => [s.index, s.code === 0])).toEqual([[0, true], [1, false]]);
    expect(steps[1]!.output).toMatch(/nonexistent/);
  });

  it('keeps going for rollback and still fails overall', () => {
    const { code, out } = run(stepsScript(ops, { keepGoing: true }));
    expect(code).toBe(1);
    expect(parseSteps(ops, out).map((s) => s.code === 0)).toEqual([true, false, true]);
  });

  it.each([['sh', 'sh'], ['dash', 'dash'], ['busybox sh', '/bin/busybox sh']])('a failed step of one bundle skips only that bundle\'s later steps; the others run and the script goes on to its end (%s)', (_name, shell) => {
    const five: Op[] = ['a', 'b', 'c', 'd', 'e'].map((name) => ({ kind: 'sysctl', name, value: '1' }));
    const journal = join(mkdtempSync(join(tmpdir(), 'teqlctl-skip-')), 'begun');
    // b (bundle X) fails: d (X) is skipped, not even recorded as begun; c (Y) and e (shared) run.
    const script = stepsScript(five, { bundles: ['X', 'X', 'Y', 'X', undefined], onBegin: (i) => `echo ${i} >> ${journal}`, then: 'echo THEN' });
    const local = script.replace(/> \/proc\/sys\/b/, '> /nonexistent/dir/b').replace(/> \/proc\/sys\/[acde]/g, '> /dev/null');
    const [cmd, ...args] = shell.split(' ');
    const out = execFileSync(cmd!, [...args, '-c', local], { encoding: 'utf8' });
    expect(parseSteps(five, out).map((s) => [s.index, s.code === 0])).toEqual([[0, true], [1, false], [2, true], [4, true]]);
    expect(out).toMatch(/THEN\n$/);
    expect(readFileSync(journal, 'utf8')).toBe('0\n1\n2\n4\n');
  });

  it('a failed step that belongs to no single bundle still stops the script, whatever the bundles\' steps', () => {
    const { code, out } = run(stepsScript(ops, { bundles: ['X', undefined, 'Y'] }));
    expect(code).toBe(1);
    expect(parseSteps(ops, out).map((s) => [s.index, s.code === 0])).toEqual([[0, true], [1, false]]);
  });

  it('records each step before running it (write-ahead): a step that fails, or never finishes, is recorded too', () => {
    const journal = join(mkdtempSync(join(tmpdir(), 'teqlctl-wal-')), 'begun');
    const { code } = run(stepsScript(ops, { onBegin: (i) => `echo ${i} >> ${journal}` }));
    expect(code).toBe(1);
    // Step 1 failed, yet it was recorded before it ran; step 2 never began.
    expect(readFileSync(journal, 'utf8')).toBe('0\n1\n');
  });
});

describe('files on the router', () => {
  it.each([['dash', '/bin/dash'], ['busybox sh', '/bin/busybox sh']])('a file written to a full disk (%s, BusyBox applets): the step fails and the old file stays', (_name, shell) => {
    const root = mkdtempSync(join(tmpdir(), 'teqlctl-fullfile-'));
    const etc = join(root, 'etc');
    mkdirSync(etc);
    const path = join(etc, 'boot.sh');
    writeFileSync(path, 'old\n');
    const applets = join(root, 'bin');
    mkdirSync(applets);
    for (const a of ['base64', 'wc', 'chmod', 'mv', 'mkdir', 'sync']) symlinkSync('/bin/busybox', join(applets, a));
    const script = stepsScript([{ kind: 'file-write', path, content: 'x'.repeat(80_000), executable: true }]);
    // etc on a 64 KiB tmpfs (a mount namespace of its own), the old file copied back onto it.
    const inside = `mount -t tmpfs -o size=64k tmpfs ${etc} && echo old > ${path} || exit 99\nPATH=${applets}:$PATH ${shell} -c ${shellQuote(script)}\necho "@@size $(wc -c < ${path})"; ls ${etc}`;
    let out = '';
    try {
      out = execFileSync('unshare', ['-r', '-m', 'sh', '-c', inside], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (err) {
      out = String((err as { stdout: string }).stdout);
    }
    expect(out).toMatch(/@@teqlctl-step 0 [1-9]/);
    expect(out).toContain('@@size 4');
    expect(out).not.toContain('boot.sh.teqlctl-new');
  });

  it('scripts run under umask 077; boot folders are still created 0755 and files written with their modes, then synced (sh and dash)', () => {
    for (const shell of ['sh', 'dash']) {
      const root = mkdtempSync(join(tmpdir(), 'teqlctl-umask-'));
      const path = join(root, 'etc', 'systemd', 'network', 'teql0.network.d', 'teqlctl.conf');
      const ops: Op[] = [{ kind: 'file-write', path, content: '[Link]\n', executable: false }];
      const script = stepsScript(ops, { then: `touch ${join(root, 'private')}` });
      expect(script.split('\n').slice(0, 3)).toContain('umask 077');
      const out = execFileSync(shell, ['-c', script], { encoding: 'utf8' });
      expect(out).toContain('@@teqlctl-step 0 0');
      expect(readFileSync(path, 'utf8')).toBe('[Link]\n');
      expect(statSync(path).mode & 0o777, shell).toBe(0o644);
      expect(statSync(join(root, 'etc', 'systemd')).mode & 0o777, shell).toBe(0o755);
      expect(statSync(join(root, 'private')).mode & 0o777, `${shell}: other files are private`).toBe(0o600);
      expect(renderOp(ops[0]!)).toMatch(/&& \{ sync -f \S+ 2>\/dev\/null \|\| sync; \}$/);
    }
  });

  it('a file is flushed before it is renamed over the old one, and after (XFS may commit a rename before the data: an empty boot.sh after a power cut; a review)', () => {
    const root = mkdtempSync(join(tmpdir(), 'teqlctl-syncorder-'));
    const bin = join(root, 'bin');
    mkdirSync(bin);
    // sync and mv as logging stand-ins that then do the real thing.
    for (const tool of ['sync', 'mv']) {
      writeFileSync(join(bin, tool), `#!/bin/sh\necho "${tool} $*" >> ${root}/order\nexec /bin/${tool} "$@"\n`, { mode: 0o755 });
    }
    const path = join(root, 'etc', 'teqlctl', 'boot.sh');
    const script = stepsScript([{ kind: 'file-write', path, content: 'new\n', executable: true }]);
    const out = execFileSync('dash', ['-c', `PATH=${bin}:$PATH; ${script}`], { encoding: 'utf8' });
    expect(out).toContain('@@teqlctl-step 0 0');
    expect(readFileSync(path, 'utf8')).toBe('new\n');
    const order = readFileSync(join(root, 'order'), 'utf8').trim().split('\n').map((l) => l.split(' ')[0]);
    expect(order).toEqual(['sync', 'mv', 'sync']);
  });

  it("a step's begun mark is written and synced before the step runs", () => {
    const script = stepsScript([{ kind: 'link', dev: 'eth1', up: true }], { onBegin: (i) => begunLine('r1', 0, i) });
    expect(script.indexOf('begun-0 && { sync -f')).toBeGreaterThan(0);
    expect(script.indexOf('begun-0')).toBeLessThan(script.indexOf('ip link set dev eth1 up'));
  });
});

describe('the baseline flush of a batch', () => {
  const set = (key: string): Op => ({ kind: 'baseline-set', key, value: 'down mtu 1500' });
  const link: Op = { kind: 'link', dev: 'eth1', up: true };
  const flushes = (script: string) => script.split('\n').filter((l) => /sync -f '?\/var\/lib\/teqlctl'? /.test(l));

  it('flushes the baseline\'s file system once, after the last step and before the re-read', () => {
    const script = stepsScript([set('link:eth1'), link, set('link:eth2'), link], { then: 'echo reread' });
    expect(flushes(script)).toHaveLength(1);
    const lines = script.split('\n');
    const flushAt = lines.findIndex((l) => flushes(l).length > 0);
    expect(flushAt).toBeGreaterThan(lines.findIndex((l) => l.includes('@@teqlctl-step %d %d') && l.includes(' 3 ')));
    expect(flushAt).toBeLessThan(lines.indexOf('echo reread'));
  });

  it('a batch without a baseline entry flushes nothing for it', () => {
    expect(flushes(stepsScript([link]))).toEqual([]);
  });

  // The baseline's path and the mounts table moved under a scratch folder; sync and mv logged.
  function runLogged(script: string, fsType: string): string[] {
    const root = mkdtempSync(join(tmpdir(), 'teqlctl-baseline-order-'));
    const bin = join(root, 'bin');
    mkdirSync(bin);
    for (const tool of ['sync', 'mv']) writeFileSync(join(bin, tool), `#!/bin/sh\necho "${tool} $*" >> ${root}/order\nexec /bin/${tool} "$@"\n`, { mode: 0o755 });
    writeFileSync(join(root, 'mounts'), `/dev/sdz1 / ${fsType} rw,relatime 0 0\n`);
    mkdirSync(join(root, 'jbd2', 'sdz1-8'), { recursive: true });
    const moved = script.replaceAll('/var/lib/teqlctl', join(root, 'lib')).replaceAll('/proc/mounts', join(root, 'mounts')).replaceAll('/proc/fs/jbd2', join(root, 'jbd2'));
    execFileSync('dash', ['-c', `PATH=${bin}:$PATH; ${moved}`], { encoding: 'utf8' });
    return readFileSync(join(root, 'order'), 'utf8').trim().split('\n').map((l) => l.split(' ')[0]!);
  }

  it('on XFS, f2fs or UBIFS each entry is flushed before its rename (a power cut could leave the baseline empty); on ext4 only the batch flush runs', () => {
    const script = stepsScript([set('link:eth1'), set('link:eth2')]);
    expect(runLogged(script, 'xfs')).toEqual(['sync', 'mv', 'sync', 'mv', 'sync']);
    expect(runLogged(script, 'ext4')).toEqual(['mv', 'mv', 'sync']);
  });

  it('an undo that forgets an entry flushes before its rename too, where needed', () => {
    const undo = undoBatchScript([[{ kind: 'baseline-unset', key: 'link:eth1' }]]).replace('if tq_begun 0; then', 'if true; then');
    const both = `${stepsScript([set('link:eth1'), set('link:eth2')]).replace(/\nexit \$failed\n$/, '\n')}${undo}`;
    expect(runLogged(both, 'xfs').slice(5)).toEqual(['sync', 'mv', 'sync']);
    expect(runLogged(both, 'ext4').slice(3)).toEqual(['mv', 'sync']);
  });
});

describe('syncFsAt', () => {
  it('flushes the file system of the path the variable holds, not of a file named $d (which fell back to a whole sync)', () => {
    const d = mkdtempSync(join(tmpdir(), 'syncfs-'));
    // A sync that logs how it was called and fails -f on a path that does not exist, as sync does.
    writeFileSync(join(d, 'sync'), `#!/bin/sh\necho "$*" >> ${d}/calls\n[ "$1" != -f ] || [ -e "$2" ]\n`, { mode: 0o755 });
    execFileSync('sh', ['-c', `d=${d}\n${syncFsAt('d')}`], { env: { ...process.env, PATH: `${d}:${process.env.PATH}` } });
    expect(readFileSync(join(d, 'calls'), 'utf8')).toBe(`-f ${d}\n`);
    for (const script of [revertScript('r1'), rollbackScript('r1', { then: 'true' })]) expect(script).not.toMatch(/sync -f '\$/);
  });
});
