// sysctl names and /proc/sys paths. Interface names may hold dots (eth0.100), so per-device
// names are split on their known shape rather than on every dot.

const PER_DEVICE = /^net\.(ipv4|ipv6)\.(conf|neigh)\.(.+)\.([^.]+)$/;

export function sysctlPath(name: string): string {
  const m = PER_DEVICE.exec(name);
  if (m) return `/proc/sys/net/${m[1]}/${m[2]}/${m[3]}/${m[4]}`;
  return '/proc/sys/' + name.split('.').join('/');
}

/**
 * A per-device name as the `sysctl` command takes it: a dot in the device's name written as `/`
 * (`net.ipv6.conf.eth1/100.mtu`), which procps and BusyBox read as the name's own dot, where
 * `net.ipv6.conf.eth1.100.mtu` is looked for as /proc/sys/net/ipv6/conf/eth1/100/mtu. For hints.
 */
export function sysctlCommandName(family: 'ipv4' | 'ipv6', dev: string, key: string): string {
  return `net.${family}.conf.${dev.split('.').join('/')}.${key}`;
}

export function sysctlName(path: string): string {
  return path.replace(/^\/proc\/sys\//, '').split('/').join('.');
}

/** `net.ipv4.conf.<dev>.rp_filter` -> dev, else undefined. */
export function rpFilterDevice(name: string): string | undefined {
  return /^net\.ipv4\.conf\.(.+)\.rp_filter$/.exec(name)?.[1];
}

/** A sysctl's value as the kernel prints it back: runs of spaces and tabs one space ("4096\t131072" is "4096 131072"). */
export function sysctlValue(value: string): string {
  return value.trim().replace(/\s+/g, ' ');
}
