// A host's boot files are its last persisting play's: a later persisting play that configures none
// of an equalizer an earlier one persisted would drop it from them (a review: refused only at run
// time, once the earlier play had changed the router). Refused at load, where it is written.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRun } from '../../src/load/index.js';
import { errorsOf, writeCase } from './helpers.js';

const ROOT = join(import.meta.dirname, '../..');
const CHAPTER = readFileSync(join(ROOT, 'playbooks/teql.yml'), 'utf8');
const later = (tasks: string) => `\n- name: tune\n  hosts: routers\n  persist: true\n  tasks:\n${tasks}`;
const SYSCTL = '    - name: reordering\n      sysctl: { name: net.ipv4.tcp_reordering, value: "30" }\n';
const TEQL = '    - name: equalizer again\n      teql: { device: teql0, slaves: "{{ teql_slaves }}" }\n';

function load(playbook: string, extraVars: string[]) {
  const dir = writeCase({ 'pb.yml': playbook });
  return () => loadRun(join(ROOT, 'inventories/example.yml'), join(dir, 'pb.yml'), { extraVars });
}

describe('persisting plays of one host', () => {
  it('refuses a later persisting play that would drop an equalizer an earlier one persists, at its last persisting task', () => {
    const errors = errorsOf(load(CHAPTER + later(SYSCTL), ['teql_persist=true']));
    expect(errors.map((e) => e.message)).toEqual(['router_a', 'router_b'].map((h) => `play 2 writes the boot configuration of ${h} anew from its own persisting tasks (a host's boot files are its last persisting play's), and none of them configures teql0, which play 1 persists: it would be dropped from them, and gone at the next restart`));
    expect(errors[0]!.pos?.file).toMatch(/pb\.yml$/);
    expect(errors[0]!.pos?.line).toBe(CHAPTER.split('\n').length + 5);
  });

  it('passes a teardown (state: absent) followed by a play that persists other things: the teardown left it out of the boot files (a review)', () => {
    const teardown = readFileSync(join(ROOT, 'playbooks/teardown.yml'), 'utf8');
    expect(() => load(teardown + later(SYSCTL), [])()).not.toThrow();
  });

  it('passes when the later play repeats the equalizer, or the earlier play does not persist', () => {
    expect(() => load(CHAPTER + later(SYSCTL + TEQL), ['teql_persist=true'])()).not.toThrow();
    expect(() => load(CHAPTER + later(SYSCTL), [])()).not.toThrow();
  });
});
