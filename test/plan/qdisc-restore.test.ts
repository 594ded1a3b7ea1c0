// Rebuilding a root qdisc from what tc showed, for kinds this machine's kernel lacks (fq_codel): the
// options as iproute2 6.x prints them (`tc -j -d qdisc show`), non-default values included.
import { describe, expect, it } from 'vitest';
import { restoreArgs } from '../../src/plan/qdisc-restore.js';

const fqCodel = (options: Record<string, unknown>) => ({
  dev: 'eth2', kind: 'fq_codel', handle: '5:', isDefault: false, options,
  detail: { qdiscs: ['qdisc fq_codel 5: root limit 2000p flows 512 quantum 1400 target 7ms interval 150ms memory_limit 16Mb drop_batch 32'], classes: [], filters: [] },
});

describe('fq_codel', () => {
  it('every parameter comes back, CoDel times rounded to the unit the kernel stored, ecn as it was', () => {
    expect(restoreArgs(fqCodel({ limit: 2000, flows: 512, quantum: 1400, target: 6999, interval: 149999, memory_limit: 16777216, ecn: false, drop_batch: 32 }))).toEqual({
      args: ['qdisc', 'replace', 'dev', 'eth2', 'root', 'handle', '5:', 'fq_codel', 'limit', '2000', 'flows', '512', 'quantum', '1400', 'memory_limit', '16777216', 'drop_batch', '32', 'target', '7000us', 'interval', '150000us', 'noecn'],
    });
    const withEcn = restoreArgs(fqCodel({ limit: 10240, flows: 1024, quantum: 1514, target: 4999, interval: 99999, memory_limit: 33554432, ecn: true, drop_batch: 64, ce_threshold: 2999 }));
    expect(withEcn).toMatchObject({ args: expect.arrayContaining(['ecn', 'ce_threshold', '3000us']) });
  });

  it('an option teqlctl does not know is refused, not dropped', () => {
    expect(restoreArgs(fqCodel({ limit: 1000, ce_threshold_selector: '0x1' }))).toEqual({ why: 'the fq_codel option ce_threshold_selector is not understood' });
  });
});

describe('htb', () => {
  it('comes back offloaded where it was (tc shows offload only when set): it left the hardware (a review)', () => {
    const htb = (options: Record<string, unknown>) => ({ dev: 'eth1', kind: 'htb', handle: '1:', isDefault: false, options, detail: { qdiscs: ['qdisc htb 1: root r2q 10 default 0x10 direct_packets_stat 0 direct_qlen 1000'], classes: [], filters: [] } });
    expect(restoreArgs(htb({ r2q: 10, default: '0x10', direct_qlen: 1000, offload: null }))).toEqual({ args: ['qdisc', 'replace', 'dev', 'eth1', 'root', 'handle', '1:', 'htb', 'r2q', '10', 'default', '10', 'direct_qlen', '1000', 'offload'] });
    expect(restoreArgs(htb({ r2q: 10, default: '0x10', direct_qlen: 1000 }))).toEqual({ args: ['qdisc', 'replace', 'dev', 'eth1', 'root', 'handle', '1:', 'htb', 'r2q', '10', 'default', '10', 'direct_qlen', '1000'] });
  });
});
