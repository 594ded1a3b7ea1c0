// Pure: what the facts read of an IPv4 address, and the `ip addr` arguments that put it back.
import { describe, expect, it } from 'vitest';
import { addressAddArgs, addressDelArgs, addressLine, parseAddresses } from '../../src/gather/address-fact.js';

const FOREVER = 4294967295;
const link = (ifname: string, ...addrInfo: object[]) => ({ ifname, addr_info: addrInfo });
const inet = (more: object) => ({ family: 'inet', scope: 'global', valid_life_time: FOREVER, preferred_life_time: FOREVER, ...more });

describe('parseAddresses', () => {
  it('reads what an exact re-add needs: broadcast, label (not the device\'s own), scope (not global), metric, flags, lifetimes (not forever)', () => {
    const [a, b, c] = parseAddresses([
      link('eth1', inet({ local: '10.0.0.0', prefixlen: 24, metric: 77, broadcast: '10.0.0.255', label: 'eth1:old' })),
      link('eth2', inet({ local: '10.0.0.9', address: '10.0.0.8', prefixlen: 32, noprefixroute: true, label: 'eth2' })),
      link('eth3', inet({ local: '172.16.5.1', prefixlen: 24, scope: 'link', deprecated: true, dynamic: true, label: 'eth3', valid_life_time: 3600, preferred_life_time: 0 })),
    ]);
    expect(a).toEqual({ dev: 'eth1', cidr: '10.0.0.0/24', broadcast: '10.0.0.255', label: 'eth1:old', metric: 77 });
    expect(b).toEqual({ dev: 'eth2', cidr: '10.0.0.9/32', peer: '10.0.0.8', flags: ['noprefixroute'] });
    expect(c).toEqual({ dev: 'eth3', cidr: '172.16.5.1/24', scope: 'link', lifetimes: { valid: 3600, preferred: 0 } });
  });

  it('an attribute it does not know makes the address unrestorable, naming it; IPv6 is not read', () => {
    const [a, ...rest] = parseAddresses([link('eth1', inet({ local: '10.0.0.1', prefixlen: 24, label: 'eth1', weight: 3 }), { family: 'inet6', local: 'fe80::1', prefixlen: 64 })]);
    expect(a!.unrestorable).toBe('iproute2 shows weight on it, which teqlctl does not know how to set again');
    expect(rest).toEqual([]);
  });

  it('a protocol (IFA_PROTO, shown by iproute2 6.3 and later) is read and given back with proto', () => {
    const [a] = parseAddresses([link('eth1', inet({ local: '10.0.0.1', prefixlen: 24, label: 'eth1', protocol: 'kernel_ll' }))]);
    expect(a).toEqual({ dev: 'eth1', cidr: '10.0.0.1/24', protocol: 'kernel_ll' });
    expect(addressAddArgs(a!.dev, a!.cidr, { protocol: a!.protocol! })).toEqual(['10.0.0.1/24', 'proto', 'kernel_ll', 'dev', 'eth1']);
  });
});

describe('the ip addr arguments', () => {
  it('put back every attribute read; a peer address is added and deleted with its peer', () => {
    expect(addressAddArgs('eth1', '10.0.0.0/24', { broadcast: '10.0.0.255', label: 'eth1:old', scope: 'link', metric: 77, flags: ['noprefixroute'], lifetimes: { valid: 3600, preferred: 0 } }))
      .toEqual(['10.0.0.0/24', 'broadcast', '10.0.0.255', 'label', 'eth1:old', 'scope', 'link', 'metric', '77', 'noprefixroute', 'valid_lft', '3600', 'preferred_lft', '0', 'dev', 'eth1']);
    expect(addressAddArgs('eth2', '10.0.0.9/32', { peer: '10.0.0.8' })).toEqual(['10.0.0.9', 'peer', '10.0.0.8/32', 'dev', 'eth2']);
    expect(addressDelArgs('eth2', '10.0.0.9/32', '10.0.0.8')).toEqual(['10.0.0.9', 'peer', '10.0.0.8/32', 'dev', 'eth2']);
    expect(addressDelArgs('eth1', '10.0.0.0/31')).toEqual(['10.0.0.0/31', 'dev', 'eth1']);
  });

  it('the state line shows every attribute but the lifetimes, which count down', () => {
    expect(addressLine({ dev: 'eth1', cidr: '10.0.0.0/31' })).toBe('address 10.0.0.0/31 dev eth1');
    expect(addressLine({ dev: 'eth2', cidr: '10.0.0.9/32', peer: '10.0.0.8', broadcast: '10.0.0.255', lifetimes: { valid: 10, preferred: 5 } })).toBe('address 10.0.0.9/32 peer 10.0.0.8 broadcast 10.0.0.255 dev eth2');
  });
});
