// What a play run leaves behind: the recap or the JSON document, the local journal, the log file,
// and the exit code that --detailed-exitcode turns a pending change into.
import { join } from 'node:path';
import { ExitCode } from '../errors.js';
import { KEEP_FILES, localDir, privateDir, prune, writePrivateFile } from '../play/local-files.js';
import type { RunReport } from '../play/report.js';
import { toJson } from '../report/json.js';
import { formatRecap } from '../report/recap.js';
import { terminalJson } from '../ui/terminal.js';

export function writeLocalJournal(runId: string, json: string): void {
  const dir = localDir('runs');
  privateDir(dir);
  writePrivateFile(join(dir, `${runId}.json`), json + '\n');
  prune(dir);
}

/** The log of this run: --log as given, else a new file in the logs folder (0700), whose oldest are pruned. */
export function logFile(given: string | undefined, runId: string): string {
  if (given) return given;
  const dir = localDir('logs');
  privateDir(dir);
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
