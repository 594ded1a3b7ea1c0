// `teqlctl rollback -i INVENTORY [--run ID]`: undo a confirmed run later, on every router that has
// it, from the journal kept on the router. Refused when a router moved since that run (--force).
import type { Command } from 'commander';
import { ExitCode, RefusedError, ConnectError } from '../errors.js';
import { readFacts } from '../gather/read-facts.js';
import { movedSince } from '../rollback/drift.js';
import { afterStateScript, parseRuns, runsScript, undoRunScript } from '../deadman/runs-script.js';
import { closeAll, connectInventory } from './inventory-hosts.js';

export function registerRollbackCommand(program: Command): void {
  program
    .command('rollback')
    .description('undo a completed run on every router that has it (default: the latest confirmed run)')
    .requiredOption('-i, --inventory <file>', 'inventory YAML file')
    .option('--run <id>', 'the run to undo (see `teqlctl status`)')
    .option('--force', 'undo even if a router changed since that run')
    .option('-l, --limit <hosts>', 'only these hosts')
    .action(async (flags: { inventory: string; run?: string; force?: boolean; limit?: string }) => {
      const conns = await connectInventory(flags.inventory, flags.limit);
      try {
        const down = conns.filter((c) => !c.transport);
        if (down.length > 0) throw new ConnectError(down[0]!.host, `unreachable: ${down.map((c) => `${c.host}: ${c.error}`).join('; ')}`);
        const found = await Promise.all(conns.map(async (c) => ({ c, ...parseRuns((await c.transport!.run('status', runsScript(50))).stdout) })));
        const confirmed = found.flatMap((f) => f.runs.filter((r) => r.state === 'confirmed').map((r) => r.id)).sort();
        const runId = flags.run ?? confirmed[confirmed.length - 1];
        if (!runId) throw new RefusedError('no confirmed run to roll back on these routers', 'see `teqlctl status -i ...`');
        const targets = found.filter((f) => f.runs.some((r) => r.id === runId && r.state === 'confirmed'));
        if (targets.length === 0) throw new RefusedError(`run ${runId} is not a confirmed run on any of these routers`);
        // Moved since the run? Compare what the run left with what the router holds now.
        const moved: string[] = [];
        for (const { c } of targets) {
          const t = c.transport!;
          const after = (await t.run('after-state', afterStateScript(runId))).stdout.split('\n');
          moved.push(...movedSince(c.host, after, await readFacts(t, c.host, [])));
        }
        if (moved.length > 0 && !flags.force) {
          throw new RefusedError(`the routers changed since run ${runId}:\n  ${moved.join('\n  ')}`, 'undo anyway with --force');
        }
        for (const { c } of targets) {
          const res = await c.transport!.run('rollback', undoRunScript(runId));
          process.stdout.write(`${c.host}: run ${runId} undone${res.stderr.trim() ? ` (with errors: ${res.stderr.trim()})` : ''}\n`);
          if (res.stderr.trim()) process.exitCode = ExitCode.rollbackIncomplete;
        }
      } finally {
        await closeAll(conns);
      }
    });
}
