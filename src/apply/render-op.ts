// Renders an op as the iproute2 / kmod / procfs command that performs it.
import type { Op } from '../plan/ops.js';
import type { RouteFact } from '../gather/facts.js';
import { ipRoute, routeCommandArgs } from '../gather/route-fact.js';
import { addressAddArgs, addressDelArgs } from '../gather/address-fact.js';
import { shellJoin, shellQuote } from '../router/shell-quote.js';
import { sysctlPath } from '../router/sysctl-path.js';
import { BASELINE_FILE, BOOT_SCRIPT, BOOT_STARTERS, ownedDir } from '../router/paths.js';
import { flushBeforeRename, renameSafeProbe } from '../router/rename-flush.js';

/** Set by `teqlctl rollback`'s undo once it put a retiring boot script in place: see 'file-remove'. */
export const KEEP_RETIRING_ENV = 'TEQLCTL_KEEP_RETIRING';

/** The last command of a file-write step: the new file moved over `path` (also how a script's steps on it are found). */
export function fileWriteMove(path: string): string {
  return `mv -f ${shellQuote(`${path}.teqlctl-new`)} ${shellQuote(path)}`;
}

function dirOf(path: string): string {
  return path.slice(0, path.lastIndexOf('/')) || '/';
}

const B = shellQuote(BASELINE_FILE);
const BASELINE_DIR = shellQuote(dirOf(BASELINE_FILE));
/** The baseline's new copy on disk before it replaces the old (rename-flush.ts; a probe in the script spares it on ext4). */
const BEFORE_RENAME = flushBeforeRename('teqlctl_rs', `${BASELINE_FILE}.new`);

/** A step that rewrites the baseline: its script probes once whether the rewrite's rename needs a flush before it. */
export function isBaselineOp(op: Op): boolean {
  return op.kind === 'baseline-set' || op.kind === 'baseline-unset';
}

/** Set once in a script that writes the baseline: whether its renames need a flush before them. */
export function baselineRenameProbe(): string {
  return renameSafeProbe(dirOf(BASELINE_FILE), 'teqlctl_rs');
}
/**
 * Every baseline line but key's, by the shell's own builtins: no process (an awk was ~30 ms of an
 * emulated router's time, for each of the chapter's 7 entries). The key, quoted in the pattern, is
 * matched literally up to its tab; `|| [ -n "$l" ]` keeps a last line without its newline. A failed
 * write (a full disk) sets teqlctl_bw: the loop's own status is only its last pass's, and the
 * baseline must not be replaced by a file that lost lines.
 */
function baselineWithout(key: string): string {
  return `while IFS= read -r l || [ -n "$l" ]; do case $l in ${shellQuote(key)}'\t'*) ;; *) printf '%s\\n' "$l" || teqlctl_bw=1;; esac; done < ${B}`;
}

/**
 * Flushes the file system that holds `path`: `sync -f` (coreutils 8.24+, BusyBox 1.30+), else a
 * plain `sync` (older BusyBox, toybox): slower, never skipped.
 */
export function syncFs(path: string): string {
  return `{ sync -f ${shellQuote(path)} 2>/dev/null || sync; }`;
}

/**
 * The same for the path a shell variable holds (`$d` of the revert and rollback scripts), expanded
 * by the router's shell: a quoted '$d' named no file, and every such flush fell back to a whole
 * system's `sync` (seconds on slow flash, forever on a hung network mount).
 */
export function syncFsAt(variable: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(variable)) throw new Error(`not a shell variable name: ${variable}`);
  return `{ sync -f "$${variable}" 2>/dev/null || sync; }`;
}

/** Flushes the file system of the baseline (a batch's one flush for its forward baseline-set steps, apply/script.ts). */
export function flushBaseline(): string {
  return syncFs(dirOf(BASELINE_FILE));
}

/** A folder other programs must read (systemd, networkd, ifupdown): created 0755 whatever the script's umask 077. */
function publicDir(dir: string): string {
  return `(umask 022 && mkdir -p ${shellQuote(dir)})`;
}

/**
 * `ip link set … down` that leaves the link's IPv6 addresses as they were: the kernel deletes them
 * on down (keep_addr_on_down 0), and teqlctl reads none. The permanent global ones are listed
 * first (newest first, as the kernel keeps them) and added again oldest first with the flags `ip
 * addr add` takes (and a peer, a metric), so order, flags and the routes the kernel gives them (a
 * nodad address's local route) come back as on a link that was down. keep_addr_on_down instead
 * kept the address without those routes. The same for the devices stacked on the link (its
 * VLANs, /sys/class/net/DEV/upper_*): the kernel takes them down with it (vlan_device_event), and
 * up with it when the run brought it up, so a VLAN's IPv6 addresses were lost by the rollback
 * (seen on the lab, 2026-12-05). A device the down leaves as it was (a bridge above a port) just
 * refuses the address it still has.
 */
function keepingIpv6(dev: string, down: string): string {
  const d = shellQuote(dev);
  const uppers = `$(for u in /sys/class/net/${d}/upper_*; do [ -e "$u" ] && echo "\${u##*/upper_}"; done)`;
  // A point-to-point address's peer and a metric are two words each (`peer P/128`, `metric 5`):
  // read with the word after them, they come back too (both were lost, 2026-12-05), as does a
  // permanent address made deprecated (`preferred_lft 0`).
  // On an equalizer its link-local addresses too: the kernel makes none there (ARPHRD_VOID), they
  // are an operator's, and a down took them for good (a review).
  const list = `for teqlctl_d in ${d} ${uppers}; do case $teqlctl_d in teql[0-9]*) teqlctl_sc=;; *) teqlctl_sc='scope global';; esac; ip -6 -o addr show dev "$teqlctl_d" $teqlctl_sc permanent 2>/dev/null | while read -r _ _ _ a r; do f=; k=; for w in $r; do if [ -n "$k" ]; then f="$f $k $w"; k=; continue; fi; case $w in nodad|noprefixroute|home|mngtmpaddr|autojoin) f="$f $w";; deprecated) f="$f preferred_lft 0";; peer|metric) k=$w;; esac; done; echo "$teqlctl_d $a$f"; done; done`;
  // sed's tac (1!G;h;$p): BusyBox and GNU sed alike, where tac may be missing.
  const readd = `printf '%s\\n' "$teqlctl_6" | sed -n '1!G;h;$p' | while read -r n a f; do if [ -n "$a" ]; then ip -6 addr add "$a" dev "$n" $f 2>/dev/null || true; fi; done`;
  return `teqlctl_6=$(${list}); ${down} && { ${readd}; }`;
}

/**
 * An IPv6 route with a source address, added back right after its link came up: the address is
 * tentative until its duplicate address detection ends (a second or two), and the kernel refuses
 * a tentative address as a source ("Invalid source address"; a review): waited for, 10 s at most
 * in all for one script (a link without carrier keeps its addresses tentative: each route of it
 * then fails at once after the first wait, said by the rollback's check).
 */
function waitForSource(r: RouteFact, add: string): string {
  if (r.family !== 'inet6' || r.src === undefined) return add;
  return `{ teqlctl_w=\${teqlctl_w:-0}; while [ $teqlctl_w -lt 10 ] && ip -6 addr show to ${shellQuote(`${r.src}/128`)} tentative 2>/dev/null | grep -q inet6; do sleep 1; teqlctl_w=$((teqlctl_w + 1)); done; ${add}; }`;
}

export interface RenderOptions {
  /**
   * false: a baseline-set ends without its own flush. Only for a run's forward steps (see
   * apply/script.ts): undo and redo scripts, which no confirmation follows, keep it.
   */
  syncBaseline?: boolean;
}

export function renderOp(op: Op, o: RenderOptions = {}): string {
  switch (op.kind) {
    case 'modprobe': {
      if (!op.maxEqualizers || op.maxEqualizers < 2) return shellJoin(['modprobe', op.module]);
      const option = `max_equalizers=${op.maxEqualizers}`;
      // OpenWrt's modprobe (ubox's kmodloader) loads the module and drops its options without a
      // word: then the last equalizer is missing, and the module (just loaded, used by nothing) is
      // loaded again by insmod, which passes them (ubox's takes the name).
      return `${shellJoin(['modprobe', op.module, option])} && { [ -e /sys/class/net/teql${op.maxEqualizers - 1} ] || { rmmod ${op.module} && insmod ${op.module} ${option}; }; }`;
    }
    case 'rmmod':
      // rmmod, not modprobe -r: OpenWrt's modprobe (ubox) has no -r; kmod's, BusyBox's and
      // ubox's rmmod all take the name (sch_teql depends on no other module).
      return shellJoin(['rmmod', op.module]);
    case 'link': {
      const args = ['ip', 'link', 'set', 'dev', op.dev];
      if (op.mtu !== undefined) args.push('mtu', String(op.mtu));
      if (op.up !== undefined) args.push(op.up ? 'up' : 'down');
      return op.up === false && op.keepAddresses ? keepingIpv6(op.dev, shellJoin(args)) : shellJoin(args);
    }
    case 'qdisc-root':
      return shellJoin(['tc', 'qdisc', op.replace ? 'replace' : 'add', 'dev', op.dev, 'root', op.qdisc]);
    case 'qdisc-root-del':
      return shellJoin(['tc', 'qdisc', 'del', 'dev', op.dev, 'root']);
    case 'qdisc-restore':
      return shellJoin(['tc', ...op.args]);
    case 'addr-add':
      return shellJoin(['ip', 'addr', 'add', ...addressAddArgs(op.dev, op.cidr, op.attrs)]);
    case 'addr-del':
      return shellJoin(['ip', 'addr', 'del', ...addressDelArgs(op.dev, op.cidr, op.peer)]);
    case 'route-add':
      return waitForSource(op.route, shellJoin([...ipRoute(op.route), 'add', ...routeCommandArgs(op.route)]));
    case 'route-del':
      return shellJoin([...ipRoute(op.route), 'del', ...routeCommandArgs(op.route)]);
    case 'route-replace':
      return shellJoin([...ipRoute(op.route), 'replace', ...routeCommandArgs(op.route)]);
    case 'neigh-add':
      // replace: an entry the kernel learned meanwhile (reachable, stale) is made permanent again.
      return shellJoin(['ip', 'neigh', 'replace', op.neighbour.address, 'lladdr', op.neighbour.lladdr, 'dev', op.neighbour.dev, 'nud', 'permanent', ...(op.neighbour.router ? ['router'] : []), ...(op.neighbour.protocol !== undefined ? ['proto', op.neighbour.protocol] : [])]);
    case 'sysctl':
      // Writing /proc/sys directly: a failed write is a non-zero exit, unlike `sysctl -w`.
      return `printf '%s\\n' ${shellQuote(op.value)} > ${shellQuote(sysctlPath(op.name))}`;
    case 'file-write': {
      // Written next to the target, then renamed: a reader never sees half a file. Synced before
      // the rename (XFS, f2fs and UBIFS may commit a rename before the data: a power cut then left
      // an empty boot.sh, ext4's auto_da_alloc aside; a review) and after it, before the step counts
      // as done. Its size is checked: BusyBox's base64 exits 0 when its output cannot be written (a
      // full disk), and a cut-short file would otherwise replace the old one.
      const tmp = shellQuote(`${op.path}.teqlctl-new`);
      const b64 = Buffer.from(op.content, 'utf8').toString('base64');
      const size = Buffer.byteLength(op.content, 'utf8');
      // A failed write leaves no temporary file behind (on a full disk, its room is needed).
      return `${publicDir(dirOf(op.path))} && { printf '%s' ${shellQuote(b64)} | base64 -d > ${tmp} && teqlctl_n=$(wc -c < ${tmp}) && [ $teqlctl_n -eq ${size} ] && chmod ${op.executable ? '0755' : '0644'} ${tmp} && ${syncFs(dirOf(op.path))} && ${fileWriteMove(op.path)} || { rm -f ${tmp}; false; }; } && ${syncFs(dirOf(op.path))}`;
    }
    case 'file-remove': {
      const dir = ownedDir(op.path);
      const rm = `rm -f ${shellQuote(op.path)}${dir ? ` && { rmdir ${shellQuote(dir)} 2>/dev/null || true; }` : ''}`;
      // The boot script and what starts it stay while `teqlctl rollback`'s undo keeps a retiring
      // script in their place (deadman/undo-run-script.ts): a restart before the rollback is
      // confirmed must find something that runs the rollback's dead-man, which redoes the run.
      if (op.path !== BOOT_SCRIPT && !BOOT_STARTERS.includes(op.path)) return rm;
      return `if [ -n "\${${KEEP_RETIRING_ENV}:-}" ]; then true; else ${rm}; fi`;
    }
    case 'symlink':
      return `${publicDir(dirOf(op.path))} && ln -sfn ${shellQuote(op.target)} ${shellQuote(op.path)} && ${syncFs(dirOf(op.path))}`;
    case 'systemd-reload':
      return 'systemctl daemon-reload';
    case 'baseline-set':
      return `{ [ -d ${BASELINE_DIR} ] || mkdir -p ${BASELINE_DIR}; } && teqlctl_bw=0 && { if [ -f ${B} ]; then ${baselineWithout(op.key)}; fi; printf '%s\\t%s\\n' ${shellQuote(op.key)} ${shellQuote(op.value)} || teqlctl_bw=1; } > ${B}.new && [ "$teqlctl_bw" = 0 ] && ${BEFORE_RENAME} && mv -f ${B}.new ${B}${o.syncBaseline === false ? '' : ` && ${syncFs(dirOf(BASELINE_FILE))}`}`;
    case 'baseline-unset':
      return `if [ -f ${B} ]; then teqlctl_bw=0; ${baselineWithout(op.key)} > ${B}.new && [ "$teqlctl_bw" = 0 ] && ${BEFORE_RENAME} && mv -f ${B}.new ${B} && { [ -s ${B} ] || rm -f ${B}; } && ${syncFs(dirOf(BASELINE_FILE))}; fi`;
  }
}
