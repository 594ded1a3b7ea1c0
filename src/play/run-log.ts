// A log of every command sent and its result, with secrets redacted, for the operator's records.
// `-v` streams the same lines to the terminal as they are written (see Echo).
import { appendFileSync, chmodSync, closeSync, constants, existsSync, openSync, statSync, writeSync } from 'node:fs';
import { ConfigError } from '../errors.js';
import { warnOnce } from '../connect/warn-once.js';
import { dirname } from 'node:path';
import type { CommandResult } from '../connect/transport.js';

/**
 * Where `-v` sends the log as it is written, and how much: 1 = each command's header line and
 * script (what was sent), 2 = its stdout and stderr too (facts are long: kept for -vv).
 */
export interface Echo {
  level: number;
  write: (text: string) => void;
}

export class RunLog {
  // Opened once for appending, on the first write: an append per record that opened and closed the
  // file was ~0.1 s of CPU at 500 hosts (the fleet bench). Each record is still written at once
  // (a killed run's log holds everything up to the kill); the process's exit closes it.
  private fd: number | undefined;
  /** A write failed: the log ends there (said once, and again by the recap's log line). */
  private broken = false;

  get incomplete(): boolean {
    return this.broken;
  }

  constructor(
    readonly file: string | undefined,
    private readonly secrets: string[] = [],
    private readonly echo?: Echo,
  ) {
    if (!file) return;
    checkLogPlace(file);
    try {
      appendFileSync(file, '', { mode: 0o600 });
      // Its own log file only: --log /dev/null must not change /dev/null's mode.
      if (statSync(file).isFile()) chmodSync(file, 0o600);
    } catch (err) {
      throw new ConfigError(`cannot write the log file ${file}: ${(err as Error).message}`, undefined, 'give --log a file you can write (not a folder)');
    }
  }

  redact(text: string): string {
    return this.secrets.filter((s) => s.length > 0).reduce((t, s) => t.split(s).join('[REDACTED]'), text);
  }

  /**
   * Writes `parts` one after the other, each string as it is: a record joined into one string and
   * copied into a Buffer was ~130 MB of garbage at 500 hosts (the ~60 KB apply scripts, twice).
   */
  private append(parts: readonly string[]): void {
    if (!this.file || this.broken) return;
    try {
      this.fd ??= openSync(this.file, 'a');
      for (const part of parts) writeWhole(this.fd, part);
    } catch (err) {
      // A full disk or a failing device must not stop a run halfway (its routers would be left to
      // their dead-man): said once, and the run goes on without its log.
      this.broken = true;
      warnOnce(`warning: cannot write the log file ${this.file} (${(err as Error).message}): the run goes on, its log ends here`);
    }
  }

  /**
   * The first part of a staged round trip, as it is sent: its shell then waits at its barrier, and
   * the round trip's record (record) follows with the rest and the output. Written now, it is in the
   * log even if the controller dies while the shell waits, and no copy is kept meanwhile.
   */
  sent(host: string, label: string, script: string): void {
    const parts = [`### ${new Date().toISOString()} ${host} ${label}: sent, its shell waits at its barrier\n--- script\n`, script.trimEnd(), '\n\n'];
    this.append(this.redactParts(parts));
    if (this.echo && this.echo.level >= 1) this.echo.write(this.redact(parts.join('')));
  }

  record(host: string, result: CommandResult): void {
    const sent = [`### ${new Date().toISOString()} ${host} ${result.label}: exit ${result.code} in ${result.durationMs} ms\n--- script\n`, result.script.trimEnd()];
    const said = ['\n--- stdout\n', result.stdout.trimEnd(), '\n--- stderr\n', result.stderr.trimEnd()];
    this.append(this.redactParts([...sent, ...said, '\n\n']));
    if (this.echo && this.echo.level >= 1) this.echo.write(this.redact([...sent, ...(this.echo.level >= 2 ? said : []), '\n'].join('')));
  }

  /** As redact, over the parts' concatenation: a secret split across two parts is still found. */
  private redactParts(parts: string[]): string[] {
    return this.secrets.some((s) => s.length > 0) ? [this.redact(parts.join(''))] : parts;
  }

  note(line: string): void {
    const text = this.redact(`# ${new Date().toISOString()} ${line}`) + '\n';
    this.append([text]);
    if (this.echo && this.echo.level >= 1) this.echo.write(text);
  }
}

/**
 * Where --log may write, checked before anything is written (play's offline looks check it too):
 * its folder must exist (--log does not create folders, as a shell's redirection does not: a typo
 * is said, not a new tree made), and it is no pipe nor socket: a pipe with no reader held the run
 * before it started, for ever (a review); -v streams the log.
 */
export function checkLogPlace(file: string): void {
  if (!existsSync(dirname(file)) || !statSync(dirname(file)).isDirectory()) {
    throw new ConfigError(`cannot write the log file ${file}: ${dirname(file)} is not a folder`, undefined, 'give --log a file in a folder that exists');
  }
  const kind = existsSync(file) ? statSync(file) : undefined;
  if (kind?.isSocket()) throw new ConfigError(`cannot write the log file ${file}: it is a socket`, undefined, 'give --log a regular file (or /dev/null); -v streams the log to the terminal');
  // A pipe something reads (`--log /dev/stderr | tee`, `--log >(gzip > x)`) is written; one nothing
  // reads would block the first write: an open that does not wait says which (ENXIO: no reader).
  if (kind?.isFIFO()) {
    try {
      closeSync(openSync(file, constants.O_WRONLY | constants.O_NONBLOCK));
    } catch (err) {
      const why = (err as NodeJS.ErrnoException).code === 'ENXIO' ? 'it is a pipe nothing reads' : (err as Error).message;
      throw new ConfigError(`cannot write the log file ${file}: ${why}`, undefined, 'give --log a regular file (or /dev/null), or a pipe with its reader started; -v streams the log to the terminal');
    }
  }
  if (kind?.isDirectory()) throw new ConfigError(`cannot write the log file ${file}: it is a folder`, undefined, 'give --log a file you can write (not a folder)');
}

/** One string written whole: the rest of a short write (a file system near full) from its bytes. */
function writeWhole(fd: number, text: string): void {
  const written = writeSync(fd, text);
  const bytes = Buffer.byteLength(text);
  if (written >= bytes) return;
  const buf = Buffer.from(text);
  for (let at = written; at < buf.length; ) at += writeSync(fd, buf, at);
}
