// The key question's check reads the file the operator names, synchronously, while the terminal is
// in raw mode: a named pipe or a device must be refused before any read (Ctrl-C could not end it).
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkKeyFile } from '../../src/wizard/connect-router.js';

const dir = mkdtempSync(join(tmpdir(), 'teqlctl-wizard-key-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the private key question', () => {
  it('refuses a named pipe without reading it', () => {
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    // A writer, so that a read (the bug) ends with "x" instead of holding this test forever.
    const writer = spawn('sh', ['-c', `echo x > '${fifo}'`], { stdio: 'ignore' });
    try {
      expect(checkKeyFile(fifo)).toBe(`${fifo} is not a file (a folder, a pipe or a device): no key is read from it`);
    } finally {
      writer.kill();
    }
  });

  it('refuses a device and a file larger than any key', () => {
    expect(checkKeyFile('/dev/null')).toContain('is not a file');
    const big = join(dir, 'big');
    writeFileSync(big, Buffer.alloc((1 << 20) + 1, 'A'));
    expect(checkKeyFile(big)).toContain('larger than any key file');
  });

  it('still says what is wrong with a missing file or a public key', () => {
    expect(checkKeyFile(join(dir, 'none'))).toContain('cannot read');
    const pub = join(dir, 'id.pub');
    writeFileSync(pub, 'ssh-ed25519 AAAA x\n');
    expect(checkKeyFile(pub)).toContain('drop .pub');
  });
});
