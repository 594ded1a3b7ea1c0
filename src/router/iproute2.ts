// Every script teqlctl runs on a router starts with this preamble, so that `ip` and `tc` are
// iproute2's (with JSON output) whatever the router's shell and PATH are. BusyBox's ash, and any
// BusyBox applet that starts a shell (its `timeout`, `setsid`), run BusyBox's own `ip`/`tc` applets
// before anything on PATH; those have no `-j`. A shell function wins over applets and PATH in
// dash, ash and bash alike, so `ip`/`tc` become functions calling the binaries found by path.

/** Printed (and exit 97) when the router has no iproute2 `ip` or `tc`: nothing else ran. */
export const MISSING_IPROUTE2_MARKER = '@@teqlctl-missing-iproute2';
export const MISSING_IPROUTE2_EXIT = 97;
const DIRS = ['/usr/sbin', '/sbin', '/usr/bin', '/bin', '/usr/local/sbin', '/usr/local/bin'];

/** Where a router's iproute2 `ip` and `tc` are, as a preamble found them. */
export interface Iproute2Paths {
  ip: string;
  tc: string;
}

/** The line (on stderr) by which the probing preamble says where it found them. */
export const IPROUTE2_FOUND_MARKER = '@@teqlctl-iproute2';

/**
 * The preamble; `dirs` is a parameter for the tests, which run it on the host. It writes nothing on
 * the router (a cached answer would be a file left behind by every run, even a --check), so it asks
 * `ip -V` and `tc -V` (two short processes); with `announce` (a script sent by the transport, not
 * one written to a file) it says on stderr where it found them. `known`: where
 * an earlier script over the same connection found them (the transport keeps it): this preamble
 * then only checks that both are still there, a shell test, no process (issue 17), and probes as
 * the first one did when they are not.
 */
export function iproute2Preamble(dirs: readonly string[] = DIRS, { known, announce = false }: { known?: Iproute2Paths; announce?: boolean } = {}): string {
  const probe = [
    'teqlctl_ip=; teqlctl_tc=',
    `for d in ${dirs.join(' ')}; do`,
    '  [ -z "$teqlctl_ip" ] && [ -x "$d/ip" ] && case "$("$d/ip" -V 2>/dev/null)" in *iproute2*) teqlctl_ip=$d/ip;; esac',
    '  [ -z "$teqlctl_tc" ] && [ -x "$d/tc" ] && case "$("$d/tc" -V 2>/dev/null)" in *iproute2*) teqlctl_tc=$d/tc;; esac',
    'done',
    `if [ -z "$teqlctl_ip" ] || [ -z "$teqlctl_tc" ]; then echo "${MISSING_IPROUTE2_MARKER} ip=\${teqlctl_ip:-none} tc=\${teqlctl_tc:-none}"; exit ${MISSING_IPROUTE2_EXIT}; fi`,
    ...(announce ? [`echo "${IPROUTE2_FOUND_MARKER} $teqlctl_ip $teqlctl_tc" >&2`] : []),
  ];
  const find = known && safePaths(known)
    ? [`teqlctl_ip=${known.ip}; teqlctl_tc=${known.tc}`, 'if [ ! -x "$teqlctl_ip" ] || [ ! -x "$teqlctl_tc" ]; then', ...probe.map((l) => `  ${l}`), 'fi']
    : probe;
  return [...find, 'ip() { "$teqlctl_ip" "$@"; }', 'tc() { "$teqlctl_tc" "$@"; }'].join('\n');
}

/** Paths that may stand in a script as they are: absolute, of plain characters. */
function safePaths(p: Iproute2Paths): boolean {
  return [p.ip, p.tc].every((x) => /^\/[\w./+-]+$/.test(x) && !x.includes('..'));
}

/**
 * Where the probing preamble found `ip` and `tc`, from a script's stderr, and that stderr without
 * the preamble's line (what the caller reads and shows).
 */
export function foundIproute2(stderr: string): { paths?: Iproute2Paths; stderr: string } {
  if (!stderr.includes(IPROUTE2_FOUND_MARKER)) return { stderr };
  let paths: Iproute2Paths | undefined;
  const rest = stderr.split('\n').filter((line) => {
    const m = new RegExp(`^${IPROUTE2_FOUND_MARKER} (\\S+) (\\S+)$`).exec(line);
    if (!m) return true;
    const p = { ip: m[1]!, tc: m[2]! };
    if (safePaths(p)) paths = p;
    return false;
  });
  return { ...(paths ? { paths } : {}), stderr: rest.join('\n') };
}

export const IPROUTE2_PREAMBLE = iproute2Preamble();

/** What a router without iproute2 must install, per platform family. */
export const IPROUTE2_HINT =
  "install iproute2's ip and tc (JSON output is needed): Debian/Ubuntu `apt-get install iproute2`; Alpine `apk add iproute2`; OpenWrt `opkg install ip-full tc-full`";

/**
 * Does `script` run `ip` or `tc`? Only such a script gets the preamble: a confirmation or a lock's
 * release would pay its two processes (~70 ms of an emulated router's time, on the run's critical
 * path) for nothing. A word `ip` or `tc` anywhere counts (a comment too: a preamble too many costs
 * time, never correctness); `ip_forward` or `/etc/` do not.
 */
export function usesIproute2(script: string): boolean {
  return /(?<![\w./])(ip|tc)(?![\w.-])/.test(script);
}

/** The missing part named by a script that stopped at the preamble, or undefined. */
export function missingIproute2(code: number, stdout: string): string | undefined {
  if (code !== MISSING_IPROUTE2_EXIT) return undefined;
  const line = stdout.split('\n').find((l) => l.startsWith(MISSING_IPROUTE2_MARKER));
  if (!line) return undefined;
  const missing = ['ip', 'tc'].filter((t) => line.includes(` ${t}=none`));
  return missing.map((t) => `iproute2's ${t}`).join(' and ');
}
