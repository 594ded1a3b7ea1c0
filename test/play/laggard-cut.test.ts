import { describe, expect, it } from 'vitest';
import { cutAt, reserveSec, unitsSaved } from '../../src/play/laggard-cut.js';

describe('reserveSec', () => {
  it('keeps a quarter of the window, at least 5 s and at most 60 s', () => {
    expect(reserveSec(120)).toBe(30);
    expect(reserveSec(10)).toBe(5);
    expect(reserveSec(15)).toBe(5);
    expect(reserveSec(3600)).toBe(60);
  });
});

describe('cutAt', () => {
  it('comes the reserve before the first armed router\'s window closes', () => {
    expect(cutAt([5_000, 1_000, 3_000], 120)).toBe(1_000 + 90_000);
    expect(cutAt([1_000], 10)).toBe(1_000 + 5_000);
  });

  it('is not known before any router armed', () => {
    expect(cutAt([], 120)).toBeUndefined();
  });
});

describe('unitsSaved', () => {
  const units = [
    { name: 'p0', hosts: ['a0', 'b0'] },
    { name: 'p1', hosts: ['a1', 'b1'] },
    { name: 'hub-s1', hosts: ['hub', 's1'] },
    { name: 'hub-s2', hosts: ['hub', 's2'] },
  ];
  const all = () => true;

  it('the live units with no router behind and a window at stake', () => {
    expect(unitsSaved(units, new Set(), new Set(['b1']), all)).toEqual(['p0', 'hub-s1', 'hub-s2']);
    // A hub's spoke behind: the hub's other bundles are saved.
    expect(unitsSaved(units, new Set(), new Set(['s2', 'a0', 'a1']), all)).toEqual(['hub-s1']);
  });

  it('none when every unit waits for a router behind (a lone pair, a hub behind) or is failed already', () => {
    expect(unitsSaved(units.slice(0, 1), new Set(), new Set(['b0']), all)).toEqual([]);
    expect(unitsSaved(units.slice(2), new Set(), new Set(['hub']), all)).toEqual([]);
    expect(unitsSaved(units.slice(0, 2), new Set(['p0']), new Set(['b1']), all)).toEqual([]);
  });

  it('none whose routers changed nothing yet (no window to save)', () => {
    expect(unitsSaved(units.slice(0, 2), new Set(), new Set(['b1']), (h) => h.endsWith('1'))).toEqual([]);
  });
});
