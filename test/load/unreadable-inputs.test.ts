// Inventory folders and variable files that are there but cannot be read: refused with what and
// where (exit 2), never a crash (exit 1) nor skipped without a word (a review). Permissions do not
// stop root: the loader runs without the capabilities that let root read anything (setpriv drops
// them from its bounding set; CI and this suite run as root), the folders mode 000.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadInventory } from '../../src/load/inventory.js';
import { errorsOf } from './helpers.js';

/** What loadInventory(path) says to a user the permissions stop: OK, or the messages it refused with. */
function asNobody(path: string): string {
  const script = join(mkdtempSync(join(tmpdir(), 'teqlctl-nobody-')), 'load.mts');
  writeFileSync(script, `import { loadInventory } from ${JSON.stringify(resolve('src/load/inventory.ts'))};
try { loadInventory(${JSON.stringify(path)}); console.log('OK'); } catch (e) { console.log([e.constructor.name, ...(e.errors ?? [e]).map((x) => x.message)].join('\\n')); }
`);
  return execFileSync('setpriv', ['--bounding-set=-dac_override,-dac_read_search', process.execPath, '--import', 'tsx', script], { encoding: 'utf8' }).trim();
}

function inventoryFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'teqlctl-inv-'));
  mkdirSync(join(dir, 'group_vars'));
  writeFileSync(join(dir, 'hosts.yml'), 'routers:\n  hosts:\n    r1: {}\n', { mode: 0o644 });
  return dir;
}

describe('inputs that are there but cannot be read', () => {
  it('a subfolder of an inventory folder: refused naming it, not an internal error', () => {
    const dir = inventoryFolder();
    mkdirSync(join(dir, 'more'), { mode: 0o000 });
    expect(asNobody(dir)).toMatch(/^ConfigError\ncannot read inventory folder '.*\/more': EACCES/);
  });

  it('a group_vars folder of a group: refused naming it, not skipped (its user and port would be lost)', () => {
    const dir = inventoryFolder();
    mkdirSync(join(dir, 'group_vars', 'routers'));
    writeFileSync(join(dir, 'group_vars', 'routers', 'ssh.yml'), 'ansible_user: admin\nansible_port: 2222\n');
    chmodSync(join(dir, 'group_vars', 'routers'), 0o000);
    expect(asNobody(join(dir, 'hosts.yml'))).toMatch(/cannot read .*group_vars\/routers: EACCES/);
  });

  it('group_vars itself: refused, not read as empty', () => {
    const dir = inventoryFolder();
    writeFileSync(join(dir, 'group_vars', 'routers.yml'), 'ansible_port: 2222\n');
    chmodSync(join(dir, 'group_vars'), 0o000);
    expect(asNobody(join(dir, 'hosts.yml'))).toMatch(/cannot read .*group_vars: EACCES/);
  });

  it('a broken symbolic link among the variable files: refused naming it (as root too)', () => {
    const dir = inventoryFolder();
    mkdirSync(join(dir, 'group_vars', 'all'));
    symlinkSync('../../../secrets/vault.yml', join(dir, 'group_vars', 'all', 'vault.yml'));
    symlinkSync('/nonexistent/teqlctl', join(dir, 'group_vars', 'routers.yml'));
    const messages = errorsOf(() => loadInventory(join(dir, 'hosts.yml'))).map((e) => e.message);
    expect(messages).toContain(`cannot read ${join(dir, 'group_vars', 'all', 'vault.yml')}: a broken symbolic link`);
    expect(messages).toContain(`cannot read ${join(dir, 'group_vars', 'routers.yml')}: a broken symbolic link`);
  });
});
