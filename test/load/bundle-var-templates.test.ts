// A bundle variable whose template fails (a variable it names is undefined) is said at the variable.
// It read as unset, and what was said was a consequence elsewhere: "router_a does not name router_b
// back" at router_b, "sets no teql_slaves" beside teql_slaves itself (a review's fuzzing).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRun } from '../../src/load/index.js';
import { errorsOf, writeCase } from './helpers.js';

const ROOT = join(import.meta.dirname, '../..');
const EXAMPLE = readFileSync(join(ROOT, 'inventories/example.yml'), 'utf8');

function errors(from: string, to: string) {
  const text = EXAMPLE.replace(from, to);
  expect(text).not.toBe(EXAMPLE);
  const dir = writeCase({ 'inv.yml': text });
  return errorsOf(() => loadRun(join(dir, 'inv.yml'), join(ROOT, 'playbooks/teql.yml'))).map((e) => `${e.pos?.line} ${e.message}`);
}

describe('a bundle variable whose template fails', () => {
  it.each([
    ['teql_peer: router_b', 'teql_peer: "{{ pn }}"', 'teql_peer', 'pn'],
    ['teql_slaves: [eth1, eth2]           # the links', 'teql_slaves: "{{ sl }}"           # the links', 'teql_slaves', 'sl'],
    ['lan_network: 192.0.2.0/24', 'lan_network: "{{ ln }}"', 'lan_network', 'ln'],
  ])('%s is said at the variable alone', (from, to, name, undef) => {
    const said = errors(from, to);
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(new RegExp(`^\\d+ ${name} of host router_a: undefined variable: '${undef}' is not defined`));
  });
});
