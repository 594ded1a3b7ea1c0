// Forwarding, which the kernel copies onto every interface (and, IPv4, onto all.accept_redirects),
// written by a run and undone, against the real kernel in a network namespace (needs root, as CI
// has): the undo must leave every value as it was, not only the global one. A review found a
// hardened router's all.accept_redirects at 1 and an interface that forwarded on its own at 0.
import { describe, expect, it } from 'vitest';
import { netnsShell } from '../helpers/netns.js';
import { factsScript } from '../../src/gather/script.js';
import { parseFacts } from '../../src/gather/parse-facts.js';
import { renderOp } from '../../src/apply/render-op.js';
import { planHost } from '../../src/plan/plan-host.js';
import { sysctlNames } from '../../src/plan/facts-needed.js';
import { task } from '../helpers/facts.js';
import type { TaskInstance } from '../../src/load/types.js';
import type { Facts } from '../../src/gather/facts.js';

const sh = netnsShell('fwd', 'ip link add v1 type veth peer name v2');
const values = () => sh('grep -H "" /proc/sys/net/ipv4/ip_forward /proc/sys/net/ipv4/conf/*/forwarding /proc/sys/net/ipv4/conf/*/accept_redirects /proc/sys/net/ipv6/conf/*/forwarding');

/** Plans the tasks on the namespace's facts, runs the forward ops, checks `during`, then runs every undo newest first. */
function runAndUndo(tasks: TaskInstance[], during: (v: string) => void): void {
  const facts = parseFacts('ns', sh(factsScript(sysctlNames(tasks))));
  const steps = planHost('ns', tasks, facts, { persistence: false }).plan.phases.flatMap((p) => p.changes.flatMap((c) => c.steps)).filter((s) => s.op.kind === 'sysctl');
  expect(steps.length).toBeGreaterThan(0);
  for (const s of steps) sh(renderOp(s.op));
  during(values());
  for (const s of [...steps].reverse()) for (const op of s.undo) sh(renderOp(op));
}

describe('forwarding turned on by a run and undone, on the real kernel', () => {
  it('net.ipv4.ip_forward: every interface\'s forwarding and all.accept_redirects come back as they were', () => {
    sh('echo 0 > /proc/sys/net/ipv4/ip_forward; echo 0 > /proc/sys/net/ipv4/conf/all/accept_redirects; echo 1 > /proc/sys/net/ipv4/conf/v1/forwarding');
    const before = values();
    expect(before).toContain('/proc/sys/net/ipv4/conf/v1/forwarding:1');
    runAndUndo([task({ module: 'sysctl', args: { name: 'net.ipv4.ip_forward', value: '1', state: 'present' } })], (v) => expect(v).toContain('/proc/sys/net/ipv4/conf/v2/forwarding:1'));
    expect(values()).toBe(before);
  });

  it('net.ipv6.conf.all.forwarding: an interface that forwarded on its own still does', () => {
    sh('echo 0 > /proc/sys/net/ipv6/conf/all/forwarding; echo 1 > /proc/sys/net/ipv6/conf/v2/forwarding');
    const before = values();
    runAndUndo([task({ module: 'sysctl', args: { name: 'net.ipv6.conf.all.forwarding', value: '1', state: 'present' } })], (v) => expect(v).toContain('/proc/sys/net/ipv6/conf/v1/forwarding:1'));
    expect(values()).toBe(before);
  });

  it('a later task of the same play on one interface\'s forwarding is planned on what the global write left', () => {
    sh('echo 0 > /proc/sys/net/ipv4/ip_forward; echo 0 > /proc/sys/net/ipv4/conf/v1/forwarding');
    const before = values();
    const tasks = [
      task({ module: 'sysctl', args: { name: 'net.ipv4.ip_forward', value: '1', state: 'present' } }),
      task({ module: 'sysctl', args: { name: 'net.ipv4.conf.v1.forwarding', value: '0', state: 'present' } }),
    ];
    runAndUndo(tasks, (v) => {
      expect(v).toContain('/proc/sys/net/ipv4/conf/v1/forwarding:0');
      expect(v).toContain('/proc/sys/net/ipv4/conf/v2/forwarding:1');
    });
    expect(values()).toBe(before);
  });

  it('a teardown\'s `state: absent` on ip_forward, runs later, puts back every interface\'s forwarding and all.accept_redirects as before teqlctl', () => {
    sh('echo 0 > /proc/sys/net/ipv4/ip_forward; echo 0 > /proc/sys/net/ipv4/conf/all/accept_redirects; echo 1 > /proc/sys/net/ipv4/conf/v1/forwarding');
    const before = values();
    // Run 1 turns forwarding on and records the baseline (a file on a router: kept here).
    const baseline: Record<string, string> = {};
    const ops = (tasks: TaskInstance[], facts: Facts) => planHost('ns', tasks, facts, { persistence: false }).plan.phases.flatMap((p) => p.changes.flatMap((c) => c.steps));
    const read = (tasks: TaskInstance[]) => ({ ...parseFacts('ns', sh(factsScript(sysctlNames(tasks)))), baseline: { ...baseline } });
    const on = [task({ module: 'sysctl', args: { name: 'net.ipv4.ip_forward', value: '1', state: 'present' } })];
    for (const s of ops(on, read(on))) {
      if (s.op.kind === 'baseline-set') baseline[s.op.key] = s.op.value;
      else sh(renderOp(s.op));
    }
    const during = values();
    expect(during).toContain('/proc/sys/net/ipv4/conf/all/accept_redirects:0');
    expect(during).toContain('/proc/sys/net/ipv4/conf/v2/forwarding:1');
    // The teardown, a later run: every value as before teqlctl, and its own undo gives back run 1's.
    const off = [task({ module: 'sysctl', args: { name: 'net.ipv4.ip_forward', state: 'absent' } })];
    const steps = ops(off, read(off));
    for (const s of steps) if (s.op.kind === 'sysctl') sh(renderOp(s.op));
    expect(values()).toBe(before);
    expect(steps.filter((s) => s.op.kind === 'baseline-unset').map((s) => s.op.kind === 'baseline-unset' && s.op.key).sort()).toEqual(Object.keys(baseline).sort());
    for (const s of [...steps].reverse()) for (const op of s.undo) if (op.kind === 'sysctl') sh(renderOp(op));
    expect(values()).toBe(during);
  });
});
