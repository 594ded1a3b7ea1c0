import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { labVars, renderInventory } from '../../src/lab/inventory.js';
import { peerView, type BundleEnd } from '../../src/load/bundle-types.js';
import { renderTeqlPeerVars, renderTeqlVars } from '../../src/teql-vars/render-teql-vars.js';
import { OPTIONAL_PLAYBOOK_VARS, TEQL_PEER_VARS, TEQL_VARS, type TeqlHostVars, type TeqlPeerHostVars } from '../../src/teql-vars/teql-vars.js';
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

  it('in the teql_peer form, plus what the loader derives, still names every variable the playbook reads', () => {
    const end = { host: 'b', peer: 'a', device: 'teql0', slaves: ['eth1'], linkAddresses: ['10.0.0.1/31'], address: '10.0.0.5/31', lanNetwork: '198.51.100.0/24', lanAddress: '198.51.100.1', declared: 'teql_peer', pos: { file: 'i', line: 1, col: 1 }, at: {} } satisfies BundleEnd;
    const derived = Object.keys(peerView(end));
    const named = [...TEQL_PEER_VARS, ...derived, ...OPTIONAL_PLAYBOOK_VARS] as string[];
    expect([...used].filter((v) => !named.includes(v))).toEqual([]);
    // What the loader derives is never written: each fact once.
    expect(derived.filter((v) => (TEQL_PEER_VARS as readonly string[]).includes(v))).toEqual([]);
  });

  it('renders the teql_peer form as YAML that reads back as the same values', () => {
    const vars: TeqlPeerHostVars = {
      teql_peer: 'no',
      teql_slaves: ['eth1', 'true'],
      link_addresses: [{ dev: 'eth1', address: '10.0.0.0/31' }, { dev: 'true', address: '10.0.0.2/31' }],
      teql_address: '10.0.0.4/31',
      lan_network: 'default',
    };
    const text = renderTeqlPeerVars(vars, 0).join('\n');
    expect(parse(text)).toEqual(vars);
    expect(Object.keys(parse(renderTeqlPeerVars({ ...vars, lan_address: '192.0.2.1' }, 0).join('\n')))).toEqual([...TEQL_PEER_VARS]);
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
