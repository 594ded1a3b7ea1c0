// A pristine router as the lab's routers look before any run (hand-built; parse tests use recordings).
import type { Facts } from '../../src/gather/facts.js';
import type { TaskInstance, TaskCall } from '../../src/load/types.js';

export function pristineFacts(): Facts {
  return {
    links: [
      { name: 'lo', up: true, operstate: 'UNKNOWN', mtu: 65536 },
      { name: 'eth0', up: true, operstate: 'UP', mtu: 1500 },
      { name: 'eth1', up: false, operstate: 'DOWN', mtu: 1500 },
      { name: 'eth2', up: false, operstate: 'DOWN', mtu: 1500 },
      { name: 'lan0', up: true, operstate: 'UNKNOWN', mtu: 1500, kind: 'dummy' },
    ],
    addresses: [
      { dev: 'lo', cidr: '127.0.0.1/8' },
      { dev: 'eth0', cidr: '10.0.2.15/24' },
      { dev: 'lan0', cidr: '192.0.2.1/24' },
    ],
    routes: [
      { to: 'default', via: '10.0.2.2', dev: 'eth0', metric: 0, protocol: 'static' },
      { to: '10.0.2.0/24', dev: 'eth0', metric: 0, protocol: 'kernel', scope: 'link' },
      { to: '192.0.2.0/24', dev: 'lan0', metric: 0, protocol: 'kernel', scope: 'link' },
    ],
    rootQdiscs: [
      { dev: 'lo', kind: 'noqueue', handle: '0:', isDefault: true },
      { dev: 'eth0', kind: 'pfifo_fast', handle: '0:', isDefault: true },
      { dev: 'eth1', kind: 'noop', handle: '0:', isDefault: true },
      { dev: 'eth2', kind: 'noop', handle: '0:', isDefault: true },
      { dev: 'lan0', kind: 'noqueue', handle: '0:', isDefault: true },
    ],
    sysctls: {
      'net.ipv4.conf.all.rp_filter': '2',
      'net.ipv4.conf.default.rp_filter': '2',
      'net.ipv4.conf.lo.rp_filter': '0',
      'net.ipv4.conf.eth0.rp_filter': '0',
      'net.ipv4.conf.eth1.rp_filter': '0',
      'net.ipv4.conf.eth2.rp_filter': '0',
      'net.ipv4.conf.lan0.rp_filter': '2',
    },
    teql: { loaded: false, available: true },
    management: { clientIp: '10.0.2.2', dev: 'eth0' },
  };
}

/**
 * The pristine router with the peer's equalizer address on a link's subnet (eth1 up, 10.0.0.4/31
 * on it): a route task via 10.0.0.5 alone is one the kernel would take (the planner refuses a
 * gateway on no subnet, as the kernel does).
 */
export function reachingPeer(f: Facts = pristineFacts()): Facts {
  return {
    ...f,
    links: f.links.map((l) => (l.name === 'eth1' ? { ...l, up: true, operstate: 'UP' } : l)),
    addresses: [...f.addresses, { dev: 'eth1', cidr: '10.0.0.4/31' }],
    routes: [...f.routes, { to: '10.0.0.4/31', dev: 'eth1', metric: 0, protocol: 'kernel', scope: 'link' }],
  };
}

const pos = { file: 'playbooks/teql.yml', line: 1, col: 1 };

export function task(call: TaskCall, name: string = call.module): TaskInstance {
  return { ...call, name, pos } as TaskInstance;
}

/** The chapter's tasks for router a of the lab, as the loader renders them. */
export function chapterTasks(): TaskInstance[] {
  return [
    task({ module: 'link', args: { dev: 'eth1', state: 'up' } }, 'links up (eth1)'),
    task({ module: 'link', args: { dev: 'eth2', state: 'up' } }, 'links up (eth2)'),
    task({ module: 'teql', args: { device: 'teql0', slaves: ['eth1', 'eth2'], state: 'present', replace: false } }, 'equalize'),
    task({ module: 'address', args: { dev: 'eth1', address: '10.0.0.0/31', state: 'present' } }),
    task({ module: 'address', args: { dev: 'eth2', address: '10.0.0.2/31', state: 'present' } }),
    task({ module: 'address', args: { dev: 'teql0', address: '10.0.0.4/31', state: 'present' } }),
    task({ module: 'sysctl', args: { name: 'net.ipv4.conf.eth1.rp_filter', value: '0', state: 'present' } }),
    task({ module: 'sysctl', args: { name: 'net.ipv4.conf.eth2.rp_filter', value: '0', state: 'present' } }),
    task({ module: 'route', args: { to: '198.51.100.0/24', via: '10.0.0.5', state: 'present' } }),
    task({ module: 'ping', args: { to: '10.0.0.1', count: 3, timeout: 2 } }),
    task({ module: 'ping', args: { to: '10.0.0.5', count: 3, timeout: 2 } }),
  ];
}
