// `teqlctl unlock -i INVENTORY`: clears a lock left by a dead run (never one whose run is still
// connected or whose dead-man revert is pending, unless --force).
import type { Command } from 'commander';
import { ExitCode } from '../errors.js';
import { terminalText } from '../ui/terminal.js';
import { unlockScript } from '../deadman/unlock-script.js';
import { extraVarsOption, inventoryOption, playbookDirOption, secretOptions, type HostConnection, type InventoryFlags, limitArg } from './inventory-options.js';
import { closeAll, runChecked } from './host-connections.js';

/** One line per router; exit 8 when a lock was kept, 3 when a router could not be reached or the script failed. */
export async function unlockAll(conns: readonly HostConnection[], force: boolean): Promise<{ lines: string[]; exitCode: number }> {
  const lines: string[] = [];
  let exitCode: number = ExitCode.ok;
  for (const c of conns) {
    try {
      if (!c.transport) throw new Error(`${c.host}: unreachable: ${c.error}`);
      // The script exits 8 when it refuses; any other failure (sudo, a full disk) is not a refusal.
      const res = await runChecked(c.transport, 'unlock', unlockScript(force), 'unlock', 'connect', [0, ExitCode.refused]);
      lines.push(`${c.host}: ${res.stdout.trim().replace(/^unlock: /, '')}`);
      if (res.code === ExitCode.refused && exitCode === ExitCode.ok) exitCode = ExitCode.refused;
    } catch (err) {
      lines.push((err as Error).message);
      exitCode = ExitCode.unreachable;
    }
  }
  return { lines, exitCode };
}

export function registerUnlockCommand(program: Command): void {
  secretOptions(
    program
      .command('unlock')
      .description('remove the lock a dead teqlctl run left on the routers')
      .addOption(inventoryOption())
      .addOption(playbookDirOption())
      .addOption(extraVarsOption('a connection variable above the inventory (repeatable), as the run was given it: -e ansible_user=admin'))
      .option('-l, --limit <hosts>', 'only these hosts', limitArg)
      .option('--force', 'remove it even if its run looks alive, has a revert pending or is being undone (a pending dead-man still reverts; a new run waits for it)'),
  ).action(async (flags: InventoryFlags & { force?: boolean }) => {
    const { connectInventory } = await import('./inventory-hosts.js');
    const conns = await connectInventory(flags);
    try {
      const { lines, exitCode } = await unlockAll(conns, Boolean(flags.force));
      process.stdout.write(lines.map((l) => terminalText(l) + '\n').join(''));
      if (exitCode !== ExitCode.ok) process.exitCode = exitCode;
    } finally {
      await closeAll(conns);
    }
  });
}
