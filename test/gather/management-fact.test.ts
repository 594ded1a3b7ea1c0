// The management section as the router prints it: the route, then the rules by the same `ip`
// batch, and the fallback's route where the lookup from the server's address failed.
import { describe, expect, it } from 'vitest';
import { heldRoutes, parseManagement, parseRules, unknownManagement } from '../../src/gather/management-fact.js';

const HEAD = 'client=192.0.2.9 port=40000 server=10.70.0.2';
const RULES = '[{"priority":0,"src":"all","table":"local"},{"priority":100,"src":"10.70.0.2","table":"100"},{"priority":150,"src":"all","fwmark":"0x5","table":"200"},{"priority":32766,"src":"all","table":"main"},{"priority":32767,"src":"all","table":"default"}]';

describe('parseManagement', () => {
  it('a route of the main table: no table, no rules kept', () => {
    const text = `${HEAD}\n[{"dst":"192.0.2.9","from":"10.70.0.2","gateway":"10.50.0.1","dev":"lan1","flags":[],"uid":0,"cache":[]}]\n${RULES}\n`;
    expect(parseManagement('r', text)).toEqual({ clientIp: '192.0.2.9', clientPort: '40000', serverIp: '10.70.0.2', dev: 'lan1', via: '10.50.0.1' });
  });

  it("another table's route: its table and the rules in the kernel's order", () => {
    const text = `${HEAD}\n[{"dst":"192.0.2.9","from":"10.70.0.2","gateway":"10.70.0.1","dev":"lan3","table":"100","flags":[],"uid":0,"cache":[]}]\n${RULES}\n`;
    expect(parseManagement('r', text)).toEqual({
      clientIp: '192.0.2.9', clientPort: '40000', serverIp: '10.70.0.2', dev: 'lan3', via: '10.70.0.1', table: '100',
      rules: [{ priority: 0, table: 'local' }, { priority: 100, table: '100', from: '10.70.0.2/32' }, { priority: 150, table: '200', other: true }, { priority: 32766, table: 'main' }, { priority: 32767, table: 'default' }],
    });
  });

  it('the lookup from the server failed: the rules first, then the fallback\'s route', () => {
    const text = `${HEAD}\n${RULES}\n[{"dst":"192.0.2.9","gateway":"10.50.0.1","dev":"lan1","table":"7","flags":[],"uid":0,"cache":[]}]\n`;
    expect(parseManagement('r', text)).toMatchObject({ dev: 'lan1', table: '7', rules: expect.arrayContaining([{ priority: 32766, table: 'main' }]) });
  });

  it('no route at all: unknown, the rules alone are not a path', () => {
    expect(parseManagement('r', `${HEAD}\n${RULES}\nRTNETLINK answers: Network is unreachable\n`)).toBeUndefined();
  });

  it('rules printed as text (an iproute2 without their JSON): the route without them', () => {
    const text = `${HEAD}\n[{"dst":"192.0.2.9","dev":"lan3","table":"100","flags":[]}]\n0:\tfrom all lookup local\n`;
    expect(parseManagement('r', text)).toEqual({ clientIp: '192.0.2.9', clientPort: '40000', serverIp: '10.70.0.2', dev: 'lan3', table: '100' });
  });
});

describe('parseRules', () => {
  it('prefixes from src/dst and their lengths; anything else marks the rule as not weighed', () => {
    expect(parseRules([
      { priority: 10, src: '10.1.0.0', srclen: 16, dst: '192.0.2.0', dstlen: 24, table: 'mgmt', protocol: 'static' },
      { priority: 20, not: null, src: 'all', table: 'main' },
      { priority: 30, src: 'all', table: 'main', suppress_prefixlen: 0 },
      { priority: 40, src: 'all', goto: 50 },
      { priority: 50, src: 'all', iif: 'lo', table: 'main' },
    ])).toEqual([
      { priority: 10, table: 'mgmt', from: '10.1.0.0/16', to: '192.0.2.0/24' },
      { priority: 20, table: 'main', other: true },
      { priority: 30, table: 'main', other: true },
      { priority: 40, other: true },
      { priority: 50, table: 'main', other: true },
    ]);
  });
});

describe('the routes listed whoever keeps them (held), before the route and the rules', () => {
  const ROUTE = '[{"dst":"192.0.2.9","from":"10.70.0.2","gateway":"10.50.0.1","dev":"lan1","flags":[],"uid":0,"cache":[]}]';
  const COVERING = '[{"dst":"192.0.2.0/24","gateway":"10.50.0.1","dev":"lan1","protocol":"bird","flags":[]}]';
  const EXACT = '[{"dst":"203.0.113.0/24","gateway":"10.50.0.1","dev":"lan1","protocol":"zebra","metric":20,"flags":[]}]';
  // A listing by source leaves the source out of its routes.
  const SOURCED = '[{"dst":"10.77.0.0/16","gateway":"10.50.0.1","dev":"lan1","protocol":"bird","flags":[]}]';
  const HELD = 'held\tmatch 192.0.2.9\texact 203.0.113.0/24\tsrc 10.50.0.7';

  it('each listing by its selector, the source given back; the route and the rules after them as before', () => {
    const text = `${HEAD}\n${HELD}\n${COVERING}\n${EXACT}\n${SOURCED}\n${ROUTE}\n${RULES}\n`;
    expect(heldRoutes('r', text).map((r) => `${r.dst} ${r.prefsrc ?? '-'}`)).toEqual(['192.0.2.0/24 -', '203.0.113.0/24 -', '10.77.0.0/16 10.50.0.7']);
    expect(parseManagement('r', text)).toEqual({ clientIp: '192.0.2.9', clientPort: '40000', serverIp: '10.70.0.2', dev: 'lan1', via: '10.50.0.1' });
    // An empty listing is one too: the arrays after it are not taken for listings.
    const empty = `${HEAD}\n${HELD}\n[]\n[]\n[]\n${ROUTE}\n${RULES}\n`;
    expect(heldRoutes('r', empty)).toEqual([]);
    expect(parseManagement('r', empty)?.dev).toBe('lan1');
  });

  it('the lookup from the server failed: the fallback\'s route, never a listing\'s', () => {
    const text = `${HEAD}\n${HELD}\n${COVERING}\n${EXACT}\n[]\n${RULES}\n@fallback\n[{"dst":"192.0.2.9","gateway":"10.60.0.1","dev":"lan2","flags":[],"uid":0,"cache":[]}]\n`;
    expect(parseManagement('r', text)).toEqual({ clientIp: '192.0.2.9', clientPort: '40000', serverIp: '10.70.0.2', dev: 'lan2', via: '10.60.0.1' });
    expect(heldRoutes('r', text)).toHaveLength(2);
  });

  it('the rules\' dump failed (a kernel without policy routing: iproute2 leaves its `[` open): the route read, the fallback\'s after it (a review)', () => {
    const text = `${HEAD}\nheld\tmatch 192.0.2.9\n${COVERING}\n${ROUTE}\n[\n@fallback\n${ROUTE}\n`;
    expect(parseManagement('r', text)).toEqual({ clientIp: '192.0.2.9', clientPort: '40000', serverIp: '10.70.0.2', dev: 'lan1', via: '10.50.0.1' });
    expect(heldRoutes('r', text).map((r) => r.dst)).toEqual(['192.0.2.0/24']);
    // The session's route where a listing was expected: refused, not read as one.
    expect(() => heldRoutes('r', `${HEAD}\nheld\tmatch 192.0.2.9\tmatch 10.0.0.5\n${COVERING}\n${ROUTE}\n${RULES}\n@fallback\n${ROUTE}\n`)).toThrow(/could not list the routes a plan weighs/);
  });

  it('a listing that failed (fewer arrays than the listings and the route): refused, never another array read as one (a review); a route that failed is named', () => {
    const text = `${HEAD}\n${HELD}\n@fallback\n[{"dst":"192.0.2.9","gateway":"10.60.0.1","dev":"lan2","flags":[],"uid":0,"cache":[]}]\n`;
    expect(() => heldRoutes('r', text)).toThrow(/could not list the routes a plan weighs \(match 192\.0\.2\.9, exact 203\.0\.113\.0\/24, src 10\.50\.0\.7\): iproute2 printed 0 JSON arrays/);
    expect(() => heldRoutes('r', `${HEAD}\n${HELD}\n${COVERING}\n${EXACT}\n${ROUTE}\n${RULES}\n`)).toThrow(/printed 4 JSON arrays/);
    // The rules failed (a kernel without policy routing): the listings, the route, and the fallback's.
    expect(heldRoutes('r', `${HEAD}\n${HELD}\n${COVERING}\n${EXACT}\n[]\n${ROUTE}\n@fallback\n${ROUTE}\n`)).toHaveLength(2);
    expect(unknownManagement(`${HEAD}\n${HELD}\n[]\n[]\n[]\n@fallback\nRTNETLINK answers: Network is unreachable\n`)).toBe('from 192.0.2.9: ip route get said "RTNETLINK answers: Network is unreachable"');
  });
});
