// A route task on a router that does not forward converges, but carries its own traffic only: said.
import { describe, expect, it } from 'vitest';
import { planHost } from '../../src/plan/plan-host.js';
import { sysctlNames } from '../../src/plan/facts-needed.js';
import { identityFacts } from '../../src/gather/identity-facts.js';
import { reachingPeer, task } from '../helpers/facts.js';
import type { TaskCall } from '../../src/load/types.js';

const route: TaskCall = { module: 'route', args: { to: '198.51.100.0/24', via: '10.0.0.5', state: 'present' } };
const forwarding = (value: string) => ({ module: 'sysctl', args: { name: 'net.ipv4.ip_forward', value, state: 'present' } }) as TaskCall;
const warnings = (calls: TaskCall[], ipForward: string | undefined) => {
  const facts = reachingPeer();
  delete facts.sysctls['net.ipv4.ip_forward'];
  if (ipForward !== undefined) facts.ipForward = ipForward;
  // A sysctl task on forwarding has it read among the sysctls, as the facts script does.
  if (calls.some((c) => c.module === 'sysctl') && ipForward !== undefined) facts.sysctls['net.ipv4.ip_forward'] = ipForward;
  return planHost('a', calls.map((c) => task(c)), facts, { persistence: false }).plan.warnings ?? [];
};

describe('forwarding off under a route task', () => {
  it('is read apart from the sysctls (a rollback compares those: a router set to forward by hand refused its rollback; a review), and said with the plan', () => {
    expect(sysctlNames([task(route)])).not.toContain('net.ipv4.ip_forward');
    expect(identityFacts('boot=x\nuid=0\nforward=0\n', [])).toMatchObject({ ipForward: '0' });
    expect(identityFacts('boot=x\nuid=0\nforward=\n', [])).not.toHaveProperty('ipForward');
    expect(warnings([route], '0')).toEqual(["net.ipv4.ip_forward is 0: the route to 198.51.100.0/24 carries this router's own traffic only; hosts of the networks behind it will not get through until forwarding is on (a sysctl task, net.ipv4.ip_forward: 1, which teqlctl records and `state: absent` puts back)"]);
  });

  it('not where the router forwards, a task turns it on, forwarding was not read, or the route is being removed', () => {
    expect(warnings([route], '1')).toEqual([]);
    expect(warnings([forwarding('1'), route], '0')).toEqual([]);
    expect(warnings([route], undefined)).toEqual([]);
    expect(warnings([{ module: 'route', args: { to: '198.51.100.0/24', state: 'absent' } }], '0')).toEqual([]);
  });

  it('where a task turns it off: said too', () => {
    expect(warnings([forwarding('0'), route], '1')).toHaveLength(1);
  });
});
