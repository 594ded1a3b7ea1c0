// `teqlctl rollback -i INVENTORY [--run ID]`: undo a confirmed run later, on every router that has
// it, from the journal kept on the router. Takes each router's lock as `play` does, refuses when a
// router moved since that run (--force), and reads every router again over a fresh connection after.
import type { Command } from 'commander';
import { hostname, userInfo } from 'node:os';
import { ExitCode, RefusedError, ConnectError, TeqlError } from '../errors.js';
import { factsScript } from '../gather/script.js';
import { parseFacts } from '../gather/parse-facts.js';
import { stateLines } from '../rollback/compare.js';
import { LOCK_MARKER, lockScript } from '../confirm/deadman-script.js';
import { afterStateScript, parseRuns, runsScript, undoRunScript, unlockRunScript } from '../confirm/runs-script.js';
import type { Transport } from '../connect/transport.js';
import { closeAll, connectInventory, inventoryConnectOptions, runChecked, secretOptions, type HostConnection, type InventoryFlags } from './inventory-hosts.js';

export interface RollbackOptions {
  /** The run to undo; default: the latest confirmed run. */
  run?: string;
  force?: boolean;
  /** The id under which this rollback holds the routers' locks. */
  lockId: string;
  owner: string;
  /** A fresh connection to a host, to read it again once the run is undone. */
  reconnect: (host: string) => Promise<Transport>;
  say: (line: string) => void;
}

/** Undoes one run on every router that has it; returns the exit code (0, or 6 when an undo step failed). */
export async function rollbackRun(conns: readonly HostConnection[], o: RollbackOptions): Promise<number> {
  const down = conns.filter((c) => !c.transport);
  if (down.length > 0) throw new ConnectError(down[0]!.host, `unreachable: ${down.map((c) => `${c.host}: ${c.error}`).join('; ')}`);
  const read = (t: Transport, label: string, script: string, what: string) => runChecked(t, label, script, what, ExitCode.unreachable);
  const found = await Promise.all(conns.map(async (c) => ({ c, t: c.transport!, ...parseRuns((await read(c.transport!, 'status', runsScript(50), "reading teqlctl's runs")).stdout) })));
  const confirmed = found.flatMap((f) => f.runs.filter((r) => r.state === 'confirmed').map((r) => r.id)).sort();
  const runId = o.run ?? confirmed[confirmed.length - 1];
  if (!runId) throw new RefusedError('no confirmed run to roll back on these routers', 'see `teqlctl status -i ...`');
  const targets = found.filter((f) => f.runs.some((r) => r.id === runId && r.state === 'confirmed'));
  if (targets.length === 0) throw new RefusedError(`run ${runId} is not a confirmed run on any of these routers`);
  const locked: Transport[] = [];
  try {
    // The lock first: nothing else may change a router between the comparison below and the undo.
    for (const { c, t } of targets) {
      const res = await runChecked(t, 'lock', lockScript(o.lockId, o.owner), 'taking the lock', ExitCode.unreachable, [0, 3]);
      if (res.stdout.startsWith(`${LOCK_MARKER} held`)) {
        throw new RefusedError(`${c.host} is locked: ${res.stdout.split('\n').slice(1).join(' ').trim()}`, 'wait for that run to end, or `teqlctl unlock` a dead one');
      }
      if (res.code !== 0) throw new TeqlError(`${c.host}: taking the lock failed (exit ${res.code}): ${res.stderr.trim()}`, ExitCode.unreachable);
      locked.push(t);
    }
    // Moved since the run? Compare what the run left with what the router holds now.
    const moved: string[] = [];
    for (const { c, t } of targets) {
      const after = new Set((await read(t, 'after-state', afterStateScript(runId), `reading what run ${runId} left`)).stdout.split('\n').filter(Boolean));
      const now = stateLines(parseFacts(c.host, (await read(t, 'facts', factsScript(), 'reading facts')).stdout));
      moved.push(...[...after].filter((l) => !now.has(l) && !l.startsWith('sysctl ')).map((l) => `${c.host}: no longer holds ${l}`));
      moved.push(...[...now].filter((l) => !after.has(l) && !l.startsWith('sysctl ')).map((l) => `${c.host}: now also holds ${l}`));
    }
    if (moved.length > 0 && !o.force) {
      throw new RefusedError(`the routers changed since run ${runId}:\n  ${moved.join('\n  ')}`, 'undo anyway with --force');
    }
    let exitCode: number = ExitCode.ok;
    for (const { c, t } of targets) {
      const res = await t.run('rollback', undoRunScript(runId));
      const errors = res.stderr.trim();
      if (res.code !== 0 || errors) {
        o.say(`${c.host}: run ${runId} undone with errors (exit ${res.code})${errors ? `: ${errors}` : ''}`);
        exitCode = ExitCode.rollbackIncomplete;
      } else {
        o.say(`${c.host}: run ${runId} undone`);
      }
    }
    // Re-verify over a fresh connection: the router still answers, and it records the run as rolled back.
    for (const { c } of targets) {
      let fresh: Transport | undefined;
      try {
        fresh = await o.reconnect(c.host);
        parseFacts(c.host, (await read(fresh, 'facts', factsScript(), 'reading facts after the rollback')).stdout);
        const state = parseRuns((await read(fresh, 'status', runsScript(50), "reading teqlctl's runs")).stdout).runs.find((r) => r.id === runId)?.state;
        if (state !== 'rolled-back') throw new Error(`run ${runId} is recorded as ${state ?? 'missing'}, not rolled-back`);
        o.say(`${c.host}: verified over a fresh connection`);
      } catch (err) {
        o.say(`${c.host}: not verified after the rollback: ${(err as Error).message}`);
        exitCode = ExitCode.rollbackIncomplete;
      } finally {
        await fresh?.close().catch(() => undefined);
      }
    }
    return exitCode;
  } finally {
    await Promise.all(locked.map((t) => t.run('unlock', unlockRunScript(o.lockId)).catch(() => undefined)));
  }
}

export function registerRollbackCommand(program: Command): void {
  secretOptions(
    program
      .command('rollback')
      .description('undo a completed run on every router that has it (default: the latest confirmed run)')
      .requiredOption('-i, --inventory <file>', 'inventory YAML file')
      .option('--run <id>', 'the run to undo (see `teqlctl status`)')
      .option('--force', 'undo even if a router changed since that run')
      .option('-l, --limit <hosts>', 'only these hosts'),
  ).action(async (flags: InventoryFlags & { run?: string; force?: boolean }) => {
    const options = inventoryConnectOptions(flags);
    const conns = await connectInventory(flags, options);
    try {
      const lockId = `${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '')}-${process.pid}-rollback`;
      const exitCode = await rollbackRun(conns, {
        ...(flags.run ? { run: flags.run } : {}),
        force: Boolean(flags.force),
        lockId,
        owner: `${userInfo().username}@${hostname()}`,
        reconnect: async (host) => {
          const [c] = await connectInventory({ ...flags, limit: host }, options);
          if (!c?.transport) throw new Error(`unreachable: ${c?.error ?? 'no such host'}`);
          return c.transport;
        },
        say: (line) => process.stdout.write(line + '\n'),
      });
      if (exitCode !== ExitCode.ok) process.exitCode = exitCode;
    } finally {
      await closeAll(conns);
    }
  });
}
