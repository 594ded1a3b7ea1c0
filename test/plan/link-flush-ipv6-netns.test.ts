// A link's IPv6 routes and neighbours, against the real kernel in a network namespace (needs root,
// as CI has): taken down, the link loses them all (fib6_ifdown, ndisc), every table's; its last IPv4
// address removed, it keeps them (fib_disable_ip is IPv4's). Until 2026-12-05 teqlctl read no IPv6
// route, and a rollback of a link taken down left them lost for good (the Left of stop 52).
import { describe, expect, it } from 'vitest';
import { netnsShell } from '../helpers/netns.js';
import { undoRunner } from '../helpers/run-and-undo.js';
import { factsScript } from '../../src/gather/script.js';
import { parseFacts } from '../../src/gather/parse-facts.js';
import { renderOp } from '../../src/apply/render-op.js';
import { planHost } from '../../src/plan/plan-host.js';
import { simulateAll as simulate } from '../../src/plan/simulate.js';
import { task } from '../helpers/facts.js';
import { diffState } from '../../src/rollback/compare.js';

const sh = netnsShell('flush6', 'ip link add eth1 type veth peer name p1 && ip link set eth1 up && ip link set p1 up');
// What the operator configured on eth1: its IPv6 routes of every table (the kernel's own left
// out), its IPv6 and IPv4 permanent neighbours, its global addresses.
// Without an expiring route's countdown, which moves by the second (a second passed between two
// looks of the full suite, loaded: a change of the clock's, not of the state).
const state = () => sh('ip -6 route show table all | grep -v "^local\\|^multicast\\|proto kernel" | grep eth1; ip neigh show dev eth1 nud permanent; ip addr show dev eth1 scope global | grep inet').replace(/ expires \d+sec/g, ' expires _');
// A gateway route in main, a default through a link-local router, a host route with a router
// preference, a device route of a policy table, an NDP and an ARP entry kept by hand.
const OPERATOR = [
  'ip -6 addr add 2001:db8:1::1/64 dev eth1 nodad && ip addr add 10.0.0.1/24 dev eth1',
  'ip -6 route add 2001:db8:9::/64 via 2001:db8:1::2 dev eth1 && ip -6 route add default via fe80::1 dev eth1 metric 2000',
  'ip -6 route add 2001:db8:7::5 dev eth1 pref high && ip -6 route add 2001:db8:8::/64 dev eth1 table 200',
  'ip neigh replace 2001:db8:1::7 lladdr 02:00:00:00:00:07 dev eth1 nud permanent && ip neigh replace 10.0.0.7 lladdr 02:00:00:00:00:08 dev eth1 nud permanent',
].join(' && ');
const reset = (line: string) => sh(`ip link set p1 up; ip link set eth1 up; ip -6 route flush table 200 2>/dev/null; ip route flush dev eth1 2>/dev/null; ip -6 route flush dev eth1 2>/dev/null; ip neigh flush dev eth1 nud permanent; ip addr flush dev eth1 scope global; ${line}`);

const runAndUndo = undoRunner(sh, state);

describe('a link\'s IPv6 routes and neighbours, put back by the undo of its down', () => {
  it('reads every table\'s IPv6 routes through a link, but the kernel\'s own, and the permanent neighbours of both families', () => {
    reset(OPERATOR);
    const facts = parseFacts('ns', sh(factsScript()));
    const v6 = facts.flushable!.routes.filter((r) => r.dev === 'eth1' && r.family === 'inet6');
    expect(v6.map((r) => [r.to, r.via, r.table, r.pref, r.metric]).sort()).toEqual([
      ['2001:db8:7::5/128', undefined, undefined, 'high', 1024],
      ['2001:db8:8::/64', undefined, '200', undefined, 1024],
      ['2001:db8:9::/64', '2001:db8:1::2', undefined, undefined, 1024],
      ['default', 'fe80::1', undefined, undefined, 2000],
    ]);
    expect(facts.flushable!.ipv6).toBe(true);
    expect(facts.flushable!.neighbours.map((n) => n.address).sort()).toEqual(['10.0.0.7', '2001:db8:1::7']);
    // The main table's IPv4 routes alone in Facts.routes, and IPv4 addresses alone: what plans act on.
    expect(facts.routes.every((r) => !r.to.includes(':') && r.family === undefined)).toBe(true);
    expect(facts.addresses.map((a) => a.cidr)).toEqual(['10.0.0.1/24']);
  });

  it('a link taken down loses them all; its undo puts every one back as it was, and the plan\'s simulation says the same', () => {
    reset(OPERATOR);
    const before = state();
    expect(before).toContain('default via fe80::1 dev eth1 metric 2000');
    const facts = parseFacts('ns', sh(factsScript()));
    const down = [task({ module: 'link', args: { dev: 'eth1', state: 'down' } })];
    runAndUndo(down, (s) => {
      expect(s).not.toContain('2001:db8:9::/64');
      expect(s).not.toContain('table 200');
      expect(s).not.toContain('PERMANENT');
      // Its global IPv6 address kept by the down (render-op.ts keepingIpv6).
      expect(s).toContain('inet6 2001:db8:1::1/64');
    });
    expect(state()).toBe(before);
    const after = parseFacts('ns', sh(factsScript()));
    expect(diffState(facts, after, new Set(['eth1']))).toEqual({ missing: [], extra: [] });
    // The simulation of the down takes them, as the kernel did.
    const steps = planHost('ns', down, facts, { persistence: false }).plan.phases.flatMap((p) => p.changes.flatMap((c) => c.steps));
    const simulated = simulate(facts, steps.map((s) => s.op));
    expect(simulated.flushable!.routes.filter((r) => r.dev === 'eth1')).toEqual([]);
    expect(simulate(simulated, steps.flatMap((s) => s.undo)).flushable!.routes.filter((r) => r.family === 'inet6' && r.dev === 'eth1')).toHaveLength(4);
  });

  it('its last IPv4 address removed, then undone: the kernel keeps its IPv6 routes and NDP entry, and so does the plan (nothing of IPv6 re-added)', () => {
    reset(OPERATOR);
    const before = state();
    const facts = parseFacts('ns', sh(factsScript()));
    const absent = [task({ module: 'address', args: { dev: 'eth1', address: '10.0.0.1/24', state: 'absent' } })];
    const steps = planHost('ns', absent, facts, { persistence: false }).plan.phases.flatMap((p) => p.changes.flatMap((c) => c.steps));
    const undos = steps.flatMap((s) => s.undo);
    expect(undos.filter((op) => op.kind === 'route-add' && op.route.family === 'inet6')).toEqual([]);
    expect(undos.filter((op) => op.kind === 'neigh-add').map((op) => op.kind === 'neigh-add' && op.neighbour.address)).toEqual(['10.0.0.7']);
    runAndUndo(absent, (s) => {
      expect(s).toContain('2001:db8:9::/64 via 2001:db8:1::2 dev eth1');
      expect(s).toContain('2001:db8:1::7 lladdr 02:00:00:00:00:07 PERMANENT');
      expect(s).not.toContain('10.0.0.7');
    });
    expect(state()).toBe(before);
    expect(simulate(facts, steps.map((s) => s.op)).flushable!.routes.filter((r) => r.family === 'inet6' && r.dev === 'eth1')).toHaveLength(4);
  });

  it('after a rollback, an IPv6 route or NDP entry the undo did not put back is said as missing', () => {
    reset(OPERATOR);
    const snapshot = parseFacts('ns', sh(factsScript()));
    sh('ip -6 route del default via fe80::1 dev eth1 metric 2000 && ip neigh del 2001:db8:1::7 dev eth1');
    const residual = diffState(snapshot, parseFacts('ns', sh(factsScript())), new Set(['eth1']));
    expect(residual).toEqual({ missing: ['neighbour 2001:db8:1::7 lladdr 02:00:00:00:00:07 dev eth1', 'route ::/0 via fe80::1 dev eth1 metric 2000'], extra: [] });
    // Read by a teqlctl before IPv6 routes were (or on a kernel without IPv6): not compared.
    const old = { ...snapshot, flushable: { routes: snapshot.flushable!.routes.filter((r) => r.family !== 'inet6'), neighbours: snapshot.flushable!.neighbours.filter((n) => !n.address.includes(':')) } };
    expect(diffState(old, parseFacts('ns', sh(factsScript())), new Set(['eth1']))).toEqual({ missing: [], extra: [] });
  });

  it('an IPv6 route that expires could not be put back as it was: taking its link down is refused before any change; its line holds no countdown (the rollback\'s check reads it again later)', () => {
    reset(`${OPERATOR} && ip -6 route add 2001:db8:6::/64 dev eth1 expires 600`);
    const before = state();
    const facts = parseFacts('ns', sh(factsScript()));
    expect(() => planHost('ns', [task({ module: 'link', args: { dev: 'eth1', state: 'down' } })], facts, { persistence: false })).toThrow(/the route to 2001:db8:6::\/64 on eth1 could not be put back exactly after taking eth1 down, which flushes it: it expires/);
    expect(state()).toBe(before);
    sh('sleep 1.1');
    expect(diffState(facts, parseFacts('ns', sh(factsScript())), new Set(['eth1']))).toEqual({ missing: [], extra: [] });
  });

  it('a link without carrier keeps its addresses tentative: the wait for a route\'s source is 10 s in all for one script, not 10 s for each route', () => {
    // Brought up without carrier (its peer down), the link starts no duplicate address detection until it has one.
    reset('ip link set p1 down && ip link set eth1 down && ip link set eth1 up && ip -6 addr add 2001:db8:2::1/64 dev eth1');
    const route = (to: string) => renderOp({ kind: 'route-add', route: { family: 'inet6', to, dev: 'eth1', metric: 1024, src: '2001:db8:2::1' } });
    const out = sh(`${route('2001:db8:4::/64')} 2>/dev/null; ${route('2001:db8:5::/64')} 2>/dev/null; echo "waited=$teqlctl_w"; ip -6 addr show dev eth1 tentative | grep -c 2001:db8:2::1; ip link set p1 up`);
    expect(out).toBe('waited=10\n1\n');
  }, 30_000);

  it('a route whose source is an address still in duplicate address detection when its link comes up, and a source-specific route (OpenWrt\'s), come back as they were (a review: "Invalid source address")', () => {
    // Without nodad: the address is tentative for a second or so after the link comes up (its peer p1 is up).
    reset(`${OPERATOR} && ip -6 addr add 2001:db8:2::1/64 dev eth1 && sleep 2.5 && ip -6 route add 2001:db8:4::/64 via 2001:db8:1::2 dev eth1 src 2001:db8:2::1 && ip -6 route add 2001:db8:3::/64 from 2001:db8:1::/64 dev eth1`);
    const before = state();
    expect(before).toContain('2001:db8:4::/64 via 2001:db8:1::2 dev eth1 src 2001:db8:2::1');
    expect(before).toContain('2001:db8:3::/64 from 2001:db8:1::/64 dev eth1');
    runAndUndo([task({ module: 'link', args: { dev: 'eth1', state: 'down' } })], (s) => expect(s).not.toContain('2001:db8:4::/64'));
    expect(state()).toBe(before);
  }, 30_000);
});
