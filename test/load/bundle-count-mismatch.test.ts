// A hub that names a branch for more bundles than the branch names it back: the message said
// "branch1 does not name hub back (it names hub)" (a review's fuzzing). Now it counts them.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRun } from '../../src/load/index.js';
import { errorsOf, writeCase } from './helpers.js';

const ROOT = join(import.meta.dirname, '../..');
const entry = (peer: string, n: number) => `            - peer: ${peer}\n              device: teql${n}\n              slaves: [eth${2 * n + 1}]\n              link_addresses: [{ dev: eth${2 * n + 1}, address: 10.0.${n}.0/31 }]\n              address: 10.0.${n}.4/31\n`;
const INVENTORY = `all:\n  children:\n    routers:\n      hosts:\n        hub:\n          lan_network: 10.10.0.0/16\n          teql_bundles:\n${entry('branch1', 0)}${entry('branch1', 1)}        branch1:\n          teql_peer: hub\n          teql_slaves: [eth1]\n          link_addresses: [{ dev: eth1, address: 10.0.0.1/31 }]\n          teql_address: 10.0.0.5/31\n          lan_network: 192.0.2.0/24\n`;

describe('two bundles to one branch that declares one', () => {
  it('says how many each end declares, at the one without an other end', () => {
    const dir = writeCase({ 'inv.yml': INVENTORY });
    const errors = errorsOf(() => loadRun(join(dir, 'inv.yml'), join(ROOT, 'playbooks/teql-bundles.yml')));
    expect(errors.map((e) => [e.message, e.hint])).toEqual([[
      'peer in teql_bundles of host hub names branch1 for 2 bundles, but branch1 names hub back for 1: this one has no other end',
      'give branch1 one teql_bundles entry with peer: hub per bundle between the two (in the same order), or remove this one',
    ]]);
    expect(errors[0]!.pos?.line).toBe(7);
  });
});
