import { describe, expect, it } from 'vitest';
import { qemuArgs } from '../../src/lab/qemu-args.js';
import { snapshotKey, snapshotsToForget } from '../../src/lab/snapshot-key.js';
import { DEFAULT_TOPOLOGY, type LabTopology } from '../../src/lab/topology.js';

function args(topology: LabTopology = DEFAULT_TOPOLOGY, sshPort = 2201): string[] {
  return qemuArgs({
    router: 'a',
    topology,
    sshPort,
    kernel: '/lab/image/vmlinuz',
    initrd: '/lab/image/initrd.img',
    overlay: '/lab/run/a.qcow2',
    pidfile: '/lab/run/a.pid',
    consoleLog: '/lab/run/a.console.log',
    monitor: '/lab/run/a.monitor',
  });
}

describe('snapshotKey', () => {
  const key = snapshotKey(args(), 'stamp1\n', 'QEMU emulator version 7.2.15');

  it('is the same for the same machine, image and QEMU (a warm `lab up` finds its saved router)', () => {
    expect(snapshotKey(args(), 'stamp1', 'QEMU emulator version 7.2.15\n')).toBe(key);
  });

  it('changes with the topology, the SSH port, the image or the QEMU version (a saved state fits only its machine)', () => {
    expect(snapshotKey(args({ links: 3, names: 'predictable' }), 'stamp1', 'QEMU emulator version 7.2.15')).not.toBe(key);
    expect(snapshotKey(args(DEFAULT_TOPOLOGY, 2299), 'stamp1', 'QEMU emulator version 7.2.15')).not.toBe(key);
    expect(snapshotKey(args(), 'stamp2', 'QEMU emulator version 7.2.15')).not.toBe(key);
    expect(snapshotKey(args(), 'stamp1', 'QEMU emulator version 8.0.0')).not.toBe(key);
  });

  it('is a short hex name usable as a folder', () => {
    expect(key).toMatch(/^[0-9a-f]{20}$/);
  });
});

describe('snapshotsToForget', () => {
  it('keeps the most recently used ones and forgets the rest', () => {
    const saved = [
      { key: 'old', lastUsedMs: 1 },
      { key: 'newest', lastUsedMs: 30 },
      { key: 'middle', lastUsedMs: 20 },
      { key: 'older', lastUsedMs: 10 },
    ];
    expect(snapshotsToForget(saved, 2).sort()).toEqual(['old', 'older']);
    expect(snapshotsToForget(saved, 4)).toEqual([]);
    expect(snapshotsToForget(saved, 0).sort()).toEqual(['middle', 'newest', 'old', 'older']);
  });
});
