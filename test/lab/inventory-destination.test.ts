// `lab up` and `demo` check where the lab's inventory goes before anything boots: a path that
// cannot be written was found after both routers were up (internal error, exit 1, routers running).
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LabError } from '../../src/errors.js';
import { checkInventoryDestination } from '../../src/lab/inventory-destination.js';
import { runCli } from '../helpers/cli.js';

const folder = () => mkdtempSync(join(tmpdir(), 'teqlctl-inv-dest-'));

describe('the lab inventory\'s destination', () => {
  it('is fine as a new file in a folder that exists or will be created', () => {
    const dir = folder();
    expect(() => checkInventoryDestination(join(dir, 'lab.yml'))).not.toThrow();
    expect(() => checkInventoryDestination(join(dir, 'new', 'deeper', 'lab.yml'))).not.toThrow();
    writeFileSync(join(dir, 'old.yml'), 'x');
    expect(() => checkInventoryDestination(join(dir, 'old.yml'))).not.toThrow();
  });

  it('is refused as a folder, naming a file in it', () => {
    const dir = folder();
    expect(() => checkInventoryDestination(dir)).toThrow(LabError);
    expect(() => checkInventoryDestination(dir)).toThrow(`the lab's inventory path ${dir} is a folder`);
  });

  it('is refused under a file, at any depth', () => {
    const dir = folder();
    writeFileSync(join(dir, 'file'), 'x');
    expect(() => checkInventoryDestination(join(dir, 'file', 'lab.yml'))).toThrow(/goes through .*file/);
    expect(() => checkInventoryDestination(join(dir, 'file', 'a', 'b', 'lab.yml'))).toThrow(/goes through .*file/);
  });
});

describe('lab up and demo with an inventory path that cannot be written', () => {
  const cases = [
    ['lab up', ['lab', 'up']],
    ['demo', ['demo']],
  ] as const;
  it.each(cases)('%s: exit 7 before anything is built or booted', async (_name, command) => {
    const dir = folder();
    const lab = join(dir, 'lab');
    mkdirSync(lab);
    writeFileSync(join(dir, 'file'), 'x');
    for (const out of [join(dir, 'file', 'lab.yml'), dir, '']) {
      const r = await runCli([...command, '--inventory-out', out], { env: { TEQLCTL_LAB_DIR: lab } });
      expect(r.code, r.stderr).toBe(7);
      expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
      expect(r.stderr).toMatch(out === '' ? /--inventory-out is empty/ : /the lab's inventory path .* (goes through|is a folder)/);
      // Nothing built, nothing booted: the lab folder is as the test made it.
      expect(readdirSync(lab)).toEqual([]);
    }
    expect(existsSync(join(dir, 'file', 'lab.yml'))).toBe(false);
  });
});
