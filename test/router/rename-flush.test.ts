// A file replaced by rename is flushed before the rename unless its file system commits the new
// data with the rename (ext4's auto_da_alloc, ext3/ext4 ordered data, tmpfs): the probe reads a
// mounts table as /proc/mounts says it, in the shells routers have.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { flushBeforeRename, renameSafeProbe } from '../../src/router/rename-flush.js';

// bash too: some routers' /bin/sh is bash, whose case patterns read "${m%/}"/* for / as no match.
const SHELLS = [['dash'], ['busybox', 'sh'], ['bash']];

/** `jbd2`: a folder standing for /proc/fs/jbd2, where the journal of /dev/sdz1 (every line's device) is listed. */
function probe(shell: string[], dir: string, mounts: string, table?: string, jbd2 = join(mounts, '..', 'jbd2')): string {
  if (table !== undefined) writeFileSync(mounts, table);
  const out = execFileSync(shell[0]!, [...shell.slice(1), '-c', `cd /; ${renameSafeProbe(dir, 'teqlctl_rs', mounts, jbd2)}\necho "rs=$teqlctl_rs pwd=$PWD"`], { encoding: 'utf8' });
  return out.trim();
}

describe.each(SHELLS)('%s: whether renames need a flush first', (...shell) => {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'rename-flush-')));
  const data = join(root, 'var', 'lib');
  mkdirSync(data, { recursive: true });
  const mounts = join(root, 'mounts');
  mkdirSync(join(root, 'jbd2', 'sdz1-8'), { recursive: true });
  // A mount point as /proc/mounts writes it: a space is \\040.
  const line = (at: string, type: string, opts = 'rw,relatime') => `/dev/sdz1 ${at.replaceAll(' ', '\\040')} ${type} ${opts} 0 0\n`;

  it('ext4 with its defaults, ext3, tmpfs: no flush needed; the shell is back where it was', () => {
    expect(probe(shell, join(data, 'teqlctl'), mounts, line('/', 'ext4'))).toBe('rs=1 pwd=/');
    expect(probe(shell, join(data, 'teqlctl'), mounts, line('/', 'ext3', 'rw,data=ordered'))).toBe('rs=1 pwd=/');
    expect(probe(shell, join(data, 'teqlctl'), mounts, line('/', 'xfs') + line(root, 'tmpfs'))).toBe('rs=1 pwd=/');
  });

  it('XFS, f2fs, UBIFS, an overlay, ext4 without auto_da_alloc or in writeback mode: a flush', () => {
    for (const table of [line('/', 'xfs'), line('/', 'f2fs'), line('/', 'ubifs'), line('/', 'overlay', 'rw,lowerdir=/rom'), line('/', 'ext4', 'rw,noauto_da_alloc'), line('/', 'ext4', 'rw,data=writeback')]) {
      expect(probe(shell, join(data, 'teqlctl'), mounts, table), table).toBe('rs=0 pwd=/');
    }
  });

  it('the mount that holds the folder: the last one over a prefix of its real path (symlinks resolved)', () => {
    // A later mount over a shorter prefix hides the earlier, longer one.
    expect(probe(shell, data, mounts, line('/', 'ext4') + line(data, 'xfs'))).toBe('rs=0 pwd=/');
    expect(probe(shell, data, mounts, line(data, 'xfs') + line(root, 'ext4'))).toBe('rs=1 pwd=/');
    // A sibling whose name starts the same is not a prefix.
    expect(probe(shell, data, mounts, line('/', 'ext4') + line(`${data}x`, 'xfs'))).toBe('rs=1 pwd=/');
    // /var/lib/teqlctl on the router a link to flash mounted elsewhere.
    const flash = join(root, 'flash');
    mkdirSync(flash, { recursive: true });
    const link = join(root, 'linked');
    if (!existsSync(link)) symlinkSync(flash, link);
    expect(probe(shell, join(link, 'teqlctl'), mounts, line('/', 'ext4') + line(flash, 'jffs2'))).toBe('rs=0 pwd=/');
  });

  it('ext4 without a journal (jbd2 lists none for its device), or without barriers: a flush', () => {
    expect(probe(shell, data, mounts, line('/', 'ext4'), join(root, 'no-jbd2'))).toBe('rs=0 pwd=/');
    expect(probe(shell, data, mounts, line('/', 'ext4', 'rw,nobarrier'))).toBe('rs=0 pwd=/');
    expect(probe(shell, data, mounts, line('/', 'ext4', 'rw,barrier=0'))).toBe('rs=0 pwd=/');
  });

  it('a mount point with a space (escaped in /proc/mounts) that may hold the folder: unknown, a flush', () => {
    const spaced = join(root, 'my disk', 'lib');
    mkdirSync(spaced, { recursive: true });
    expect(probe(shell, spaced, mounts, line('/', 'ext4') + line(join(root, 'my disk'), 'xfs'))).toBe('rs=0 pwd=/');
    // One that does not hold it changes nothing.
    expect(probe(shell, data, mounts, line('/', 'ext4') + line(join(root, 'my disk'), 'xfs'))).toBe('rs=1 pwd=/');
  });

  it('a mounts table that cannot be read: a flush', () => {
    expect(probe(shell, data, join(root, 'no-such-mounts'))).toBe('rs=0 pwd=/');
  });

  it('flushBeforeRename syncs unless the probe said 1, and without a probe', () => {
    const calls = join(root, 'sync-calls');
    // A function: BusyBox's shell runs its own sync applet whatever PATH says.
    const run = (pre: string) => {
      writeFileSync(calls, '');
      execFileSync(shell[0]!, [...shell.slice(1), '-c', `sync() { echo "$*" >> ${calls}; }; ${pre} ${flushBeforeRename('teqlctl_rs', '/var/lib/teqlctl/baseline.new')} && echo moved`], { encoding: 'utf8' });
      return readFileSync(calls, 'utf8');
    };
    expect(run('teqlctl_rs=1;')).toBe('');
    expect(run('teqlctl_rs=0;')).toBe('-f /var/lib/teqlctl/baseline.new\n');
    expect(run('')).toBe('-f /var/lib/teqlctl/baseline.new\n');
  });
});
