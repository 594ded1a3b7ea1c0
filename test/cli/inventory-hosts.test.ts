// Commands without a playbook (status, rollback, unlock) and the group_vars/ a play would read beside its playbook.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { unreadPlaybookVars } from '../../src/cli/inventory-hosts.js';

describe('unreadPlaybookVars', () => {
  const dir = mkdtempSync(join(tmpdir(), 'teqlctl-pbvars-'));
  mkdirSync(join(dir, 'inv'));
  writeFileSync(join(dir, 'inv', 'hosts'), '[routers]\nr1\n');

  it('says that group_vars/ beside the playbooks is not read without --playbook-dir', () => {
    mkdirSync(join(dir, 'group_vars'));
    expect(unreadPlaybookVars(dir, [join(dir, 'inv', 'hosts')])).toBe('group_vars/ in this folder is not read (no playbook here to read it beside): give --playbook-dir . to read it as `play` of a playbook here does');
    mkdirSync(join(dir, 'host_vars'));
    expect(unreadPlaybookVars(dir, [join(dir, 'inv')])).toMatch(/^group_vars\/ and host_vars\/ in this folder are not read/);
  });

  it('nothing to say where the folder is the inventory\'s own (its group_vars/ are read), or has none', () => {
    expect(unreadPlaybookVars(dir, [join(dir, 'hosts.yml')])).toBeUndefined();
    expect(unreadPlaybookVars(join(dir, 'inv'), [join(dir, 'elsewhere.yml')])).toBeUndefined();
  });
});
