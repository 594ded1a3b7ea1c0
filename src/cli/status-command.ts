// `teqlctl status -i INVENTORY`: per router, the lock, whether a dead-man timer is armed, and the
// recent runs (id, start, outcome, revert).
import type { Command } from 'commander';
import { ExitCode } from '../errors.js';
import { terminalJson, terminalText } from '../ui/terminal.js';
import { SCHEMA_VERSION } from '../report/json.js';
import { parseRuns, runsScript, type RouterRun } from '../deadman/runs-script.js';
import type { RouterLock } from '../router/lock.js';
import { notRootWords, ROOT_HINT, uidIn } from '../router/session-uid.js';
import { extraVarsOption, inventoryOption, playbookDirOption, secretOptions, type HostConnection, type InventoryFlags, limitArg } from './inventory-options.js';
import { closeAll, runChecked } from './host-connections.js';

type HostStatus = { error: string } | { runs: RouterRun[]; lock?: RouterLock };

/**
 * Reads every connected router, all at once (a fleet's status is as slow as its slowest router, not
 * their sum); an unreachable one or a failed read is an error of that host (exit 3). Hosts keep the
 * inventory's order.
 */
export async function readStatus(conns: readonly HostConnection[]): Promise<{ hosts: Record<string, HostStatus>; exitCode: number }> {
  const read = async (c: HostConnection): Promise<HostStatus> => {
    try {
      if (!c.transport) throw new Error(`unreachable: ${c.error}`);
      const res = await runChecked(c.transport, 'status', runsScript(), "reading teqlctl's runs and lock", 'connect');
      // Not root: teqlctl's records (0700) read as none, which would say "no teqlctl run recorded".
      const notRoot = notRootWords(uidIn(res.stdout));
      if (notRoot !== undefined) throw new Error(`${notRoot} (${ROOT_HINT})`);
      return parseRuns(res.stdout);
    } catch (err) {
      return { error: (err as Error).message.replace(`${c.host}: `, '') };
    }
  };
  const statuses = await Promise.all(conns.map(read));
  const hosts: Record<string, HostStatus> = {};
  conns.forEach((c, i) => (hosts[c.host] = statuses[i]!));
  const exitCode = statuses.some((h) => 'error' in h) ? ExitCode.unreachable : ExitCode.ok;
  return { hosts, exitCode };
}

/** `status --json`: docs/json-schema/status.schema.json. */
export function statusDocument(hosts: Record<string, HostStatus>) {
  return { schemaVersion: SCHEMA_VERSION, kind: 'status' as const, hosts };
}

export function formatStatus(hosts: Record<string, HostStatus>): string {
  const lines: string[] = [];
  for (const [host, v] of Object.entries(hosts)) {
    if ('error' in v) {
      lines.push(`${host}: ${v.error}`);
      continue;
    }
    // A pid timer is the process that runs the revert once it fires: alive while its run reverts, it
    // was shown as an armed timer then (a review). Said as the revert it is.
    const armed = v.runs.filter((r) => r.armed && r.state !== 'reverting');
    const reverting = v.runs.filter((r) => r.armed && r.state === 'reverting');
    const dead = [...(armed.length ? [`DEAD-MAN ARMED for run ${armed.map((r) => r.id).join(', ')}`] : []), ...(reverting.length ? [`DEAD-MAN REVERTING run ${reverting.map((r) => r.id).join(', ')}`] : [])];
    lines.push(`${host}: ${dead.length ? dead.join('; ') : 'no timer armed'}; ${v.lock ? `locked by run ${v.lock.run} of ${v.lock.owner} since ${v.lock.started}${v.lock.alive ? '' : ' (holder gone)'}` : 'not locked'}`);
    if (v.runs.length === 0) lines.push('  no teqlctl run recorded');
    for (const r of v.runs) {
      // A run confirmed on this router and rolled back because another host failed (a partial
      // confirmation) keeps its confirmed_at: it is shown as what it is now, rolled back.
      // One `teqlctl rollback` undid records when (rolled_back_at): said so, not "another host failed" (a review).
      const when = r.reverted ? `, reverted by the dead-man at ${r.reverted}` : r.confirmed && r.state.endsWith('confirmed') ? `, confirmed at ${r.confirmed}` : r.state === 'rolled-back' && r.rolledBack ? ` by teqlctl rollback at ${r.rolledBack} (confirmed here at ${r.confirmed || '?'})${r.undoFailed ? ', a step of its undo failed' : ''}` : r.confirmed ? ` (after it was confirmed here at ${r.confirmed}: another host failed)` : '';
      // Decided by the boot script: cut by a restart, with a later run made after it (boot-script.ts).
      const why = r.state === 'abandoned' ? ': the router restarted before it was confirmed (the restart dropped its kernel changes), and a later run was made after it, so it was not reverted' : '';
      // The other ends of its bundles that the run kept here: a hub's partial rollback leaves out the
      // peers of the bundles it undid (partial-undo-script.ts), so this says which spokes it serves.
      // Of a confirmed run only: a run rolled back or reverted keeps no bundle, whatever its meta says.
      const peers = r.state === 'confirmed' && r.peers && r.peers.length > 0 ? `  with ${r.peers.join(', ')}` : '';
      // Armed before the router's last restart: pending with no boot script that decided it, its
      // changes are gone and no timer will ever end it (it was said as "pending, no timer armed").
      // Its baseline entries (the values before it) stay on disk: nothing undoes them (a review).
      // A confirmed one of an earlier boot is not annotated: after every restart that is each run.
      const earlier = r.earlierBoot && r.state === 'pending' ? ' (armed before the router restarted: the restart dropped its changes, and nothing will revert or end it; the baseline entries it recorded stay: a teardown puts back the values from before it)' : '';
      lines.push(`  run ${r.id}  started ${r.started}  ${r.state}${when}${why}${earlier}${r.armed ? (r.state === 'reverting' ? ' (its dead-man\'s revert is running now)' : ' (timer armed)') : ''}${peers}`);
    }
  }
  // Run ids, owners and states are read from the router's files: escaped like any router output.
  return lines.map((l) => terminalText(l) + '\n').join('');
}

export function registerStatusCommand(program: Command): void {
  secretOptions(
    program
      .command('status')
      .description('show, per router, teqlctl\'s lock, armed dead-man timers and recent runs')
      .addOption(inventoryOption())
      .addOption(playbookDirOption())
      .addOption(extraVarsOption('a connection variable above the inventory (repeatable), as the run was given it: -e ansible_user=admin'))
      .option('-l, --limit <hosts>', 'only these hosts', limitArg)
      .option('--json', 'one JSON document on stdout'),
  ).action(async (flags: InventoryFlags & { json?: boolean }) => {
    // Loaded when the command runs: defining the options must not load SSH.
    const { connectInventory } = await import('./inventory-hosts.js');
    // Read only: a run's -e not given again is said, not refused.
    const conns = await connectInventory(flags, undefined, 'read');
    try {
      const { hosts, exitCode } = await readStatus(conns);
      process.stdout.write(flags.json ? terminalJson(statusDocument(hosts)) + '\n' : formatStatus(hosts));
      if (exitCode !== ExitCode.ok) process.exitCode = exitCode;
    } finally {
      await closeAll(conns);
    }
  });
}
