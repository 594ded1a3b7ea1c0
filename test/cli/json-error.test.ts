// Bad input with --json: the error document on stdout (file, line, column, message), the located
// message on stderr still, exit 2; without --json, stdout stays empty.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { wantsJson } from '../../src/cli/json-error.js';
import { runCli } from '../helpers/cli.js';
import { schemaErrors } from '../helpers/json-schema.js';

function badInventory(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'teqlctl-json-error-')), 'inventory.yml');
  // r1 in the playbook's group: a host's own problem stops a run that reaches it.
  writeFileSync(file, 'all:\n  children:\n    routers:\n      hosts:\n        r1:\n          ansible_port: nope\n');
  return file;
}

describe('--json on exit 2', () => {
  it('play prints the error document with the problem\'s position', async () => {
    const inventory = badInventory();
    const r = await runCli(['play', '-i', inventory, 'playbooks/teql.yml', '--json']);
    expect(r.code).toBe(2);
    const doc = JSON.parse(r.stdout) as { errors: unknown[] };
    expect(doc.errors).toEqual([{ file: inventory, line: 6, column: 11, message: 'ansible_port of host r1 must be a port number 1..65535, got "nope"', hint: expect.any(String) }]);
    expect(schemaErrors('error', doc)).toEqual([]);
    expect(r.stderr).toContain(`${inventory}:6:11: ansible_port of host r1`);
  });

  it('status prints it too, before any connection', async () => {
    const r = await runCli(['status', '-i', badInventory(), '--json']);
    expect(r.code).toBe(2);
    expect(schemaErrors('error', JSON.parse(r.stdout))).toEqual([]);
  });

  it('an error of the command line itself has a document without a position', async () => {
    const r = await runCli(['play', '-i', 'x.yml', 'playbooks/teql.yml', '--json', '--forks', '0']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({ kind: 'error', errors: [{ file: null, line: null, column: null, message: '--forks must be a whole number from 1 to 10000, got "0"' }] });
    const unknown = await runCli(['play', '-i', 'x.yml', 'playbooks/teql.yml', '--json', '--no-such-option']);
    expect(unknown.code).toBe(2);
    expect(JSON.parse(unknown.stdout)).toMatchObject({ errors: [{ message: "unknown option '--no-such-option'" }] });
  });

  it('without --json, stdout stays empty', async () => {
    const r = await runCli(['play', '-i', badInventory(), 'playbooks/teql.yml']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
  });

  it.each([['unlock'], ['rollback']])('%s --json (no such option there): exit 2, said on stderr, stdout empty, as any unknown option', async (command) => {
    const r = await runCli([command, '-i', 'inventories/lab.yml', '--json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option '--json'");
    expect(r.stdout).toBe('');
  });

  it('reads --json before `--` only: what follows belongs to another program', () => {
    expect(wantsJson(['play', '--json'])).toBe(true);
    expect(wantsJson(['lab', 'ssh', 'a', '--', 'ip', '--json'])).toBe(false);
    expect(wantsJson(['play', '--jsonx'])).toBe(false);
    expect(wantsJson(['status', '-i', 'inv', '--json'])).toBe(true);
    // A command without --json: its unknown option is said on stderr alone, as for any other option.
    expect(wantsJson(['unlock', '--json'])).toBe(false);
    expect(wantsJson(['rollback', '-i', 'inv', '--json'])).toBe(false);
  });
});
