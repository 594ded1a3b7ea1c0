// play's flags: their defaults, their checks (bad values are exit 2 before any file is read) and
// the exit codes its help documents. Shared with rollback, demo and the wizard.
import { Option } from 'commander';
import { ConfigError, ExitCode } from '../errors.js';
import type { LoadOptions } from '../load/index.js';

export const EXIT_CODES_HELP = `
Exit codes:
  0    converged and verified (or a clean --check)
  1    internal error (a bug in teqlctl); a run rolls back every router it changed first
  2    bad input (inventory, playbook or options); no router was contacted
  3    unreachable, authentication or host key failure; nothing changed
  4    applying failed; every host rolled back
  5    verification failed; every host rolled back
  6    rollback incomplete: a host differs from its state before the run (see the recap),
       or could not be reached to roll it back (its dead-man timer reverts it)
  7    lab error (teqlctl lab)
  8    refused: the router's state conflicts with the plan, another run holds its lock,
       or the plan was not approved; nothing changed (serial: a later batch's plan;
       the batches before it stay confirmed)
  ${ExitCode.changesPending}    --check --detailed-exitcode: changes are pending (the routers differ from
       the playbook); nothing changed
  ${ExitCode.someBundlesFailed}   some bundles failed (rolled back on both of their ends), the others converged
       and verified (see the BUNDLE RECAP); all failed: the first failure's own code, or,
       where some were rolled back, the furthest stage a failure reached (e.g. 5)
  130  interrupted; rolled back`;

/** The defaults of play's options: the parser's, and the one source for callers that build flags. */
export const PLAY_DEFAULTS = { forks: '10', confirmTimeout: '120' } as const;

export interface PlayFlags {
  confirmTimeout: string;
  /** Every -i, in order (files or folders), merged as ansible-playbook merges them. */
  inventory: string[];
  check?: boolean;
  diff?: boolean;
  yes?: boolean;
  json?: boolean;
  forks: string;
  limit?: string;
  extraVars?: string[];
  log?: string;
  becomePasswordFile?: string;
  keyPassphraseFile?: string;
  acceptNew?: boolean;
  debugHoldBeforeConfirm?: string;
  debugHold?: string[];
  /** -v, -vv: how much of the run log is streamed to stderr (0: none). */
  verbose?: number;
  detailedExitcode?: boolean;
  syntaxCheck?: boolean;
  listHosts?: boolean;
  listTasks?: boolean;
}

/** True when the flags ask for an offline look at the playbook: no connection, nothing run. */
export function isOffline(flags: PlayFlags): boolean {
  return Boolean(flags.syntaxCheck || flags.listHosts || flags.listTasks);
}

/**
 * The flags given that do nothing in an offline look (nothing is run, asked, logged or streamed):
 * said in a note, not refused, since a script may pass the same flags to every call (a review
 * found them taken without a word). --detailed-exitcode passes: its exit codes hold there too.
 */
export function idleOffline(flags: PlayFlags): string[] {
  const given: Array<[unknown, string]> = [[flags.yes, '--yes'], [flags.diff, '--diff'], [flags.acceptNew, '--accept-new'], [flags.verbose, '-v'], [flags.log, '--log'], [flags.check, '--check']];
  return given.filter(([v]) => v !== undefined && v !== false).map(([, name]) => name);
}

/** Combinations that cannot mean anything are refused before any file is read (exit 2). */
export function checkCombinations(flags: PlayFlags): void {
  if (flags.detailedExitcode && !flags.check && !isOffline(flags)) {
    throw new ConfigError('--detailed-exitcode needs --check', undefined, 'teqlctl play --check --detailed-exitcode exits 0 when nothing would change, ' + ExitCode.changesPending + ' when changes are pending');
  }
  if (flags.json && isOffline(flags)) {
    throw new ConfigError('--json does not combine with --syntax-check, --list-hosts or --list-tasks', undefined, 'their output is text, as ansible-playbook prints it; the exit code (0 or 2) says whether the playbook is valid');
  }
}

export function forksOf(flags: { forks: string }): number {
  // Digits only: Number() would take 1e3, 0x10 or 99999999999999999999 too.
  const forks = /^\d{1,5}$/.test(flags.forks) ? Number(flags.forks) : NaN;
  if (!Number.isInteger(forks) || forks < 1 || forks > 10000) throw new ConfigError(`--forks must be a whole number from 1 to 10000, got "${flags.forks}"`);
  return forks;
}

export function confirmTimeout(flags: { confirmTimeout: string }): number {
  const n = /^\d{1,5}$/.test(flags.confirmTimeout) ? Number(flags.confirmTimeout) : NaN;
  if (!Number.isInteger(n) || n < 10 || n > 86400) throw new ConfigError(`--confirm-timeout must be whole seconds between 10 and 86400, got "${flags.confirmTimeout}"`);
  return n;
}

/** What loadRun takes from the flags: -l and -e (shared by a run and --list-hosts, so both select the same hosts). */
export function loadOptions(flags: Pick<PlayFlags, 'limit' | 'extraVars'>): LoadOptions {
  return { ...(flags.limit ? { limit: [flags.limit] } : {}), ...(flags.extraVars ? { extraVars: flags.extraVars } : {}) };
}
