// `ssh -G`: OpenSSH's own answer to "what would `ssh NAME` use", with all of ssh_config applied
// (Include, Match, the system file, tokens). It prints the settings and exits; it never connects.
import { execFile } from 'node:child_process';
import { detachedString } from '../router/detached.js';

export interface SshGQuery {
  alias: string;
  port?: number;
  user?: string;
  proxyJump?: string;
  /** -F: this file instead of ~/.ssh/config and /etc/ssh/ssh_config. */
  configFile?: string;
}

export interface SshGResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export type RunSshG = (args: string[]) => Promise<SshGResult>;

/** The command line: -p/-l/-o as ssh's own command line would carry them, so they win over ssh_config. */
export function sshGArgs(q: SshGQuery): string[] {
  return [
    '-G',
    ...(q.configFile !== undefined ? ['-F', q.configFile] : []),
    ...(q.port !== undefined ? ['-p', String(q.port)] : []),
    ...(q.user !== undefined ? ['-l', q.user] : []),
    ...(q.proxyJump !== undefined ? ['-o', `ProxyJump=${q.proxyJump}`] : []),
    '--',
    q.alias,
  ];
}

/** Settings by lower-case keyword; every value of a keyword that repeats (identityfile), in order. */
export function parseSshG(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const m = /^(\S+) (.*)$/.exec(line.trimEnd());
    if (!m) continue;
    const key = m[1]!.toLowerCase();
    // Kept for the run's every connection: a copy, not a view of the whole answer (detached.ts).
    out.set(key, [...(out.get(key) ?? []), detachedString(m[2]!)]);
  }
  return out;
}

/** Runs `binary -G ...` with no stdin, bounded in time (a `Match exec` may run a command). */
export function runSshG(binary: string, timeoutMs = 10_000): RunSshG {
  return (args) => new Promise((resolve) => {
    const child = execFile(binary, args, { timeout: timeoutMs, maxBuffer: 1 << 20, env: { ...process.env, LANG: 'C', LC_ALL: 'C' } }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
      resolve({ code, stdout: String(stdout), stderr: err && code === null ? `${String(stderr)}${err.message}` : String(stderr) });
    });
    child.stdin?.end();
  });
}
