// Routes read by the facts script and put back by teqlctl's own commands, against the real kernel
// and iproute2 in a network namespace (needs root, as CI has): what is read must come back the same
// route, type, onlink flag, source and protocol included; what cannot must say why.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { factsScript } from '../../src/gather/script.js';
import { parseFacts } from '../../src/gather/parse-facts.js';
import { routeLine } from '../../src/gather/route-fact.js';
import { renderOp } from '../../src/apply/render-op.js';

const NS = `teqlctl-rt-${process.pid}`;
const sh = (line: string) => execFileSync('ip', ['netns', 'exec', NS, 'sh', '-c', line], { encoding: 'utf8' });
const routeTo = (to: string) => parseFacts('ns', sh(factsScript())).routes.find((r) => r.to === to);

beforeAll(() => {
  execFileSync('ip', ['netns', 'add', NS]);
  sh('ip link add v0 type veth peer name v1 && ip link add v2 type veth peer name v3 && for d in v0 v1 v2 v3; do ip link set $d up; done');
  sh('ip addr add 172.16.0.2/24 dev v0 && ip addr add 172.17.0.2/24 dev v2');
});
afterAll(() => execFileSync('ip', ['netns', 'del', NS]));

describe('routes, on the real kernel', () => {
  it.each([
    ['a blackhole', 'blackhole 10.2.0.0/16', '10.2.0.0/16'],
    ['an unreachable with a metric', 'unreachable 10.9.0.0/16 metric 7', '10.9.0.0/16'],
    ['a gateway on the link, no connected route to it (onlink)', '10.3.0.0/16 via 192.168.99.1 dev v0 onlink', '10.3.0.0/16'],
    ['a source address and a protocol', '10.7.0.0/16 via 172.16.0.1 dev v0 src 172.16.0.2 proto dhcp', '10.7.0.0/16'],
    ['a plain gateway route', '10.8.0.0/16 via 172.17.0.1 metric 5', '10.8.0.0/16'],
  ])('%s: read, removed, put back by teqlctl\'s commands exactly', (_name, spec, to) => {
    sh(`ip route add ${spec}`);
    const before = routeTo(to)!;
    expect(before.unrestorable).toBeUndefined();
    sh(renderOp({ kind: 'route-del', route: before }));
    expect(routeTo(to)).toBeUndefined();
    sh(renderOp({ kind: 'route-add', route: before }));
    expect(routeLine(routeTo(to)!)).toBe(routeLine(before));
    // A replace with what was read changes nothing either (the undo of a route task's replace).
    sh(renderOp({ kind: 'route-replace', route: before }));
    expect(routeLine(routeTo(to)!)).toBe(routeLine(before));
    sh(renderOp({ kind: 'route-del', route: before }));
  });

  it.each([
    ['several next hops', '10.4.0.0/16 nexthop via 172.16.0.1 dev v0 nexthop via 172.17.0.1 dev v2', '10.4.0.0/16', /2 next hops \(multipath\)/],
    ['an IPv6 gateway', '10.5.0.0/16 via inet6 fe80::1 dev v2', '10.5.0.0/16', /gateway is an inet6 address \(fe80::1\)/],
    ['a locked MTU', '10.6.0.0/16 via 172.16.0.1 dev v0 mtu lock 1400', '10.6.0.0/16', /route metrics \(mtu\)/],
  ])('%s: read as a route teqlctl cannot put back, and why', (_name, spec, to, why) => {
    sh(`ip route add ${spec}`);
    expect(routeTo(to)!.unrestorable).toMatch(why);
  });
});

describe('addresses, on the real kernel', () => {
  it('a second address in a subnet is read as its secondary', () => {
    sh('ip addr add 10.0.5.1/24 dev v2 && ip addr add 10.0.5.2/24 dev v2');
    const on = parseFacts('ns', sh(factsScript())).addresses.filter((a) => a.cidr.startsWith('10.0.5.'));
    expect(on).toEqual([{ dev: 'v2', cidr: '10.0.5.1/24' }, { dev: 'v2', cidr: '10.0.5.2/24', secondary: true }]);
  });
});

describe('the management path, on the real kernel', () => {
  const management = (conn: string) => {
    const out = execFileSync('ip', ['netns', 'exec', NS, 'sh', '-c', factsScript()], { encoding: 'utf8', env: { ...process.env, SSH_CONNECTION: conn } });
    return parseFacts('ns', out).management;
  };

  it('an IPv4 client seen through an IPv6 socket (::ffff:) is looked up as IPv4', () => {
    expect(management('::ffff:172.16.0.9 5555 172.16.0.2 22')).toEqual({ clientIp: '172.16.0.9', clientPort: '5555', dev: 'v0' });
  });

  it('a link-local client with its zone (fe80::1%v2) is looked up on that link', () => {
    expect(management('fe80::1%v2 5555 fe80::2 22')).toMatchObject({ clientIp: 'fe80::1', dev: 'v2' });
  });

  it('a client iproute2 finds no route to is an unknown path, not a facts read that fails', () => {
    expect(management('2001:db8::1 5555 2001:db8::2 22')).toBeUndefined();
  });
});
