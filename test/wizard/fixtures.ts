// Shared inputs for the wizard's unit tests: the lab's routers as recorded, and the lab's answers.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseFacts } from '../../src/gather/parse-facts.js';
import type { Facts } from '../../src/gather/facts.js';
import type { WizardModel } from '../../src/wizard/model.js';

export const ROOT = resolve(import.meta.dirname, '../..');

/** Facts of lab router a or b before any run, recorded from the real routers. */
export function labFacts(router: 'a' | 'b'): Facts {
  return parseFacts(`router_${router}`, readFileSync(resolve(ROOT, `test/gather/fixtures/lab-${router}-pristine.txt`), 'utf8'));
}

/** What an operator answers for the lab: the HOWTO's addressing and the lab's two LANs. */
export function labModel(overrides: Partial<WizardModel> = {}): WizardModel {
  return {
    name: 'lab-wizard',
    a: { side: 'a', name: 'router_a', host: '127.0.0.1', port: 2201, user: 'root', keyFile: '/root/.cache/teqlctl/lab/keys/id_ed25519', become: false },
    b: { side: 'b', name: 'router_b', host: '127.0.0.1', port: 2202, user: 'root', keyFile: '/root/.cache/teqlctl/lab/keys/id_ed25519', become: false },
    links: [{ a: 'eth1', b: 'eth1' }, { a: 'eth2', b: 'eth2' }],
    addressing: {
      links: [{ a: '10.0.0.0/31', b: '10.0.0.1/31' }, { a: '10.0.0.2/31', b: '10.0.0.3/31' }],
      teql: { a: '10.0.0.4/31', b: '10.0.0.5/31' },
      block: '10.0.0.0/29',
    },
    networks: { kind: 'two', network1: '192.0.2.0/24', network2: '198.51.100.0/24', lanA: '192.0.2.1', lanB: '198.51.100.1' },
    ...overrides,
  };
}
