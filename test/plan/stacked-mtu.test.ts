// Pure: the devices stacked on a link whose MTU a run changes, as the kernel changes theirs, and the
// undo that puts them back (a VLAN or macvlan is capped at its lower's; an ipvlan takes its lower's).
import { describe, expect, it } from 'vitest';
import { planHost } from '../../src/plan/plan-host.js';
import { stackedMtuAfter } from '../../src/plan/stacked-mtu.js';
import { pristineFacts, task } from '../helpers/facts.js';
import type { Facts, LinkFact } from '../../src/gather/facts.js';

const upper = (name: string, kind: string, mtu: number): LinkFact => ({ name, up: true, operstate: 'UP', mtu, kind, lower: 'eth1' });
const withUppers = (...uppers: LinkFact[]): Facts => ({ ...pristineFacts(), links: [...pristineFacts().links, ...uppers] });
const undoOf = (facts: Facts, mtu: number) => planHost('r', [task({ module: 'link', args: { dev: 'eth1', mtu } })], facts, { persistence: false })
  .plan.phases.flatMap((p) => p.changes.flatMap((c) => c.steps)).find((s) => s.op.kind === 'link')!.undo;

describe('a link\'s MTU changed with devices stacked on it', () => {
  it('the kernel caps a VLAN or macvlan at its lower\'s, and gives an ipvlan its lower\'s', () => {
    expect(stackedMtuAfter(upper('eth1.10', 'vlan', 1500), 1400)).toBe(1400);
    expect(stackedMtuAfter(upper('eth1.10', 'vlan', 1300), 1400)).toBe(1300);
    expect(stackedMtuAfter(upper('ipv0', 'ipvlan', 1300), 1450)).toBe(1450);
  });

  it('the undo puts back the MTU of each the kernel changed, after the link\'s own', () => {
    const f = withUppers(upper('eth1.10', 'vlan', 1500), upper('mv0', 'macvlan', 1300), upper('ipv0', 'ipvlan', 1300));
    expect(undoOf(f, 1450).filter((op) => op.kind === 'link')).toEqual([
      { kind: 'link', dev: 'eth1', mtu: 1500 },
      { kind: 'link', dev: 'eth1.10', mtu: 1500 },
      { kind: 'link', dev: 'ipv0', mtu: 1300 },
    ]);
    // Raised: a VLAN is not raised with it, an ipvlan is.
    expect(undoOf(f, 9000).filter((op) => op.kind === 'link').map((op) => op.kind === 'link' && op.dev)).toEqual(['eth1', 'ipv0']);
  });
});
