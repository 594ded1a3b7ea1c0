// `ssh -G` for a fleet, through one small helper process. Each spawn from teqlctl's own process
// costs its main thread ~4 ms at fleet sizes (fork copies the page tables of a 300 MB process): 500
// hosts spent ~1.8 s there. The helper (a bare `node -e`, ~40 MB) spawns them instead and answers
// one JSON line per request. It ends when teqlctl does (its stdin closes), and keeps no run alive.
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { RunSshG, SshGResult } from './ssh-g.js';

// The helper: requests {id, args} in, answers {id, code, stdout, stderr} out, each on one line.
const HELPER = `
const { execFile } = require('node:child_process');
const [binary, timeout] = process.argv.slice(1);
require('node:readline').createInterface({ input: process.stdin }).on('line', (line) => {
  const { id, args } = JSON.parse(line);
  const child = execFile(binary, args, { timeout: Number(timeout), maxBuffer: 1 << 20, env: { ...process.env, LANG: 'C', LC_ALL: 'C' } }, (err, stdout, stderr) => {
    const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
    process.stdout.write(JSON.stringify({ id, code, stdout: String(stdout), stderr: err && code === null ? String(stderr) + err.message : String(stderr) }) + '\\n');
  });
  child.stdin && child.stdin.end();
});`;

export function sshGBroker(binary: string, timeoutMs = 10_000): RunSshG {
  let child: ChildProcessByStdio<Writable, Readable, null> | undefined;
  const waiting = new Map<number, (r: SshGResult) => void>();
  let next = 0;
  // Referenced only while an answer is awaited: an idle helper never keeps teqlctl from exiting.
  const hold = (on: boolean) => {
    for (const h of [child, child?.stdin, child?.stdout] as Array<{ ref(): void; unref(): void } | undefined>) {
      if (on) h?.ref();
      else h?.unref();
    }
  };
  // A helper that died, or never started (spawn's 'error' comes without 'exit'), fails what it
  // still owes as a failed ssh -G, and the next request starts a new one.
  const fail = (c: unknown, why: string) => {
    for (const done of waiting.values()) done({ code: null, stdout: '', stderr: `ssh -G helper ${why}` });
    waiting.clear();
    if (child === c) child = undefined;
  };
  const start = () => {
    const c = spawn(process.execPath, ['-e', HELPER, binary, String(timeoutMs)], { stdio: ['pipe', 'pipe', 'inherit'] });
    c.on('error', (err) => fail(c, `could not run: ${err.message}`));
    c.on('close', (code) => fail(c, `exited (${code})`));
    if (!c.stdin || !c.stdout) return c;
    c.stdin.on('error', () => undefined);
    createInterface({ input: c.stdout }).on('line', (line) => {
      const { id, ...result } = JSON.parse(line) as SshGResult & { id: number };
      waiting.get(id)?.(result);
      waiting.delete(id);
      if (waiting.size === 0) hold(false);
    });
    return c;
  };
  return (args) => new Promise((resolve) => {
    child ??= start();
    const id = next++;
    waiting.set(id, resolve);
    if (!child.stdin || !child.stdout) return fail(child, 'has no pipes (out of file descriptors?)');
    hold(true);
    child.stdin.write(JSON.stringify({ id, args }) + '\n');
  });
}
