// Pure: the QEMU command line of one router. Everything the lab's wiring promises is visible here.
import {
  DISK_PCI_SLOT,
  flavorOf,
  MEMORY_MB,
  linkManagerOf,
  linkNumbers,
  linkPortBase,
  linkPortFrom,
  macAddress,
  nicPciSlot,
  linkPeer,
  type Flavor,
  type LabTopology,
  type LinkManager,
  type NameScheme,
  type Router,
  type LabRouter,
} from './topology.js';

export const QEMU_BINARY = 'qemu-system-x86_64';

export interface QemuSpec {
  router: LabRouter;
  topology: LabTopology;
  sshPort: number;
  kernel: string;
  initrd: string;
  overlay: string;
  pidfile: string;
  consoleLog: string;
  /** Unix socket of the QEMU monitor: `lab cut`/`lab restore` switch the management link with it. */
  monitor: string;
  /** Start from this internal snapshot of the overlay instead of booting (a warm `lab up`). */
  loadvm?: string;
  /** The lab's first UDP link port (as recorded for a running lab); default $TEQLCTL_LAB_LINK_PORT_BASE or 40000. */
  linkPortBase?: number;
}

/**
 * Under TCG a `loadvm` into a running QEMU restores RAM and the virtual clock but not the TSC, which
 * goes on from the QEMU's own start: a guest timing itself by the TSC saw its clock leap forward by
 * the time the lab had run, then stalled its RCU grace periods ("timer wakeup didn't happen") and
 * hung at the next reboot's unmounts. The HPET counts on the restored virtual clock; tsc=unstable
 * keeps the scheduler's clock off the raw TSC too (the kernel's watchdog said so only after a jump).
 */
const CLOCK = 'clocksource=hpet tsc=unstable';

export function kernelCmdline(router: LabRouter, names: NameScheme = 'eth', linkManager: LinkManager = 'none', flavor: Flavor = 'debian'): string {
  // teqllab.router= is read by the image's identity unit (hostname, host key, addresses, sudoers).
  // Without net.ifnames=0, udev gives the predictable names (ens3, ...) that real routers have.
  const ifnames = names === 'eth' ? ' net.ifnames=0' : '';
  // teqllab.links=networkd: the identity unit gives the link NICs to systemd-networkd (matched by MAC).
  const managed = linkManager === 'networkd' ? ' teqllab.links=networkd' : '';
  // The busybox flavour runs from its initramfs (rdinit=/init); the disk is there only so QEMU can save snapshots.
  if (flavor === 'busybox') return `console=ttyS0 rdinit=/init${ifnames} quiet ${CLOCK} teqllab.router=${router}`;
  return `console=ttyS0 root=/dev/vda rw${ifnames} quiet ${CLOCK} teqllab.router=${router}${managed}`;
}

/** Link k: UDP over loopback, sending to the peer's port for the same link and listening on ours. */
export function socketNetdev(router: LabRouter, link: number, topology: LabTopology = { links: 2, names: 'eth' }, base = linkPortBase()): string {
  const peer = linkPeer(topology, router, link);
  return `socket,id=n${link},udp=127.0.0.1:${linkPortFrom(base, peer.router, peer.link)},localaddr=127.0.0.1:${linkPortFrom(base, router, link)}`;
}

/** The management NIC: user-mode NAT that reaches nothing (restrict=on), only SSH forwarded from the host's loopback. */
export function managementNetdev(sshPort: number): string {
  return `user,id=n0,restrict=on,hostfwd=tcp:127.0.0.1:${sshPort}-:22`;
}

/** A virtio NIC in a fixed PCI slot (bus 0), so its predictable name is the same on every boot. */
function nic(router: LabRouter, n: number): string {
  return `virtio-net-pci,netdev=n${n},mac=${macAddress(router, n)},addr=0x${nicPciSlot(n).toString(16)}`;
}

export function qemuArgs(spec: QemuSpec): string[] {
  const { router, topology } = spec;
  return [
    '-name', `teqllab-${router}`,
    // KVM hung at "Booting from ROM" on this machine kind; software emulation is slow but reliable.
    '-accel', 'tcg',
    '-m', String(MEMORY_MB),
    '-smp', '1',
    '-nodefaults', '-no-user-config',
    '-display', 'none',
    '-monitor', `unix:${spec.monitor},server=on,wait=off`,
    '-serial', `file:${spec.consoleLog}`,
    '-kernel', spec.kernel,
    '-initrd', spec.initrd,
    '-append', kernelCmdline(router, topology.names, linkManagerOf(topology), flavorOf(topology)),
    // cache=unsafe: the overlay is throwaway, and skipping flushes speeds up boots under TCG.
    '-drive', `file=${spec.overlay},format=qcow2,if=none,id=disk0,cache=unsafe`,
    '-device', `virtio-blk-pci,drive=disk0,addr=0x${DISK_PCI_SLOT.toString(16)}`,
    '-netdev', managementNetdev(spec.sshPort),
    '-device', nic(router, 0),
    ...linkNumbers(topology, router).flatMap((k) => ['-netdev', socketNetdev(router, k, topology, spec.linkPortBase), '-device', nic(router, k)]),
    ...(spec.loadvm ? ['-loadvm', spec.loadvm] : []),
    '-daemonize',
    '-pidfile', spec.pidfile,
  ];
}
