// `teqlctl rollback -i INVENTORY [--run ID]`: undo a confirmed run later, on every router that has
// it, from the journal kept on the router. As `play`: takes each router's lock, arms a dead-man (the
// router redoes the run unless the rollback is confirmed in time), reads every router again over a
// fresh connection and confirms over it. Refused when a router moved since that run (--force).
import type { Command } from 'commander';
import { hostname, userInfo } from 'node:os';
import { ConfigError, ExitCode, RefusedError, ConnectError, TeqlError } from '../errors.js';
import { factsScript } from '../gather/script.js';
import { parseFacts } from '../gather/parse-facts.js';
import { stateLines } from '../rollback/compare.js';
import { LOCK_MARKER, lockScript } from '../confirm/deadman-script.js';
import { NO_REDO_MARKER, afterStateScript, armRollbackScript, parseRuns, runsScript, undoRunScript, unlockRunScript } from '../confirm/runs-script.js';
import { CONFIRM_MARKER, confirmScript } from '../confirm/confirm-script.js';
import { DEFAULT_CONFIRM_TIMEOUT_SEC } from '../play/run-state.js';
import type { Transport } from '../connect/transport.js';
import { terminalText } from '../report/terminal.js';
import { closeAll, connectInventory, inventoryConnectOptions, runChecked, secretOptions, type HostConnection, type InventoryFlags } from './inventory-hosts.js';

export interface RollbackOptions {
  /** The run to undo; default: the latest confirmed run. */
  run?: string;
  force?: boolean;
  /** The id under which this rollback holds the routers' locks. */
  lockId: string;
  owner: string;
  /** The rollback's dead-man: each router redoes the run unless the rollback is confirmed within this. */
  timeoutSec: number;
  /** A fresh connection to a host, to read it again once the run is undone. */
  reconnect: (host: string) => Promise<Transport>;
  /** Fault injection for the end-to-end tests (TEQLCTL_HOLD_BEFORE_CONFIRM, as for play): wait before re-verifying. */
  holdBeforeConfirmMs?: number;
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
  // Hosts whose dead-man is armed and not yet confirmed: their lock stays, the revert frees it.
  const armed = new Set<string>();
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
    // The dead-man, before any change: a rollback that cuts the management path is undone by the router.
    for (const { c, t } of targets) {
      const res = await runChecked(t, 'arm', armRollbackScript(o.lockId, o.owner, runId, o.timeoutSec), 'arming the dead-man', ExitCode.unreachable, [0, 9]);
      if (res.stdout.includes(NO_REDO_MARKER)) {
        if (!o.force) throw new RefusedError(`${c.host}: run ${runId} predates the redo scripts a rollback's dead-man needs`, 'undo it without a dead-man with --force');
        o.say(`${c.host}: no dead-man (run ${runId} has no redo scripts; --force)`);
      } else {
        armed.add(c.host);
      }
    }
    let exitCode: number = ExitCode.ok;
    for (const { c, t } of targets) {
      let res;
      try {
        res = await t.run('rollback', undoRunScript(runId));
      } catch (err) {
        // The undo may have cut this connection: the fresh one below tells.
        o.say(`${c.host}: ${(err as Error).message} while undoing run ${runId}`);
        continue;
      }
      const errors = res.stderr.trim();
      if (res.code !== 0 || errors) {
        o.say(`${c.host}: run ${runId} undone with errors (exit ${res.code})${errors ? `: ${errors}` : ''}`);
        exitCode = ExitCode.rollbackIncomplete;
      } else {
        o.say(`${c.host}: run ${runId} undone`);
      }
    }
    if (o.holdBeforeConfirmMs) await new Promise((r) => setTimeout(r, o.holdBeforeConfirmMs));
    // Re-verify over a fresh connection (the router still answers, and records the run as rolled
    // back), then confirm over it: the dead-man stands down and the lock is freed.
    for (const { c } of targets) {
      let fresh: Transport | undefined;
      try {
        fresh = await o.reconnect(c.host);
        const after = parseFacts(c.host, (await read(fresh, 'facts', factsScript(), 'reading facts after the rollback')).stdout);
        const state = parseRuns((await read(fresh, 'status', runsScript(50), "reading teqlctl's runs")).stdout).runs.find((r) => r.id === runId)?.state;
        if (state !== 'rolled-back') throw new Error(`run ${runId} is recorded as ${state ?? 'missing'}, not rolled-back`);
        if (armed.has(c.host)) {
          const res = await fresh.run('confirm', confirmScript(o.lockId, [...stateLines(after)].join('\n'), 'rollback-confirmed'));
          if (!res.stdout.includes(`${CONFIRM_MARKER} ok`)) throw new Error(`the rollback could not be confirmed, its dead-man redid run ${runId} (exit ${res.code}): ${res.stdout.trim()}`);
          armed.delete(c.host);
        }
        o.say(`${c.host}: verified over a fresh connection`);
      } catch (err) {
        const pending = armed.has(c.host) ? `; its dead-man redoes run ${runId} within ${o.timeoutSec} s` : '';
        o.say(`${c.host}: not verified after the rollback: ${(err as Error).message}${pending}`);
        exitCode = ExitCode.rollbackIncomplete;
      } finally {
        await fresh?.close().catch(() => undefined);
      }
    }
    return exitCode;
  } finally {
    await Promise.all(locked.filter((t) => !armed.has(t.host)).map((t) => t.run('unlock', unlockRunScript(o.lockId)).catch(() => undefined)));
  }
}

export function registerRollbackCommand(program: Command): void {
  secretOptions(
    program
      .command('rollback')
      .description('undo a completed run on every router that has it (default: the latest confirmed run)')
      .requiredOption('-i, --inventory <file>', 'inventory YAML file')
      .option('--run <id>', 'the run to undo (see `teqlctl status`)')
      .option('--force', 'undo even if a router changed since that run (or without a dead-man, for a run that has no redo scripts)')
      .option('--confirm-timeout <seconds>', 'each router redoes the run unless the rollback is confirmed within this time', String(DEFAULT_CONFIRM_TIMEOUT_SEC))
      .option('-l, --limit <hosts>', 'only these hosts'),
  ).action(async (flags: InventoryFlags & { run?: string; force?: boolean; confirmTimeout: string }) => {
    const timeoutSec = Number(flags.confirmTimeout);
    if (!Number.isInteger(timeoutSec) || timeoutSec < 10 || timeoutSec > 86400) throw new ConfigError(`--confirm-timeout must be whole seconds between 10 and 86400, got "${flags.confirmTimeout}"`);
    const options = inventoryConnectOptions(flags);
    const conns = await connectInventory(flags, options);
    try {
      const lockId = `${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '')}-${process.pid}-rollback`;
      const exitCode = await rollbackRun(conns, {
        ...(flags.run ? { run: flags.run } : {}),
        force: Boolean(flags.force),
        lockId,
        timeoutSec,
        ...(process.env.TEQLCTL_HOLD_BEFORE_CONFIRM ? { holdBeforeConfirmMs: Number(process.env.TEQLCTL_HOLD_BEFORE_CONFIRM) * 1000 } : {}),
        owner: `${userInfo().username}@${hostname()}`,
        reconnect: async (host) => {
          const [c] = await connectInventory({ ...flags, limit: host }, options);
          if (!c?.transport) throw new Error(`unreachable: ${c?.error ?? 'no such host'}`);
          return c.transport;
        },
        say: (line) => process.stdout.write(terminalText(line) + '\n'),
      });
      if (exitCode !== ExitCode.ok) process.exitCode = exitCode;
    } finally {
      await closeAll(conns);
    }
  });
}
