// The playbook folder `play` records for its -i, read back by status, rollback and unlock.
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recordFile, recordPlaybookDir, rememberedPlaybookDir } from '../../src/cli/remembered-playbook-dir.js';

function place() {
  const root = mkdtempSync(join(tmpdir(), 'teqlctl-remember-'));
  const file = join(root, 'state', 'teqlctl', 'playbook-dirs.json');
  const playbooks = join(root, 'playbooks');
  mkdirSync(join(playbooks, 'group_vars'), { recursive: true });
  return { root, file, playbook: join(playbooks, 'teql.yml'), inventory: join(root, 'inventories', 'site.yml') };
}

describe('the playbook folder of the last play with an inventory', () => {
  it('is read back for the same -i, however written (relative or absolute), newest first; the file is its owner\'s alone', () => {
    const p = place();
    expect(recordPlaybookDir([p.inventory], join(p.root, 'old', 'x.yml'), 'run-1', p.file)).toBeUndefined();
    expect(recordPlaybookDir([p.inventory], p.playbook, 'run-2', p.file)).toBeUndefined();
    expect(rememberedPlaybookDir([relative(process.cwd(), p.inventory)], p.file)).toEqual({ dir: join(p.root, 'playbooks'), playbook: p.playbook, runId: 'run-2' });
    expect(statSync(p.file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(p.file, 'utf8')).entries).toHaveLength(1);
  });

  it('nothing for another -i (other files, or the same in another order: Ansible merges them in order)', () => {
    const p = place();
    const other = join(p.root, 'inventories', 'lab.yml');
    recordPlaybookDir([p.inventory, other], p.playbook, 'run-1', p.file);
    expect(rememberedPlaybookDir([p.inventory], p.file)).toBeUndefined();
    expect(rememberedPlaybookDir([other, p.inventory], p.file)).toBeUndefined();
    expect(rememberedPlaybookDir([p.inventory, other], p.file)?.runId).toBe('run-1');
  });

  it('nothing where the folder holds no group_vars/ or host_vars/ (any more): there is nothing of it to read', () => {
    const p = place();
    const bare = join(p.root, 'bare');
    mkdirSync(bare);
    recordPlaybookDir([p.inventory], join(bare, 'teql.yml'), 'run-1', p.file);
    expect(rememberedPlaybookDir([p.inventory], p.file)).toBeUndefined();
    mkdirSync(join(bare, 'host_vars'));
    expect(rememberedPlaybookDir([p.inventory], p.file)?.dir).toBe(bare);
  });

  it('a damaged or foreign file remembers nothing, and the next play writes it anew', () => {
    const p = place();
    mkdirSync(join(p.root, 'state', 'teqlctl'), { recursive: true });
    for (const text of ['{"entries": [', '[]', '{"entries": [{"inventory": "x", "playbook": 1}]}']) {
      writeFileSync(p.file, text);
      expect(rememberedPlaybookDir([p.inventory], p.file)).toBeUndefined();
    }
    recordPlaybookDir([p.inventory], p.playbook, 'run-3', p.file);
    expect(rememberedPlaybookDir([p.inventory], p.file)?.runId).toBe('run-3');
  });

  it('keeps the 100 newest inventories', () => {
    const p = place();
    for (let i = 0; i < 105; i++) recordPlaybookDir([join(p.root, `inv-${i}.yml`)], p.playbook, `run-${i}`, p.file);
    expect(rememberedPlaybookDir([join(p.root, 'inv-104.yml')], p.file)?.runId).toBe('run-104');
    expect(rememberedPlaybookDir([join(p.root, 'inv-5.yml')], p.file)?.runId).toBe('run-5');
    expect(rememberedPlaybookDir([join(p.root, 'inv-4.yml')], p.file)).toBeUndefined();
  });

  it('a folder it cannot be written in: a warning naming --playbook-dir, not a failure', () => {
    const p = place();
    mkdirSync(join(p.root, 'state'));
    writeFileSync(join(p.root, 'state', 'teqlctl'), 'a file in the way');
    expect(recordPlaybookDir([p.inventory], p.playbook, 'run-1', p.file)).toMatch(new RegExp(`^warning: the playbook's folder was not recorded for status, rollback and unlock \\(.*\\): give them --playbook-dir ${join(p.root, 'playbooks')} `));
  });

  it('lives in teqlctl\'s state folder, beside the run journals', () => {
    expect(recordFile({ XDG_STATE_HOME: '/srv/state' })).toBe('/srv/state/teqlctl/playbook-dirs.json');
  });
});
