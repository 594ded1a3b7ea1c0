// status, rollback and unlock read ansible.cfg and ANSIBLE_* as play does: said, or refused (hash
// merge), before any host is contacted; they said nothing of them (a review).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const MAIN = resolve(import.meta.dirname, '../../dist/cli/main.js');

function run(args: string[], env: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'teqlctl-cfg-notes-'));
  // A host nothing listens for (loopback, port 1): the command fails to connect, after its notes.
  writeFileSync(join(dir, 'inventory.yml'), 'all:\n  hosts:\n    r1:\n      ansible_host: 127.0.0.1\n      ansible_port: 1\n');
  return spawnSync(process.execPath, [MAIN, ...args.map((a) => a.replace('INV', join(dir, 'inventory.yml')))], { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH, HOME: dir, ...env } });
}

describe('ansible.cfg and ANSIBLE_* for status, rollback and unlock', () => {
  it('status says the ANSIBLE_* variables it does not read, as play does', () => {
    const r = run(['status', '-i', 'INV'], { ANSIBLE_FORKS: '5', ANSIBLE_PLAYBOOK_DIR: '/srv/site' });
    expect(r.stderr).toContain('note: not read: the environment sets ANSIBLE_FORKS, ANSIBLE_PLAYBOOK_DIR');
  });

  it('unlock refuses hash_behaviour=merge as play does: exit 2, no host contacted', () => {
    const r = run(['unlock', '-i', 'INV'], { ANSIBLE_HASH_BEHAVIOUR: 'merge' });
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/hash_behaviour|HASH_BEHAVIOUR/);
    expect(r.stderr).not.toMatch(/connection refused|unreachable/i);
  });
});
