import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Problems } from '../../src/load/problems.js';
import { readVarFiles, varFolderNames } from '../../src/load/var-files.js';

const valueOf = (layer: ReturnType<typeof readVarFiles>, name: string) => layer.values[name];

describe('group_vars/ and host_vars/ files, looked up in a listing of their folder', () => {
  it('finds NAME, NAME.yml and NAME/ through the listing, as without it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'teqlctl-vf-'));
    mkdirSync(join(dir, 'host_vars', 'r3'), { recursive: true });
    writeFileSync(join(dir, 'host_vars', 'r1.yml'), 'x: 1\n');
    writeFileSync(join(dir, 'host_vars', 'r2'), 'x: 2\n');
    writeFileSync(join(dir, 'host_vars', 'r3', 'a.yml'), 'x: 3\n');
    const names = varFolderNames(dir, 'host_vars');
    expect(names).toEqual(new Set(['r1.yml', 'r2', 'r3']));
    for (const [host, x] of [['r1', 1], ['r2', 2], ['r3', 3]] as const) {
      const problems = new Problems();
      expect(valueOf(readVarFiles(dir, 'host_vars', host, `host_vars/${host}`, problems, names), 'x')).toEqual(valueOf(readVarFiles(dir, 'host_vars', host, `host_vars/${host}`, problems), 'x'));
      expect(valueOf(readVarFiles(dir, 'host_vars', host, `host_vars/${host}`, problems, names), 'x')).toBe(x);
      expect(problems.count).toBe(0);
    }
    expect(readVarFiles(dir, 'host_vars', 'r9', 'host_vars/r9', new Problems(), names).values).toEqual({});
  });

  it('an absent folder, or a file in its place, lists as empty; two files for one name are still refused', () => {
    const dir = mkdtempSync(join(tmpdir(), 'teqlctl-vf-'));
    expect(varFolderNames(dir, 'group_vars')).toEqual(new Set());
    writeFileSync(join(dir, 'host_vars'), 'not a folder\n');
    expect(varFolderNames(dir, 'host_vars')).toEqual(new Set());
    mkdirSync(join(dir, 'group_vars'));
    writeFileSync(join(dir, 'group_vars', 'routers.yml'), 'x: 1\n');
    writeFileSync(join(dir, 'group_vars', 'routers.yaml'), 'x: 2\n');
    const problems = new Problems();
    readVarFiles(dir, 'group_vars', 'routers', 'group_vars/routers', problems, varFolderNames(dir, 'group_vars'));
    expect(problems.errors().map((e) => e.message).join('\n')).toMatch(/routers\.yml and .*routers\.yaml both exist/);
  });
});
