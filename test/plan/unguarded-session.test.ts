// A router whose SSH session's interface `ip route get` could not name (a management VRF): the
// guards against cutting the session cannot run, and the plan says so rather than nothing.
import { describe, expect, it } from 'vitest';
import { unknownManagement } from '../../src/gather/management-fact.js';
import { planHost } from '../../src/plan/plan-host.js';
import { pristineFacts, task } from '../helpers/facts.js';

const facts = () => ({ ...pristineFacts(), management: undefined, managementUnknown: unknownManagement('client=10.9.9.9 port=40000\nRTNETLINK answers: Network is unreachable\n') });

describe('a session whose interface could not be told', () => {
  it('is read with what ip route get said; a session without a client (no SSH_CONNECTION) is not', () => {
    expect(unknownManagement('client=10.9.9.9 port=40000\nRTNETLINK answers: Network is unreachable\n')).toBe('from 10.9.9.9: ip route get said "RTNETLINK answers: Network is unreachable"');
    expect(unknownManagement('client=10.9.9.9 port=40000\n[{"dst":"10.9.9.9"}]\n')).toBe('from 10.9.9.9: ip route get named no interface');
    expect(unknownManagement('')).toBeUndefined();
  });

  it('a plan with changes warns that no task was checked against cutting it; one without changes says nothing', () => {
    const changing = planHost('a', [task({ module: 'link', args: { dev: 'eth1', state: 'up' } })], facts()).plan;
    expect(changing.warnings).toEqual(['the interface that carries this SSH session could not be told (from 10.9.9.9: ip route get said "RTNETLINK answers: Network is unreachable"): no task was checked against cutting it; a change that does is reverted by the dead-man, the router out of reach until then']);
    const none = planHost('a', [task({ module: 'link', args: { dev: 'eth0', state: 'up' } })], facts()).plan;
    expect(none.phases.every((p) => p.changes.length === 0)).toBe(true);
    expect(none.warnings).toBeUndefined();
  });
});
