import { describe, expect, it } from 'vitest';
import { kernelCmdline, qemuArgs, type QemuSpec } from '../../src/lab/qemu-args.js';
import type { Router } from '../../src/lab/topology.js';

function spec(router: Router, sshPort: number): QemuSpec {
  return {
    router,
    sshPort,
    kernel: '/lab/image/vmlinuz',
    initrd: '/lab/image/initrd.img',
    overlay: `/lab/run/${router}.qcow2`,
    pidfile: `/lab/run/${router}.pid`,
    consoleLog: `/lab/run/${router}.console.log`,
    monitor: `/lab/run/${router}.monitor`,
  };
}

/** The value following each occurrence of `flag`. */
function values(args: string[], flag: string): string[] {
  return args.flatMap((a, i) => (a === flag ? [args[i + 1] ?? ''] : []));
}

describe('qemuArgs', () => {
  const a = qemuArgs(spec('a', 2201));
  const b = qemuArgs(spec('b', 2202));

  it('offers its monitor only on a unix socket in the run dir (for lab cut/restore), never on TCP', () => {
    expect(values(a, '-monitor')).toEqual(['unix:/lab/run/a.monitor,server=on,wait=off']);
  });

  it('uses software emulation, 512 MB, one vCPU, daemonized with our pidfile', () => {
    expect(values(a, '-accel')).toEqual(['tcg']);
    expect(values(a, '-m')).toEqual(['512']);
    expect(values(a, '-smp')).toEqual(['1']);
    expect(a).toContain('-daemonize');
    expect(values(a, '-pidfile')).toEqual(['/lab/run/a.pid']);
    expect(values(a, '-serial')).toEqual(['file:/lab/run/a.console.log']);
  });

  it('keeps the management NIC restricted, with SSH forwarded from 127.0.0.1 only', () => {
    const mgmt = values(a, '-netdev').filter((n) => n.startsWith('user,'));
    expect(mgmt).toEqual(['user,id=n0,restrict=on,hostfwd=tcp:127.0.0.1:2201-:22']);
    for (const args of [a, b]) {
      const forwards = args.join(' ').match(/hostfwd=[^,\s]*/g) ?? [];
      expect(forwards).toHaveLength(1);
      expect(forwards[0]).toMatch(/^hostfwd=tcp:127\.0\.0\.1:\d+-:22$/);
    }
    expect(values(b, '-netdev')[0]).toContain('hostfwd=tcp:127.0.0.1:2202-:22');
  });

  it('pairs the socket links: each router sends to the port the peer listens on, per link', () => {
    const links = (args: string[]) =>
      values(args, '-netdev')
        .filter((n) => n.startsWith('socket,'))
        .map((n) => {
          const m = /id=(n\d),udp=127\.0\.0\.1:(\d+),localaddr=127\.0\.0\.1:(\d+)/.exec(n);
          if (!m) throw new Error(`unexpected netdev ${n}`);
          return { id: m[1], peer: Number(m[2]), own: Number(m[3]) };
        });
    const la = links(a);
    const lb = links(b);
    expect(la.map((l) => l.id)).toEqual(['n1', 'n2']);
    expect(lb.map((l) => l.id)).toEqual(['n1', 'n2']);
    for (const i of [0, 1]) {
      expect(la[i]!.peer).toBe(lb[i]!.own);
      expect(lb[i]!.peer).toBe(la[i]!.own);
    }
    const all = [...la, ...lb].map((l) => l.own);
    expect(new Set(all).size).toBe(4);
    expect(all).toEqual([40011, 40012, 40021, 40022]);
  });

  it('puts eth0, eth1, eth2 in that order with fixed, distinct MACs', () => {
    const devices = [...values(a, '-device'), ...values(b, '-device')];
    expect(values(a, '-device').map((d) => /netdev=(n\d)/.exec(d)?.[1])).toEqual(['n0', 'n1', 'n2']);
    const macs = devices.map((d) => /mac=([0-9a-f:]+)/.exec(d)?.[1]);
    expect(new Set(macs).size).toBe(6);
    expect(macs[0]).toBe('52:54:00:7e:01:00');
  });

  it('tells the image which router it is', () => {
    expect(values(a, '-append')).toEqual([kernelCmdline('a')]);
    expect(kernelCmdline('b')).toBe('console=ttyS0 root=/dev/vda rw net.ifnames=0 quiet teqllab.router=b');
    expect(values(a, '-drive')[0]).toMatch(/^file=\/lab\/run\/a\.qcow2,format=qcow2,if=virtio/);
  });
});
