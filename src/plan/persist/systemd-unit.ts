// The oneshot unit that runs the boot script once the interfaces exist, before network.target.
import { BOOT_SCRIPT } from '../../router/paths.js';

/**
 * systemd's name escaping of a component inside a path (systemd-escape --path): keeps
 * [A-Za-z0-9:_.], \xNN the rest. A leading dot is escaped only at the start of the whole path, so
 * never in a device's name after `devices-` (`.lan` gave `\x2elan`, a unit that never appears: a review).
 */
export function systemdEscape(name: string): string {
  return [...Buffer.from(name, 'utf8')]
    .map((b) => {
      const c = String.fromCharCode(b);
      return /[A-Za-z0-9:_.]/.test(c) ? c : `\\x${b.toString(16).padStart(2, '0')}`;
    })
    .join('');
}

export function deviceUnit(dev: string): string {
  return `sys-subsystem-net-devices-${systemdEscape(dev)}.device`;
}

/**
 * `restarts`: systemd takes `Restart=` on a oneshot unit since 244; an older one (Debian 10's 241,
 * RHEL 8's 239) refuses the whole unit, and nothing ran at boot (a review): there the script's own
 * retries alone.
 */
export function bootUnit(summary: string, devices: readonly string[], afterNetworkd: boolean, restarts = true): string {
  const deviceUnits = devices.map(deviceUnit).join(' ');
  return [
    '# Written by teqlctl: runs the TEQL boot configuration. teqlctl rewrites or removes this file.',
    '[Unit]',
    `Description=teqlctl: ${summary}`,
    ...(deviceUnits ? [`Wants=network-pre.target ${deviceUnits}`] : ['Wants=network-pre.target']),
    `After=network-pre.target systemd-modules-load.service systemd-sysctl.service${afterNetworkd ? ' systemd-networkd.service' : ''}${deviceUnits ? ` ${deviceUnits}` : ''}`,
    'Before=network.target',
    // Five tries in five minutes, then it stays failed (systemctl status says why) instead of looping.
    ...(restarts ? ['StartLimitIntervalSec=300', 'StartLimitBurst=5'] : []),
    '',
    '[Service]',
    'Type=oneshot',
    'RemainAfterExit=yes',
    `ExecStart=${BOOT_SCRIPT}`,
    // A slave that gets its qdisc late (networkd waiting for carrier): try the idempotent script again.
    ...(restarts ? ['Restart=on-failure', 'RestartSec=10'] : []),
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ].join('\n');
}
