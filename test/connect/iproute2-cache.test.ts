// One connection's iproute2 paths: probed by its first script, given to the later ones.
import { describe, expect, it } from 'vitest';
import { Iproute2Cache } from '../../src/connect/iproute2-cache.js';
import { iproute2Preamble, IPROUTE2_FOUND_MARKER } from '../../src/router/iproute2.js';

const PATHS = { ip: '/usr/sbin/ip', tc: '/sbin/tc' };

describe('Iproute2Cache', () => {
  it('probes until a script said where ip and tc are, then gives their places to every later script', () => {
    const cache = new Iproute2Cache();
    expect(cache.preamble()).toBe(iproute2Preamble(undefined, { announce: true }) + '\n');
    expect(cache.learn('a warning\n')).toBe('a warning\n');
    expect(cache.preamble()).toContain('-V');
    expect(cache.learn(`${IPROUTE2_FOUND_MARKER} /usr/sbin/ip /sbin/tc\na warning\n`)).toBe('a warning\n');
    expect(cache.preamble()).toBe(iproute2Preamble(undefined, { known: PATHS }) + '\n');
    expect(cache.preamble()).toMatch(/^teqlctl_ip=\/usr\/sbin\/ip; teqlctl_tc=\/sbin\/tc\n/);
  });

  it("learns from a staged script's stderr as it comes, a line split across chunks included", () => {
    const cache = new Iproute2Cache();
    const stdin = cache.watch({ first: 'x', rest: Promise.resolve('') });
    stdin.onStderr!(Buffer.from(`${IPROUTE2_FOUND_MARKER} /usr/sb`));
    expect(cache.preamble()).toContain('-V');
    stdin.onStderr!(Buffer.from('in/ip /sbin/tc\n'));
    expect(cache.preamble()).toBe(iproute2Preamble(undefined, { known: PATHS }) + '\n');
  });
});
