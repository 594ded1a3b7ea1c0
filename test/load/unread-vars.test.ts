// A variable set and read by nothing is a setting silently ignored (`teql_persit: true` wrote no
// boot files): a typo of teqlctl's own names is refused, naming the one meant; the rest is said.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { loadRun } from '../../src/load/index.js';
import { SHIPPED_PLAYBOOK_VARS } from '../../src/load/unread-vars.js';
import { errorsOf, writeCase } from './helpers.js';

const ROOT = join(import.meta.dirname, '../..');
const EXAMPLE = readFileSync(join(ROOT, 'inventories/example.yml'), 'utf8');
const CHAPTER = join(ROOT, 'playbooks/teql.yml');

/** The example inventory with these lines added to the routers group's vars. */
function inventory(extraVars: string[]): string {
  const at = EXAMPLE.indexOf('      vars:\n');
  if (at < 0) throw new Error('example.yml has no group vars');
  return EXAMPLE.slice(0, at + '      vars:\n'.length) + extraVars.map((l) => `        ${l}\n`).join('') + EXAMPLE.slice(at + '      vars:\n'.length);
}

function load(extraVars: string[], opts: { extra?: string[]; playbook?: string } = {}) {
  const dir = writeCase({ 'inventory.yml': inventory(extraVars) });
  return () => loadRun(join(dir, 'inventory.yml'), opts.playbook ?? CHAPTER, opts.extra ? { extraVars: opts.extra } : {});
}

describe('variables read by nothing', () => {
  it('refuses a typo of a teql_ name the playbook reads, at the variable, naming the one meant', () => {
    const errs = errorsOf(load(['teql_persit: true', 'teql_tcp_reorder: 30']));
    expect(errs.map((e) => [e.message, e.hint])).toEqual([
      ['teql_persit is read by nothing in this run (it would be ignored)', 'did you mean teql_persist?'],
      ['teql_tcp_reorder is read by nothing in this run (it would be ignored)', 'did you mean teql_tcp_reordering?'],
    ]);
    expect(errs[0]!.pos!.file).toMatch(/inventory\.yml$/);
  });

  it('notes a near miss of another name, a teql_ name nothing reads, and -e values nothing reads', () => {
    const run = load(['lan_adress: 192.0.2.9', 'teql_mtu: 9000', 'ntp_servers: [192.0.2.123]'], { extra: ['lan_gatewy=1'] })();
    expect(run.notes).toEqual([
      'lan_adress (vars of group routers in the inventory) is read by nothing in this run: it changes nothing (did you mean lan_address?)',
      'teql_mtu (vars of group routers in the inventory) is read by nothing in this run: it changes nothing',
      'lan_gatewy (-e lan_gatewy) is read by nothing in this run: it changes nothing',
    ]);
  });

  it('takes a variable named after an object\'s own method (constructor, toString) as an inventory\'s other variable, not a play keyword (a review\'s fuzzing: "did you mean function Object()")', () => {
    expect(load(['constructor: 1', 'toString: 2', 'hasOwnProperty: 3', 'valueOf: 4'])().notes).toBeUndefined();
  });

  it('notes a play keyword set as an inventory variable (remote_user, become), naming the variable meant', () => {
    const run = load(['remote_user: admin', 'become: true'])();
    expect(run.notes).toEqual([
      'remote_user (vars of group routers in the inventory) is a play keyword, not an inventory variable: set there, it changes nothing (did you mean ansible_user?)',
      'become (vars of group routers in the inventory) is a play keyword, not an inventory variable: set there, it changes nothing (did you mean ansible_become?)',
    ]);
  });

  it('passes what the playbook or teqlctl reads, and an inventory\'s other variables, without a word', () => {
    const run = load(['teql_persist: false', 'teql_tcp_reordering: 30', 'ntp_servers: [192.0.2.123]', 'mgmt: "{{ ntp_servers }}"'])();
    expect(run.notes).toBeUndefined();
    // Read by a variable's own template: peer_addresses from the bundle is not a typo there.
    expect(load(['teql_extra_note: x', 'teql_name_used: "{{ teql_extra_note }}"'])().notes).toEqual([
      'teql_name_used (vars of group routers in the inventory) is read by nothing in this run: it changes nothing',
    ]);
  });

  it('takes a known name with something added for a name of its own, not a typo (another playbook\'s)', () => {
    expect(load(['teql_device_mtu: 1400', 'teql_peer2: x'], { playbook: join(ROOT, 'playbooks/teardown.yml') })().notes).toEqual([
      'teql_device_mtu (vars of group routers in the inventory) is read by nothing in this run: it changes nothing',
      'teql_peer2 (vars of group routers in the inventory) is read by nothing in this run: it changes nothing',
    ]);
  });

  it('holds an inventory name against this playbook\'s, not against what another playbook would read', () => {
    // teardown.yml reads no teql_persist: the inventory's is for the chapter's playbook, and passes.
    expect(load(['teql_persist: true'], { playbook: join(ROOT, 'playbooks/teardown.yml') })().notes).toBeUndefined();
  });

  it('knows what the shipped playbooks read', () => {
    const text = readdirSync(join(ROOT, 'playbooks')).filter((f) => f.endsWith('.yml')).map((f) => readFileSync(join(ROOT, 'playbooks', f), 'utf8')).join('\n');
    const read = [...text.matchAll(/\{\{([^}]*)\}\}|when:(.*)/g)].flatMap((m) => [...(m[1] ?? m[2]!).matchAll(/(?<![.\w])[a-z][a-z0-9]*_[a-z0-9_]*/g)].map((x) => x[0]));
    expect([...new Set(read)].filter((n) => !['bundle_links'].includes(n)).sort()).toEqual(SHIPPED_PLAYBOOK_VARS);
  });
});
