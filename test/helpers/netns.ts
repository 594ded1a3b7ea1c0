// A private network namespace for one test file, on the real kernel and iproute2 (needs root, as CI
// has): added before its tests (then `setup` run in it), deleted after. Returns `sh`, which runs a
// shell line in it (with `env` added to the environment) and gives its output.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll } from 'vitest';

export function netnsShell(prefix: string, setup?: string): (line: string, env?: NodeJS.ProcessEnv) => string {
  const name = `teqlctl-${prefix}-${process.pid}`;
  const sh = (line: string, env: NodeJS.ProcessEnv = {}) => execFileSync('ip', ['netns', 'exec', name, 'sh', '-c', line], { encoding: 'utf8', env: { ...process.env, ...env } });
  beforeAll(() => {
    execFileSync('ip', ['netns', 'add', name]);
    if (setup) sh(setup);
  });
  afterAll(() => execFileSync('ip', ['netns', 'del', name]));
  return sh;
}
