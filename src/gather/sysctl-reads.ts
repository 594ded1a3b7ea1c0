// How the facts script reads the sysctls a plan needs besides every rp_filter (gather/script.ts).
import { rpFilterDevice, sysctlPath } from '../router/sysctl-path.js';
import { shellQuote } from '../router/shell-quote.js';

/**
 * A link's IPv6 MTU is read for an undo only (the kernel sets it when the MTU changes or the link
 * comes up), and a router advertisement's MTU option or a carrier coming up moves it: outside the
 * fingerprint, in a section of its own, or a run would be refused as stale for it.
 */
const isIpv6Mtu = (name: string) => /^net\.ipv6\.conf\..+\.mtu$/.test(name);

/**
 * Every interface's value of a sysctl (`net.ipv4.conf.*.forwarding`, plan/sysctl-propagation.ts):
 * its `*` alone is left to the shell's glob. A `*` in an interface's name (`wan*`, which Linux
 * allows) is quoted: it read every `wan…` device's value, joined into one (a review, 2026-12-07).
 */
const PER_INTERFACE_GLOB = /^net\.(ipv4|ipv6)\.conf\.\*\.([^.*]+)$/;
const procPath = (name: string) => (PER_INTERFACE_GLOB.test(name) ? sysctlPath(name).split('*').map(shellQuote).join('*') : shellQuote(sysctlPath(name)));

/**
 * The names not already read by a glob among them: grep printed a file named twice twice, and the
 * two lines were joined as one multi-line value (`0 0`: ip_forward's glob and an interface's own
 * forwarding task, a plan that never converged and a rollback refused as moved; a review,
 * 2026-12-07). The shell's `*` skips names that begin with a dot: those stay named.
 */
function notGlobbed(names: readonly string[]): string[] {
  const globs = names.map((n) => PER_INTERFACE_GLOB.exec(n)).filter((m) => m !== null).map((m) => `${m[1]}.${m[2]}`);
  return [...new Set(names)].filter((n) => {
    const m = /^net\.(ipv4|ipv6)\.conf\.(.+)\.([^.]+)$/.exec(n);
    return m === null || PER_INTERFACE_GLOB.test(n) || m[2]!.startsWith('.') || !globs.includes(`${m[1]}.${m[3]}`);
  });
}
const readSysctls = (paths: readonly string[]) => `grep -H '' ${paths.join(' ')} 2>/dev/null`;
const IPV6_MTU_LINE = '/proc/sys/net/ipv6/conf/*/mtu:*';
/** Prints the lines of `$tq_sg` that are (`ipv6`) or are not IPv6 MTUs: builtins only. */
const linesOfRead = (ipv6: boolean) =>
  `tq_so=$IFS; IFS='\n'; set -f; for tq_l in $tq_sg; do case $tq_l in ${IPV6_MTU_LINE}) ${ipv6 ? ';; *) continue;;' : 'continue;;'} esac; printf '%s\\n' "$tq_l"; done; set +f; IFS=$tq_so`;

/**
 * How the sysctls besides rp_filter are read: one grep, not read: the shell's read takes one byte
 * at a time, and /proc/sys answers a read at a non-zero offset with end of file, so `read` would see
 * "3" of a tcp_reordering of 30 (the rp_filter values are one digit, where read is exact). A missing
 * file prints nothing. Every rp_filter is printed by its own loop (stableBlock): not read twice.
 * The IPv6 MTUs are printed apart (their own section, `ipv6`); where there are both, one grep reads them all
 * into `$tq_sg` first (`pre`), and each part prints its lines: a process is ~45 ms of an emulated
 * router's time, and a cold apply reads the facts three times.
 */
export function sysctlReads(names: readonly string[]): { pre?: string; stable?: string; ipv6?: string } {
  const sysctls = notGlobbed(names);
  const stable = sysctls.filter((name) => rpFilterDevice(name) === undefined && !isIpv6Mtu(name)).map(procPath);
  const ipv6 = sysctls.filter(isIpv6Mtu).map(procPath);
  if (stable.length > 0 && ipv6.length > 0) return { pre: `tq_sg=$(${readSysctls([...stable, ...ipv6])})`, stable: linesOfRead(false), ipv6: linesOfRead(true) };
  return { ...(stable.length > 0 ? { stable: readSysctls(stable) } : {}), ...(ipv6.length > 0 ? { ipv6: readSysctls(ipv6) } : {}) };
}
