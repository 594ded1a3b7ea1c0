// Where teqlctl's boot configuration and baseline live on a router. Every path teqlctl may write for
// the next boot matches one of BOOT_GLOBS, so the facts script finds them all (also those of an
// earlier run with other devices) and teardown can remove them.
export const BOOT_DIR = '/etc/teqlctl';
export const BOOT_SCRIPT = `${BOOT_DIR}/boot.sh`;
export const BOOT_UNIT_NAME = 'teqlctl-boot.service';
export const BOOT_UNIT = `/etc/systemd/system/${BOOT_UNIT_NAME}`;
export const BOOT_UNIT_WANTS = `/etc/systemd/system/multi-user.target.wants/${BOOT_UNIT_NAME}`;
export const MODULES_LOAD = '/etc/modules-load.d/teqlctl.conf';
export const MODPROBE_OPTIONS = '/etc/modprobe.d/teqlctl.conf';
// 99- and "teqlctl" sort after the distribution's files (99-sysctl.conf included): ours win.
export const SYSCTL_FILE = '/etc/sysctl.d/99-teqlctl.conf';
export const IFUP_HOOK = '/etc/network/if-up.d/teqlctl';
export const NETWORKD_DIR = '/etc/systemd/network';
export const NETWORKD_DROPIN = '60-teqlctl.conf';

/** The drop-in that extends the .network file networkd uses for a link. */
export function networkdDropIn(networkFile: string): string {
  const base = networkFile.slice(networkFile.lastIndexOf('/') + 1);
  return `${NETWORKD_DIR}/${base}.d/${NETWORKD_DROPIN}`;
}

export const BOOT_GLOBS = [
  BOOT_SCRIPT,
  BOOT_UNIT,
  BOOT_UNIT_WANTS,
  MODULES_LOAD,
  MODPROBE_OPTIONS,
  SYSCTL_FILE,
  IFUP_HOOK,
  `${NETWORKD_DIR}/*.network.d/${NETWORKD_DROPIN}`,
];

/** Directories teqlctl creates for its files and removes again once they are empty. */
export function ownedDir(path: string): string | undefined {
  const dir = path.slice(0, path.lastIndexOf('/'));
  return dir === BOOT_DIR || (dir.startsWith(`${NETWORKD_DIR}/`) && dir.endsWith('.network.d')) ? dir : undefined;
}

export const BASELINE_FILE = '/var/lib/teqlctl/baseline';
