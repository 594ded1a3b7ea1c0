import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { factsScript } from '../../src/gather/script.js';
import { leanFactsScript } from '../../bench/experiments/lean-facts.js';

describe('the lean facts script the bench recommends', () => {
  const script = factsScript(['net.ipv4.conf.eth1.rp_filter']);
  const lean = leanFactsScript(script);

  it('reads /proc and /sys with the shell builtin, and skips modinfo when sch_teql is loaded', () => {
    expect(lean).not.toContain('$(cat');
    expect(lean).toContain('read v < "$f"');
    expect(lean).toContain('if [ -d /sys/module/sch_teql ] || modinfo');
    expect(lean.split('\n').length).toBe(script.split('\n').length);
  });

  it('prints the same sysctl lines as the original (run here on files in a temporary folder)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lean-facts-'));
    for (const [name, value] of [['a', '2'], ['b', '0']] as const) writeFileSync(join(dir, name), value + '\n');
    const loop = (s: string) => s.split('\n').find((l) => l.startsWith('for f in '))!.replace('/proc/sys/net/ipv4/conf/*/rp_filter', `${dir}/*`);
    const run = (s: string) => execFileSync('sh', ['-c', loop(s)], { encoding: 'utf8' });
    expect(run(lean)).toBe(run(script));
    expect(run(lean)).toBe(`${dir}/a\t2\n${dir}/b\t0\n`);
  });

  it('refuses a script it no longer knows how to rewrite', () => {
    expect(() => leanFactsScript('echo hello\n')).toThrow(/the facts script changed/);
  });
});
