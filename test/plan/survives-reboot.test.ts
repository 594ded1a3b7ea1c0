// Which ops change the disk (their write-ahead record is synced before they run) and which change
// the running kernel only (a crash resets them along with any unsynced record).
import { describe, expect, it } from 'vitest';
import { survivesReboot, type Op } from '../../src/plan/ops.js';

describe('survivesReboot', () => {
  it('is true for files and the baseline, false for links, addresses, routes, qdiscs, sysctls, the module and systemd reloads', () => {
    const disk: Op[] = [
      { kind: 'file-write', path: '/etc/x', content: '', executable: false },
      { kind: 'file-remove', path: '/etc/x' },
      { kind: 'symlink', path: '/etc/y', target: '/etc/x' },
      { kind: 'baseline-set', key: 'k', value: 'v' },
      { kind: 'baseline-unset', key: 'k' },
    ];
    const kernel: Op[] = [
      { kind: 'modprobe', module: 'sch_teql' },
      { kind: 'rmmod', module: 'sch_teql' },
      { kind: 'link', dev: 'eth1', up: true },
      { kind: 'qdisc-root', dev: 'eth1', qdisc: 'teql0', replace: false },
      { kind: 'qdisc-root-del', dev: 'eth1' },
      { kind: 'addr-add', dev: 'eth1', cidr: '10.0.0.0/31' },
      { kind: 'addr-del', dev: 'eth1', cidr: '10.0.0.0/31' },
      { kind: 'route-add', route: { to: '198.51.100.0/24', via: '10.0.0.5', dev: 'teql0', metric: 0 } as never },
      { kind: 'sysctl', name: 'net.ipv4.conf.all.rp_filter', value: '0' },
      { kind: 'systemd-reload' },
    ];
    expect(disk.map(survivesReboot)).toEqual(disk.map(() => true));
    expect(kernel.map(survivesReboot)).toEqual(kernel.map(() => false));
  });
});
