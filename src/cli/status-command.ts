// `teqlctl status -i INVENTORY`: per router, the lock, whether a dead-man timer is armed, and the
// recent runs (id, start, outcome, revert).
import type { Command } from 'commander';
import { ExitCode } from '../errors.js';
import { parseRuns, runsScript } from '../deadman/runs-script.js';
import { closeAll, connectInventory } from './inventory-hosts.js';

export function registerStatusCommand(program: Command): void {
  program
    .command('status')
    .description('show, per router, teqlctl\'s lock, armed dead-man timers and recent runs')
    .requiredOption('-i, --inventory <file>', 'inventory YAML file')
    .option('-l, --limit <hosts>', 'only these hosts')
    .option('--json', 'one JSON document on stdout')
    .action(async (flags: { inventory: string; limit?: string; json?: boolean }) => {
      const conns = await connectInventory(flags.inventory, flags.limit);
      const out: Record<string, unknown> = {};
      try {
        for (const c of conns) {
          if (!c.transport) {
            out[c.host] = { error: c.error };
            process.exitCode = ExitCode.unreachable;
            continue;
          }
          const res = await c.transport.run('status', runsScript());
          out[c.host] = parseRuns(res.stdout);
        }
      } finally {
        await closeAll(conns);
      }
      if (flags.json) {
        process.stdout.write(JSON.stringify(out, null, 2) + '\n');
        return;
      }
      for (const [host, v] of Object.entries(out) as Array<[string, any]>) {
        if (v.error) {
          process.stdout.write(`${host}: unreachable: ${v.error}\n`);
          continue;
        }
        const armed = v.runs.filter((r: any) => r.armed);
        process.stdout.write(`${host}: ${armed.length ? `DEAD-MAN ARMED for run ${armed.map((r: any) => r.id).join(', ')}` : 'no timer armed'}; ${v.lock ? `locked by run ${v.lock.run} of ${v.lock.owner} since ${v.lock.started}${v.lock.alive ? '' : ' (holder gone)'}` : 'not locked'}\n`);
        if (v.runs.length === 0) process.stdout.write('  no teqlctl run recorded\n');
        for (const r of v.runs) {
          const when = r.reverted ? `, reverted by the dead-man at ${r.reverted}` : r.confirmed ? `, confirmed at ${r.confirmed}` : '';
          process.stdout.write(`  run ${r.id}  started ${r.started}  ${r.state}${when}${r.armed ? ' (timer armed)' : ''}\n`);
        }
      }
    });
}
