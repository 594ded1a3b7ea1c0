// A log of every command sent and its result, with secrets redacted, for the operator's records.
import { appendFileSync, chmodSync, existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { CommandResult } from '../connect/transport.js';

export class RunLog {
  constructor(
    readonly file: string | undefined,
    private readonly secrets: string[] = [],
  ) {
    if (!file) return;
    // Only its owner may read it (0600), in a folder created 0700 when missing.
    if (!existsSync(dirname(file))) mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    appendFileSync(file, '', { mode: 0o600 });
    chmodSync(file, 0o600);
  }

  redact(text: string): string {
    return this.secrets.filter((s) => s.length > 0).reduce((t, s) => t.split(s).join('[REDACTED]'), text);
  }

  record(host: string, result: CommandResult): void {
    if (!this.file) return;
    const block = [
      `### ${new Date().toISOString()} ${host} ${result.label}: exit ${result.code} in ${result.durationMs} ms`,
      '--- script', result.script.trimEnd(),
      '--- stdout', result.stdout.trimEnd(),
      '--- stderr', result.stderr.trimEnd(),
      '',
    ].join('\n');
    appendFileSync(this.file, this.redact(block) + '\n');
  }

  note(line: string): void {
    if (this.file) appendFileSync(this.file, this.redact(`# ${new Date().toISOString()} ${line}`) + '\n');
  }
}
