// The one remote script that reads every fact in a single round trip; each section is framed by markers.
import { sysctlReads } from './sysctl-reads.js';
import { BASELINE_FILE, BOOT_DIR, BOOT_GLOBS, RUNS_DIR } from '../router/paths.js';
import { READ_LOCK } from '../router/lock.js';
import { listOpenRunsLines } from '../router/open-runs.js';
import { readBootId } from '../router/boot-id.js';
import { UID_LINE } from '../router/session-uid.js';
import { RPFILTER_MODULES } from './identity-facts.js';
import { ipBatch } from './ip-batch.js';
import { qdiscDetailCommand } from './qdisc-detail.js';
import { managementCommand } from './management-script.js';
import { SECTION_MARKER as SECTION } from '../router/markers.js';

/**
 * Prints `userland busybox` when `ls` is BusyBox's, else `userland gnu`. First by the shell's own
 * test (-ef: the same file, symlinks followed) against the usual places of the busybox binary: no
 * process (~30 ms of an emulated router's time per facts read, three reads per cold apply), for a
 * symlinked BusyBox (--install -s, Alpine, OpenWrt), a hard-linked one, and a GNU userland alike.
 * Only a symlinked ls that none of them is gets resolved by readlink (a busybox elsewhere).
 * `ls` and `busybox`: a test's own files.
 */
export function userlandLine(ls = '/bin/ls', busybox: readonly string[] = ['/bin/busybox', '/usr/bin/busybox', '/sbin/busybox', '/usr/sbin/busybox']): string {
  const same = busybox.map((b) => `[ ${ls} -ef ${b} ]`).join(' || ');
  return `teqlctl_u=gnu; if { ${same}; } 2>/dev/null; then teqlctl_u=busybox; elif [ -L ${ls} ]; then case "$(readlink -f ${ls} 2>/dev/null)" in */busybox) teqlctl_u=busybox;; esac; fi; printf 'userland\\t%s\\n' "$teqlctl_u"`;
}

/** Where systemd-sysctl and procps read sysctl settings (sysctl.d(5)). */
const SYSCTL_FILES = '/etc/sysctl.d/*.conf /run/sysctl.d/*.conf /usr/local/lib/sysctl.d/*.conf /usr/lib/sysctl.d/*.conf /lib/sysctl.d/*.conf /etc/sysctl.conf';

/** Sections and the commands that print them; parsed by parse-facts.ts. */
const SECTIONS: Array<[string, string]> = [
  ['links', 'ip -j -d link show'],
  ['ip', ipBatch()],
  ['qdiscs', 'tc -j -d qdisc show'],
  // Everything under the root qdisc of each device a run may replace it on (the tasks' teql slaves):
  // filled in with the tasks' selectors (qdisc-detail.ts), like the `ip` section.
  ['qdisc_detail', qdiscDetailCommand([])],
  // Only when the module is not loaded is it looked for on disk: first where the running kernel's
  // modules are (the shell's own glob, no process; .ko, .ko.xz, .ko.zst, .ko.gz), and only where it
  // is not there by modinfo (a process, ~60 ms of an emulated router's time; it also finds a module
  // that depmod placed elsewhere, e.g. updates/). OpenWrt keeps its modules flat in that folder,
  // and its modinfo (ubox) takes the module's name alone: no -F. What modinfo prints counts, not
  // its exit status: BusyBox's exits 0 for a module it cannot find (a review: a kernel without
  // sch_teql passed the check, and the run failed at modprobe, after arming, not refused before).
  ['teql', 'if [ -d /sys/module/sch_teql ]; then echo loaded=1; echo available=1; else echo loaded=0; tq_k=; read -r tq_k < /proc/sys/kernel/osrelease; tq_a=0; for tq_f in /lib/modules/$tq_k/kernel/net/sched/sch_teql.ko* /lib/modules/$tq_k/sch_teql.ko*; do [ -n "$tq_k" ] && [ -f "$tq_f" ] && tq_a=1; done; if [ $tq_a = 1 ] || [ -n "$(modinfo -F filename sch_teql 2>/dev/null)" ] || [ -n "$(modinfo sch_teql 2>/dev/null)" ]; then echo available=1; else echo available=0; fi; fi'],
  // The client as `ip route get` takes it: an IPv4 client seen through an IPv6 socket (::ffff:)
  // as IPv4 (the path IPv4 changes could cut), a link-local one's zone (fe80::1%eth0) as its oif.
  // From the session's own local address ($3), as its replies are routed: a rule by source (an
  // out-of-band port's own table, a table per uplink) picked another device without it, whose
  // tasks were refused while the session's own was left unguarded (a review). Without it where
  // that fails (an older iproute2, an address no longer local). The IPv4 policy rules by the same
  // `ip` (its batch: no process more): where the route is another table's, whether a rule that
  // looks up main comes first (plan/session-table.ts).
  // First, by the same batch, the main table's routes that a plan weighs whoever keeps them (a
  // routing daemon's are not among the facts' routes): those covering the client (the session
  // guards' longest match), those at a route task's network, those giving an address a task
  // removes as their source (management-script.ts, management-fact.ts heldRoutes).
  ['management', managementCommand()],
  // teqlctl's own lock: who holds it, and whether the SSH session that took it is still alive.
  // teqlctl's boot files (base64: any content survives the framing), who configures links at boot.
  // Each file's size beside it: an older BusyBox base64 (no -w) that fails, or any short read, must
  // not pass for an empty file (its undo would write the empty file back: parseBoot refuses it).
  ['boot', [
    `for f in ${BOOT_GLOBS.join(' ')}; do if [ -L "$f" ]; then printf 'symlink\\t%s\\t%s\\n' "$f" "$(readlink "$f")"; elif [ -f "$f" ]; then x=-; [ -x "$f" ] && x=x; printf 'file\\t%s\\t%s\\t%s\\t%s\\n' "$f" "$x" "$(wc -c < "$f")" "$(base64 < "$f" | tr -d '\\n')"; fi; done`,
    // networkd's per-link state files name the .network file in use; no process per link.
    `for d in /sys/class/net/*; do [ -r "$d/ifindex" ] || continue; read i < "$d/ifindex"; s=/run/systemd/netif/links/$i; [ -f "$s" ] || continue; a=; n=; while IFS== read -r k v; do case $k in ADMIN_STATE) a=$v;; NETWORK_FILE) n=$v;; esac; done < "$s"; [ -n "$n" ] && [ "$a" != unmanaged ] && printf 'networkd\\t%s\\t%s\\n' "\${d##*/}" "$n" && tq_nd=1; done`,
    // NetworkManager's device state (/run/NetworkManager/devices/IFINDEX, its [device] group's
    // managed=true): it removes the addresses and routes it did not make when it activates or
    // reapplies a device, so a run's addresses there last until it next does (a review).
    `for d in /sys/class/net/*; do [ -r "$d/ifindex" ] || continue; read i < "$d/ifindex"; s=/run/NetworkManager/devices/$i; [ -f "$s" ] || continue; m=; while IFS== read -r k v; do case $k in managed) m=$v;; esac; done < "$s"; [ "$m" = true ] && printf 'nm\\t%s\\n' "\${d##*/}"; done`,
    // Its version, where it manages a link: before 252 it sets a [TrivialLinkEqualizer] qdisc at once,
    // fails the link while sch_teql is not loaded yet, and never tries again (systemd PR #24222).
    networkdVersionLine(),
    // What runs the boot, so persist writes where it will run (or refuses), and whose userland this is.
    // Without systemd or OpenRC, whether anything at boot runs `ifup -a` (Debian's sysvinit networking
    // script, a BusyBox rcS or its S* scripts): ifupdown's hooks run only if it does.
    `if [ -d /run/systemd/system ]; then printf 'init\\tsystemd\\n'; elif [ -d /run/openrc ] || [ -x /sbin/openrc-run ]; then printf 'init\\topenrc\\n'; if [ -e /etc/runlevels/default/local ]; then printf 'openrc-local\\tyes\\n'; else printf 'openrc-local\\tno\\n'; fi; else printf 'init\\tnone\\n'; ${ifupAtBootLine()}; ${runPartsLine()}; fi`,
    userlandLine(),
    // The rp_filter lines of the sysctl files (systemd-sysctl's folders, procps' sysctl.conf): one
    // that sets strict filtering puts it back over the run's at boot, or when it runs again. A file
    // name met again in a later folder is masked by the first (a link to /dev/null masks it too);
    // a link to /etc/sysctl.conf (Debian's, RHEL's 99-sysctl.conf) is that file, read once.
    `tq_sf=; tq_sn=' '; for f in ${SYSCTL_FILES}; do [ -e "$f" ] || [ -L "$f" ] || continue; b=\${f##*/}; case $tq_sn in *" $b "*) continue;; esac; tq_sn="$tq_sn$b "; [ -f "$f" ] || continue; [ "$f" != /etc/sysctl.conf ] && [ "$f" -ef /etc/sysctl.conf ] && continue; tq_sf="$tq_sf $f"; done; if [ -n "$tq_sf" ]; then grep -Hn rp_filter $tq_sf 2>/dev/null | while IFS= read -r l; do printf 'sysctl-file\\t%s\\n' "$l"; done; fi`,
    // The file system each of teqlctl's folders is on (the longest mount point over it, its path
    // resolved first: OpenWrt's /var is a symlink to /tmp; the shell's own read of /proc/mounts):
    // a reboot empties a tmpfs, with the run records in it.
    `for tq_p in ${RUNS_DIR} ${BOOT_DIR}; do tq_q=$tq_p; while [ -n "$tq_q" ] && [ ! -d "$tq_q" ]; do tq_q=\${tq_q%/*}; done; tq_a=$(cd -P "\${tq_q:-/}" 2>/dev/null && pwd -P); tq_a=\${tq_a%/}\${tq_p#"$tq_q"}; tq_b=; tq_t=; while read -r tq_d tq_m tq_y tq_r; do case "$tq_a/" in "\${tq_m%/}/"*) [ \${#tq_m} -ge \${#tq_b} ] && { tq_b=$tq_m; tq_t=$tq_y; };; esac; done < /proc/mounts; printf 'fs\\t%s\\t%s\\n' "$tq_p" "$tq_t"; done`,
    // ifupdown's interfaces, and which `ifup -a` raises at boot (auto, allow-auto; not allow-hotplug,
    // which BusyBox's ifup -a skips): a hook on one never raised never runs. Those declared IPv4
    // static or dhcp however raised (ifupdown-ng's `use dhcp`; not inet6: a review).
    `if [ -x /sbin/ifup ] && [ -f /etc/network/interfaces ]; then cat /etc/network/interfaces /etc/network/interfaces.d/* 2>/dev/null | while read -r w name rest; do case $w in iface) tq_if=$name; case " $rest " in *' inet static '*) printf 'ifupdown-static\\t%s\\n' "$name";; *' inet dhcp '*) printf 'ifupdown-dhcp\\t%s\\n' "$name";; esac; printf 'ifupdown\\t%s\\n' "$name";; use) [ "$name" = dhcp ] && printf 'ifupdown-dhcp\\t%s\\n' "$tq_if";; auto|allow-auto) for n in $name $rest; do case $n in '#'*) break;; esac; printf 'ifupdown-auto\\t%s\\n' "$n"; done;; esac; done; fi`,
  ].join('\n')],
  // The shell's own read, not cat (a process, ~35 ms of an emulated router's time per facts read):
  // one byte per read(2), as fast as cat there up to ~30 KB (a hub of hundreds of entries).
  ['baseline', `if [ -f ${BASELINE_FILE} ]; then while IFS= read -r tq_bl || [ -n "$tq_bl" ]; do printf '%s\\n' "$tq_bl"; done < ${BASELINE_FILE}; fi`],
  ['lock', READ_LOCK],
  // Runs of this boot not ended (one whose lock `teqlctl unlock` removed): router/open-runs.ts.
  ['open-runs', listOpenRunsLines()],
  // The kernel's boot id (the shell's own read: no process). With the links' indexes and MACs it
  // tells one router reached under two names in one run (run-play.ts, same-router.ts). The
  // session's effective uid (its shell's own status, read by the shell: no process): a session
  // that is not root is refused before any change (identity-facts.ts).
  // Whether it forwards, and a firewall's reverse-path matches loaded, the same way (builtins:
  // plan/forwarding-warning.ts, firewall-rpfilter.ts): volatile, as a warning's only.
  ['identity', `${readBootId('tq_bi')}; printf 'boot=%s\\n' "$tq_bi"; ${UID_LINE}; tq_fw=; read -r tq_fw 2>/dev/null < /proc/sys/net/ipv4/ip_forward; printf 'forward=%s\\n' "$tq_fw"; tq_rpf=; for tq_m in ${RPFILTER_MODULES.join(' ')}; do [ -d /sys/module/$tq_m ] && tq_rpf="$tq_rpf $tq_m"; done; printf 'rpfilter-modules=%s\\n' "$tq_rpf"`],
];

/** Sections that may change while a run waits (the session's own path, the lock), or that no plan depends on: not fingerprinted. */
const VOLATILE = new Set(['management', 'lock', 'open-runs', 'identity']);

/**
 * The commands printing every section a plan depends on. Their output, with the lifetimes of
 * dynamic addresses blanked (they count down by the second), is hashed into the fingerprint that
 * the first apply of a run checks under the lock: a router changed since its facts were read (by
 * another run or an operator, while this one waited for approval) is refused as stale.
 */
function stableBlock(sysctls: readonly string[], held: readonly string[] = []): string {
  const lines: string[] = [];
  const reads = sysctlReads(sysctls);
  for (const [name, command] of SECTIONS) {
    if (!VOLATILE.has(name)) lines.push(`echo '${SECTION} ${name}'`, `{ ${name === 'ip' ? ipBatch(held) : name === 'qdisc_detail' ? qdiscDetailCommand(held) : command}; } 2>&1`);
  }
  lines.push(`echo '${SECTION} sysctls'`);
  // `read` is a shell builtin: no process per file (the $(cat) version cost ~200 ms on the lab).
  lines.push('for f in /proc/sys/net/ipv4/conf/*/rp_filter; do read v < "$f"; printf "%s\\t%s\\n" "$f" "$v"; done');
  if (reads.stable) lines.push(reads.stable);
  return lines.join('\n');
}

/**
 * Shell lines that set `fp` to the fingerprint of `$stable`: md5sum's, else sha256sum's, else
 * cksum's (a minimal BusyBox may lack md5sum: the fingerprint was then empty on both sides and the
 * stale check always passed, a review); empty where none is there (said by the run). Left
 * out of it, as no plan depends on them: the lifetimes of dynamic addresses (they count down by
 * the second), a bridge's running timers, running counters, and a link's carrier (operstate, LOWER_UP, NO-CARRIER, a route's linkdown: a cable
 * or a peer that flaps between the facts and the apply must not refuse a hub's run as stale;
 * operstate is read for messages only, and the pings judge the links).
 */
const CARRIER_FLAGS = ['LOWER_UP', 'NO-CARRIER', 'linkdown'].map((f) => `-e 's/,"${f}"//g' -e 's/"${f}",//g' -e 's/"${f}"//g'`).join(' ');
/**
 * A Linux bridge's running timers, which `ip -d link show` prints for the bridge and its ports
 * (seconds, counting): on a router with a bridge (OpenWrt's br-lan) every fingerprint would differ
 * from the last, and every run be refused as stale. One expression each: BusyBox sed has no `\|`.
 */
const BRIDGE_TIMERS = ['hello_timer', 'tcn_timer', 'topology_change_timer', 'gc_timer', 'message_age_timer', 'forward_delay_timer', 'hold_timer']
  .map((t) => `-e 's/"${t}":[0-9.]*/"${t}":_/g'`).join(' ');
/**
 * Counters that `ip -d` and `tc -d` print without -s, and that traffic or a capture moves: htb's
 * direct_packets_stat (JSON and text), a bond port's link failures and MII status, a link's
 * promiscuity count (tcpdump raises it), its all-multicast count (a multicast routing daemon, avahi
 * or a capture raise it: iproute2 6.x prints it), a qdisc's reference count. With them in the hash,
 * a router with an htb qdisc or a bond had every run refused as stale after a single packet.
 */
const RUNNING_COUNTERS = [
  ...['direct_packets_stat', 'link_failure_count', 'promiscuity', 'allmulti', 'refcnt'].map((c) => `-e 's/"${c}":[0-9]*/"${c}":_/g'`),
  `-e 's/ direct_packets_stat [0-9]*/ direct_packets_stat _/g'`, `-e 's/ refcnt [0-9]*/ refcnt _/g'`,
  `-e 's/"mii_status":"[A-Z]*"/"mii_status":_/g'`,
].join(' ');
// The permanent neighbours' line (the only one with a neighbour state): the kernel dumps them in its
// hash table's order, which changes as the ARP table grows, with no entry changed (a review found
// every run refused as stale on a busy LAN). Read for undos only: no plan depends on them. So are
// the IPv6 routes (their line, the only one with a router preference), where the kernel's own come
// and go by themselves: a link-local address's local route appears when its duplicate address
// detection ends, a second after the link comes up; a router advertisement's routes expire.
// Each IPv6 listing by protocol that is empty prints `[]` (no preference to tell it by): the empty
// ones from the first IPv6 route (the kernel's listing comes first, not empty where a link has
// IPv6: route-fact.ts OWN_PROTOCOLS) to the section's end go too (the tasks' listings after them
// count where not empty), or a router advertisement's first route, or the last one expiring,
// changed the fingerprint (a review).
const NEIGHBOURS_OUT = `-e '/"pref":"/,/^${SECTION} /{/^\\[]$/d;}' -e '/"state":\\["PERMANENT"/d' -e '/"pref":"/d'`;
export const HASH_STABLE = `fp=; set -- $(printf '%s' "$stable" | sed ${NEIGHBOURS_OUT} -e 's/"valid_life_time":[0-9]*/"valid_life_time":_/g' -e 's/"preferred_life_time":[0-9]*/"preferred_life_time":_/g' -e 's/"operstate":"[A-Z]*"/"operstate":_/g' ${CARRIER_FLAGS} ${BRIDGE_TIMERS} ${RUNNING_COUNTERS} | { md5sum 2>/dev/null || sha256sum 2>/dev/null || cksum 2>/dev/null; }); fp=\${1:-}`;

/** Shell lines that set `fp` to the router's current fingerprint, as the facts script computes it. */
export function fingerprintScript(sysctls: readonly string[] = [], held: readonly string[] = []): string {
  const { pre } = sysctlReads(sysctls);
  return `${pre ? `${pre}\n` : ''}stable=$(\n${stableBlock(sysctls, held)}\n)\n${HASH_STABLE}`;
}

/**
 * Builds the facts script. `sysctls` are the names the plan needs besides every rp_filter,
 * which is always read because the rp_filter rule involves all interfaces. `fingerprint: false`
 * for a re-read after changes (apply, rollback): its fingerprint would never be checked, since only
 * a run's first apply on a router checks one, against the facts its plan came from; without it the
 * sections print directly, saving the hash's processes (a subshell, sed, md5sum: ~90 ms of an
 * emulated router's time per re-read). `held`: what the host's tasks need read beyond the fixed
 * facts (plan/facts-needed.ts): the routes a routing daemon may hold (managementCommand, ipBatch),
 * the devices whose qdisc detail the plan weighs (qdisc-detail.ts).
 */
export function factsScript(sysctls: readonly string[] = [], { fingerprint = true, self, held = [] }: { fingerprint?: boolean; self?: string; held?: readonly string[] } = {}): string {
  // A newline first: what a login shell's rc file printed without one (`printf 'Last login: ...'`)
  // ends its own line, and the first section's marker starts one (it read as "no links section").
  const { pre } = sysctlReads(sysctls);
  const lines = ['export LANG=C LC_ALL=C', "printf '\\n'", ...(fingerprint ? [fingerprintScript(sysctls, held), `printf '%s\\n' "$stable"`] : [...(pre ? [pre] : []), stableBlock(sysctls, held)])];
  lines.push(...volatileLines(sysctls, held, self));
  if (fingerprint) lines.push(`echo '${SECTION} fingerprint'`, 'echo "$fp"');
  lines.push(`echo '${SECTION} end'`);
  return lines.join('\n') + '\n';
}

/** The sections not fingerprinted, and the IPv6 MTUs (read by fingerprintScript's `pre`). `skip`: sections left out. */
function volatileLines(sysctls: readonly string[], held: readonly string[], self?: string, skip: ReadonlySet<string> = new Set()): string[] {
  const lines: string[] = [];
  for (const [name, command] of SECTIONS) {
    // A run's own re-read after its changes (`self`) does not list the run itself as open.
    const run = name === 'open-runs' && self ? listOpenRunsLines(undefined, undefined, undefined, self) : name === 'management' ? managementCommand(held) : command;
    if (VOLATILE.has(name) && !skip.has(name)) lines.push(`echo '${SECTION} ${name}'`, `{ ${run}; } 2>&1`);
  }
  const { ipv6 } = sysctlReads(sysctls);
  if (ipv6) lines.push(`echo '${SECTION} ipv6_mtus'`, ipv6);
  return lines;
}

/**
 * After fingerprintScript, under a run's lock: the facts in `$stable` and the volatile sections but
 * the lock's and open runs' (checked before), for the controller to plan again from (play/stale-replan.ts).
 */
export function staleFactsLines(sysctls: readonly string[] = [], held: readonly string[] = []): string {
  return [`printf '%s\\n' "$stable"`, ...volatileLines(sysctls, held, undefined, new Set(['lock', 'open-runs'])), `echo '${SECTION} end'`].join('\n');
}

/**
 * Prints `networkd-version N` where `$tq_nd` is set (networkd manages a link) or systemd runs (its unit's
 * Restart= needs 244): N from systemd's library (libsystemd-shared-252.so; Fedora's 254.16-1.fc39), the shell's own glob,
 * where exactly one file has it (/lib and /usr/lib merged or not); else from `systemctl --version`, a
 * process (~55 ms of an emulated router's time, in each of a cold apply's three facts reads).
 * `root`: a test's own folder for the library's.
 */
export function networkdVersionLine(root = ''): string {
  const libs = ['/usr/lib/systemd', '/usr/lib/*/systemd', '/usr/lib64/systemd', '/lib/systemd', '/lib/*/systemd', '/lib64/systemd'].map((d) => `${root}${d}/libsystemd-shared-[0-9]*.so`).join(' ');
  const fromLib = `tq_v=; tq_vf=; for tq_f in ${libs}; do [ -f "$tq_f" ] || continue; if [ -z "$tq_vf" ]; then tq_vf=$tq_f; tq_v=\${tq_f##*/libsystemd-shared-}; elif [ ! "$tq_f" -ef "$tq_vf" ]; then tq_v=; break; fi; done; tq_v=\${tq_v%%[!0-9]*}`;
  return `if [ -n "\${tq_nd:-}" ] || [ -d ${root}/run/systemd/system ]; then ${fromLib}; if [ -z "$tq_v" ]; then tq_v=$(systemctl --version 2>/dev/null); tq_v=\${tq_v#systemd }; tq_v=\${tq_v%%[!0-9]*}; fi; printf 'networkd-version\\t%s\\n' "$tq_v"; fi`;
}

/**
 * Prints `ifup-boot yes` when a boot script runs `ifup -a` (an uncommented line naming ifup with -a),
 * else `ifup-boot no`. `root`: the folder the router's /etc is in (tests run it over a fake one).
 */
/**
 * Whether the router's shell finds run-parts, through which ifupdown (Debian's, and BusyBox's ifup)
 * runs its if-up.d hooks: a BusyBox built with ifup and without run-parts runs none, and the hook
 * persisting a run would never run at boot (a review).
 */
function runPartsLine(): string {
  return "if command -v run-parts >/dev/null 2>&1; then printf 'run-parts\\tyes\\n'; else printf 'run-parts\\tno\\n'; fi";
}

export function ifupAtBootLine(root = ''): string {
  const files = ['/etc/inittab', '/etc/init.d/rcS', '/etc/init.d/S*', '/etc/rcS.d/S*', '/etc/rc2.d/S*', '/etc/rc.local'].map((f) => `${root}${f}`).join(' ');
  return `if grep -qsE '^[^#]*ifup[^#]*[[:space:]](-a|--all)([[:space:]]|$)' ${files}; then printf 'ifup-boot\\tyes\\n'; else printf 'ifup-boot\\tno\\n'; fi`;
}
