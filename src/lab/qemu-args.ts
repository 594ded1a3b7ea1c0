// Pure: the QEMU command line of one router. Everything the lab's wiring promises is visible here.
import { MEMORY_MB, linkPort, macAddress, otherRouter, type Router } from './topology.js';

export const QEMU_BINARY = 'qemu-system-x86_64';

export interface QemuSpec {
  router: Router;
  sshPort: number;
  kernel: string;
  initrd: string;
  overlay: string;
  pidfile: string;
  consoleLog: string;
  /** Unix socket of the QEMU monitor: `lab cut`/`lab restore` switch the management link with it. */
  monitor: string;
}

export function kernelCmdline(router: Router): string {
  // teqllab.router= is read by the image's identity unit (hostname, host key, addresses, sudoers).
  return `console=ttyS0 root=/dev/vda rw net.ifnames=0 quiet teqllab.router=${router}`;
}

/** eth1/eth2: UDP over loopback, sending to the peer's port for the same link and listening on ours. */
export function socketNetdev(router: Router, link: 1 | 2): string {
  const peer = otherRouter(router);
  return `socket,id=n${link},udp=127.0.0.1:${linkPort(peer, link)},localaddr=127.0.0.1:${linkPort(router, link)}`;
}

/** eth0: user-mode NAT that reaches nothing (restrict=on), only SSH forwarded from the host's loopback. */
export function managementNetdev(sshPort: number): string {
  return `user,id=n0,restrict=on,hostfwd=tcp:127.0.0.1:${sshPort}-:22`;
}

export function qemuArgs(spec: QemuSpec): string[] {
  const { router } = spec;
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
    '-append', kernelCmdline(router),
    // cache=unsafe: the overlay is throwaway, and skipping flushes speeds up boots under TCG.
    '-drive', `file=${spec.overlay},format=qcow2,if=virtio,cache=unsafe`,
    '-netdev', managementNetdev(spec.sshPort),
    '-device', `virtio-net-pci,netdev=n0,mac=${macAddress(router, 0)}`,
    '-netdev', socketNetdev(router, 1),
    '-device', `virtio-net-pci,netdev=n1,mac=${macAddress(router, 1)}`,
    '-netdev', socketNetdev(router, 2),
    '-device', `virtio-net-pci,netdev=n2,mac=${macAddress(router, 2)}`,
    '-daemonize',
    '-pidfile', spec.pidfile,
  ];
}
