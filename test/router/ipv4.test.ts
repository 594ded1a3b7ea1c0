import { describe, expect, it } from 'vitest';
import { broadcastOf, cidrNetwork, contains, formatIPv4, networkOf, parseIPv4, prefixLength, splitCidr } from '../../src/router/ipv4.js';

describe('IPv4 arithmetic', () => {
  it('reads strict dotted quads only, and writes them back', () => {
    expect(parseIPv4('10.0.0.1')).toBe(0x0a000001);
    expect(parseIPv4('010.0.0.1')).toBeUndefined(); // not octal 8.0.0.1, not 10.0.0.1: refused
    expect(formatIPv4(0xffffffff)).toBe('255.255.255.255');
  });

  it('finds the network and broadcast of a prefix', () => {
    const c = { ip: parseIPv4('192.0.2.77')!, prefix: 26 };
    expect(formatIPv4(networkOf(c))).toBe('192.0.2.64');
    expect(formatIPv4(broadcastOf(c))).toBe('192.0.2.127');
    expect(networkOf({ ip: parseIPv4('1.2.3.4')!, prefix: 0 })).toBe(0);
  });

  it('works on text as the kernel and the loader write it', () => {
    expect(splitCidr('10.0.0.4/31')).toEqual({ ip: '10.0.0.4', prefix: 31 });
    expect(splitCidr('10.0.0.4')).toEqual({ ip: '10.0.0.4', prefix: 32 });
    expect(cidrNetwork('10.0.0.5/31')).toBe('10.0.0.4/31');
    expect(contains('default', '203.0.113.9')).toBe(true);
    expect(contains('198.51.100.0/24', '198.51.100.200')).toBe(true);
    expect(contains('198.51.100.0/24', '198.51.101.1')).toBe(false);
    expect(prefixLength('default')).toBe(0);
    expect(prefixLength('10.0.0.0/8')).toBe(8);
  });
});
