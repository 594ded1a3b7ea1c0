// The undo that takes a link down again adds back the IPv6 addresses the kernel deletes on down,
// oldest first with their flags (bench/experiments/prior-states.ts found them lost, then, with
// keep_addr_on_down, a nodad address's local route lost). Run here by dash against a stub `ip`
// that prints what a router listed and records what it is asked.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderOp } from '../../src/apply/render-op.js';

// `ip -6 -o addr show dev eth2 scope global permanent` on the lab (Debian 12), newest first.
const LISTED = [
  '4: eth2    inet6 2001:db8:13::5/64 scope global tentative noprefixroute \\       valid_lft forever preferred_lft forever',
  '4: eth2    inet6 2001:db8:12::2/64 scope global nodad \\       valid_lft forever preferred_lft forever',
  '4: eth2    inet6 2001:db8:12::1/64 scope global tentative \\       valid_lft forever preferred_lft forever',
].join('\n');

function run(listed: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'teqlctl-ip-'));
  writeFileSync(join(dir, 'listed'), listed === '' ? '' : `${listed}\n`);
  writeFileSync(join(dir, 'ip'), `#!/bin/sh\necho "$*" >> ${dir}/calls\ncase "$*" in *"-o addr show"*) cat ${dir}/listed;; esac\n`);
  chmodSync(join(dir, 'ip'), 0o755);
  execFileSync('dash', ['-c', renderOp({ kind: 'link', dev: 'eth2', up: false, keepAddresses: true })], { env: { PATH: `${dir}:/usr/bin:/bin` } });
  return readFileSync(join(dir, 'calls'), 'utf8').trim().split('\n');
}

describe('taking a link down in an undo, its IPv6 addresses kept', () => {
  it('adds them back after the down, oldest first, with the flags ip addr add takes', () => {
    expect(run(LISTED)).toEqual([
      '-6 -o addr show dev eth2 scope global permanent',
      'link set dev eth2 down',
      '-6 addr add 2001:db8:12::1/64 dev eth2',
      '-6 addr add 2001:db8:12::2/64 dev eth2 nodad',
      '-6 addr add 2001:db8:13::5/64 dev eth2 noprefixroute',
    ]);
  });

  it('is the down alone where the link has none', () => {
    expect(run('')).toEqual(['-6 -o addr show dev eth2 scope global permanent', 'link set dev eth2 down']);
  });

  it('is a plain down where nothing asks to keep them', () => {
    expect(renderOp({ kind: 'link', dev: 'eth1', up: false })).toBe('ip link set dev eth1 down');
  });
});
