// readLimited sizes its buffer by fstat and grows it only for a file that grew since (it zeroed a
// buffer of the whole size limit per file before, 8 MiB for each of a fleet's group_vars files).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_FILE_BYTES } from '../../src/load/limits.js';
import { readLimited } from '../../src/load/yaml-guard.js';
import { loadInventory } from '../../src/load/inventory.js';
import { errorsOf, writeCase } from './helpers.js';

describe('readLimited', () => {
  it('reads a file whose size fstat does not know (it says 0 for /proc files) whole', () => {
    expect(readLimited('/proc/version')).toEqual({ text: readFileSync('/proc/version', 'utf8') });
  });

  it('reads a file of exactly the limit, and refuses one byte more', () => {
    const dir = writeCase({});
    writeFileSync(join(dir, 'at'), 'a'.repeat(MAX_FILE_BYTES));
    writeFileSync(join(dir, 'over'), 'a'.repeat(MAX_FILE_BYTES + 1));
    const at = readLimited(join(dir, 'at'));
    expect('text' in at && at.text.length).toBe(MAX_FILE_BYTES);
    expect(readLimited(join(dir, 'over'))).toMatchObject({ why: `it is ${MAX_FILE_BYTES + 1} bytes, more than the limit of ${MAX_FILE_BYTES} bytes (8 MiB)` });
  });

  it('reads an empty file as empty', () => {
    const dir = writeCase({ empty: '' });
    expect(readLimited(join(dir, 'empty'))).toEqual({ text: '' });
  });
});

describe('an INI inventory with a comment line that is not UTF-8', () => {
  it('is refused at its byte, as Ansible refuses it: its ini plugin means to blank such comments, but on Python 3 it compares a byte\'s number with a bytes marker, never equal, and fails to parse the file', () => {
    const dir = writeCase({});
    writeFileSync(join(dir, 'hosts'), Buffer.from('# caf\xe9\n[routers]\nr1 ansible_user=admin\n', 'latin1'));
    expect(errorsOf(() => loadInventory(join(dir, 'hosts')))[0]!.located).toBe(`${dir}/hosts:1:6: cannot read inventory '${dir}/hosts': it is not UTF-8 text (byte 0xe9 at line 1, column 6)`);
  });
});

describe('a /proc/sys file (its size 0 to fstat, nothing read past offset 0)', () => {
  it('is read whole, not cut to its first byte (a review)', () => {
    const file = '/proc/sys/net/ipv4/ip_local_port_range';
    expect(readLimited(file)).toEqual({ text: readFileSync(file, 'utf8') });
  });
});
