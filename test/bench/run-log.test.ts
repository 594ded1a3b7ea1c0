import { describe, expect, it } from 'vitest';
import { gapsBefore, parseRunLog, tripsByHost } from '../../bench/lib/run-log.js';
import { cpuModel } from '../../bench/report/machine.js';

describe('bench: reading a teqlctl run log', () => {
  it('finds one round trip per ### header, and ignores script and output lines', () => {
    const log = [
      '# 2026-11-27T05:53:23.000Z run x started',
      '### 2026-11-27T05:53:24.311Z router_b facts: exit 0 in 889 ms',
      '--- script',
      '### not a header',
      '### 2026-11-27T05:53:25.946Z router_a apply: exit 0 in 1507 ms',
      '### 2026-11-27T05:53:26.000Z router_a facts after rollback: exit 1 in 12 ms',
    ].join('\n');
    const trips = parseRunLog(log);
    expect(trips).toEqual([
      { at: Date.parse('2026-11-27T05:53:24.311Z'), host: 'router_b', label: 'facts', code: 0, ms: 889 },
      { at: Date.parse('2026-11-27T05:53:25.946Z'), host: 'router_a', label: 'apply', code: 0, ms: 1507 },
      { at: Date.parse('2026-11-27T05:53:26.000Z'), host: 'router_a', label: 'facts after rollback', code: 1, ms: 12 },
    ]);
    // router_a's second trip began 42 ms after its first ended (26.000 - 12 ms - 25.946).
    expect(gapsBefore(trips)).toEqual([NaN, NaN, 42]);
    expect(tripsByHost(trips)).toEqual({ router_b: ['facts'], router_a: ['apply', 'facts after rollback'] });
  });

  it('reads the CPU model from /proc/cpuinfo', () => {
    expect(cpuModel('processor\t: 0\nmodel name\t: AMD EPYC\nflags\t: x\n')).toBe('AMD EPYC');
    expect(cpuModel('')).toBe('unknown CPU');
  });
});
