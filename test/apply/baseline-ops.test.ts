// The baseline's set and unset steps on real shells (dash and BusyBox's sh), in a folder of the
// test's own in place of /var/lib/teqlctl: only the key's own line changes, whatever the others hold.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderOp } from '../../src/apply/render-op.js';
import { renderStep } from '../../src/apply/script.js';
import { BASELINE_FILE } from '../../src/router/paths.js';
import type { Op } from '../../src/plan/ops.js';

const SHELLS: Array<[string, string[]]> = [['dash', ['/bin/dash', '-c']], ['busybox sh', ['/bin/busybox', 'sh', '-c']]];
const ROUTER_DIR = BASELINE_FILE.slice(0, BASELINE_FILE.lastIndexOf('/'));

describe.each(SHELLS)('baseline steps under %s', (_name, shell) => {
  const setUp = (content?: string) => {
    const dir = join(mkdtempSync(join(tmpdir(), 'teqlctl-baseline-')), 'teqlctl');
    const file = join(dir, 'baseline');
    if (content !== undefined) {
      execFileSync('mkdir', ['-p', dir]);
      writeFileSync(file, content);
    }
    const runAs = (render: (op: Op) => string) => (op: Op) => execFileSync(shell[0]!, [...shell.slice(1), render(op).split(ROUTER_DIR).join(dir)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return { file, run: runAs((op) => renderOp(op)), runForward: runAs(renderStep) };
  };
  // Neighbours a careless filter would lose or damage: a longer key with the same start, a
  // backslash, leading spaces, and a last line without its newline.
  const others = 'link:eth10\tup mtu 9000\nsysctl:x\tback\\slash\n  spaced\tv\nmodule:sch_teql\tnot loaded';

  it('set: creates the folder and file when there are none', () => {
    const b = setUp();
    b.run({ kind: 'baseline-set', key: 'link:eth1', value: 'down mtu 1500' });
    expect(readFileSync(b.file, 'utf8')).toBe('link:eth1\tdown mtu 1500\n');
  });

  it('set: replaces the key\'s own line and keeps every other line as it was', () => {
    const b = setUp(`link:eth1\tup mtu 1500\n${others}`);
    b.run({ kind: 'baseline-set', key: 'link:eth1', value: 'down mtu 1500' });
    expect(readFileSync(b.file, 'utf8')).toBe(`${others}\nlink:eth1\tdown mtu 1500\n`);
  });

  it('set as a run\'s forward step (no flush of its own) writes the same file', () => {
    const b = setUp(`link:eth1\tup mtu 1500\n${others}`);
    b.runForward({ kind: 'baseline-set', key: 'link:eth1', value: 'down mtu 1500' });
    expect(readFileSync(b.file, 'utf8')).toBe(`${others}\nlink:eth1\tdown mtu 1500\n`);
  });

  it('unset: removes the key\'s own line only, and the file with its last line', () => {
    const b = setUp(`${others}\nlink:eth1\tdown mtu 1500\n`);
    b.run({ kind: 'baseline-unset', key: 'link:eth1' });
    expect(readFileSync(b.file, 'utf8')).toBe(`${others}\n`);
    const last = setUp('link:eth1\tdown mtu 1500\n');
    last.run({ kind: 'baseline-unset', key: 'link:eth1' });
    expect(existsSync(last.file)).toBe(false);
  });

  it('a full disk (every write fails) leaves the baseline as it was, set or unset, even for its last line', () => {
    const content = `${others}\nlink:eth1\tdown mtu 1500\n`;
    for (const op of [{ kind: 'baseline-unset', key: 'link:eth1' }, { kind: 'baseline-set', key: 'link:eth2', value: 'down mtu 1500' }] as Op[]) {
      const b = setUp(content);
      symlinkSync('/dev/full', `${b.file}.new`);
      expect(() => b.run(op), op.kind).toThrow();
      expect(readFileSync(b.file, 'utf8'), op.kind).toBe(content);
    }
  });

  it('a key holding glob characters is matched literally', () => {
    const b = setUp('link:eth*\tup mtu 1500\nlink:eth1\tdown mtu 1500\n');
    b.run({ kind: 'baseline-unset', key: 'link:eth*' });
    expect(readFileSync(b.file, 'utf8')).toBe('link:eth1\tdown mtu 1500\n');
  });
});

describe('which baseline steps flush the file system', () => {
  const set: Op = { kind: 'baseline-set', key: 'link:eth1', value: 'down mtu 1500' };
  const unset: Op = { kind: 'baseline-unset', key: 'link:eth1' };
  it('a run\'s forward set does not after its rename (its write-ahead record was flushed, the next flush covers it); before it, only where the probe asks', () => {
    expect(renderStep(set)).not.toMatch(/mv -f \S+ \S+ && \{ sync/);
    expect(renderStep(set)).toMatch(/\{ \[ "\$\{teqlctl_rs:-\}" = 1 \] \|\| sync -f \S+ 2>\/dev\/null \|\| sync; \} && mv -f /);
    expect(renderStep(unset)).toMatch(/sync -f/);
  });

  it('undo and redo scripts, which no confirmation follows, flush after both', () => {
    expect(renderOp(set)).toMatch(/mv -f \S+ \S+ && \{ sync -f /);
    expect(renderOp(unset)).toMatch(/sync -f/);
  });
});
