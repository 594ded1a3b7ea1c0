import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRun, type TaskInstance } from '../../src/load/index.js';
import { errorsOf, writeCase } from './helpers.js';

const INVENTORY = 'test/load/good/inventory.yml';
const PLAYBOOK = 'test/load/good/teql.yml';

function expected(me: { links: [string, string]; teql: string; peerNet: string; peerTeql: string; peers: string[] }): TaskInstance[] {
  const at = (line: number) => ({ file: PLAYBOOK, line, col: 7 });
  return [
    { module: 'link', args: { dev: 'eth1', state: 'up' }, name: 'links up (eth1)', pos: at(4) },
    { module: 'link', args: { dev: 'eth2', state: 'up' }, name: 'links up (eth2)', pos: at(4) },
    { module: 'teql', args: { device: 'teql0', slaves: ['eth1', 'eth2'], state: 'present', replace: false }, name: 'equalize over the links', pos: at(7) },
    { module: 'address', args: { dev: 'eth1', address: me.links[0], state: 'present' }, name: 'link addresses (eth1)', pos: at(9) },
    { module: 'address', args: { dev: 'eth2', address: me.links[1], state: 'present' }, name: 'link addresses (eth2)', pos: at(9) },
    { module: 'address', args: { dev: 'teql0', address: me.teql, state: 'present' }, name: 'equalizer address', pos: at(12) },
    { module: 'sysctl', args: { name: 'net.ipv4.conf.eth1.rp_filter', value: '0', state: 'present' }, name: 'no reverse-path filtering on the links (eth1)', pos: at(14) },
    { module: 'sysctl', args: { name: 'net.ipv4.conf.eth2.rp_filter', value: '0', state: 'present' }, name: 'no reverse-path filtering on the links (eth2)', pos: at(14) },
    { module: 'route', args: { to: me.peerNet, via: me.peerTeql, state: 'present' }, name: 'route to the other network over the equalizer', pos: at(17) },
    ...me.peers.map((to): TaskInstance => ({ module: 'ping', args: { to, count: 3, timeout: 2 }, name: `verify over each link and the equalizer (${to})`, pos: at(19) })),
  ];
}

describe('loadRun with the chapter playbook', () => {
  const run = loadRun(INVENTORY, PLAYBOOK);

  it('has one play on both routers, in inventory order', () => {
    expect(run.playbookFile).toBe(PLAYBOOK);
    expect(run.plays).toHaveLength(1);
    const play = run.plays[0]!;
    expect(play.name).toBe('Load sharing over multiple interfaces (LARTC chapter 10)');
    expect(play.pos).toEqual({ file: PLAYBOOK, line: 1, col: 3 });
    expect(play.hosts).toEqual(['router_a', 'router_b']);
  });

  it('expands loops, renders {{ item }} and keeps lists as lists', () => {
    const tasks = run.plays[0]!.tasks;
    expect(tasks.get('router_a')).toEqual(
      expected({ links: ['10.0.0.0/31', '10.0.0.2/31'], teql: '10.0.0.4/31', peerNet: '198.51.100.0/24', peerTeql: '10.0.0.5', peers: ['10.0.0.1', '10.0.0.3', '10.0.0.5'] }),
    );
    expect(tasks.get('router_b')).toEqual(
      expected({ links: ['10.0.0.1/31', '10.0.0.3/31'], teql: '10.0.0.5/31', peerNet: '192.0.2.0/24', peerTeql: '10.0.0.4', peers: ['10.0.0.0', '10.0.0.2', '10.0.0.4'] }),
    );
  });

  it('builds each connection from the inventory', () => {
    const key = join(homedir(), '.ssh/id_ed25519');
    expect(run.inventory.hosts.get('router_a')!.connection).toEqual({ host: '127.0.0.1', port: 2201, user: 'root', privateKeyFile: key, become: false, becomeUser: 'root' });
    expect(run.inventory.hosts.get('router_b')!.connection).toEqual({ host: '127.0.0.1', port: 2202, user: 'root', privateKeyFile: key, become: false, becomeUser: 'root' });
    expect(run.inventory.hosts.get('router_a')!.pos).toEqual({ file: INVENTORY, line: 5, col: 9 });
  });

  it('limits the hosts without changing the plays, and never to half a bundle', () => {
    const limited = loadRun(INVENTORY, PLAYBOOK, { limit: ['router_b'] });
    // router_a is router_b's other end: a bundle changes on both of its ends or not at all.
    expect(limited.plays[0]!.hosts).toEqual(['router_a', 'router_b']);
    expect([...limited.plays[0]!.tasks.keys()]).toEqual(['router_a', 'router_b']);
    expect(limited.notes).toEqual(['--limit: router_a added, the other end of bundle router_a:teql0<->router_b:teql0 (a bundle is changed on both of its ends or not at all)']);
    expect(limited.selectedBundles).toEqual(['router_a:teql0<->router_b:teql0']);
    // An exclusion wins: never router_b, so never half of its bundle on router_a either; with
    // nothing left, the run is refused (a --check would pass having checked nothing).
    expect(() => loadRun(INVENTORY, PLAYBOOK, { limit: ['all', '!router_b'] })).toThrow(
      '--limit all,!router_b leaves no host to run: --limit: bundle router_a:teql0<->router_b:teql0 left out, on both of its ends: router_b is excluded (a bundle is changed on both of its ends or not at all); --limit: router_a left out: each of its bundles has an excluded end',
    );
  });

  it('refuses a --limit whose hosts no play names: a --check would pass having checked nothing (exit 0)', () => {
    const dir = writeCase({
      'inventory.yml': 'routers:\n  hosts:\n    r1: { ansible_host: 127.0.0.1, ansible_port: 1 }\nedge:\n  hosts:\n    e1: { ansible_host: 127.0.0.1, ansible_port: 2 }\n',
      'playbook.yml': '- hosts: routers\n  tasks:\n    - link: { dev: eth1, state: up }\n',
    });
    const [err] = errorsOf(() => loadRun(join(dir, 'inventory.yml'), join(dir, 'playbook.yml'), { limit: ['e1'] }));
    expect(err?.message).toBe("--limit e1 leaves no host in any play of this run (it selects e1, which no play's hosts: names)");
    expect(loadRun(join(dir, 'inventory.yml'), join(dir, 'playbook.yml'), { limit: ['r1'] }).plays[0]!.hosts).toEqual(['r1']);
  });

  it("a --limit host that no play runs selects none of its bundles: `-l r1` on a play of r2 alone is refused, not run on r2 (r1's other end; a review)", () => {
    const dir = writeCase({
      'inventory.yml': [
        'all:',
        '  vars: { teql_slaves: [eth1, eth2], peer_network: 192.0.2.0/24 }',
        '  children:',
        '    ones:',
        '      hosts:',
        '        r1: { ansible_host: 127.0.0.1, ansible_port: 1, teql_peer: r2, teql_address: 10.0.0.4/31 }',
        '    twos:',
        '      hosts:',
        '        r2: { ansible_host: 127.0.0.1, ansible_port: 2, teql_peer: r1, teql_address: 10.0.0.5/31 }',
        '',
      ].join('\n'),
      'playbook.yml': '- hosts: twos\n  tasks:\n    - link: { dev: eth1, state: up }\n',
    });
    const [err] = errorsOf(() => loadRun(join(dir, 'inventory.yml'), join(dir, 'playbook.yml'), { limit: ['r1'] }));
    expect(err?.message).toBe("--limit r1 leaves no host in any play of this run (it selects r1, which no play's hosts: names)");
    // Named by the play, r2 selects the bundle and its other end is added, as before.
    const r2 = loadRun(join(dir, 'inventory.yml'), join(dir, 'playbook.yml'), { limit: ['r2'] });
    expect(r2.plays[0]!.hosts).toEqual(['r2']);
    expect(r2.selectedBundles).toEqual(['r1:teql0<->r2:teql0']);
  });

  it('a limit file\'s line that matches nothing is named by its file, line and column', () => {
    const dir = writeCase({ 'retry': 'router_a\n\n  router_c\n' });
    const [err] = errorsOf(() => loadRun(INVENTORY, PLAYBOOK, { limit: [`@${join(dir, 'retry')}`] }));
    expect(err?.message).toContain("--limit: host pattern 'router_c' matches no host or group");
    expect(err?.pos).toEqual({ file: join(dir, 'retry'), line: 3, col: 3 });
  });

  it('rejects a --limit that matches nothing, without a position', () => {
    const [err] = errorsOf(() => loadRun(INVENTORY, PLAYBOOK, { limit: ['router_c'] }));
    expect(err?.pos).toBeUndefined();
    expect(err?.message).toContain("--limit: host pattern 'router_c' matches no host or group");
  });
});

describe('loadRun: play vars, when, names, filters', () => {
  const inventory = `
all:
  vars: { mtu: 1500, lan_dev: eth3 }
  hosts:
    r1: { mtu: 9000, role: edge }
    r2: { role: core }
`;

  it('lets play vars override host vars, as Ansible does', () => {
    const dir = writeCase({
      'inventory.yml': inventory,
      'playbook.yml': `
- hosts: all
  vars: { mtu: 1400 }
  tasks:
    - link: { dev: eth1, mtu: "{{ mtu }}" }
`,
    });
    const run = loadRun(join(dir, 'inventory.yml'), join(dir, 'playbook.yml'));
    expect(run.plays[0]!.tasks.get('r1')![0]!.args).toEqual({ dev: 'eth1', mtu: 1400 });
  });

  it('evaluates when per host and per item, leaving out false ones', () => {
    const dir = writeCase({
      'inventory.yml': inventory,
      'playbook.yml': `
- hosts: all
  tasks:
    - name: edge only
      link: { dev: eth1, state: down }
      when: role == 'edge'
    - name: per item
      link: { dev: "{{ item }}", state: down }
      loop: [eth1, eth2, eth3]
      when:
        - item != 'eth2'
        - not (item == lan_dev)
    - name: undefined is fine with is defined
      link: { dev: eth4, state: up }
      when: lan_mtu is not defined and (mtu | int) != 1500
`,
    });
    const run = loadRun(join(dir, 'inventory.yml'), join(dir, 'playbook.yml'));
    const names = (h: string) => run.plays[0]!.tasks.get(h)!.map((t) => t.name);
    expect(names('r1')).toEqual(['edge only', 'per item (eth1)', 'undefined is fine with is defined']);
    expect(names('r2')).toEqual(['per item (eth1)']);
  });

  it('renders task names, defaults, int, and names loop mappings by dev, to or their first value', () => {
    const dir = writeCase({
      'inventory.yml': inventory,
      'playbook.yml': `
- hosts: r1
  tasks:
    - name: "mtu {{ mtu }} on {{ inventory_hostname }}"
      link: { dev: "{{ lan_dev }}", mtu: "{{ lan_mtu | default(mtu) | int }}" }
    - route: { to: "{{ item.to }}", dev: eth1 }
      loop: [{ to: 192.0.2.0/24 }, { to: default }]
    - sysctl: { name: "{{ item.key }}", value: "{{ item.value }}" }
      loop: [{ key: net.ipv4.ip_forward, value: 1 }]
`,
    });
    const tasks = loadRun(join(dir, 'inventory.yml'), join(dir, 'playbook.yml')).plays[0]!.tasks.get('r1')!;
    expect(tasks.map((t) => t.name)).toEqual(['mtu 9000 on r1', 'route (192.0.2.0/24)', 'route (default)', 'sysctl (net.ipv4.ip_forward)']);
    expect(tasks[0]!.args).toEqual({ dev: 'eth3', mtu: 9000 });
    expect(tasks[3]!.args).toEqual({ name: 'net.ipv4.ip_forward', value: '1', state: 'present' });
  });

  it('refuses Jinja beyond the subset instead of guessing', () => {
    const dir = writeCase({
      'inventory.yml': inventory,
      'playbook.yml': `
- hosts: all
  tasks:
    - address: { dev: eth1, address: "{{ '10.0.0.0/31' if first else '10.0.0.1/31' }}" }
`,
    });
    const [err] = errorsOf(() => loadRun(join(dir, 'inventory.yml'), join(dir, 'playbook.yml')));
    expect(err?.message).toContain("bad template: bad expression");
    expect(err?.pos?.line).toBe(3);
  });

  it('accepts a /31 on one host only, and the two ends on two hosts', () => {
    const ok = writeCase({
      'inventory.yml': `
all:
  hosts:
    r1: { link: 10.0.0.0/31, uplink: 10.9.0.6/31 }
    r2: { link: 10.0.0.1/31 }
`,
      'playbook.yml': `
- hosts: all
  tasks:
    - address: { dev: eth1, address: "{{ link }}" }
    - address: { dev: eth2, address: "{{ uplink }}" }
      when: uplink is defined
`,
    });
    expect(() => loadRun(join(ok, 'inventory.yml'), join(ok, 'playbook.yml'))).not.toThrow();
  });

  it('follows YAML anchors, aliases and merge keys', () => {
    const dir = writeCase({
      'inventory.yml': inventory,
      'playbook.yml': `
- hosts: r1
  tasks:
    - link: &up { dev: eth1, state: up }
    - link: *up
    - link: { <<: *up, dev: eth2 }
`,
    });
    const tasks = loadRun(join(dir, 'inventory.yml'), join(dir, 'playbook.yml')).plays[0]!.tasks.get('r1')!;
    expect(tasks.map((t) => t.args)).toEqual([
      { dev: 'eth1', state: 'up' },
      { dev: 'eth1', state: 'up' },
      { dev: 'eth2', state: 'up' },
    ]);
  });

  it('reports every problem of a playbook at once, in file order', () => {
    const dir = writeCase({
      'inventory.yml': inventory,
      'playbook.yml': `
- hosts: all
  tasks:
    - link: { dev: eth1 }
    - ping: { to: 300.1.1.1 }
    - teql: { slaves: [] }
`,
    });
    const errors = errorsOf(() => loadRun(join(dir, 'inventory.yml'), join(dir, 'playbook.yml')));
    expect(errors.map((e) => e.pos?.line)).toEqual([3, 4, 5]);
    expect(errors[2]!.message).toContain('teql.slaves: must have at least 1 item(s)');
  });
});

describe('-e and connection variables', () => {
  const files = () => writeCase({
    'inventory.yml': 'all:\n  hosts:\n    router_a:\n      ansible_host: 192.0.2.10\n      ansible_user: admin\n      ansible_port: 2222\n',
    'playbook.yml': '- hosts: all\n  tasks:\n    - ping: { to: 192.0.2.1 }\n',
  });

  it('win over the inventory, as in Ansible (they used to be ignored)', () => {
    const dir = files();
    const run = loadRun(join(dir, 'inventory.yml'), join(dir, 'playbook.yml'), { extraVars: ['ansible_user=operator', 'ansible_port=2201', 'ansible_become=true'] });
    expect(run.inventory.hosts.get('router_a')!.connection).toMatchObject({ host: '192.0.2.10', user: 'operator', port: 2201, become: true });
    const plain = loadRun(join(dir, 'inventory.yml'), join(dir, 'playbook.yml'));
    expect(plain.inventory.hosts.get('router_a')!.connection).toMatchObject({ user: 'admin', port: 2222 });
  });

  it('are checked as in the inventory: a bad port or a password is bad input (exit 2)', () => {
    const dir = files();
    const bad = errorsOf(() => loadRun(join(dir, 'inventory.yml'), join(dir, 'playbook.yml'), { extraVars: ['ansible_port=99999'] }));
    expect(bad.map((e) => e.located)).toEqual(['(command line):1:1: ansible_port of host router_a must be a port number 1..65535, got 99999']);
    const pw = errorsOf(() => loadRun(join(dir, 'inventory.yml'), join(dir, 'playbook.yml'), { extraVars: ['ansible_become_password=x'] }));
    expect(pw[0]!.message).toBe('ansible_become_password of host router_a: passwords are not supported');
    expect(pw[0]!.exitCode).toBe(2);
  });
});
