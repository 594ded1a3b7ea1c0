import { describe, expect, it } from 'vitest';
import { kernelCmdline, qemuArgs, type QemuSpec } from '../../src/lab/qemu-args.js';
import { DEFAULT_TOPOLOGY, type LabTopology, type Router } from '../../src/lab/topology.js';

function spec(router: Router, sshPort: number, topology: LabTopology = DEFAULT_TOPOLOGY): QemuSpec {
  return {
    router,
    topology,
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

  const nics = (args: string[]) => values(args, '-device').filter((d) => d.startsWith('virtio-net-pci,'));

  it('puts eth0, eth1, eth2 in that order with fixed, distinct MACs', () => {
    const devices = [...nics(a), ...nics(b)];
    expect(nics(a).map((d) => /netdev=(n\d)/.exec(d)?.[1])).toEqual(['n0', 'n1', 'n2']);
    const macs = devices.map((d) => /mac=([0-9a-f:]+)/.exec(d)?.[1]);
    expect(new Set(macs).size).toBe(6);
    expect(macs[0]).toBe('52:54:00:7e:01:00');
  });

  it('tells the image which router it is, and boots from a virtio disk in a pinned PCI slot', () => {
    expect(values(a, '-append')).toEqual([kernelCmdline('a')]);
    expect(kernelCmdline('b')).toBe('console=ttyS0 root=/dev/vda rw net.ifnames=0 quiet clocksource=hpet tsc=unstable teqllab.router=b');
    expect(values(a, '-drive')).toEqual(['file=/lab/run/a.qcow2,format=qcow2,if=none,id=disk0,cache=unsafe']);
    expect(values(a, '-device')[0]).toBe('virtio-blk-pci,drive=disk0,addr=0x2');
  });

  it('pins every NIC to its PCI slot: management in 3, link k in 3+k', () => {
    expect(nics(a)).toEqual([
      'virtio-net-pci,netdev=n0,mac=52:54:00:7e:01:00,addr=0x3',
      'virtio-net-pci,netdev=n1,mac=52:54:00:7e:01:01,addr=0x4',
      'virtio-net-pci,netdev=n2,mac=52:54:00:7e:01:02,addr=0x5',
    ]);
  });
});

describe('qemuArgs for other topologies', () => {
  const three = { links: 3, names: 'predictable' } as const;
  const a = qemuArgs(spec('a', 2201, three));
  const b = qemuArgs(spec('b', 2202, three));

  it('predictable names: the kernel cmdline drops net.ifnames=0 and nothing else', () => {
    expect(values(a, '-append')).toEqual(['console=ttyS0 root=/dev/vda rw quiet clocksource=hpet tsc=unstable teqllab.router=a']);
    expect(kernelCmdline('a', 'predictable')).toBe(kernelCmdline('a', 'eth').replace(' net.ifnames=0', ''));
  });

  it('three links: three paired socket netdevs, a.k <-> b.k, on ports 400<router><k>', () => {
    const sockets = (args: string[]) => values(args, '-netdev').filter((n) => n.startsWith('socket,'));
    expect(sockets(a)).toEqual([
      'socket,id=n1,udp=127.0.0.1:40021,localaddr=127.0.0.1:40011',
      'socket,id=n2,udp=127.0.0.1:40022,localaddr=127.0.0.1:40012',
      'socket,id=n3,udp=127.0.0.1:40023,localaddr=127.0.0.1:40013',
    ]);
    expect(sockets(b)).toEqual([
      'socket,id=n1,udp=127.0.0.1:40011,localaddr=127.0.0.1:40021',
      'socket,id=n2,udp=127.0.0.1:40012,localaddr=127.0.0.1:40022',
      'socket,id=n3,udp=127.0.0.1:40013,localaddr=127.0.0.1:40023',
    ]);
    expect(values(b, '-device').at(-1)).toBe('virtio-net-pci,netdev=n3,mac=52:54:00:7e:02:03,addr=0x6');
  });

  it('four links still keep the management NIC restricted and every PCI slot distinct', () => {
    const four = qemuArgs(spec('b', 2202, { links: 4, names: 'eth' }));
    expect(values(four, '-netdev')[0]).toBe('user,id=n0,restrict=on,hostfwd=tcp:127.0.0.1:2202-:22');
    expect(values(four, '-netdev').filter((n) => n.includes('restrict=on'))).toHaveLength(1);
    const slots = values(four, '-device').map((d) => /addr=(0x[0-9a-f]+)/.exec(d)?.[1]);
    expect(slots).toEqual(['0x2', '0x3', '0x4', '0x5', '0x6', '0x7']);
  });
});

describe('--link-manager networkd', () => {
  it('asks the identity unit to give the link NICs to networkd, on the kernel cmdline', () => {
    expect(kernelCmdline('a', 'predictable', 'networkd')).toBe('console=ttyS0 root=/dev/vda rw quiet clocksource=hpet tsc=unstable teqllab.router=a teqllab.links=networkd');
    expect(kernelCmdline('b', 'eth', 'none')).toBe(kernelCmdline('b'));
  });
});

describe('qemuArgs with a saved state', () => {
  const base = {
    router: 'a' as const,
    topology: DEFAULT_TOPOLOGY,
    sshPort: 2201,
    kernel: '/lab/image/vmlinuz',
    initrd: '/lab/image/initrd.img',
    overlay: '/lab/run/a.qcow2',
    pidfile: '/lab/run/a.pid',
    consoleLog: '/lab/run/a.console.log',
    monitor: '/lab/run/a.monitor',
  };

  it('resumes the named internal snapshot and is otherwise the same machine', () => {
    const cold = qemuArgs(base);
    const warm = qemuArgs({ ...base, loadvm: 'pristine' });
    expect(cold).not.toContain('-loadvm');
    expect(warm.slice(warm.indexOf('-loadvm'), warm.indexOf('-loadvm') + 2)).toEqual(['-loadvm', 'pristine']);
    expect(warm.filter((_, i) => i !== warm.indexOf('-loadvm') && i !== warm.indexOf('-loadvm') + 1)).toEqual(cold);
  });
});

describe('the busybox flavour', () => {
  it('runs /init from its initramfs, with eth names, and no root disk on the kernel cmdline', () => {
    expect(kernelCmdline('a', 'eth', 'none', 'busybox')).toBe('console=ttyS0 rdinit=/init net.ifnames=0 quiet clocksource=hpet tsc=unstable teqllab.router=a');
    const args = qemuArgs({ ...spec('b', 2202, { links: 2, names: 'eth', flavor: 'busybox' }), initrd: '/lab/image/busybox-initrd.img' });
    expect(values(args, '-initrd')).toEqual(['/lab/image/busybox-initrd.img']);
    expect(values(args, '-append')).toEqual(['console=ttyS0 rdinit=/init net.ifnames=0 quiet clocksource=hpet tsc=unstable teqllab.router=b']);
    // The disk stays: QEMU saves snapshots into it.
    expect(values(args, '-drive')).toHaveLength(1);
  });
});
