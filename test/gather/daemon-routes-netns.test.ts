// A router with a routing daemon (bird, FRR, a full BGP table), on the real kernel and iproute2 in a
// network namespace (needs root, as CI has): the facts read each family's routes by protocol and
// leave a daemon's out, so that their churn neither reaches the fingerprint nor their number the
// controller, and still read the daemon's routes a plan weighs (covering the session's client, at a
// route task's network). What they read of the others is what one listing of every table gives.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { netnsShell } from '../helpers/netns.js';
import { factsScript } from '../../src/gather/script.js';
import { parseFacts, splitSections } from '../../src/gather/parse-facts.js';
import { isDaemonRoute, parseRoutes, routeLine } from '../../src/gather/route-fact.js';
import { planHost } from '../../src/plan/plan-host.js';
import { task } from '../helpers/facts.js';
import { heldSelectors } from '../../src/plan/facts-needed.js';

const BIRD_ROUTES = 2000;
const sh = netnsShell('daemon', [
  'ip link add v0 type veth peer name v1 && ip link set v0 up && ip link set v1 up',
  'ip addr add 192.0.2.1/24 dev v0 && ip addr add 172.16.9.1/24 dev v1',
  // Every protocol that is not a daemon's, a table of its own, and IPv6 of both kinds.
  'ip route add 10.1.0.0/16 via 192.0.2.254 && ip route add 10.2.0.0/16 via 192.0.2.254 proto static metric 5',
  'ip route add 10.3.0.0/16 via 192.0.2.254 proto dhcp src 192.0.2.1 && ip route add 10.4.0.0/16 via 192.0.2.254 proto 0',
  'ip route add 10.5.0.0/16 via 172.16.9.254 table 100 && ip route add blackhole 10.6.0.0/16 proto static',
  'ip -6 addr add 2001:db8:9::1/64 dev v0 nodad && ip -6 route add 2001:db8:7::/48 via 2001:db8:9::fe proto static && ip -6 route add 2001:db8:8::/48 via 2001:db8:9::fe proto bird',
  // A daemon's: its table, one covering the session's client (more specific than the default), one at a task's network.
  'ip route add default via 192.0.2.254 proto static',
  'ip route add 198.51.100.0/24 via 192.0.2.254 proto bird && ip route add 203.0.113.0/24 via 172.16.9.254 proto zebra metric 20',
].join(' && '));

const SESSION = { SSH_CONNECTION: '198.51.100.7 40000 192.0.2.1 22' };
const read = (held: string[] = []) => sh(factsScript([], { held }), SESSION);
const ipSection = (out: string) => splitSections(out).get('ip') ?? '';
const listed = (cmd: string) => parseRoutes(JSON.parse(sh(cmd)));

describe('a routing daemon\'s routes, on the real kernel', () => {
  it('are left out of the facts\' routes; every other route reads as one listing of every table gives it', () => {
    sh(`i=0; while [ $i -lt ${BIRD_ROUTES} ]; do echo "route add 100.$((i / 250)).$((i % 250)).0/24 via 192.0.2.254 proto bird"; i=$((i + 1)); done | ip -batch -`);
    const out = read();
    const facts = parseFacts('ns', out);
    // What the kernel holds, listed whole: main's routes, and the other tables' that a flush takes.
    const main = listed('ip -j route show table main').filter((r) => !isDaemonRoute(r)).map(routeLine).sort();
    // The daemon's route covering the session's client is read apart (the guards' longest match).
    expect(facts.routes.map(routeLine).sort()).toEqual([...main, 'route 198.51.100.0/24 via 192.0.2.254 dev v0 metric 0 proto bird'].sort());
    const others = listed('ip -j route show table all').filter((r) => r.table !== undefined && r.table !== 'local').map(routeLine);
    const ipv6 = parseRoutes(JSON.parse(sh('ip -j -6 route show table all')), 'inet6').filter((r) => r.table !== 'local' && r.protocol !== 'kernel' && r.protocol !== 'ra' && !isDaemonRoute(r)).map(routeLine);
    expect(facts.flushable!.routes.map(routeLine).sort()).toEqual([...others, ...ipv6].sort());
    // Each protocol as iproute2 names it unfiltered (it leaves it out of a listing by protocol).
    expect(facts.routes.find((r) => r.to === '10.4.0.0/16')?.protocol).toBe('unspec');
    expect(facts.routes.find((r) => r.to === '10.3.0.0/16')?.protocol).toBe('dhcp');
    expect(facts.routes.find((r) => r.to === '192.0.2.0/24')?.protocol).toBe('kernel');
    expect(facts.routes.find((r) => r.to === '10.1.0.0/16')?.protocol).toBeUndefined();
    // None of the daemon's table is printed: the section is as long as without it.
    expect(ipSection(out)).not.toContain('"bird"');
    expect(ipSection(out).length).toBeLessThan(20_000);
    expect(execFileSync('ip', ['netns', 'exec', `teqlctl-daemon-${process.pid}`, 'ip', '-j', 'route', 'show', 'table', 'all']).length).toBeGreaterThan(BIRD_ROUTES * 50);
  });

  it('a daemon\'s route that comes or goes leaves the fingerprint as it was; an operator\'s does not', () => {
    const before = parseFacts('ns', read()).fingerprint;
    expect(before).toMatch(/^[0-9a-f]{32}$/);
    sh('ip route add 100.99.0.0/24 via 192.0.2.254 proto bird && ip route del 100.0.1.0/24');
    expect(parseFacts('ns', read()).fingerprint).toBe(before);
    // Nor does an IPv6 route of a protocol that had none (its listing no longer empty), as before by protocol (a review).
    sh('ip -6 route add 2001:db8:1::/48 dev v0 proto ra && ip -6 route add 2001:db8:2::/48 dev v0 proto dhcp');
    expect(parseFacts('ns', read()).fingerprint).toBe(before);
    sh('ip -6 route del 2001:db8:1::/48 && ip -6 route del 2001:db8:2::/48');
    sh('ip route add 10.99.0.0/16 via 192.0.2.254');
    expect(parseFacts('ns', read()).fingerprint).not.toBe(before);
    sh('ip route del 10.99.0.0/16');
    // A first route of a protocol that had none in IPv4 (its listing no longer empty) counts.
    sh('ip route add 10.98.0.0/16 via 192.0.2.254 proto ra');
    expect(parseFacts('ns', read()).fingerprint).not.toBe(before);
    sh('ip route del 10.98.0.0/16');
    expect(parseFacts('ns', read()).fingerprint).toBe(before);
    // A daemon's route a route task would replace counts: the plan rests on it (a review).
    const withTask = parseFacts('ns', read(['exact 203.0.113.0/24'])).fingerprint;
    sh('ip route add 100.99.1.0/24 via 192.0.2.254 proto bird');
    expect(parseFacts('ns', read(['exact 203.0.113.0/24'])).fingerprint).toBe(withTask);
    sh('ip route change 203.0.113.0/24 via 192.0.2.254 proto zebra metric 20');
    try {
      expect(parseFacts('ns', read(['exact 203.0.113.0/24'])).fingerprint).not.toBe(withTask);
    } finally {
      sh('ip route change 203.0.113.0/24 via 172.16.9.254 proto zebra metric 20');
    }
    expect(parseFacts('ns', read(['exact 203.0.113.0/24'])).fingerprint).toBe(withTask);
  });

  it('reads the daemon\'s route at a route task\'s network, which the plan then replaces and its undo puts back, as before', () => {
    const facts = parseFacts('ns', read(['exact 203.0.113.0/24']));
    expect(facts.routes.filter((r) => r.to === '203.0.113.0/24').map(routeLine)).toEqual(['route 203.0.113.0/24 via 172.16.9.254 dev v1 metric 20 proto zebra']);
    const steps = planHost('ns', [task({ module: 'route', args: { to: '203.0.113.0/24', via: '192.0.2.200', metric: 20, state: 'present' } })], facts, { persistence: false }).plan.phases.flatMap((p) => p.changes).flatMap((c) => c.steps);
    const replace = steps.find((s) => s.op.kind === 'route-replace');
    expect(replace?.undo).toEqual([{ kind: 'route-replace', route: facts.routes.find((r) => r.to === '203.0.113.0/24') }]);
    // Not read without the task: the plan of a run without it never sees it.
    expect(parseFacts('ns', read()).routes.some((r) => r.to === '203.0.113.0/24')).toBe(false);
  });

  it('the session guard weighs the daemon\'s more specific route to the client: a wider route over the bundle leaves the session where it is', () => {
    const facts = parseFacts('ns', read(['exact 198.51.0.0/16']));
    expect(facts.management?.clientIp).toBe('198.51.100.7');
    // 198.51.0.0/16 over another gateway covers the client, but bird's /24 keeps the session on its path.
    expect(() => planHost('ns', [task({ module: 'route', args: { to: '198.51.0.0/16', via: '172.16.9.254', state: 'present' } })], facts, { persistence: false })).not.toThrow();
    // Without the daemon's route the same task takes the session over: refused.
    sh('ip route del 198.51.100.0/24');
    try {
      expect(() => planHost('ns', [task({ module: 'route', args: { to: '198.51.0.0/16', via: '172.16.9.254', state: 'present' } })], parseFacts('ns', read(['exact 198.51.0.0/16'])), { persistence: false })).toThrow(/would carry the traffic of this SSH session/);
    } finally {
      sh('ip route add 198.51.100.0/24 via 192.0.2.254 proto bird');
    }
  });

  it('reads the daemon\'s routes giving an address a task removes as their source: the removal is refused, as before', () => {
    sh('ip addr add 172.16.9.7/24 dev v1 && ip route add 10.77.0.0/16 via 172.16.9.254 src 172.16.9.7 proto bird');
    try {
      const facts = parseFacts('ns', read(['src 172.16.9.7']));
      expect(facts.routes.filter((r) => r.to === '10.77.0.0/16').map(routeLine)).toEqual(['route 10.77.0.0/16 via 172.16.9.254 dev v1 metric 0 src 172.16.9.7 proto bird']);
      expect(() => planHost('ns', [task({ module: 'address', args: { dev: 'v1', address: '172.16.9.7/24', state: 'absent' } })], facts, { persistence: false })).toThrow(/would remove the route that gives it as source \(10\.77\.0\.0\/16 via 172\.16\.9\.254 dev v1\)/);
    } finally {
      sh('ip route del 10.77.0.0/16 && ip addr del 172.16.9.7/24 dev v1');
    }
  });

  it('a check\'s target: the daemon\'s route to it is weighed by the plan\'s choice of the check\'s path (a review)', () => {
    sh('ip link add teql9 type veth peer name teql9p && ip link set teql9 up && ip route add 10.200.0.0/16 dev teql9 proto bird');
    try {
      const ping = task({ module: 'ping', args: { to: '10.200.0.5', count: 1, timeout: 1 } });
      expect(heldSelectors([ping])).toEqual(['match 10.200.0.5']);
      const facts = parseFacts('ns', read(heldSelectors([ping])));
      expect(facts.routes.filter((r) => r.to === '10.200.0.0/16').map(routeLine)).toEqual(['route 10.200.0.0/16 dev teql9 metric 0 proto bird']);
      expect(parseFacts('ns', read()).routes.some((r) => r.to === '10.200.0.0/16')).toBe(false);
    } finally {
      sh('ip link del teql9');
    }
  });

  it('a shell not reached over SSH (no client): the tasks\' listings alone', () => {
    const facts = parseFacts('ns', sh(factsScript([], { held: ['exact 203.0.113.0/24'] }), { SSH_CONNECTION: '' }));
    expect(facts.management).toBeUndefined();
    expect(facts.routes.filter((r) => r.to === '203.0.113.0/24').map((r) => r.protocol)).toEqual(['zebra']);
  });
});
