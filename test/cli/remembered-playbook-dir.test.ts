// The playbook folders `play` records for its -i, read back by status, rollback and unlock.
import { mkdirSync, mkdtempSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { execFile } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { recordDir, recordedRunDir, recordedRunOf, recordPlaybookDir, recordRunOutcome, rememberedPlaybookDir } from '../../src/cli/remembered-playbook-dir.js';

function place() {
  const root = mkdtempSync(join(tmpdir(), 'teqlctl-remember-'));
  const dir = join(root, 'state', 'teqlctl', 'playbook-dirs');
  const playbooks = join(root, 'playbooks');
  mkdirSync(join(playbooks, 'group_vars'), { recursive: true });
  mkdirSync(join(root, 'old', 'host_vars'), { recursive: true });
  return { root, dir, playbook: join(playbooks, 'teql.yml'), older: join(root, 'old', 'teql.yml'), inventory: join(root, 'inventories', 'site.yml') };
}

describe('the playbook folders of the runs with an inventory', () => {
  it('the latest run\'s, for the same -i however written (relative, through a symbolic link); the files are their owner\'s alone', () => {
    const p = place();
    expect(recordPlaybookDir([p.inventory], p.older, 'run-1', p.dir)).toBeUndefined();
    expect(recordPlaybookDir([p.inventory], p.playbook, 'run-2', p.dir)).toBeUndefined();
    expect(rememberedPlaybookDir([relative(process.cwd(), p.inventory)], undefined, p.dir)).toEqual({ dir: join(p.root, 'playbooks'), playbook: p.playbook, runId: 'run-2', confirmed: false, extraNames: [] });
    mkdirSync(join(p.root, 'inventories'));
    writeFileSync(p.inventory, 'all: {}\n');
    symlinkSync(join(p.root, 'inventories'), join(p.root, 'link'));
    expect(rememberedPlaybookDir([join(p.root, 'link', 'site.yml')], undefined, p.dir)?.runId).toBe('run-2');
    const [file] = readdirSync(p.dir);
    expect(statSync(join(p.dir, file!)).mode & 0o777).toBe(0o600);
  });

  it('a playbook that is a symbolic link to one elsewhere: the folder holding the link, whose group_vars/ play read (a review)', () => {
    const p = place();
    mkdirSync(join(p.root, 'shared'));
    writeFileSync(join(p.root, 'shared', 'teql.yml'), '- hosts: all\n');
    symlinkSync(join(p.root, 'shared', 'teql.yml'), p.playbook);
    recordPlaybookDir([p.inventory], p.playbook, 'run-1', p.dir);
    expect(rememberedPlaybookDir([p.inventory], undefined, p.dir)).toEqual({ dir: join(p.root, 'playbooks'), playbook: p.playbook, runId: 'run-1', confirmed: false, extraNames: [] });
  });

  it('each run\'s -e connection variables, by name, kept for its own run only (a later run of the same playbook without -e has none)', () => {
    const p = place();
    recordPlaybookDir([p.inventory], p.playbook, 'run-1', p.dir, ['ansible_user']);
    recordPlaybookDir([p.inventory], p.playbook, 'run-2', p.dir);
    expect(recordedRunOf([p.inventory], { runId: 'run-1' }, p.dir)).toMatchObject({ runId: 'run-1', extraNames: ['ansible_user'] });
    expect(recordedRunOf([p.inventory], 'latest', p.dir)).toMatchObject({ runId: 'run-2', extraNames: [] });
  });

  it('rollback --run: the folder that run read, though a later run read another', () => {
    const p = place();
    recordPlaybookDir([p.inventory], p.older, 'run-1', p.dir);
    recordPlaybookDir([p.inventory], p.playbook, 'run-2', p.dir);
    recordPlaybookDir([p.inventory], p.older, 'run-3', p.dir);
    expect(rememberedPlaybookDir([p.inventory], { runId: 'run-2' }, p.dir)).toMatchObject({ dir: join(p.root, 'playbooks'), runId: 'run-2', confirmed: false, extraNames: [] });
    expect(rememberedPlaybookDir([p.inventory], { runId: 'run-1' }, p.dir)).toMatchObject({ dir: join(p.root, 'old'), runId: 'run-1', confirmed: false, extraNames: [] });
    // A run it does not know: the latest's, said as such.
    expect(rememberedPlaybookDir([p.inventory], { runId: 'run-9' }, p.dir)).toMatchObject({ dir: join(p.root, 'old'), runId: 'run-3' });
  });

  it('rollback without --run: the folder of the latest run recorded confirmed, not of a later one approved and rolled back (a review)', () => {
    const p = place();
    recordPlaybookDir([p.inventory], p.older, '20261203T100000-1-aa', p.dir);
    expect(recordRunOutcome([p.inventory], '20261203T100000-1-aa', true, p.dir)).toBeUndefined();
    // Approved from another folder, then rolled back by its own verification: never confirmed.
    recordPlaybookDir([p.inventory], p.playbook, '20261203T110000-2-bb', p.dir);
    expect(rememberedPlaybookDir([p.inventory], 'latest', p.dir)).toMatchObject({ dir: join(p.root, 'playbooks'), runId: '20261203T110000-2-bb', confirmed: false });
    expect(rememberedPlaybookDir([p.inventory], 'latest-confirmed', p.dir)).toMatchObject({ dir: join(p.root, 'old'), runId: '20261203T100000-1-aa', confirmed: true });
    // A later confirmed run in the first folder, then one in the second: the latest by run id, whatever folder came last.
    recordPlaybookDir([p.inventory], p.playbook, '20261203T120000-3-cc', p.dir);
    recordRunOutcome([p.inventory], '20261203T120000-3-cc', true, p.dir);
    recordPlaybookDir([p.inventory], p.older, '20261203T130000-4-dd', p.dir);
    expect(rememberedPlaybookDir([p.inventory], 'latest-confirmed', p.dir)).toMatchObject({ dir: join(p.root, 'playbooks'), runId: '20261203T120000-3-cc' });
    // Rolled back from here: the one before it is the routers' latest confirmed again.
    recordRunOutcome([p.inventory], '20261203T120000-3-cc', false, p.dir);
    expect(rememberedPlaybookDir([p.inventory], 'latest-confirmed', p.dir)).toMatchObject({ dir: join(p.root, 'old'), runId: '20261203T100000-1-aa' });
    // Nothing confirmed any more: the latest run's, as for status.
    recordRunOutcome([p.inventory], '20261203T100000-1-aa', false, p.dir);
    expect(rememberedPlaybookDir([p.inventory], 'latest-confirmed', p.dir)).toMatchObject({ dir: join(p.root, 'old'), runId: '20261203T130000-4-dd', confirmed: false });
  });

  it('a run\'s own folder, only for a run recorded: what a rollback compares with the folder it read', () => {
    const p = place();
    const bare = join(p.root, 'bare');
    mkdirSync(bare);
    recordPlaybookDir([p.inventory], p.playbook, 'run-1', p.dir);
    recordPlaybookDir([p.inventory], join(bare, 'teql.yml'), 'run-2', p.dir);
    expect(recordedRunDir([p.inventory], 'run-1', p.dir)).toEqual({ dir: join(p.root, 'playbooks') });
    expect(recordedRunDir([p.inventory], 'run-2', p.dir)).toEqual({ dir: undefined });
    expect(recordedRunDir([p.inventory], 'run-3', p.dir)).toBeUndefined();
    // An outcome for a run never recorded (a --check, another -i) writes nothing.
    expect(recordRunOutcome([p.inventory], 'run-3', true, p.dir)).toBeUndefined();
    // None confirmed: the latest run's folder, which has nothing to read.
    expect(rememberedPlaybookDir([p.inventory], 'latest-confirmed', p.dir)).toBeUndefined();
    recordRunOutcome([p.inventory], 'run-1', true, p.dir);
    expect(rememberedPlaybookDir([p.inventory], 'latest-confirmed', p.dir)?.runId).toBe('run-1');
  });

  it('nothing for another -i (other files, or the same in another order: Ansible merges them in order); each inventory keeps its own', () => {
    const p = place();
    const other = join(p.root, 'inventories', 'lab.yml');
    recordPlaybookDir([p.inventory, other], p.playbook, 'run-1', p.dir);
    recordPlaybookDir([other], p.older, 'run-2', p.dir);
    expect(rememberedPlaybookDir([p.inventory], undefined, p.dir)).toBeUndefined();
    expect(rememberedPlaybookDir([other, p.inventory], undefined, p.dir)).toBeUndefined();
    expect(rememberedPlaybookDir([p.inventory, other], undefined, p.dir)?.runId).toBe('run-1');
    expect(rememberedPlaybookDir([other], undefined, p.dir)?.runId).toBe('run-2');
  });

  it('nothing where the folder holds no group_vars/ or host_vars/ (any more, or cannot be looked at): there is nothing of it to read', () => {
    const p = place();
    const bare = join(p.root, 'bare');
    mkdirSync(bare);
    recordPlaybookDir([p.inventory], join(bare, 'teql.yml'), 'run-1', p.dir);
    expect(rememberedPlaybookDir([p.inventory], undefined, p.dir)).toBeUndefined();
    mkdirSync(join(bare, 'host_vars'));
    expect(rememberedPlaybookDir([p.inventory], undefined, p.dir)?.dir).toBe(bare);
    // The folder became a file: ENOTDIR, not a crash of status or unlock.
    const gone = join(p.root, 'gone');
    writeFileSync(gone, 'x');
    recordPlaybookDir([p.inventory], join(gone, 'teql.yml'), 'run-2', p.dir);
    expect(rememberedPlaybookDir([p.inventory], undefined, p.dir)).toBeUndefined();
  });

  it('a damaged record remembers nothing, and the next play writes it anew', () => {
    const p = place();
    recordPlaybookDir([p.inventory], p.playbook, 'run-1', p.dir);
    const [file] = readdirSync(p.dir);
    for (const text of ['{"entries": [', '[]', '{"entries": [{"playbook": "x", "runIds": []}]}', '{"entries": [{"playbook": 1}]}']) {
      writeFileSync(join(p.dir, file!), text);
      expect(rememberedPlaybookDir([p.inventory], undefined, p.dir)).toBeUndefined();
    }
    recordPlaybookDir([p.inventory], p.playbook, 'run-3', p.dir);
    expect(rememberedPlaybookDir([p.inventory], undefined, p.dir)?.runId).toBe('run-3');
  });

  it('keeps the 10 latest folders per inventory', () => {
    const p = place();
    for (let i = 0; i < 12; i++) {
      mkdirSync(join(p.root, `pb-${i}`, 'group_vars'), { recursive: true });
      recordPlaybookDir([p.inventory], join(p.root, `pb-${i}`, 'x.yml'), `run-${i}`, p.dir);
    }
    expect(rememberedPlaybookDir([p.inventory], { runId: 'run-2' }, p.dir)?.runId).toBe('run-2');
    expect(rememberedPlaybookDir([p.inventory], { runId: 'run-1' }, p.dir)?.runId).toBe('run-11');
  });

  it('a folder it cannot be written in: a warning naming --playbook-dir, not a failure', () => {
    const p = place();
    mkdirSync(join(p.root, 'state'));
    writeFileSync(join(p.root, 'state', 'teqlctl'), 'a file in the way');
    expect(recordPlaybookDir([p.inventory], p.playbook, 'run-1', p.dir)).toMatch(new RegExp(`^warning: the playbook's folder was not recorded for status, rollback and unlock \\(.*\\): give them --playbook-dir ${join(p.root, 'playbooks')} `));
  });

  it('four processes recording at once lose no run: the record is updated under a lock file (a review)', async () => {
    const p = place();
    const mod = pathToFileURL(join(import.meta.dirname, '../../src/cli/remembered-playbook-dir.ts')).href;
    const writer = (w: number) => `const { recordPlaybookDir, recordRunOutcome } = await import(${JSON.stringify(mod)});
      for (let i = 0; i < 10; i++) {
        const id = 'run-${w}-' + i;
        const bad = recordPlaybookDir([${JSON.stringify(p.inventory)}], ${JSON.stringify(p.playbook)}, id, ${JSON.stringify(p.dir)}) ?? recordRunOutcome([${JSON.stringify(p.inventory)}], id, true, ${JSON.stringify(p.dir)});
        if (bad) { console.error(bad); process.exit(1); }
      }`;
    await Promise.all([0, 1, 2, 3].map((w) => promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', writer(w)], { timeout: 60_000 })));
    const ids = [0, 1, 2, 3].flatMap((w) => Array.from({ length: 10 }, (_, i) => `run-${w}-${i}`));
    for (const id of ids) expect(rememberedPlaybookDir([p.inventory], { runId: id }, p.dir), id).toMatchObject({ runId: id, confirmed: true });
    expect(readdirSync(p.dir).filter((f) => f.endsWith('.lock') || f.endsWith('.new'))).toEqual([]);
  }, 90_000);

  it('lives in teqlctl\'s state folder, beside the run journals', () => {
    expect(recordDir({ XDG_STATE_HOME: '/srv/state' })).toBe('/srv/state/teqlctl/playbook-dirs');
  });
});
