// The baseline's record of the values forwarding's global overwrites (sysctl-propagation.ts), pure:
// what is recorded when teqlctl first writes the global, and what `state: absent` plans from it.
// The netns test runs the same plans against the real kernel.
import { describe, expect, it } from 'vitest';
import { parsePropagatedRecord, propagatedRecord } from '../../src/plan/sysctl-propagation.js';
import { planHost } from '../../src/plan/plan-host.js';
import { pristineFacts, task } from '../helpers/facts.js';
import type { Facts } from '../../src/gather/facts.js';

const forwarding = (values: Record<string, string>): Facts => ({ ...pristineFacts(), sysctls: { ...pristineFacts().sysctls, ...values } });
const usual = { 'net.ipv4.ip_forward': '0', 'net.ipv4.conf.all.forwarding': '0', 'net.ipv4.conf.default.forwarding': '0', 'net.ipv4.conf.eth1.forwarding': '0', 'net.ipv4.conf.eth2.forwarding': '0', 'net.ipv4.conf.all.accept_redirects': '1' };
const steps = (facts: Facts, state: 'present' | 'absent') =>
  planHost('a', [task({ module: 'sysctl', args: { name: 'net.ipv4.ip_forward', ...(state === 'present' ? { value: '1' } : {}), state } })], facts, { persistence: false }).plan.phases.flatMap((p) => p.changes.flatMap((c) => c.steps.map((s) => s.op)));

describe('the values forwarding\'s global overwrites, in the baseline', () => {
  it('records nothing more where every value is what the kernel gives back with the global (the usual router)', () => {
    expect(propagatedRecord('net.ipv4.ip_forward', '0', usual)).toBeUndefined();
    expect(steps(forwarding(usual), 'present').filter((op) => op.kind === 'baseline-set')).toEqual([{ kind: 'baseline-set', key: 'sysctl:net.ipv4.ip_forward', value: '0' }]);
  });

  it('records an interface that forwarded on its own and a hardened accept_redirects, with the global\'s own entry', () => {
    const hardened = { ...usual, 'net.ipv4.conf.eth2.forwarding': '1', 'net.ipv4.conf.all.accept_redirects': '0' };
    expect(steps(forwarding(hardened), 'present').filter((op) => op.kind === 'baseline-set')).toEqual([
      { kind: 'baseline-set', key: 'sysctl:net.ipv4.ip_forward', value: '0' },
      { kind: 'baseline-set', key: 'propagated:net.ipv4.ip_forward', value: 'net.ipv4.conf.eth2.forwarding=1 net.ipv4.conf.all.accept_redirects=0' },
    ]);
  });

  it('reads an interface name holding `=` back whole', () => {
    expect(parsePropagatedRecord('net.ipv4.conf.a=b.forwarding=1 net.ipv4.conf.all.accept_redirects=0')).toEqual([
      { name: 'net.ipv4.conf.a=b.forwarding', value: '1' },
      { name: 'net.ipv4.conf.all.accept_redirects', value: '0' },
    ]);
  });

  it('state: absent writes the global back, then the recorded values it overwrote, skipping an interface gone since, and forgets both entries', () => {
    const { 'net.ipv4.conf.eth1.forwarding': _gone, ...on } = { ...usual, 'net.ipv4.ip_forward': '1', 'net.ipv4.conf.all.forwarding': '1', 'net.ipv4.conf.default.forwarding': '1', 'net.ipv4.conf.eth2.forwarding': '1', 'net.ipv4.conf.all.accept_redirects': '0' };
    const facts = { ...forwarding(on), baseline: { 'sysctl:net.ipv4.ip_forward': '0', 'propagated:net.ipv4.ip_forward': 'net.ipv4.conf.eth1.forwarding=1 net.ipv4.conf.eth2.forwarding=1 net.ipv4.conf.all.accept_redirects=0' } };
    expect(steps(facts, 'absent')).toEqual([
      { kind: 'sysctl', name: 'net.ipv4.ip_forward', value: '0' },
      { kind: 'baseline-unset', key: 'sysctl:net.ipv4.ip_forward' },
      { kind: 'baseline-unset', key: 'propagated:net.ipv4.ip_forward' },
      { kind: 'sysctl', name: 'net.ipv4.conf.eth2.forwarding', value: '1' },
      { kind: 'sysctl', name: 'net.ipv4.conf.all.accept_redirects', value: '0' },
    ]);
  });

  it('state: absent with the global already as before teqlctl writes nothing and forgets both entries', () => {
    const facts = { ...forwarding({ ...usual, 'net.ipv4.conf.eth2.forwarding': '0' }), baseline: { 'sysctl:net.ipv4.ip_forward': '0', 'propagated:net.ipv4.ip_forward': 'net.ipv4.conf.eth2.forwarding=1' } };
    expect(steps(facts, 'absent')).toEqual([
      { kind: 'baseline-unset', key: 'sysctl:net.ipv4.ip_forward' },
      { kind: 'baseline-unset', key: 'propagated:net.ipv4.ip_forward' },
    ]);
  });

  it('leaves out of the record a value teqlctl changed already (its own baseline entry holds the one from before teqlctl)', () => {
    // An earlier run set all.accept_redirects to 0 (recorded as 1): not recorded again as 0 here.
    const facts = { ...forwarding({ ...usual, 'net.ipv4.conf.all.accept_redirects': '0' }), baseline: { 'sysctl:net.ipv4.conf.all.accept_redirects': '1' } };
    expect(steps(facts, 'present').filter((op) => op.kind === 'baseline-set')).toEqual([{ kind: 'baseline-set', key: 'sysctl:net.ipv4.ip_forward', value: '0' }]);
  });

  it('refuses a teardown that puts an interface\'s forwarding back before the global, which would overwrite it', () => {
    const on = { ...usual, 'net.ipv4.ip_forward': '1', 'net.ipv4.conf.all.forwarding': '1', 'net.ipv4.conf.default.forwarding': '1', 'net.ipv4.conf.eth1.forwarding': '1', 'net.ipv4.conf.eth2.forwarding': '1', 'net.ipv4.conf.all.accept_redirects': '0' };
    const facts = { ...forwarding(on), baseline: { 'sysctl:net.ipv4.ip_forward': '0', 'sysctl:net.ipv4.conf.eth1.forwarding': '1' } };
    const plan = (names: string[]) => () => planHost('a', names.map((name) => task({ module: 'sysctl', args: { name, state: 'absent' } })), facts, { persistence: false });
    expect(plan(['net.ipv4.conf.eth1.forwarding', 'net.ipv4.ip_forward'])).toThrow(/net\.ipv4\.conf\.eth1\.forwarding is set to 1, and a later task's net\.ipv4\.ip_forward or net\.ipv4\.conf\.all\.forwarding sets it to 0/);
    expect(plan(['net.ipv4.ip_forward', 'net.ipv4.conf.eth1.forwarding'])).not.toThrow();
  });
});
