// Routes read by the facts script and put back by teqlctl's own commands, against the real kernel
// and iproute2 in a network namespace (needs root, as CI has): what is read must come back the same
// route, type, onlink flag, source and protocol included; what cannot must say why.
import { describe, expect, it } from 'vitest';
import { netnsShell } from '../helpers/netns.js';
import { factsScript } from '../../src/gather/script.js';
import { parseFacts } from '../../src/gather/parse-facts.js';
import { routeLine } from '../../src/gather/route-fact.js';
import { renderOp } from '../../src/apply/render-op.js';
import { planHost } from '../../src/plan/plan-host.js';
import { task } from '../helpers/facts.js';

const sh = netnsShell('rt', 'ip link add v0 type veth peer name v1 && ip link add v2 type veth peer name v3 && for d in v0 v1 v2 v3; do ip link set $d up; done && ip addr add 172.16.0.2/24 dev v0 && ip addr add 172.17.0.2/24 dev v2');
const routeTo = (to: string) => parseFacts('ns', sh(factsScript())).routes.find((r) => r.to === to);


describe('routes, on the real kernel', () => {
  it.each([
    ['a blackhole', 'blackhole 10.2.0.0/16', '10.2.0.0/16'],
    ['an unreachable with a metric', 'unreachable 10.9.0.0/16 metric 7', '10.9.0.0/16'],
    ['a gateway on the link, no connected route to it (onlink)', '10.3.0.0/16 via 192.168.99.1 dev v0 onlink', '10.3.0.0/16'],
    ['a source address and a protocol', '10.7.0.0/16 via 172.16.0.1 dev v0 src 172.16.0.2 proto dhcp', '10.7.0.0/16'],
    ['a plain gateway route', '10.8.0.0/16 via 172.17.0.1 metric 5', '10.8.0.0/16'],
    ['a route without a gateway, of scope global (iproute2\'s default there is link)', '10.10.0.0/16 dev v2 scope global', '10.10.0.0/16'],
    ['a route without a gateway, of scope host', '10.13.0.0/16 dev v2 scope host', '10.13.0.0/16'],
  ])('%s: read, removed, put back by teqlctl\'s commands exactly', (_name, spec, to) => {
    sh(`ip route add ${spec}`);
    const before = routeTo(to)!;
    const shown = sh(`ip -d route show ${to}`);
    expect(before.unrestorable).toBeUndefined();
    sh(renderOp({ kind: 'route-del', route: before }));
    expect(routeTo(to)).toBeUndefined();
    sh(renderOp({ kind: 'route-add', route: before }));
    expect(routeLine(routeTo(to)!)).toBe(routeLine(before));
    // As the kernel shows it, every attribute (the scope too, which a route line left out).
    expect(sh(`ip -d route show ${to}`)).toBe(shown);
    // A replace with what was read changes nothing either (the undo of a route task's replace).
    sh(renderOp({ kind: 'route-replace', route: before }));
    expect(routeLine(routeTo(to)!)).toBe(routeLine(before));
    sh(renderOp({ kind: 'route-del', route: before }));
  });

  it.each([
    ['several next hops', '10.4.0.0/16 nexthop via 172.16.0.1 dev v0 nexthop via 172.17.0.1 dev v2', '10.4.0.0/16', /2 next hops \(multipath\)/],
    ['an IPv6 gateway', '10.5.0.0/16 via inet6 fe80::1 dev v2', '10.5.0.0/16', /gateway is an inet6 address \(fe80::1\)/],
    ['a locked MTU', '10.6.0.0/16 via 172.16.0.1 dev v0 mtu lock 1400', '10.6.0.0/16', /route metrics \(mtu\)/],
    ['a type of service', '10.11.0.0/16 tos 0x10 via 172.16.0.1', '10.11.0.0/16', /iproute2 shows tos on it, which teqlctl does not put back/],
    ['a realm', '10.12.0.0/16 via 172.16.0.1 realm 5', '10.12.0.0/16', /iproute2 shows flow on it/],
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
    return parseFacts('ns', sh(factsScript(), { SSH_CONNECTION: conn })).management;
  };

  it('an IPv4 client seen through an IPv6 socket (::ffff:) is looked up as IPv4', () => {
    expect(management('::ffff:172.16.0.9 5555 172.16.0.2 22')).toEqual({ clientIp: '172.16.0.9', clientPort: '5555', serverIp: '172.16.0.2', dev: 'v0' });
  });

  it('a link-local client with its zone (fe80::1%v2) is looked up on that link', () => {
    expect(management('fe80::1%v2 5555 fe80::2 22')).toMatchObject({ clientIp: 'fe80::1', dev: 'v2' });
  });

  it('a client iproute2 finds no route to is an unknown path, not a facts read that fails', () => {
    expect(management('2001:db8::1 5555 2001:db8::2 22')).toBeUndefined();
  });
});

describe('a link taken down by a run and brought back by its undo, on the real kernel', () => {
  it('a route through a gateway that a host route on the link reaches comes back: the host route is added first', () => {
    sh('ip link add v4 type veth peer name v5 && ip link set v4 up && ip link set v5 up && ip addr add 172.18.0.2/24 dev v4');
    sh('ip route add 192.0.2.1/32 dev v4 && ip route add 10.77.0.0/16 via 192.0.2.1 dev v4');
    const routes = () => sh('ip -4 route show dev v4');
    const before = routes();
    const facts = parseFacts('ns', sh(factsScript()));
    const [change] = planHost('ns', [task({ module: 'link', args: { dev: 'v4', state: 'down' } })], facts, { persistence: false }).plan.phases.flatMap((p) => p.changes);
    for (const s of change!.steps) sh(renderOp(s.op));
    expect(routes()).toBe('');
    for (const s of [...change!.steps].reverse()) for (const op of s.undo) sh(renderOp(op));
    expect(routes()).toBe(before);
  });
});
