// A router persisted by two inventories (router b of pair a-b in one, of pair b-c in another): the
// second run rewrote its boot files for its own bundle alone, dropping the other's equalizer at the
// next restart without a word (a review). Refused before any change, naming it.
import { describe, expect, it } from 'vitest';
import { loadRun } from '../../../src/load/index.js';
import { planHost } from '../../../src/plan/plan-host.js';
import { simulateAll } from '../../../src/plan/simulate.js';
import { bootEqualizers } from '../../../src/plan/persist/dropped-equalizers.js';
import { retiringScript } from '../../../src/plan/persist/retiring-script.js';
import { RefusedError } from '../../../src/errors.js';
import { BOOT_SCRIPT } from '../../../src/router/paths.js';
import { pristineFacts } from '../../helpers/facts.js';
import type { Facts } from '../../../src/gather/facts.js';

const tasksOf = (playbook: string, extraVars: string[] = []) => loadRun('inventories/example.yml', playbook, { extraVars }).plays[0]!.tasks.get('router_a')!;
const PERSIST = ['teql_persist=true'];

/** router_a converged with the chapter and its boot files; `other`: its boot script also brings back teql1 (another inventory's bundle). */
function persisted(other: boolean): Facts {
  const pristine = pristineFacts();
  pristine.sysctls['net.ipv4.tcp_reordering'] = '3';
  const { plan } = planHost('router_a', tasksOf('playbooks/teql.yml', PERSIST), pristine);
  const facts = simulateAll(pristine, plan.phases.flatMap((p) => p.changes.flatMap((c) => c.steps.map((s) => s.op))));
  if (!other) return facts;
  const files = facts.boot!.files.map((f) => (f.path === BOOT_SCRIPT ? { ...f, content: `${f.content}run tc qdisc replace dev eth3 root teql1\nrun ip link set dev teql1 up\n` } : f));
  return { ...facts, boot: { ...facts.boot!, files } };
}

describe('a boot configuration that brings back an equalizer no task of the run configures', () => {
  it('is read off teqlctl\'s boot script', () => {
    expect(bootEqualizers(persisted(false))).toEqual(['teql0']);
    expect(bootEqualizers(persisted(true))).toEqual(['teql0', 'teql1']);
  });

  it('refuses a persisting run, before any change, naming the equalizer and what to do', () => {
    const run = () => planHost('router_a', tasksOf('playbooks/teql.yml', PERSIST), persisted(true));
    expect(run).toThrow(RefusedError);
    expect(run).toThrow(/^router_a: .*teql\.yml:\d+:\d+: task "boot configuration \(persist, from ".*"\)": its boot configuration \(\/etc\/teqlctl\/boot\.sh\) also brings back teql1, which no persisting task of this play configures: rewritten for this play's bundles alone, it would drop teql1 at the next restart/);
    // A teardown of teql0's bundle alone would remove the boot files, teql1's part with them.
    expect(() => planHost('router_a', tasksOf('playbooks/teardown.yml'), persisted(true))).toThrow(/also brings back teql1/);
  });

  it('passes a rerun whose tasks cover every equalizer there, a run without persist, and a boot script retiring', () => {
    expect(planHost('router_a', tasksOf('playbooks/teql.yml', PERSIST), persisted(false)).plan.phases.flatMap((p) => p.changes)).toEqual([]);
    expect(() => planHost('router_a', tasksOf('playbooks/teql.yml'), persisted(true))).not.toThrow();
    const retiring = persisted(true);
    retiring.boot = { ...retiring.boot!, files: retiring.boot!.files.map((f) => (f.path === BOOT_SCRIPT ? { ...f, content: retiringScript('router_a', []) } : f)) };
    expect(bootEqualizers(retiring)).toEqual([]);
  });
});
