// The e2e suite's reading of a router (test/e2e/router-state.ts): the router prints its listings as
// they are, and normalizeState picks the fields and sorts the lines as the router's awk and `sort`
// did. Pure text in, text out: the samples are the commands' own output formats.
import { describe, expect, it } from 'vitest';
import { normalizeState } from './e2e/router-state.js';

const RAW = [
  '## links',
  'lo               UNKNOWN        00:00:00:00:00:00 <LOOPBACK,UP,LOWER_UP> ',
  'eth2             UP             52:54:00:7e:01:02 <BROADCAST,MULTICAST,UP,LOWER_UP> ',
  'teql0            UNKNOWN        <NOARP,UP,LOWER_UP> ',
  'vlan5@eth1       UP             52:54:00:7e:01:01 <BROADCAST,MULTICAST,UP,LOWER_UP> ',
  'eth1             DOWN           52:54:00:7e:01:01 <BROADCAST,MULTICAST> ',
  '## mtu',
  '2: eth1: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000\\    link/ether 52:54:00:7e:01:01 brd ff:ff:ff:ff:ff:ff',
  '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\\    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00',
  '## addresses',
  '3: eth2    inet 10.0.0.2/31 scope global eth2\\       valid_lft forever preferred_lft forever',
  '1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever',
  '3: eth1    inet 10.0.0.0/24 metric 77 brd 10.0.0.255 scope global dynamic eth1:old\\       valid_lft 3599sec preferred_lft 3599sec',
  '## routes',
  '198.51.100.0/24 via 10.0.0.5 dev teql0 ',
  '10.0.0.0/31 dev eth1 proto kernel scope link src 10.0.0.0 ',
  '## root qdiscs',
  'qdisc noqueue 0: dev lo root refcnt 2 ',
  'qdisc teql0 8001: dev eth2 root refcnt 2 ',
  'qdisc pfifo_fast 0: dev eth0 root refcnt 2 bands 3 priomap 1 2 2 2 1 2 0 0 1 1 1 1 1 1 1 1',
  'qdisc teql0 8002: dev eth1 root refcnt 2 ',
  'qdisc ingress ffff: dev lan0 parent ffff:fff1 ---------------- ',
  '## sch_teql',
  'loaded',
  '## rp_filter',
  '/proc/sys/net/ipv4/conf/all/rp_filter 0',
  '/proc/sys/net/ipv4/conf/eth1/rp_filter 0',
  '## boot files',
  'teql-up.sh',
  '.hidden',
  '',
].join('\n');

describe('normalizeState: the router state as the e2e suite compares it', () => {
  it('keeps the fields awk printed and sorts each listing in byte order', () => {
    expect(normalizeState(RAW)).toBe([
      '## links', 'eth1 DOWN', 'eth2 UP', 'lo UNKNOWN', 'teql0 UNKNOWN', 'vlan5',
      '## mtu', 'eth1: 1500', 'lo: 65536',
      '## addresses', 'eth1 10.0.0.0/24 metric 77 brd 10.0.0.255 scope global dynamic eth1:old', 'eth2 10.0.0.2/31 scope global eth2', 'lo 127.0.0.1/8 scope host lo',
      '## routes', '10.0.0.0/31 dev eth1 proto kernel scope link src 10.0.0.0 ', '198.51.100.0/24 via 10.0.0.5 dev teql0 ',
      '## root qdiscs', 'eth1 teql0', 'eth2 teql0',
      '## sch_teql', 'loaded',
      '## rp_filter', '/proc/sys/net/ipv4/conf/all/rp_filter 0', '/proc/sys/net/ipv4/conf/eth1/rp_filter 0',
      '## boot files', '.hidden', 'teql-up.sh',
      '',
    ].join('\n'));
  });

  it('an empty listing stays a bare heading; no output is no state', () => {
    expect(normalizeState('## routes\n## sch_teql\nnot loaded\n')).toBe('## routes\n## sch_teql\nnot loaded\n');
    expect(normalizeState('')).toBe('');
  });
});
