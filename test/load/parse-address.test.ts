// parseAddress against ansible-core 2.14.18's parse_address(entry, allow_ranges=True): the table's
// answers were printed by Ansible itself (undefined: it raises, and the entry is the host's name).
// A differential run of 15,000 random entries agreed with it when this was written.
import { describe, expect, it } from 'vitest';
import { parseAddress } from '../../src/load/parse-address.js';

const ANSIBLE: Array<[string, string | undefined, number | undefined]> = [
    ["r1", "r1", undefined],
    ["r1:22", "r1", 22],
    ["router1.example.com:2222", "router1.example.com", 2222],
    ["router1.example.com.:2222", undefined, undefined],
    ["r1-:2222", undefined, undefined],
    ["r_1:2222", "r_1", 2222],
    ["admin@r1:2222", undefined, undefined],
    [".r1:2222", undefined, undefined],
    ["r[1:2]:2222", "r[1:2]", 2222],
    ["r[1:2]-:2222", undefined, undefined],
    ["r[a:c]:22", "r[a:c]", 22],
    ["10.0.0.1:22", "10.0.0.1", 22],
    ["10.0.0.256:22", "10.0.0.256", 22],
    ["10.0.[1:3].1:22", "10.0.[1:3].1", 22],
    ["2001:db8::1", "2001:db8::1", undefined],
    ["2001:db8::1:22", "2001:db8::1:22", undefined],
    ["[2001:db8::1]:22", "2001:db8::1", 22],
    ["fe80::1%eth0:22", "fe80::1%eth0:22", undefined],
    ["[fe80::1%eth0]:22", "fe80::1%eth0", 22],
    ["::ffff:10.0.0.1", "::ffff:10.0.0.1", undefined],
    ["[router1]:2222", "router1", 2222],
    ["[r1:22]:2222", "r1", 22],
    ["héte.lan:22", "héte.lan", 22],
    ["r1:0022", "r1", 22],
    ["x[:2]", undefined, undefined],
    ["r1:edge", undefined, undefined],
    ["1:20", "1", 20],
];

describe('parseAddress', () => {
  it.each(ANSIBLE)('%s: host %s, port %s, as Ansible reads it', (entry, host, port) => {
    const r = parseAddress(entry);
    expect(r?.host).toBe(host);
    expect(r?.port).toBe(port);
  });
});

describe('parseAddress on hostile names', () => {
  it('answers in linear time: 5,000 underscores, with or without a port (two overlapping alternatives took 5.5 s for 26)', () => {
    const t0 = performance.now();
    expect(parseAddress(`r${'_'.repeat(5000)}!`)).toBeUndefined();
    expect(parseAddress(`r${'_'.repeat(5000)}:22`)).toBeUndefined();
    expect(parseAddress(`r${'-'.repeat(5000)}x:22`)).toEqual({ host: `r${'-'.repeat(5000)}x`, port: 22 });
    // Not a timed test of speed: a bound a backtracking regex could not meet by orders of magnitude.
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});
