// Every script teqlctl runs on a router starts with this preamble, so that `ip` and `tc` are
// iproute2's (with JSON output) whatever the router's shell and PATH are. BusyBox's ash, and any
// BusyBox applet that starts a shell (its `timeout`, `setsid`), run BusyBox's own `ip`/`tc` applets
// before anything on PATH; those have no `-j`. A shell function wins over applets and PATH in
// dash, ash and bash alike, so `ip`/`tc` become functions calling the binaries found by path.

/** Printed (and exit 97) when the router has no iproute2 `ip` or `tc`: nothing else ran. */
export const MISSING_IPROUTE2_MARKER = '@@teqlctl-missing-iproute2';
export const MISSING_IPROUTE2_EXIT = 97;
const DIRS = ['/usr/sbin', '/sbin', '/usr/bin', '/bin', '/usr/local/sbin', '/usr/local/bin'];

/**
 * The preamble; `dirs` is a parameter for the tests, which run it on the host. It writes nothing on
 * the router (a cached answer would be a file left behind by every run, even a --check), so it asks
 * `ip -V` and `tc -V` each time: two short processes per round trip.
 */
export function iproute2Preamble(dirs: readonly string[] = DIRS): string {
  return [
  'teqlctl_ip=; teqlctl_tc=',
  `for d in ${dirs.join(' ')}; do`,
  '  [ -z "$teqlctl_ip" ] && [ -x "$d/ip" ] && case "$("$d/ip" -V 2>/dev/null)" in *iproute2*) teqlctl_ip=$d/ip;; esac',
  '  [ -z "$teqlctl_tc" ] && [ -x "$d/tc" ] && case "$("$d/tc" -V 2>/dev/null)" in *iproute2*) teqlctl_tc=$d/tc;; esac',
  'done',
  `if [ -z "$teqlctl_ip" ] || [ -z "$teqlctl_tc" ]; then echo "${MISSING_IPROUTE2_MARKER} ip=\${teqlctl_ip:-none} tc=\${teqlctl_tc:-none}"; exit ${MISSING_IPROUTE2_EXIT}; fi`,
  'ip() { "$teqlctl_ip" "$@"; }',
  'tc() { "$teqlctl_tc" "$@"; }',
  ].join('\n');
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
