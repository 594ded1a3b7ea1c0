import { describe, expect, it } from 'vitest';
import { sysctlCommandName, sysctlName, sysctlPath } from '../../src/router/sysctl-path.js';

describe('sysctl names', () => {
  it('finds a dotted device in /proc/sys by its known shape', () => {
    expect(sysctlPath('net.ipv6.conf.eth1.100.mtu')).toBe('/proc/sys/net/ipv6/conf/eth1.100/mtu');
    expect(sysctlName('/proc/sys/net/ipv4/conf/eth1/rp_filter')).toBe('net.ipv4.conf.eth1.rp_filter');
  });

  it("writes a dotted device's name for the sysctl command with a slash, as procps reads it", () => {
    // `sysctl -w net.ipv6.conf.eth1.100.mtu=1400` looks for conf/eth1/100/mtu and fails.
    expect(sysctlCommandName('ipv6', 'eth1.100', 'mtu')).toBe('net.ipv6.conf.eth1/100.mtu');
    expect(sysctlCommandName('ipv6', 'teql0', 'mtu')).toBe('net.ipv6.conf.teql0.mtu');
  });
});
