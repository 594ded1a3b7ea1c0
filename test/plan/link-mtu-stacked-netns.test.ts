// A link's MTU lowered by a run and put back by its undo, with a device stacked on it (a macvlan
// here; a VLAN does the same in the kernel, NETDEV_CHANGEMTU, and this kernel has no 8021q),
// against the real kernel in a network namespace (needs root, as CI has): the kernel lowers the
// stacked device's MTU with its lower's, and the undo must raise it again (a review, 2026-12-05).
import { describe, expect, it } from 'vitest';
import { netnsShell } from '../helpers/netns.js';
import { factsScript } from '../../src/gather/script.js';
import { parseFacts } from '../../src/gather/parse-facts.js';
import { renderOp } from '../../src/apply/render-op.js';
import { planHost } from '../../src/plan/plan-host.js';
import { sysctlNames } from '../../src/plan/facts-needed.js';
import { task } from '../helpers/facts.js';

const sh = netnsShell('mtu', [
  'ip link add d0 type veth peer name p0 && ip link set d0 up && ip link set p0 up',
  'ip link add link d0 name mv0 type macvlan mode bridge && ip link add link d0 name mv1 type macvlan mode bridge && ip link set mv1 mtu 1300 && ip link set mv0 up',
].join(' && '));
const mtus = () => sh('for d in d0 mv0 mv1; do printf "%s %s %s\\n" $d $(cat /sys/class/net/$d/mtu) $(cat /proc/sys/net/ipv6/conf/$d/mtu); done');

describe('a link\'s MTU lowered and put back, on the real kernel', () => {
  it('the devices stacked on it that the kernel lowered with it get their MTU back; one already below is left alone', () => {
    const before = mtus();
    expect(before).toContain('mv0 1500 1500');
    const tasks = [task({ module: 'link', args: { dev: 'd0', mtu: 1400 } })];
    const facts = parseFacts('ns', sh(factsScript(sysctlNames(tasks))));
    expect(facts.links.find((l) => l.name === 'mv0')).toMatchObject({ kind: 'macvlan', lower: 'd0' });
    const steps = planHost('ns', tasks, facts, { persistence: false }).plan.phases.flatMap((p) => p.changes.flatMap((c) => c.steps));
    for (const s of steps) sh(renderOp(s.op));
    expect(mtus()).toContain('mv0 1400 1400');
    for (const s of [...steps].reverse()) for (const op of s.undo) sh(renderOp(op));
    expect(mtus()).toBe(before);
  });
});
