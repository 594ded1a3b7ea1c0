import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { loadRun } from '../../src/load/index.js';
import { planHost } from '../../src/plan/plan-host.js';
import { changeCount } from '../../src/plan/types.js';
import { renderInventory } from '../../src/wizard/render-inventory.js';
import { renderPlaybook } from '../../src/wizard/render-playbook.js';
import { drawTopology } from '../../src/wizard/topology.js';
import { scalar } from '../../src/teql-vars/yaml-scalar.js';
import { renderInventory as renderLabInventory } from '../../src/lab/inventory.js';
import type { WizardModel } from '../../src/wizard/model.js';
import { labFacts, labModel, ROOT } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'teqlctl-wizard-render-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes the two files as the wizard does and loads them as `teqlctl play` does. */
function writeAndLoad(m: WizardModel) {
  const inv = join(dir, 'inventories', `${m.name}.yml`);
  const play = join(dir, 'playbooks', `${m.name}.yml`);
  mkdirSync(join(dir, 'inventories'), { recursive: true });
  mkdirSync(join(dir, 'playbooks'), { recursive: true });
  writeFileSync(inv, renderInventory(m, `playbooks/${m.name}.yml`, `inventories/${m.name}.yml`));
  writeFileSync(play, renderPlaybook(`inventories/${m.name}.yml`, `playbooks/${m.name}.yml`));
  return loadRun(inv, play);
}

describe('the topology picture', () => {
  it("draws the HOWTO's A and B with the real names, addresses and networks", () => {
    expect(drawTopology(labModel())).toBe([
      '                 router_a: root@127.0.0.1:2201                      router_b: root@127.0.0.1:2202',
      '                 +-----+                                            +-----+',
      '                 |     |== eth1 10.0.0.0/31 ==== 10.0.0.1/31 eth1 ==|     |',
      '192.0.2.0/24 ----|  A  |                                            |  B  |---- 198.51.100.0/24',
      ' (network 1)     |     |== eth2 10.0.0.2/31 ==== 10.0.0.3/31 eth2 ==|     |     (network 2)',
      '                 +-----+                                            +-----+',
      '                 teql0 10.0.0.4/31 <==== equalizer =====> teql0 10.0.0.5/31',
      '                 routes: A: 198.51.100.0/24 via 10.0.0.5, B: 192.0.2.0/24 via 10.0.0.4',
    ].join('\n'));
  });

  it('keeps the wires aligned when names differ, with three links and the Internet', () => {
    const pic = drawTopology(labModel({
      links: [{ a: 'ens3', b: 'enp1s0' }, { a: 'ens4', b: 'eth7' }, { a: 'ens5', b: 'enp3s0' }],
      addressing: { links: [{ a: '10.0.0.0/31', b: '10.0.0.1/31' }, { a: '10.0.0.2/31', b: '10.0.0.3/31' }, { a: '10.0.0.4/31', b: '10.0.0.5/31' }], teql: { a: '10.0.0.6/31', b: '10.0.0.7/31' } },
      networks: { kind: 'internet', network1: '192.168.1.0/24' },
    }));
    const lines = pic.split('\n');
    const rightBox = lines[1]!.lastIndexOf('+-----+');
    for (const l of lines.slice(2, 7)) expect(l[rightBox]).toBe('|'); // B's box stands straight
    expect(lines[4]).toBe('192.168.1.0/24 ----|  A  |== ens4 10.0.0.2/31 ====== 10.0.0.3/31 eth7 ==|  B  |---- the Internet');
    expect(pic).toContain('routes: A: default via 10.0.0.7, B: 192.168.1.0/24 via 10.0.0.6');
  });
});

describe('the written files', () => {
  it('load with loadRun, with the variables of the lab inventory', () => {
    const run = writeAndLoad(labModel());
    expect([...run.inventory.hosts.keys()]).toEqual(['router_a', 'router_b']);
    const a = run.inventory.hosts.get('router_a')!;
    expect(a.connection).toEqual({ host: '127.0.0.1', port: 2201, user: 'root', privateKeyFile: '/root/.cache/teqlctl/lab/keys/id_ed25519', become: false, becomeUser: 'root' });
    // Each fact once: the peer's addresses and network are derived from its own entry.
    expect(a.vars).toEqual(expect.objectContaining({
      teql_peer: 'router_b',
      teql_slaves: ['eth1', 'eth2'],
      link_addresses: [{ dev: 'eth1', address: '10.0.0.0/31' }, { dev: 'eth2', address: '10.0.0.2/31' }],
      teql_address: '10.0.0.4/31',
      lan_network: '192.0.2.0/24',
      lan_address: '192.0.2.1',
    }));
    expect(Object.keys(a.vars).filter((k) => k.startsWith('peer_'))).toEqual([]);
    expect(run.bundles.map((b) => [b.name, b.ends.map((e) => e.declared)])).toEqual([['router_a:teql0<->router_b:teql0', ['teql_peer', 'teql_peer']]]);
    const tasks = run.plays[0]!.tasks.get('router_a')!;
    expect(tasks.flatMap((t) => (t.module === 'ping' ? [[t.args.to, t.args.from]] : []))).toEqual([['10.0.0.1', undefined], ['10.0.0.3', undefined], ['10.0.0.5', undefined], ['198.51.100.1', '192.0.2.1']]);
    expect(tasks.find((t) => t.module === 'route')!.args).toMatchObject({ to: '198.51.100.0/24', via: '10.0.0.5' });
    expect(run.plays[0]!.tasks.get('router_b')!.map((t) => t.name)).toContain('verify from network 1 to network 2 through the equalizer');
  });

  it('plan on the pristine lab routers exactly as playbooks/teql.yml with the lab inventory does', () => {
    const mine = writeAndLoad(labModel());
    const labInventory = join(dir, 'lab.yml');
    writeFileSync(labInventory, renderLabInventory({ sshPorts: { a: 2201, b: 2202 }, privateKeyFile: '/k', knownHostsFile: '/kh' }));
    const chapter = loadRun(labInventory, resolve(ROOT, 'playbooks/teql.yml'));
    for (const host of ['router_a', 'router_b']) {
      const facts = labFacts(host === 'router_a' ? 'a' : 'b');
      const a = planHost(host, mine.plays[0]!.tasks.get(host)!, facts).plan;
      const b = planHost(host, chapter.plays[0]!.tasks.get(host)!, facts).plan;
      expect(changeCount(a)).toBeGreaterThan(10);
      expect(a.phases.map((p) => p.changes.map((c) => [c.resource, c.after]))).toEqual(b.phases.map((p) => p.changes.map((c) => [c.resource, c.after])));
      expect(a.phases.flatMap((p) => p.checks.map((c) => c.to))).toEqual(b.phases.flatMap((p) => p.checks.map((c) => c.to)));
    }
  });

  it('the playbook has the tasks and variable names of playbooks/teql.yml', () => {
    const mine = parse(renderPlaybook('inventories/x.yml', 'playbooks/x.yml'));
    const chapter = parse(readFileSync(resolve(ROOT, 'playbooks/teql.yml'), 'utf8'));
    expect(mine).toEqual(chapter);
  });

  it('Internet case: A routes default over teql0, no end-to-end ping; it loads', () => {
    const run = writeAndLoad(labModel({ name: 'internet', networks: { kind: 'internet', network1: '192.0.2.0/24' } }));
    const a = run.plays[0]!.tasks.get('router_a')!;
    expect(a.find((t) => t.module === 'route')).toMatchObject({ args: { to: 'default', via: '10.0.0.5' } });
    expect(run.plays[0]!.tasks.get('router_b')!.find((t) => t.module === 'route')).toMatchObject({ args: { to: '192.0.2.0/24', via: '10.0.0.4' } });
    expect(a.some((t) => t.module === 'ping' && t.args.from)).toBe(false);
    // On the lab the session is on-link (10.0.2.0/24), so taking over the default route is allowed.
    expect(() => planHost('router_a', a, labFacts('a'))).not.toThrow();
  });

  it('the commands in the headers are quoted for the shell: a folder with a space is copied and pasted as one word (a review)', () => {
    const m = labModel({ name: 'spaced' });
    const inventory = renderInventory(m, '/tmp/my dir/playbooks/spaced.yml', '/tmp/my dir/inventories/spaced.yml');
    expect(inventory).toContain("#   teqlctl play -i '/tmp/my dir/inventories/spaced.yml' '/tmp/my dir/playbooks/spaced.yml' --check");
    const playbook = renderPlaybook('/tmp/my dir/inventories/spaced.yml', '/tmp/my dir/playbooks/spaced.yml');
    expect(playbook).toContain("#   teqlctl play -i '/tmp/my dir/inventories/spaced.yml' '/tmp/my dir/playbooks/spaced.yml' --check");
  });

  it('connection details: ~ kept, sudo, ssh-agent, an alias noted', () => {
    const m = labModel({ name: 'conn' });
    m.a = { ...m.a, keyFile: '~/.ssh/routers key', become: true, user: 'admin', alias: 'edge-a' };
    delete m.b.keyFile;
    const text = renderInventory(m, 'p.yml', 'i.yml');
    expect(text).toContain('# how to reach A (from ~/.ssh/config: Host edge-a)');
    expect(text).toContain('ansible_ssh_private_key_file: "~/.ssh/routers key"');
    expect(text).toContain('# no key file: the keys of ssh-agent (SSH_AUTH_SOCK) are used');
    const run = writeAndLoad(m);
    expect(run.inventory.hosts.get('router_a')!.connection).toMatchObject({ user: 'admin', become: true });
    expect(run.inventory.hosts.get('router_b')!.connection.privateKeyFile).toBeUndefined();
  });

  it('a router behind a ProxyJump: ansible_host names the alias, so play goes through the jump host as the wizard did', () => {
    const m = labModel({ name: 'jump' });
    m.b = { ...m.b, host: 'edge-b', alias: 'edge-b', proxyJump: 'ops@bastion:22', port: 22 };
    const text = renderInventory(m, 'p.yml', 'i.yml');
    expect(text).toContain("# how to reach B (~/.ssh/config's Host edge-b, through its ProxyJump ops@bastion:22: its HostName and jump hosts are read there)");
    expect(text).toMatch(/^ +ansible_host: edge-b$/m);
    expect(writeAndLoad(m).inventory.hosts.get('router_b')!.connection).toMatchObject({ host: 'edge-b', port: 22 });
  });

  it('quotes scalars that YAML would read as something else', () => {
    expect(scalar('eth1')).toBe('eth1');
    expect(scalar('true')).toBe('"true"');
    expect(scalar('1')).toBe('"1"');
    expect(scalar('~')).toBe('"~"');
    expect(scalar('a,b')).toBe('"a,b"');
    expect(scalar(2201)).toBe('2201');
  });

  it('quotes the connection values Ansible (YAML 1.1) would read as a boolean or a number: yes, off, 1_000, 0b11 (a review)', () => {
    for (const user of ['yes', 'off', 'On', '1_000', '0b11']) {
      const m = labModel({ a: { ...labModel().a, user } });
      expect(renderInventory(m, 'p.yml', 'i.yml')).toContain(`ansible_user: "${user}"`);
    }
    expect(renderInventory(labModel(), 'p.yml', 'i.yml')).toContain('ansible_user: root'); // plain where both read text
  });
});
