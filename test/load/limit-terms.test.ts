import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { limitTerms } from '../../src/load/limit-terms.js';
import { MAX_FILE_BYTES } from '../../src/load/limits.js';
import { writeCase } from './helpers.js';

const dir = writeCase({ 'retry': 'r1\n\n  r2:r3 \r\n!r4\rg[0]\n', 'blank': '\n  \n', 'one': 'web' });
mkdirSync(join(dir, 'folder'));

describe('--limit terms, @file read as Ansible reads it', () => {
  it('cuts the pattern as hosts: is cut', () => {
    expect(limitTerms(['a:b,c'])).toEqual(['a:b', 'c']);
    expect(limitTerms(['a:!b &c'])).toEqual(['a', '!b', '&c']);
  });

  it('takes each line of an @file as one term, stripped, not cut again; blank lines left out', () => {
    expect(limitTerms([`@${join(dir, 'retry')}`])).toEqual(['r1', 'r2:r3', '!r4', 'g[0]']);
    expect(limitTerms([`x,@${join(dir, 'one')},!y`])).toEqual(['x', 'web', '!y']);
  });

  it('refuses a file that names no host (Ansible would run every host), a folder, a missing file', () => {
    expect(() => limitTerms([`@${join(dir, 'blank')}`])).toThrow('the limit file names no host (Ansible would then run every host)');
    expect(() => limitTerms([`@${join(dir, 'folder')}`])).toThrow('a limit file must be a file, not a folder');
    expect(() => limitTerms([`@${join(dir, 'nope')}`])).toThrow('the limit file cannot be read (no such file)');
  });

  it('refuses a named pipe, a device and a file over the size limit at once, reading none of it (a FIFO waited for a writer forever, /dev/zero filled memory)', () => {
    execFileSync('mkfifo', [join(dir, 'fifo')]);
    expect(() => limitTerms([`@${join(dir, 'fifo')}`])).toThrow('the limit file cannot be read (a named pipe (FIFO), not a regular file)');
    expect(() => limitTerms(['@/dev/zero'])).toThrow('the limit file cannot be read (a character device, not a regular file)');
    const lines = Math.ceil((MAX_FILE_BYTES + 1) / 3);
    writeFileSync(join(dir, 'huge'), 'r1\n'.repeat(lines));
    expect(() => limitTerms([`@${join(dir, 'huge')}`])).toThrow(`the limit file cannot be read (${lines * 3} bytes, more than the limit of ${MAX_FILE_BYTES} bytes (8 MiB)`);
  });
});
