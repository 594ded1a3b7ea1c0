import { describe, expect, it } from 'vitest';
import { checkHostCidr, checkInterfaceName, checkIPv4, checkNetworkCidr } from '../../src/load/net.js';
import { parseIPv4 } from '../../src/router/ipv4.js';

describe('IPv4', () => {
  it('reads strict dotted quads only', () => {
    expect(parseIPv4('10.0.0.1')).toBe(0x0a000001);
    expect(parseIPv4('255.255.255.255')).toBe(0xffffffff);
    for (const bad of ['010.0.0.1', '10.0.0', '10.0.0.256', '1.2.3.4.5', ' 10.0.0.1', '10.0.0.1/24', '0x0a.0.0.1', '']) {
      expect(checkIPv4(bad), bad).toBeDefined();
    }
  });

  it('takes host addresses: not the network or broadcast address below /31', () => {
    for (const ok of ['10.0.0.0/31', '10.0.0.1/31', '10.0.0.1/24', '10.0.0.7/32', '10.0.0.1/30', '0.0.0.1/0']) expect(checkHostCidr(ok), ok).toBeUndefined();
    expect(checkHostCidr('10.0.0.0/24')).toContain('network address');
    expect(checkHostCidr('10.0.0.255/24')).toContain('broadcast address');
    expect(checkHostCidr('10.0.0.1')).toContain('no prefix length');
    expect(checkHostCidr('10.0.0.1/33')).toContain("prefix length '33'");
    expect(checkHostCidr('10.0.0.1/024')).toContain("prefix length '024'");
    expect(checkHostCidr('10.0.0.1/')).toContain("prefix length ''");
  });

  it('takes networks with host bits zero', () => {
    for (const ok of ['192.0.2.0/24', '0.0.0.0/0', '10.0.0.4/31', '10.0.0.5/32']) expect(checkNetworkCidr(ok), ok).toBeUndefined();
    expect(checkNetworkCidr('192.0.2.1/24')).toContain('the network is 192.0.2.0/24');
    expect(checkNetworkCidr('200.0.0.1/1')).toContain('the network is 128.0.0.0/1');
  });
});

describe('interface names', () => {
  it("follows the kernel's dev_valid_name", () => {
    for (const ok of ['eth0', 'teql0', 'enp0s31f6', 'br-lan', 'eth1.100', 'a'.repeat(15)]) expect(checkInterfaceName(ok), ok).toBeUndefined();
    for (const bad of ['', '.', '..', 'a'.repeat(16), 'eth/1', 'eth 1', 'eth0:1', 'tab\there']) expect(checkInterfaceName(bad), bad).toBeDefined();
  });

  it('counts bytes, not characters, and takes printable ASCII only', () => {
    expect(checkInterfaceName('ethernet-äöü12')).toContain('is 17 bytes long');
    expect(checkInterfaceName('\u0435th1')).toContain("the non-ASCII character 'е' (U+0435)");
    expect(checkInterfaceName('eth\u200b1')).toContain("'eth\\u200b1' contains an invisible character (U+200B)");
    expect(checkInterfaceName('eth1\u00a0')).toContain('whitespace (U+00A0)');
    expect(checkInterfaceName('eth1\nreboot')).toContain("'eth1\\nreboot' contains whitespace (U+000A)");
    expect(checkInterfaceName('eth1;reboot'), 'the kernel allows it; the shell quoting takes care of it').toBeUndefined();
  });

  it('echoes a long value cut short', () => {
    const why = checkInterfaceName('x'.repeat(100_000))!;
    expect(why.length).toBeLessThan(200);
    expect(why).toContain('(100000 characters) is 100000 bytes long');
    expect(checkIPv4('1'.repeat(100_000))!.length).toBeLessThan(200);
  });
});
