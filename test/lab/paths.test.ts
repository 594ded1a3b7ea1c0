// Where the lab writes its inventory (the current folder, never the package's) and keeps its image
// (the XDG cache).
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inventoryPath, labDir, projectRoot } from '../../src/lab/paths.js';

const folder = () => mkdtempSync(join(tmpdir(), 'teqlctl-lab-paths-'));

describe('the lab inventory\'s path', () => {
  it('is inventories/lab.yml in the current folder when it has an inventories/ folder', () => {
    const cwd = folder();
    mkdirSync(join(cwd, 'inventories'));
    expect(inventoryPath({}, cwd)).toBe(join(cwd, 'inventories', 'lab.yml'));
  });

  it('is lab.yml in the current folder otherwise, never the package\'s folder', () => {
    const cwd = folder();
    expect(inventoryPath({}, cwd)).toBe(join(cwd, 'lab.yml'));
    expect(inventoryPath({}, cwd).startsWith(projectRoot())).toBe(false);
  });

  it('is inventories/lab.yml of a clone when run from the clone (what the e2e tests read by default)', () => {
    expect(inventoryPath({}, projectRoot())).toBe(join(projectRoot(), 'inventories', 'lab.yml'));
  });

  it('is --inventory-out, else $TEQLCTL_LAB_INVENTORY, each relative to the current folder', () => {
    const cwd = folder();
    mkdirSync(join(cwd, 'inventories'));
    expect(inventoryPath({ TEQLCTL_LAB_INVENTORY: 'env.yml' }, cwd)).toBe(join(cwd, 'env.yml'));
    expect(inventoryPath({ TEQLCTL_LAB_INVENTORY: 'env.yml' }, cwd, 'out/lab.yml')).toBe(join(cwd, 'out', 'lab.yml'));
    expect(inventoryPath({}, cwd, '/abs/lab.yml')).toBe('/abs/lab.yml');
  });
});

describe('the lab folder', () => {
  it('is $TEQLCTL_LAB_DIR, else $XDG_CACHE_HOME/teqlctl/lab (absolute only, as the spec says), else ~/.cache', () => {
    expect(labDir({ TEQLCTL_LAB_DIR: '/x/lab', XDG_CACHE_HOME: '/x/cache' }, '/home/me')).toBe('/x/lab');
    expect(labDir({ XDG_CACHE_HOME: '/x/cache' }, '/home/me')).toBe('/x/cache/teqlctl/lab');
    expect(labDir({ XDG_CACHE_HOME: 'relative' }, '/home/me')).toBe('/home/me/.cache/teqlctl/lab');
    expect(labDir({}, '/home/me')).toBe('/home/me/.cache/teqlctl/lab');
  });
});
