// A key of a link_addresses entry that nothing reads (`mtu: 9000` beside an address) changed nothing
// without a word: it is said, unless this run's playbook or a variable reads it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRun } from '../../src/load/index.js';
import { writeCase } from './helpers.js';

const ROOT = join(import.meta.dirname, '../..');
const EXAMPLE = readFileSync(join(ROOT, 'inventories/example.yml'), 'utf8');
const CHAPTER = readFileSync(join(ROOT, 'playbooks/teql.yml'), 'utf8');

function load(inventory: string, playbook = CHAPTER) {
  const dir = writeCase({ 'inventory.yml': inventory, 'play.yml': playbook });
  return loadRun(join(dir, 'inventory.yml'), join(dir, 'play.yml'), {});
}

const withMtu = EXAMPLE.replace('- { dev: eth1, address: 10.0.0.0/31 }', '- { dev: eth1, address: 10.0.0.0/31, mtu: 9000 }');

describe("link_addresses' keys read by nothing", () => {
  it('notes a key the playbook does not read, once, where it is set', () => {
    expect(withMtu).not.toBe(EXAMPLE);
    expect(load(withMtu).notes).toEqual([
      "link_addresses' key mtu (host router_a in the inventory) is read by nothing in this run: it changes nothing (an entry gives dev and address; a playbook of your own may read more)",
    ]);
  });

  it('passes a key the playbook reads as an attribute, by dot or subscript', () => {
    const reads = [
      '      when: item.mtu is defined',
      '      when: item["mtu"] is defined',
    ];
    for (const line of reads) {
      const playbook = CHAPTER.replace(/(\n      loop: "\{\{ link_addresses \}\}"\n)/, `$1${line}\n`);
      expect(playbook).not.toBe(CHAPTER);
      expect(load(withMtu, playbook).notes, line).toBeUndefined();
    }
  });

  it('passes the keys teqlctl reads, dev and address', () => {
    expect(load(EXAMPLE).notes).toBeUndefined();
  });
});
