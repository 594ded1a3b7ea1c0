// MTUs set by the playbook at the two ends of each wire of a bundle: the same, or refused at load time.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRun } from '../../src/load/index.js';
import { errorsOf, writeCase } from './helpers.js';

function inventory(mtuA: string, mtuB: string): string {
  const host = (name: string, side: 0 | 1, peer: string, mtu: string) => `
        ${name}:
          teql_peer: ${peer}
          teql_slaves: [eth1, eth2]
          link_addresses: [{ dev: eth1, address: 10.0.0.${side}/31 }, { dev: eth2, address: 10.0.0.${2 + side}/31 }]
          teql_address: 10.0.0.${4 + side}/31${mtu ? `\n          ${mtu}` : ''}`;
  return `all:\n  children:\n    routers:\n      hosts:${host('router_a', 0, 'router_b', mtuA)}${host('router_b', 1, 'router_a', mtuB)}\n`;
}

const PLAYBOOK = `
- hosts: routers
  tasks:
    - link: { dev: "{{ item }}", state: up, mtu: "{{ link_mtu }}" }
      loop: "{{ teql_slaves }}"
      when: link_mtu is defined
    - link: { dev: teql0, mtu: 1500 }
`;

function load(mtuA: string, mtuB: string, limit?: string[]) {
  const dir = writeCase({ 'inventory.yml': inventory(mtuA, mtuB), 'playbook.yml': PLAYBOOK });
  return { dir, run: () => loadRun(join(dir, 'inventory.yml'), join(dir, 'playbook.yml'), { limit }) };
}

describe('MTUs at the two ends of a bundle', () => {
  it('are accepted when the same, or set nowhere', () => {
    expect(load('link_mtu: 9000', 'link_mtu: 9000').run().bundles).toHaveLength(1);
    expect(load('', '').run().bundles).toHaveLength(1);
  });

  it('are refused when they differ, at the second end, naming the variable', () => {
    const { dir, run } = load('link_mtu: 9000', 'link_mtu: 1500');
    const errors = errorsOf(run);
    expect(errors).toHaveLength(2); // eth1 and eth2
    expect(errors[0]!.pos).toEqual({ file: join(dir, 'playbook.yml'), line: 3, col: 50 });
    expect(errors[0]!.message).toContain('bundle router_a:teql0<->router_b:teql0: the two ends of a wire get different MTUs: router_a eth1 gets mtu 9000');
    expect(errors[0]!.message).toContain('router_b eth1 gets mtu 1500');
    expect(errors[0]!.message).toContain('link_mtu (set at');
    expect(errors[0]!.exitCode).toBe(2);
  });

  it('are refused when only one end sets one', () => {
    const messages = errorsOf(load('link_mtu: 9000', '').run).map((e) => e.message);
    expect(messages[0]).toContain('router_a eth1 gets mtu 9000');
    expect(messages[0]).toContain('router_b eth1 gets no mtu setting');
  });

  it('are compared with --limit too: it runs a bundle on both of its ends', () => {
    expect(errorsOf(load('link_mtu: 9000', '', ['router_a']).run).map((e) => e.message).join('\n')).toMatch(/router_b eth1 gets no mtu setting/);
  });

  it('are not compared when the play leaves one end out (its hosts: pattern)', () => {
    const dir = writeCase({ 'inventory.yml': inventory('link_mtu: 9000', ''), 'playbook.yml': PLAYBOOK.replace('hosts: routers', 'hosts: router_a') });
    expect(() => loadRun(join(dir, 'inventory.yml'), join(dir, 'playbook.yml'))).not.toThrow();
  });
});
