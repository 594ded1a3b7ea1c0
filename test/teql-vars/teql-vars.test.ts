import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { labVars, renderInventory } from '../../src/lab/inventory.js';
import { renderTeqlVars } from '../../src/teql-vars/render-teql-vars.js';
import { OPTIONAL_PLAYBOOK_VARS, TEQL_VARS, type TeqlHostVars } from '../../src/teql-vars/teql-vars.js';
import { renderInventory as renderWizardInventory, wizardVars } from '../../src/wizard/render-inventory.js';
import { labModel } from '../wizard/fixtures.js';

const playbook = readFileSync(join(import.meta.dirname, '../../playbooks/teql.yml'), 'utf8');
/** Every variable the playbook's templates and conditions name (loop's `item` aside). */
const used = new Set([...playbook.matchAll(/\{\{\s*([a-z_]+)|when:\s*([a-z_]+)/g)].map((m) => (m[1] ?? m[2])!).filter((v) => v !== 'item'));

describe('the contract between the inventory writers and playbooks/teql.yml', () => {
  it('names every variable the playbook reads', () => {
    expect([...used].filter((v) => !(TEQL_VARS as readonly string[]).includes(v) && !(OPTIONAL_PLAYBOOK_VARS as readonly string[]).includes(v))).toEqual([]);
  });

  it('names nothing the playbook does not read', () => {
    expect([...TEQL_VARS, ...OPTIONAL_PLAYBOOK_VARS].filter((v) => !used.has(v))).toEqual([]);
  });

  it('renders as YAML that reads back as the same values', () => {
    const vars: TeqlHostVars = {
      teql_slaves: ['eth1', 'true', '0x1'],
      link_addresses: [{ dev: 'eth1', address: '10.0.0.0/31' }, { dev: 'true', address: '10.0.0.2/31' }, { dev: '0x1', address: '10.0.0.4/31' }],
      teql_address: '10.0.0.6/31',
      peer_network: 'default',
      peer_teql_address: '10.0.0.7',
      peer_addresses: ['10.0.0.1', '10.0.0.3', '10.0.0.5', '10.0.0.7'],
    };
    expect(parse(renderTeqlVars(vars, 0).join('\n'))).toEqual(vars);
  });

  it('is what the lab writes for each router, besides how to reach it', () => {
    const lab = parse(renderInventory({ sshPorts: { a: 1, b: 2 }, privateKeyFile: '/k', knownHostsFile: '/kh' })).all.children.routers.hosts;
    for (const host of Object.values(lab) as Array<Record<string, unknown>>) {
      expect(Object.keys(host).filter((k) => !k.startsWith('ansible_') && k !== 'lab_router')).toEqual([...TEQL_VARS]);
    }
    expect(lab.router_b).toMatchObject(labVars('b', ['eth1', 'eth2']));
  });

  it('is what the wizard writes', () => {
    const model = labModel();
    const wizard = parse(renderWizardInventory(model, 'p.yml', 'i.yml')).all.children.routers.hosts;
    expect(wizard.router_a).toMatchObject(wizardVars(model, 'a'));
    expect(wizard.router_b).toMatchObject(wizardVars(model, 'b'));
  });
});
