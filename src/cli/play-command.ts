// `teqlctl play`: load and validate (no host contacted on bad input), run, print, exit with its code.
import { type Command } from 'commander';
import { DEBUG_HOLD_OPTION, DEBUG_HOLDS_OPTION, debugHolds } from './debug-hold.js';
import { hostname, userInfo } from 'node:os';
import { join } from 'node:path';
import { loadRun } from '../load/index.js';
import { connectSsh, type ConnectOptions } from '../connect/ssh-transport.js';
import { askOnce, givenSecrets } from '../connect/secrets.js';
import { closeAll, connectFirst } from '../connect/connect-first.js';
import type { Transport } from '../connect/transport.js';
import { shellJoin } from '../router/shell-quote.js';
import { runPlay } from '../play/run-play.js';
import { newRunId } from '../play/run-id.js';
import { RunLog } from '../play/run-log.js';
import { KEEP_FILES, localDir, privateDir, prune, writePrivateFile } from '../play/local-files.js';
import { progressMode } from '../ui/progress.js';
import { formatPlan } from '../report/print-plan.js';
import { formatRecap } from '../report/recap.js';
import { toJson } from '../report/json.js';
import { terminalJson, terminalText } from '../ui/terminal.js';
import { ConfigError } from '../errors.js';
import { askHidden, askYesNo } from '../ui/prompts.js';
import { inventoryOption } from './inventory-hosts.js';

export const EXIT_CODES_HELP = `
Exit codes:
  0    converged and verified (or a clean --check)
  2    bad input (inventory, playbook or options); no router was contacted
  3    unreachable, authentication or host key failure; nothing changed
  4    applying failed; every host rolled back
  5    verification failed; every host rolled back
  6    rollback incomplete: a host differs from its state before the run (see the recap),
       or could not be reached to roll it back (its dead-man timer reverts it)
  7    lab error (teqlctl lab)
  8    refused: the router's state conflicts with the plan, another run holds its lock,
       or the plan was not approved; nothing changed
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
}

/** How `play` connects: secrets given up front (or asked on a terminal), --accept-new, strict sudo. */
function connectOptions(playbook: string, flags: PlayFlags, interactive: boolean, secrets: string[]): ConnectOptions {
  const given = givenSecrets(flags, process.env);
  secrets.push(...Object.values(given));
  const rerun = shellJoin(['teqlctl', 'play', ...flags.inventory.flatMap((i) => ['-i', i]), playbook, ...(flags.limit ? ['-l', flags.limit] : []), ...(flags.extraVars ?? []).flatMap((e) => ['-e', e]), ...(flags.check ? ['--check'] : []), '--accept-new']);
  return {
    ...given,
    strictBecome: true,
    ...(interactive ? askOnce((message) => askHidden(message, flags.json ? process.stderr : undefined), (s) => secrets.push(s)) : {}),
    ...(flags.acceptNew
      ? {
          onUnknownHostKey: async (fingerprint: string, name: string) => {
            process.stderr.write(`--accept-new: trusting ${name} (${fingerprint}), seen for the first time; recorded in ~/.ssh/known_hosts\n`);
            return true;
          },
        }
      : {}),
    unknownHostHint: (fingerprint) =>
      `if ${fingerprint} is really the host's key (compare out of band, e.g. ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub on the host), trust it on first use: ${rerun}`,
  };
}

function writeLocalJournal(runId: string, json: string): void {
  const dir = localDir('runs');
  privateDir(dir);
  writePrivateFile(join(dir, `${runId}.json`), json + '\n');
  prune(dir);
}

/** The log of this run: --log as given, else a new file in the logs folder (0700), whose oldest are pruned. */
function logFile(flags: PlayFlags, runId: string): string {
  if (flags.log) return flags.log;
  const dir = localDir('logs');
  privateDir(dir);
  prune(dir, KEEP_FILES - 1);
  return join(dir, `${runId}.log`);
}

/**
 * What the run prints: the JSON document or the recap, with every secret the run knows (become
 * password, passphrases) cut out as from the log, since command output or sudo's messages may echo one.
 */
export function runOutput(result: Parameters<typeof toJson>[0] & Parameters<typeof formatRecap>[0], json: boolean, redact: (text: string) => string): string {
  if (!json) return redact(formatRecap(result));
  // Each string before it is escaped: a secret with a quote or a backslash reads otherwise in JSON.
  const clean = (v: unknown): unknown =>
    typeof v === 'string' ? redact(v)
      : Array.isArray(v) ? v.map(clean)
      : v !== null && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, clean(x)]))
      : v;
  return terminalJson(clean(toJson(result)));
}

const STOP_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export function confirmTimeout(flags: { confirmTimeout: string }): number {
  const n = Number(flags.confirmTimeout);
  if (!Number.isInteger(n) || n < 10 || n > 86400) throw new ConfigError(`--confirm-timeout must be whole seconds between 10 and 86400, got "${flags.confirmTimeout}"`);
  return n;
}

export function registerPlayCommand(program: Command): void {
  program
    .command('play')
    .description('converge the hosts of an inventory to a playbook: plan, apply only the difference, verify, roll back on failure')
    .argument('<playbook>', 'playbook YAML file')
    .addOption(inventoryOption())
    .option('-C, --check', 'show the plan and stop; nothing is changed')
    .option('-D, --diff', 'show before and after values and the commands of each change')
    .option('-y, --yes', 'apply without asking (required without a terminal)')
    .option('--json', 'print one JSON document on stdout and nothing else there')
    .option('-f, --forks <n>', 'hosts worked on at once', PLAY_DEFAULTS.forks)
    .option('-l, --limit <hosts>', 'only these hosts (comma-separated)')
    .option('-e, --extra-vars <name=value>', 'set a variable above all others (repeatable), e.g. -e teql_persist=true', (v: string, prev: string[] = []) => [...prev, v])
    .option('--log <file>', 'log of every command sent (default $XDG_CACHE_HOME/teqlctl/logs/<run id>.log, ~/.cache if unset)')
    .option('--become-password-file <file>', 'sudo password for become (else $TEQLCTL_BECOME_PASSWORD; asked on a terminal)')
    .option('--key-passphrase-file <file>', 'passphrase of an encrypted SSH key (else $TEQLCTL_SSH_PASSPHRASE; asked on a terminal)')
    .option('--accept-new', 'trust a host key seen for the first time and record it in ~/.ssh/known_hosts (a changed key is still refused)')
    .option('--confirm-timeout <seconds>', 'each router reverts itself unless the run is confirmed within this time of its first change', PLAY_DEFAULTS.confirmTimeout)
    .addOption(DEBUG_HOLD_OPTION())
    .addOption(DEBUG_HOLDS_OPTION())
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (playbook: string, flags: PlayFlags) => {
      await runPlayCommand(playbook, flags);
    });
}

/** Runs a playbook as `teqlctl play` does; sets process.exitCode and returns the run's exit code. */
export async function runPlayCommand(playbook: string, flags: PlayFlags): Promise<number> {
  const forks = Number(flags.forks);
  if (!Number.isInteger(forks) || forks < 1) throw new ConfigError(`--forks must be a positive integer, got "${flags.forks}"`);
  const confirmTimeoutSec = confirmTimeout(flags);
  const holds = debugHolds(flags);
  const loaded = await loadRun(flags.inventory, playbook, { ...(flags.limit ? { limit: flags.limit.split(',') } : {}), ...(flags.extraVars ? { extraVars: flags.extraVars } : {}) });
  const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  const secrets: string[] = [];
  const connecting = connectOptions(playbook, flags, interactive, secrets);
  const runId = newRunId();
  const log = new RunLog(logFile(flags, runId), secrets);
  const say = (text: string) => (flags.json ? process.stderr : process.stdout).write(terminalText(text) + '\n');
  let interrupted = false;
  const stop = new AbortController();
  // Ctrl-C, a cancelled CI job (TERM) or a closed terminal (HUP): an orderly rollback while the
  // connections live; if they are gone too, each router's dead-man reverts it.
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) return;
    interrupted = true;
    say(`${signal}: rolling back every router that changed (a step in flight is stopped on the router)`);
    stop.abort();
  };
  for (const s of STOP_SIGNALS) process.on(s, onSignal);
  let early: Map<string, Promise<Transport>> | undefined;
  try {
    // On a terminal, connect first: any question (passphrase, sudo password) comes before the progress display.
    if (interactive) {
      const hosts = [...new Set(loaded.plays.flatMap((p) => p.hosts))];
      early = await connectFirst(hosts, forks, (h) => connectSsh(h, loaded.inventory.hosts.get(h)!.connection, connecting));
    }
    const result = await runPlay(loaded, {
      runId,
      confirmTimeoutSec,
      owner: `${userInfo().username}@${hostname()}`,
      holds,
      stop: stop.signal,
      onHold: (point, sec) => process.stderr.write(`debug: holding at ${point} for ${sec} s\n`),
      check: Boolean(flags.check),
      forks,
      mode: progressMode(Boolean(flags.json)),
      log,
      connect: (host, spec) => early?.get(host) ?? connectSsh(host, spec, connecting),
      connectFresh: (host, spec) => connectSsh(host, spec, connecting),
      showPlan: (plans) => { if (!flags.json) say(formatPlan(plans, Boolean(flags.diff))); },
      approve: async () => {
        if (flags.yes) return true;
        if (!process.stdin.isTTY || !process.stdout.isTTY) {
          say('refusing to change routers without --yes when there is no terminal to ask on');
          return false;
        }
        return askYesNo('Apply these changes?');
      },
      interrupted: () => interrupted,
    });
    // The local copy of the run's journal (the routers keep theirs under /var/lib/teqlctl/runs).
    if (!result.check) writeLocalJournal(result.runId, runOutput(result, true, (t) => log.redact(t)));
    if (flags.json) process.stdout.write(runOutput(result, true, (t) => log.redact(t)) + '\n');
    else say(runOutput(result, false, (t) => log.redact(t)));
    process.exitCode = result.exitCode;
    return result.exitCode;
  } finally {
    for (const s of STOP_SIGNALS) process.off(s, onSignal);
    await closeAll(early);
  }
}
