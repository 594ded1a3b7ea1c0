// Teardown: playbooks/teardown.yml after playbooks/teql.yml leaves the router as it was before the
// first run (original sysctls, link states, sch_teql unloaded, no boot files, empty baseline), and a
// second teardown plans nothing. Run on the real playbooks, as the loader renders them.
import { describe, expect, it } from 'vitest';
import { loadRun } from '../../src/load/index.js';
import { planHost } from '../../src/plan/plan-host.js';
import { simulateAll } from '../../src/plan/simulate.js';
import { afterConfirmation, retiringFiles } from '../../src/plan/persist/retiring-script.js';
import { diffState, stateLines } from '../../src/rollback/compare.js';
import { pristineFacts, task } from '../helpers/facts.js';
import type { Facts } from '../../src/gather/facts.js';
import type { HostPlan } from '../../src/plan/types.js';

const INVENTORY = 'inventories/example.yml';
const tasksOf = (playbook: string, extraVars: string[] = []) => loadRun(INVENTORY, playbook, { extraVars }).plays[0]!.tasks.get('router_a')!;
const ops = (p: HostPlan) => p.phases.flatMap((ph) => ph.changes.flatMap((c) => c.steps.map((s) => s.op)));
const undo = (p: HostPlan) => p.phases.flatMap((ph) => ph.changes.flatMap((c) => c.steps)).reverse().flatMap((s) => s.undo);
/** The lab's pristine router, with the TCP settings the reordering option reads. */
const pristine = (): Facts => {
  const f = pristineFacts();
  f.sysctls['net.ipv4.tcp_reordering'] = '3';
  return f;
};
const changes = (p: HostPlan) => p.phases.flatMap((ph) => ph.changes.map((c) => `${c.action} ${c.resource}`));

function converge(facts: Facts, persist: boolean): Facts {
  const { plan } = planHost('router_a', tasksOf('playbooks/teql.yml', persist ? ['teql_persist=true', 'teql_tcp_reordering=30'] : []), facts);
  return simulateAll(facts, ops(plan));
}

describe('playbooks/teardown.yml', () => {
  for (const persist of [false, true]) {
    it(`returns a router to its state before the first run (${persist ? 'with' : 'without'} a boot configuration)`, () => {
      const before = pristine();
      const converged = converge(before, persist);
      expect(converged.teql.loaded).toBe(true);
      expect(Object.keys(converged.baseline ?? {}).length).toBeGreaterThan(0);
      expect((converged.boot?.files ?? []).length > 0).toBe(persist);

      const { plan } = planHost('router_a', tasksOf('playbooks/teardown.yml'), converged);
      const applied = simulateAll(converged, ops(plan));
      // Until the run is confirmed, the boot script stays (reduced to reverting pending runs) with
      // what starts it: a restart in the window reverts the teardown. The confirmation removes them.
      expect(retiringFiles(applied.boot?.files ?? [])).toEqual(persist ? ['/etc/teqlctl/boot.sh', '/etc/systemd/system/multi-user.target.wants/teqlctl-boot.service', '/etc/systemd/system/teqlctl-boot.service'] : []);
      // Planned again after its apply (the check that the router holds it), nothing is left to do.
      expect(changes(planHost('router_a', tasksOf('playbooks/teardown.yml'), applied).plan)).toEqual([]);
      const after = afterConfirmation(applied);
      expect(diffState(before, after)).toEqual({ missing: [], extra: [] });
      expect(after.sysctls['net.ipv4.conf.all.rp_filter']).toBe('2');
      expect(after.sysctls['net.ipv4.conf.eth0.rp_filter']).toBe('0');
      expect(after.baseline).toEqual({});
      expect(after.boot?.files ?? []).toEqual([]);

      // Twice changes nothing.
      expect(changes(planHost('router_a', tasksOf('playbooks/teardown.yml'), after).plan)).toEqual([]);
      // Its rollback puts the converged state back exactly, boot files and baseline included:
      // after the confirmation, and by the dead-man before it.
      for (const from of [after, applied]) {
        const rolledBack = simulateAll(from, undo(plan));
        expect([...stateLines(rolledBack)].sort()).toEqual([...stateLines(converged)].sort());
      }
    });
  }

  it('undoes the all-rule in a safe order: all goes back up before the interfaces it had raised come down', () => {
    const converged = converge(pristine(), false);
    const { plan } = planHost('router_a', tasksOf('playbooks/teardown.yml'), converged);
    const sysctlOps = ops(plan).flatMap((o) => (o.kind === 'sysctl' ? [`${o.name}=${o.value}`] : []));
    expect(sysctlOps).toEqual(expect.arrayContaining(['net.ipv4.conf.all.rp_filter=2', 'net.ipv4.conf.eth0.rp_filter=0', 'net.ipv4.conf.lo.rp_filter=0']));
    expect(sysctlOps.indexOf('net.ipv4.conf.all.rp_filter=2')).toBeLessThan(sysctlOps.indexOf('net.ipv4.conf.eth0.rp_filter=0'));
    expect(sysctlOps.indexOf('net.ipv4.conf.all.rp_filter=2')).toBeLessThan(sysctlOps.indexOf('net.ipv4.conf.lo.rp_filter=0'));
  });

  it('changes nothing on a router teqlctl never touched', () => {
    expect(changes(planHost('router_a', tasksOf('playbooks/teardown.yml'), pristine()).plan)).toEqual([]);
  });

  it('leaves sch_teql loaded when it was loaded before teqlctl', () => {
    const loaded = simulateAll(pristine(), [{ kind: 'modprobe', module: 'sch_teql' }]);
    const converged = converge(loaded, false);
    const { plan } = planHost('router_a', tasksOf('playbooks/teardown.yml'), converged);
    expect(changes(plan)).not.toContain('- module sch_teql');
    expect(simulateAll(converged, ops(plan)).teql.loaded).toBe(true);
  });

  it('records the baseline once: a value changed between runs is not recorded over the original', () => {
    const first = converge(pristine(), false);
    expect(first.baseline).toMatchObject({ 'sysctl:net.ipv4.conf.all.rp_filter': '2', 'link:eth1': 'down mtu 1500', 'module:sch_teql': 'not loaded' });
    // Someone puts all back to 2 and takes eth1 down: the next run changes them again, records nothing.
    const moved = simulateAll(first, [{ kind: 'sysctl', name: 'net.ipv4.conf.all.rp_filter', value: '2' }, { kind: 'link', dev: 'eth1', up: false }]);
    const { plan } = planHost('router_a', tasksOf('playbooks/teql.yml'), moved);
    expect(changes(plan).length).toBeGreaterThan(0);
    expect(ops(plan).filter((o) => o.kind === 'baseline-set')).toEqual([]);
    expect(simulateAll(moved, ops(plan)).baseline).toEqual(first.baseline);
  });

  it('tearing down one of two equalizers keeps the all-rule the other one needs', () => {
    const facts = pristine();
    facts.links.push({ name: 'eth3', up: false, operstate: 'DOWN', mtu: 1500 });
    facts.rootQdiscs.push({ dev: 'eth3', kind: 'noop', handle: '0:', isDefault: true });
    facts.sysctls['net.ipv4.conf.eth3.rp_filter'] = '1';
    const rp = (dev: string, state: 'present' | 'absent') => task({ module: 'sysctl', args: { name: `net.ipv4.conf.${dev}.rp_filter`, ...(state === 'present' ? { value: '0' } : {}), state } });
    const both = [
      task({ module: 'teql', args: { device: 'teql0', slaves: ['eth1', 'eth2'], state: 'present', replace: false } }),
      task({ module: 'teql', args: { device: 'teql1', slaves: ['eth3'], state: 'present', replace: false } }),
      rp('eth1', 'present'), rp('eth2', 'present'), rp('eth3', 'present'),
    ];
    const up = simulateAll(facts, ops(planHost('router_a', both, facts).plan));
    const { plan } = planHost('router_a', [task({ module: 'teql', args: { device: 'teql1', slaves: ['eth3'], state: 'absent', replace: false } }), rp('eth3', 'absent')], up);
    const after = simulateAll(up, ops(plan));
    expect(after.sysctls['net.ipv4.conf.all.rp_filter']).toBe('0');
    expect(after.sysctls['net.ipv4.conf.eth1.rp_filter']).toBe('0');
    expect(after.sysctls['net.ipv4.conf.eth3.rp_filter']).toBe('1');
    expect(after.teql.loaded).toBe(true);
  });

  it('after a reboot without persist, teardown only forgets what it recorded', () => {
    const converged = converge(pristine(), false);
    // The reboot drops every run-time change; the baseline on disk stays.
    const rebooted: Facts = { ...pristine(), baseline: converged.baseline };
    const { plan } = planHost('router_a', tasksOf('playbooks/teardown.yml'), rebooted);
    const after = simulateAll(rebooted, ops(plan));
    expect(after.baseline).toEqual({});
    expect(diffState(pristine(), after)).toEqual({ missing: [], extra: [] });
  });
});
