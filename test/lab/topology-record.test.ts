import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { labPaths } from '../../src/lab/paths.js';
import { qemuArgs } from '../../src/lab/qemu-args.js';
import { readTopologyRecord, recordedLinkPortBase, writeTopologyRecord } from '../../src/lab/topology-record.js';
import { DEFAULT_TOPOLOGY } from '../../src/lab/topology.js';

function freshLab() {
  const p = labPaths(mkdtempSync(join(tmpdir(), 'teqlctl-record-')));
  mkdirSync(p.runDir, { recursive: true });
  return p;
}

describe('the link port base a lab was booted with', () => {
  const saved = process.env.TEQLCTL_LAB_LINK_PORT_BASE;
  afterEach(() => {
    if (saved === undefined) delete process.env.TEQLCTL_LAB_LINK_PORT_BASE;
    else process.env.TEQLCTL_LAB_LINK_PORT_BASE = saved;
  });

  it('is recorded with the topology and wins over the variable as it is later', () => {
    const p = freshLab();
    writeTopologyRecord(p, { ...DEFAULT_TOPOLOGY, linkPortBase: 40100 });
    expect(JSON.parse(readFileSync(p.topology, 'utf8')).linkPortBase).toBe(40100);
    process.env.TEQLCTL_LAB_LINK_PORT_BASE = '45000';
    expect(recordedLinkPortBase(p)).toBe(40100);
  });

  it('is the configured one when no lab was recorded, or a record predates it', () => {
    process.env.TEQLCTL_LAB_LINK_PORT_BASE = '45000';
    const p = freshLab();
    expect(recordedLinkPortBase(p)).toBe(45000);
    writeTopologyRecord(p, { ...DEFAULT_TOPOLOGY });
    expect(recordedLinkPortBase(p)).toBe(45000);
  });

  it('drops a recorded base that is no port to count from, and keeps the rest of the record', () => {
    const p = freshLab();
    writeFileSync(p.topology, JSON.stringify({ links: 3, names: 'eth', linkPortBase: 80 }));
    expect(readTopologyRecord(p)).toEqual({ links: 3, names: 'eth' });
  });

  it('wires the QEMU links from it', () => {
    const p = freshLab();
    const args = qemuArgs({ router: 'a', topology: DEFAULT_TOPOLOGY, sshPort: 2201, kernel: 'k', initrd: 'i', overlay: 'o', pidfile: 'pf', consoleLog: 'c', monitor: p.monitor('a'), linkPortBase: 41000 });
    const netdevs = args.filter((x) => x.startsWith('socket,'));
    expect(netdevs).toEqual(['socket,id=n1,udp=127.0.0.1:41021,localaddr=127.0.0.1:41011', 'socket,id=n2,udp=127.0.0.1:41022,localaddr=127.0.0.1:41012']);
  });
});
