// `teqlctl rollback -i INVENTORY [--run ID]`: the CLI face of play/rollback-run.ts, which undoes a
// confirmed run later on every router that has it (lock, drift check, dead-man, fresh re-verify).
import { hostname, userInfo } from 'node:os';
import type { Command } from 'commander';
import { ExitCode, RefusedError } from '../errors.js';
import { newRunId } from '../play/run-id.js';
import { terminalText } from '../ui/terminal.js';
import { extraVarsOption, inventoryOption, playbookDirOption, runIdArg, secretOptions, type InventoryFlags, limitArg } from './inventory-options.js';
import { closeAll } from './host-connections.js';
import { confirmTimeout, PLAY_DEFAULTS } from './play-flags.js';
import { debugHold, DEBUG_HOLD_OPTION } from './debug-hold.js';

const STOP_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

type RollbackFlags = InventoryFlags & { run?: string; force?: boolean; confirmTimeout: string; debugHoldBeforeConfirm?: string };

export function registerRollbackCommand(program: Command): void {
  secretOptions(
    program
      .command('rollback')
      .description('undo a completed run on every router that has it (default: the latest confirmed run)')
      .addOption(inventoryOption())
      .addOption(playbookDirOption())
      .addOption(extraVarsOption('a connection variable above the inventory (repeatable), as the run was given it: -e ansible_user=admin'))
      .option('--run <id>', 'the run to undo (see `teqlctl status`)', runIdArg)
      .option('--force', 'undo even if a router changed since that run (or without a dead-man, for a run that has no redo scripts)')
      .option('--confirm-timeout <seconds>', 'each router redoes the run unless the rollback is confirmed within this time (10 to 86400)', PLAY_DEFAULTS.confirmTimeout)
      .addOption(DEBUG_HOLD_OPTION())
      .option('-l, --limit <hosts>', 'only these hosts', limitArg),
  ).action(async (flags: RollbackFlags) => {
    // Loaded when the command runs: defining the options must not load SSH.
    const { connectInventory, inventoryConnectOptions, playbookDirOf } = await import('./inventory-hosts.js');
    const { recordedRunDir, recordRunOutcome } = await import('./remembered-playbook-dir.js');
    const { rollbackRun } = await import('../play/rollback-run.js');
    const timeoutSec = confirmTimeout(flags);
    const hold = debugHold(flags);
    const options = inventoryConnectOptions(flags);
    // Without --run it undoes the routers' latest confirmed run: it logs in as the latest run recorded confirmed here did.
    if (flags.run === undefined) flags.latestConfirmed = true;
    const conns = await connectInventory(flags, options);
    // Ctrl-C, TERM or HUP: Node's default ended the process at once, leaving locks taken and no
    // dead-man armed behind (found by a review). Now rollbackRun stops at its next point before the
    // undo, or finishes an undo under way (see RollbackOptions.interrupted).
    let interrupted = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (interrupted) return;
      interrupted = true;
      process.stderr.write(`${signal}: stopping before the undo; an undo already under way runs to its end and is confirmed\n`);
    };
    for (const s of STOP_SIGNALS) process.on(s, onSignal);
    try {
      const exitCode = await rollbackRun(conns, {
        chosen: (runId) => {
          if (flags.run !== undefined || flags.playbookDir !== undefined) return;
          // The routers named another run than the one whose folder was read (one made elsewhere
          // since, or one whose outcome was never recorded here): undone as logged in otherwise, a
          // dead-man's redo or a reconnect could lock it out. Named, it is read as that run read it.
          const recorded = recordedRunDir(flags.inventory, runId);
          const read = playbookDirOf(flags);
          const what = (dir: string | undefined) => (dir ? `the group_vars/ and host_vars/ in ${dir}` : 'no playbook folder\'s group_vars/ or host_vars/');
          const limit = flags.limit !== undefined ? ` -l '${flags.limit}'` : '';
          if (recorded && recorded.dir !== read) {
            throw new RefusedError(`run ${runId} is the routers' latest confirmed run; it logged in with ${what(recorded.dir)}, and this rollback with ${what(read)}: nothing was rolled back`, `name it, to log in as it did: teqlctl rollback -i ...${limit} --run ${runId} (or choose with --playbook-dir)`);
          }
          // Not recorded here (another controller's run, the inventory given otherwise, a record
          // pruned), while another run's folder was read: how it logged in is not known.
          if (!recorded && read !== undefined) {
            throw new RefusedError(`run ${runId} is the routers' latest confirmed run, and how it logged in is not recorded here (another controller's run, the inventory given otherwise, or an old one); this rollback read ${what(read)}, as another run did: nothing was rolled back`, `give the folder of the playbook run ${runId} ran: teqlctl rollback -i ...${limit} --playbook-dir DIR (--playbook-dir ${read} if it logged in as that one did)`);
          }
        },
        // Undone everywhere it was: the next rollback without --run reads the folder of the run
        // before it. A rollback of some hosts (-l) leaves the run on the others.
        undone: (runId) => {
          if (flags.limit !== undefined) return;
          const unrecorded = recordRunOutcome(flags.inventory, runId, false);
          if (unrecorded) process.stderr.write(terminalText(unrecorded) + '\n');
        },
        ...(flags.run ? { run: flags.run } : {}),
        force: Boolean(flags.force),
        lockId: `${newRunId()}-rollback`,
        timeoutSec,
        ...(hold !== undefined ? { holdBeforeConfirmMs: hold * 1000 } : {}),
        owner: `${userInfo().username}@${hostname()}`,
        reconnect: async (host) => {
          // Checked before the undo was sent: a record another teqlctl wrote since cannot stop this one now.
          const [c] = await connectInventory({ ...flags, limit: host }, options, 'read');
          if (!c?.transport) throw new Error(`unreachable: ${c?.error ?? 'no such host'}`);
          return c.transport;
        },
        say: (line) => process.stdout.write(terminalText(line) + '\n'),
        interrupted: () => interrupted,
      });
      if (exitCode !== ExitCode.ok) process.exitCode = exitCode;
    } finally {
      for (const s of STOP_SIGNALS) process.off(s, onSignal);
      await closeAll(conns);
    }
  });
}
