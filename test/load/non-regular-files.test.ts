// A named pipe, socket or device where a file is read (the playbook, -e @FILE, host_vars/NAME.yml):
// refused naming it, as `-i` refuses one, never waited on forever nor skipped without a word.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extraVarsLayer } from '../../src/load/extra-vars.js';
import { loadInventory } from '../../src/load/inventory.js';
import { Problems } from '../../src/load/problems.js';
import { errorsOf } from './helpers.js';

const HINT = 'give a regular file: teqlctl reads no pipe, socket or device (one would wait for a writer, or never end)';

function fifo(name = 'f.yml'): string {
  const path = join(mkdtempSync(join(tmpdir(), 'teqlctl-fifo-')), name);
  execFileSync('mkfifo', [path]);
  return path;
}

/**
 * Runs `call` (an expression over loadRun and extraVarsLayer) in a child process, so that a read
 * that waits for a writer fails the test after a few seconds instead of stopping the suite.
 */
function inChild(call: string): string {
  const script = join(mkdtempSync(join(tmpdir(), 'teqlctl-child-')), 'load.mts');
  writeFileSync(script, `import { loadRun } from ${JSON.stringify(resolve('src/load/index.ts'))};
import { extraVarsLayer } from ${JSON.stringify(resolve('src/load/extra-vars.ts'))};
import { Problems } from ${JSON.stringify(resolve('src/load/problems.ts'))};
void extraVarsLayer; void Problems;
try { ${call}; console.log('OK'); } catch (e) { console.log((e.errors ?? [e]).map((x) => x.located + '\\n  hint: ' + x.hint).join('\\n')); }
`);
  return execFileSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', timeout: 15_000 }).trim();
}

describe('a file that is not a regular file', () => {
  it('as the playbook: refused at once, naming it', () => {
    const path = fifo();
    expect(inChild(`loadRun(${JSON.stringify(resolve('inventories/example.yml'))}, ${JSON.stringify(path)})`)).toBe(
      `${path}:1:1: cannot read playbook '${path}': it is a named pipe (FIFO), not a regular file\n  hint: ${HINT}`,
    );
  });

  it('as -e @FILE: refused at once, naming it', () => {
    const path = fifo('vars.yml');
    const call = `const p = new Problems(); extraVarsLayer(['@${path}'], p); p.throwIfAny()`;
    expect(inChild(call)).toBe(`${path}:1:1: cannot read extra vars file (-e @FILE) '${path}': it is a named pipe (FIFO), not a regular file\n  hint: ${HINT}`);
  });

  it('a character device as -e @FILE: refused, not read as an empty file', () => {
    const problems = new Problems();
    extraVarsLayer(['@/dev/null'], problems);
    expect(problems.errors().map((e) => e.message)).toEqual(["cannot read extra vars file (-e @FILE) '/dev/null': it is a character device, not a regular file"]);
  });

  it('at host_vars/NAME.yml, a named pipe or a socket: refused naming it, not skipped', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'teqlctl-hv-'));
    cpSync('inventories/example.yml', join(dir, 'inv.yml'));
    mkdirSync(join(dir, 'host_vars'));
    execFileSync('mkfifo', [join(dir, 'host_vars', 'router_a.yml')]);
    const socket = join(dir, 'host_vars', 'router_b.yml');
    const server = createServer();
    await new Promise<void>((done) => server.listen(socket, done));
    try {
      expect(errorsOf(() => loadInventory(join(dir, 'inv.yml'))).map((e) => `${e.located}\n  hint: ${e.hint}`)).toEqual([
        `${join(dir, 'host_vars', 'router_a.yml')}:1:1: cannot read host_vars file '${join(dir, 'host_vars', 'router_a.yml')}': it is a named pipe (FIFO), not a regular file\n  hint: ${HINT}`,
        `${socket}:1:1: cannot read host_vars file '${socket}': it is a socket, not a regular file\n  hint: ${HINT}`,
      ]);
    } finally {
      server.close();
    }
  });
});
