// `teqlctl unlock -i INVENTORY`: clears a lock left by a dead run (never one whose run is still
// connected or whose dead-man revert is pending, unless --force).
import type { Command } from 'commander';
import { ExitCode } from '../errors.js';
import { unlockScript } from '../deadman/runs-script.js';
import { closeAll, connectInventory } from './inventory-hosts.js';

export function registerUnlockCommand(program: Command): void {
  program
    .command('unlock')
    .description('remove the lock a dead teqlctl run left on the routers')
    .requiredOption('-i, --inventory <file>', 'inventory YAML file')
    .option('-l, --limit <hosts>', 'only these hosts')
    .option('--force', 'remove it even if its run looks alive or has a revert pending')
    .action(async (flags: { inventory: string; limit?: string; force?: boolean }) => {
      const conns = await connectInventory(flags.inventory, flags.limit);
      try {
        for (const c of conns) {
          if (!c.transport) {
            process.stdout.write(`${c.host}: unreachable: ${c.error}\n`);
            process.exitCode = ExitCode.unreachable;
            continue;
          }
          const res = await c.transport.run('unlock', unlockScript(Boolean(flags.force)));
          process.stdout.write(`${c.host}: ${res.stdout.trim().replace(/^unlock: /, '')}\n`);
          if (res.code !== 0) process.exitCode = ExitCode.refused;
        }
      } finally {
        await closeAll(conns);
      }
    });
}
