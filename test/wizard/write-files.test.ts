// The staged writes when write(2) writes less than asked (a file size limit, a nearly full disk) or
// fails: a truncated temporary was renamed over a good file (a review). write is made short here.
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import * as realFs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** At most `chunk` bytes per write; `failAfter` bytes in all, then ENOSPC (Infinity: never). */
const limits = { chunk: Infinity, failAfter: Infinity, written: 0, zero: false };
vi.mock('node:fs', async (orig) => {
  const fs = await orig<typeof import('node:fs')>();
  const writeSync = (fd: number, data: string | Uint8Array, offset?: number, length?: number) => {
    const bytes = typeof data === 'string' ? Buffer.from(data) : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    const from = typeof data === 'string' ? 0 : offset ?? 0;
    const want = typeof data === 'string' ? bytes.length : length ?? bytes.length - from;
    if (limits.zero) return 0;
    if (limits.written >= limits.failAfter) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    const n = fs.writeSync(fd, bytes, from, Math.min(want, limits.chunk));
    limits.written += n;
    return n;
  };
  return { ...fs, writeSync, default: { ...fs, writeSync } };
});
const { stageFiles } = await import('../../src/wizard/write-files.js');

const root = realFs.mkdtempSync(join(tmpdir(), 'teqlctl-wizard-write-'));
afterAll(() => realFs.rmSync(root, { recursive: true, force: true }));
beforeEach(() => Object.assign(limits, { chunk: Infinity, failAfter: Infinity, written: 0, zero: false }));

const inventoryText = `all:\n  hosts:\n${'    # a long enough comment line to need several writes\n'.repeat(40)}`;
const files = (dir: string) => [
  { path: join(dir, 'inventories', 'x.yml'), text: inventoryText },
  { path: join(dir, 'playbooks', 'x.yml'), text: 'playbook: é\n' },
];
const listing = (dir: string) => ['inventories', 'playbooks'].flatMap((d) => (realFs.existsSync(join(dir, d)) ? realFs.readdirSync(join(dir, d)).map((f) => `${d}/${f}`) : [])).sort();

describe('staged writes', () => {
  it('short writes: every byte is written all the same (before: the first 7 bytes, renamed into place)', () => {
    const dir = join(root, 'short');
    limits.chunk = 7;
    const staged = stageFiles(files(dir));
    staged.commit();
    expect(realFs.readFileSync(join(dir, 'inventories', 'x.yml'), 'utf8')).toBe(inventoryText);
    expect(realFs.readFileSync(join(dir, 'playbooks', 'x.yml'), 'utf8')).toBe('playbook: é\n');
  });

  it('a disk that fills up while writing: an error, the old files untouched, no temporary left', () => {
    const dir = join(root, 'full');
    realFs.mkdirSync(join(dir, 'inventories'), { recursive: true });
    realFs.writeFileSync(join(dir, 'inventories', 'x.yml'), 'old\n');
    limits.chunk = 100;
    limits.failAfter = 300;
    expect(() => stageFiles(files(dir))).toThrow('ENOSPC');
    expect(realFs.readFileSync(join(dir, 'inventories', 'x.yml'), 'utf8')).toBe('old\n');
    expect(listing(dir)).toEqual(['inventories/x.yml']);
  });

  it('a write that writes nothing (and says no error) fails instead of looping or truncating', () => {
    const dir = join(root, 'zero');
    limits.zero = true;
    expect(() => stageFiles(files(dir))).toThrow('only 0 of');
    expect(listing(dir)).toEqual([]);
  });
});
