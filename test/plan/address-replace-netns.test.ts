// An address replaced by another prefix (the chapter's 10.0.0.0/31 over an operator's /24) or a
// link's last address removed, against the real kernel in a network namespace (needs root, as CI
// has). The kernel flushes every route through a link, in every table, and its permanent
// neighbours, when the link loses its last IPv4 address: a review found a slave's default route
// and policy routes gone for good after a replace and its undo (2026-12-05).
import { describe, expect, it } from 'vitest';
import { netnsShell } from '../helpers/netns.js';
import { factsScript } from '../../src/gather/script.js';
import { parseFacts } from '../../src/gather/parse-facts.js';
import { renderOp } from '../../src/apply/render-op.js';
import { planHost } from '../../src/plan/plan-host.js';
import { task } from '../helpers/facts.js';
import type { TaskInstance } from '../../src/load/types.js';

const sh = netnsShell('addr', 'ip link add eth1 type veth peer name p1 && ip link set eth1 up && ip link set p1 up');
// Every table, the neighbours kept by hand, the addresses: what the operator configured.
const state = () => sh('ip -4 addr show dev eth1; ip -4 route show table all | grep -v "^local\\|^broadcast"; ip neigh show dev eth1 nud permanent');

/** Plans `tasks` on the namespace's facts, runs the steps, checks `during`, then every undo newest first. */
function runAndUndo(tasks: TaskInstance[], during: (s: string) => void): void {
  const facts = parseFacts('ns', sh(factsScript()));
  const steps = planHost('ns', tasks, facts, { persistence: false }).plan.phases.flatMap((p) => p.changes.flatMap((c) => c.steps)).filter((s) => s.op.kind !== 'baseline-set');
  for (const s of steps) sh(renderOp(s.op));
  during(state());
  for (const s of [...steps].reverse()) for (const op of s.undo) sh(renderOp(op));
}

describe('an address replaced or removed, on the real kernel', () => {
  it('replaced by another prefix: every route through the link and its permanent neighbours stay, during and after the undo', () => {
    sh('ip addr flush dev eth1; ip addr add 10.0.0.0/24 dev eth1 && ip route add default via 10.0.0.254 && ip route add 172.16.0.0/16 via 10.0.0.7 src 10.0.0.0 && ip route add 10.206.0.0/16 via 10.0.0.7 table 200 && ip neigh replace 10.0.0.7 lladdr 02:00:00:00:00:07 dev eth1 nud permanent');
    const before = state();
    runAndUndo([task({ module: 'address', args: { dev: 'eth1', address: '10.0.0.0/31', state: 'present' } })], (s) => {
      expect(s).toMatch(/inet 10\.0\.0\.0\/31 scope global eth1/);
      expect(s).not.toContain('10.0.0.0/24 scope global');
      for (const kept of ['default via 10.0.0.254 dev eth1', '172.16.0.0/16 via 10.0.0.7 dev eth1 src 10.0.0.0', '10.206.0.0/16 via 10.0.0.7 dev eth1 table 200', '10.0.0.7 lladdr 02:00:00:00:00:07 PERMANENT']) expect(s).toContain(kept);
    });
    expect(state()).toBe(before);
  });

  it('a link\'s last address removed: the main table\'s routes through it come back with it', () => {
    sh('ip route flush table 200; ip neigh flush dev eth1 nud permanent; ip addr flush dev eth1; ip addr add 10.0.0.0/24 dev eth1 && ip route add 10.9.9.9 dev eth1 && ip route add default via 10.9.9.9 && ip route add 172.16.0.0/16 via 10.0.0.7 proto static metric 5');
    const before = state();
    runAndUndo([task({ module: 'address', args: { dev: 'eth1', address: '10.0.0.0/24', state: 'absent' } })], (s) => expect(s).not.toContain('dev eth1'));
    expect(state()).toBe(before);
  });

  it('a link\'s last address whose flush takes a route the undo could not add back (its gateway reached by no address given back) is refused, nothing changed', () => {
    // The chapter's replace kept an operator's default route through 10.0.0.254, which the /31 no
    // longer reaches: removing the /31 (the teardown) flushes it, and no undo could add it back.
    sh('ip route flush table 200; ip neigh flush dev eth1 nud permanent; ip addr flush dev eth1; ip addr add 10.0.0.0/24 dev eth1 && ip route add default via 10.0.0.254 && ip addr add 10.0.0.0/31 dev eth1 && ip addr del 10.0.0.0/24 dev eth1');
    const before = state();
    expect(before).toContain('default via 10.0.0.254 dev eth1');
    const plan = (tasks: TaskInstance[]) => () => planHost('ns', tasks, parseFacts('ns', sh(factsScript())), { persistence: false });
    expect(plan([task({ module: 'address', args: { dev: 'eth1', address: '10.0.0.0/31', state: 'absent' } })])).toThrow(/removing eth1's last IPv4 address flushes every route through it, and the undo could not add back default via 10\.0\.0\.254: its gateway is in none of the subnets it gives back/);
    // Two addresses removed by two tasks: the second's undo runs first, with its own address back alone.
    sh('ip route flush dev eth1; ip addr flush dev eth1; ip addr add 10.0.0.1/24 dev eth1 && ip addr add 10.1.0.1/24 dev eth1 && ip route add 192.168.5.0/24 via 10.0.0.254 && ip route add 192.168.6.0/24 via 10.1.0.254');
    expect(plan([
      task({ module: 'address', args: { dev: 'eth1', address: '10.0.0.1/24', state: 'absent' } }),
      task({ module: 'address', args: { dev: 'eth1', address: '10.1.0.1/24', state: 'absent' } }),
    ])).toThrow(/could not add back 192\.168\.5\.0\/24 via 10\.0\.0\.254/);
    // Its gateway reached by a route without one (a host route to it), or the route onlink: planned.
    sh('ip route add 10.0.0.254 dev eth1');
    // The routes compared (the two addresses come back in the other order: docs/deadman.md).
    const routes = () => sh('ip -4 route show table main');
    const reached = routes();
    expect(reached).toContain('192.168.6.0/24 via 10.1.0.254 dev eth1');
    runAndUndo([task({ module: 'address', args: { dev: 'eth1', address: '10.0.0.1/24', state: 'absent' } }), task({ module: 'address', args: { dev: 'eth1', address: '10.1.0.1/24', state: 'absent' } })], (s) => expect(s).not.toContain('dev eth1'));
    expect(routes()).toBe(reached);
  });
});
