// The facts script's boot section: who configures the links at boot and after (networkd,
// NetworkManager, ifupdown), what runs the boot, and teqlctl's own boot files, read exactly.
import { FactError } from '../errors.js';
import type { BootFact, SysctlFileSetting } from './facts.js';

/** File systems a reboot empties (rootfs: a system running from its initramfs). */
const VOLATILE_FS = new Set(['tmpfs', 'ramfs', 'rootfs']);

/** The boot section: teqlctl's files (base64), networkd's and NetworkManager's managed links, ifupdown's interfaces. */
export function parseBoot(text: string, host = '?'): BootFact {
  const boot: BootFact = { files: [], networkd: {}, ifupdown: [] };
  // Only the interfaces ifupdown brings up by itself at boot (auto, allow-auto: what `ifup -a` raises) count.
  const autoUp = new Set<string>();
  for (const line of text.split('\n')) {
    const f = line.split('\t');
    if (f[0] === 'file') {
      // Read exactly, or not at all: what is read here is what an undo writes back.
      const size = Number((f[3] ?? '').trim());
      const bytes = Buffer.from(f[4] ?? '', 'base64');
      if (f.length !== 5 || !/^\s*\d+\s*$/.test(f[3]!) || bytes.length !== size) {
        throw new FactError(host, `could not read the boot file ${f[1] ?? '?'} exactly (${Number.isFinite(size) ? `${size} bytes on the router, ${bytes.length} read` : 'no size'}): is base64 or wc missing or different there?`);
      }
      boot.files.push({ path: f[1]!, content: bytes.toString('utf8'), executable: f[2] === 'x' });
    } else if (f[0] === 'symlink' && f.length === 3) {
      boot.files.push({ path: f[1]!, symlink: f[2]! });
    } else if (f[0] === 'networkd' && f.length === 3) {
      boot.networkd[f[1]!] = f[2]!;
    } else if (f[0] === 'sysctl-file' && f.length === 2) {
      const setting = sysctlFileLine(f[1]!);
      if (setting) boot.sysctlFiles = [...(boot.sysctlFiles ?? []), setting];
    } else if (f[0] === 'nm' && f.length === 2 && f[1]) {
      boot.networkManager = [...(boot.networkManager ?? []), f[1]];
    } else if (f[0] === 'networkd-version' && f.length === 2 && /^\d+$/.test(f[1]!)) {
      boot.networkdVersion = Number(f[1]);
    } else if (f[0] === 'ifupdown' && f.length === 2 && f[1] && !boot.ifupdown.includes(f[1])) {
      boot.ifupdown.push(f[1]);
    } else if (f[0] === 'ifupdown-static' && f.length === 2 && f[1]) {
      boot.ifupdownStatic = [...(boot.ifupdownStatic ?? []), f[1]];
    } else if (f[0] === 'ifupdown-dhcp' && f.length === 2 && f[1]) {
      boot.ifupdownDhcp = [...(boot.ifupdownDhcp ?? []), f[1]];
    } else if (f[0] === 'ifupdown-auto' && f.length === 2 && f[1]) {
      autoUp.add(f[1]);
    } else if (f[0] === 'init' && f.length === 2 && (f[1] === 'systemd' || f[1] === 'openrc' || f[1] === 'none')) {
      boot.init = f[1];
    } else if (f[0] === 'openrc-local' && f.length === 2) {
      boot.openrcLocal = f[1] === 'yes';
    } else if ((f[0] === 'ifup-boot' || f[0] === 'run-parts') && f.length === 2) {
      boot[f[0] === 'ifup-boot' ? 'ifupAtBoot' : 'runParts'] = f[1] === 'yes';
    } else if (f[0] === 'fs' && f.length === 3 && VOLATILE_FS.has(f[2]!)) {
      boot.volatile = { ...boot.volatile, [f[1]!]: f[2]! };
    } else if (f[0] === 'userland' && f.length === 2) {
      boot.busybox = f[1] === 'busybox';
    }
  }
  boot.files.sort((a, b) => a.path.localeCompare(b.path));
  boot.ifupdown = boot.ifupdown.filter((d) => autoUp.has(d));
  return boot;
}

/**
 * One of grep -Hn's lines: `FILE:LINE:key = value`, as sysctl.d(5) reads it (a leading - only keeps
 * a failed write quiet). Comments and others: undefined.
 */
export function sysctlFileLine(line: string): SysctlFileSetting | undefined {
  // `-key` alone: the key is left out of the globs (Debian's 50-default.conf: -net.ipv4.conf.all.rp_filter).
  const x = /^(.+?):(\d+):\s*-\s*([^#;=\s][^=\s]*)\s*$/.exec(line);
  if (x) return { at: `${x[1]}:${x[2]}`, key: x[3]!.replace(/\//g, '.'), value: '', exclude: true };
  const m = /^(.+?):(\d+):\s*-?\s*([^#;=\s][^=\s]*)\s*=\s*(.*?)\s*$/.exec(line);
  if (!m) return undefined;
  // teqlctl names a sysctl with the interface's own dots (net.ipv4.conf.eth0.100.rp_filter): the
  // slash form, and a dotted one's / for a dot in a name, both read as dots.
  return { at: `${m[1]}:${m[2]}`, key: m[3]!.replace(/\//g, '.'), value: m[4]! };
}
