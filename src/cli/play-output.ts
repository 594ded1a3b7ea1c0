// What a play run leaves behind: the recap or the JSON document, the local journal, the log file,
// and the exit code that --detailed-exitcode turns a pending change into.
import { join } from 'node:path';
import { ConfigError, ExitCode } from '../errors.js';
import { KEEP_FILES, localDir, privateDir, prune, writePrivateFile } from '../play/local-files.js';
import type { RunReport } from '../play/report.js';
import { toJson } from '../report/json.js';
import { formatRecap } from '../report/recap.js';
import { terminalJson } from '../ui/terminal.js';

/** The folder of the local journals, made (or refused, exit 2) before the run changes anything. */
export function journalDir(): string {
  const dir = localDir('runs');
  privateDir(dir, 'the folder of run journals');
  return dir;
}

/**
 * The local copy of the run's journal (the routers keep theirs). Written after the run: a failure
 * then (a full disk) is said, never taken for the run's outcome.
 */
export function writeLocalJournal(runId: string, json: string): string | undefined {
  try {
    const dir = journalDir();
    writePrivateFile(join(dir, `${runId}.json`), json + '\n');
    try {
      prune(dir);
    } catch (err) {
      return `warning: old run journals in ${dir} could not be pruned (${(err as Error).message})`;
    }
    return undefined;
  } catch (err) {
    return `warning: the local copy of the run's journal was not written (${(err as Error).message}); the routers keep theirs (teqlctl status)`;
  }
}

/** The log of this run: --log as given, else a new file in the logs folder (0700), whose oldest are pruned. */
export function logFile(given: string | undefined, runId: string): string {
  // `--log ''` wrote to the default folder without a word (a review).
  if (given === '') throw new ConfigError('--log is empty', undefined, 'give the log file, or leave --log out for the default folder');
  if (given) return given;
  const dir = localDir('logs');
  privateDir(dir, 'the folder of run logs');
  prune(dir, KEEP_FILES - 1);
  return join(dir, `${runId}.log`);
}

/**
 * `--check --detailed-exitcode`, as Terraform's `plan -detailed-exitcode`: a clean check with
 * changes to make exits 9 instead of 0, so cron or CI can tell drift from "all as wanted".
 * Any failure keeps its own code: 9 only ever means "read every router, and they differ".
 */
export function detailedExit(r: RunReport): RunReport {
  if (!r.check || r.exitCode !== ExitCode.ok) return r;
  const pending = r.hosts.reduce((n, h) => n + h.planned.length, 0);
  if (pending === 0) return { ...r, summary: `${r.summary}; no changes pending` };
  const hosts = r.hosts.filter((h) => h.planned.length > 0).map((h) => h.host);
  return { ...r, exitCode: ExitCode.changesPending, summary: `${r.summary}; ${pending} change(s) pending on ${hosts.join(', ')}` };
}

/**
 * What the run prints: the JSON document or the recap, with every secret the run knows (become
 * password, passphrases) cut out as from the log, since command output or sudo's messages may echo one.
 */
export function runOutput(result: RunReport, json: boolean, redact: (text: string) => string): string {
  if (!json) return redact(formatRecap(result));
  // Each string before it is escaped: a secret with a quote or a backslash reads otherwise in JSON.
  const clean = (v: unknown): unknown =>
    typeof v === 'string' ? redact(v)
      : Array.isArray(v) ? v.map(clean)
      : v !== null && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, clean(x)]))
      : v;
  return terminalJson(clean(toJson(result)));
}
