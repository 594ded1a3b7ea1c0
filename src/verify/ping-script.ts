// Ping checks, run on the router, all at once (each in the background) so verifying costs about one
// ping's time. Links that were just brought up may still be resolving ARP, so a check gets three
// attempts one second apart before it counts as failed.
import type { Check } from '../plan/types.js';
import { shellJoin } from '../router/shell-quote.js';
import { CHECK_MARKER as CHECK } from '../router/markers.js';

export const ATTEMPTS = 3;

/**
 * Shell: sets `$tq_pngiv`, the pings' interval. 0.2 s is the shortest ping allows without privileges:
 * a 3-packet check takes 0.4 s. A BusyBox built without FLOAT_DURATION (OpenWrt's default) refuses
 * it ("invalid number '0.2'"), and every check failed, every run rolled back (a review): there 1 s.
 * Probed by one ping of loopback, only where /bin/ls is BusyBox's (the shell's own test: no
 * process elsewhere).
 */
export const PING_INTERVAL_LINE = `tq_pngiv=0.2; if { ${['/bin/busybox', '/usr/bin/busybox', '/sbin/busybox', '/usr/sbin/busybox'].map((b) => `[ /bin/ls -ef ${b} ]`).join(' || ')}; } 2>/dev/null; then ping -c 1 -i 0.2 -W 1 127.0.0.1 </dev/null >/dev/null 2>&1 || tq_pngiv=1; fi`;

/** A check's ping; `$tq_pngiv` must be set (PING_INTERVAL_LINE). */
export function pingCommand(c: Check): string {
  const argv = ['-c', String(c.count), '-W', String(c.timeout)];
  if (c.dev) argv.push('-I', c.dev);
  if (c.from) argv.push('-I', c.from);
  argv.push(c.to);
  return `ping -n -q -i $tq_pngiv ${shellJoin(argv)}`;
}

/**
 * True in the shell when `ping` is BusyBox's: its -I keeps the last one alone, so a check with both
 * a device and a source went out unbound to the device and could pass over another link (a review).
 * Asked of the ping the shell runs (BusyBox's sh may run its own applet whatever PATH holds, and
 * `command -v` then names no file): BusyBox's has no -V and prints its usage, naming itself.
 */
const BUSYBOX_PING = `case "$(ping -V 2>&1 </dev/null)" in *BusyBox*) true;; *) false;; esac`;
const BOTH_ON_BUSYBOX = "ping: this router's ping is BusyBox's, whose -I takes a device or a source address, not both: give the ping task dev or from";

/**
 * The check's pings only where the kernel routes it over the equalizer the plan sends it over: a
 * more specific route or a policy rule for the source sent it another way, and the ping passed
 * without the bundle (a review). An `ip` that names no device (no `route get`) leaves it to the ping.
 */
function overEgress(c: Check, i: number, loop: string): string {
  const get = shellJoin(['ip', 'route', 'get', c.to, ...(c.from ? ['from', c.from] : [])]);
  const said = `printf '%s\\n' "the kernel routes it over $tq_rd, not ${c.egress}, the bundle's (a more specific route or a policy rule takes it there): ip route get: $tq_rg" > "$d/${i}.out"; rc=1; n=0`;
  return `tq_rg=$(${get} 2>&1 </dev/null); tq_rg=$(echo $tq_rg); case " $tq_rg " in *" dev ${c.egress} "*) ${loop};; *" dev "*) tq_rd=\${tq_rg#* dev }; tq_rd=\${tq_rd%% *}; ${said};; *) ${loop};; esac`;
}

/**
 * After a ping over an equalizer passed: its next hop (the gateway `ip route get` named, in
 * `$tq_rg`, else the destination itself) must have resolved on every slave. teql sends a packet
 * over a slave only where the next hop resolves there and skips the others without a word
 * (sch_teql's __teql_resolve), so a peer that does not answer on one link (arp_ignore, arp_filter
 * there) left the bundle on the others, and the check passed. Failed where `ip neigh` lists the
 * next hop on a slave without a link-layer address (INCOMPLETE, FAILED), or on an Ethernet slave
 * not at all (teql never tried it: down, no carrier; a review found it passed). Not at once: teql tries
 * each slave in turn, and a slave's entry may be one left FAILED by an earlier outage that these
 * pings did not reach (a bundle of more slaves than pings), or still being asked; so a few more of
 * the check's own pings (one more than the slaves), then up to 4 s for the answers, pinging again
 * each second (a slave's carrier may come later): what still has
 * no address then fails. An `ip` that lists nothing (no `neigh`) leaves it to the ping. One `ip`
 * where all resolved.
 */
function overEverySlave(c: Check, i: number): string {
  if (!c.slaves || c.slaves.length === 0) return '';
  const nexthop = `case " $tq_rg " in *" via "*) tq_nh=\${tq_rg#* via }; tq_nh=\${tq_nh%% *};; *) tq_nh=${shellJoin([c.to])};; esac`;
  // An Ethernet slave (ARPHRD_ETHER, 1) with no entry at all: teql never tried it (not running, no
  // carrier, its queue stopped: sch_teql skips it). One without link-layer headers (ppp, tun) needs
  // none, and one set to `arp off` (IFF_NOARP, 0x80) has a NOARP entry, which `ip neigh` does not list.
  const absent = `tq_ty=; tq_fl=; read -r tq_ty 2>/dev/null < "/sys/class/net/$tq_sl/type"; read -r tq_fl 2>/dev/null < "/sys/class/net/$tq_sl/flags"; case $tq_fl in 0x[0-9a-f]*) ;; *) tq_fl=0x80;; esac; [ "$tq_ty" = 1 ] && [ $((tq_fl & 128)) = 0 ] && tq_nm="$tq_nm $tq_sl"`;
  const read = `tq_nb=$(ip neigh show to "$tq_nh" 2>&1 </dev/null); tq_nb=$(echo $tq_nb); tq_nm=; case " $tq_nb " in *" dev "*) for tq_sl in ${shellJoin(c.slaves)}; do case " $tq_nb " in *" dev $tq_sl lladdr "*) ;; *" dev $tq_sl "*) tq_nm="$tq_nm $tq_sl";; *) ${absent};; esac; done;; esac`;
  const said = `printf '%s\\n' "${c.egress}'s next hop $tq_nh did not resolve on$tq_nm, so ${c.egress} sends nothing over it (no entry there: teql never sent over that link, down or without carrier; an entry without an address: the peer does not answer there for its equalizer's address, its arp_ignore or arp_filter on that link): ip neigh: $tq_nb" > "$d/${i}.out"; rc=1`;
  const more = shellJoin(['-c', String(c.slaves.length + 1), '-W', '1', ...(c.from ? ['-I', c.from] : []), c.to]);
  // Pinging in each round of the wait too: a slave raised by this run whose carrier comes after the
  // first round (a NIC negotiating for 2-3 s) gets its entry only from a packet sent once it can
  // send; a wait that only read `ip neigh` failed a healthy bundle (a review).
  const ping = `ping -n -q -i $tq_pngiv ${more} </dev/null >/dev/null 2>&1`;
  const again = `${ping}; tq_nt=0; ${read}; while [ -n "$tq_nm" ] && [ $tq_nt -lt 4 ]; do sleep 1; tq_nt=$((tq_nt + 1)); ${ping}; ${read}; done`;
  return `; if [ "$rc" = 0 ]; then ${nexthop}; ${read}; if [ -n "$tq_nm" ]; then ${again}; [ -z "$tq_nm" ] || { ${said}; }; fi; fi`;
}

/** One check's attempts, in the background: its output and `rc n` in the folder $d. */
function attempts(c: Check, i: number): string {
  // A ping that refuses 0.2 where the probe did not run (ping is BusyBox's, /bin/ls is not: OpenWrt
  // with coreutils-ls, a review): the same attempt again at 1 s.
  const loop = `rc=1; n=0; while [ $n -lt ${ATTEMPTS} ]; do n=$((n+1)); if ${pingCommand(c)} > "$d/${i}.out" 2>&1; then rc=0; break; fi; if [ "$tq_pngiv" != 1 ] && tq_badiv "$d/${i}.out"; then tq_pngiv=1; n=$((n-1)); continue; fi; sleep 1; done`;
  const pinged = c.egress ? overEgress(c, i, loop + overEverySlave(c, i)) : loop;
  const body = c.dev && c.from ? `if ${BUSYBOX_PING}; then echo ${shellJoin([BOTH_ON_BUSYBOX])} > "$d/${i}.out"; rc=1; n=0; else ${pinged}; fi` : pinged;
  return `( ${body}; echo "$rc $n" > "$d/${i}.rc" ) & pings="$pings $!"`;
}

export function checksScript(checks: readonly Check[]): string {
  // A folder of its own: mktemp's, or by mkdir where there is no mktemp (a minimal BusyBox: every
  // check was "not run" there, and the run rolled back without a word why, a review).
  const lines = ['export LANG=C LC_ALL=C', `d=$(mktemp -d 2>/dev/null) || { d=/tmp/teqlctl-checks.$$; rm -rf "$d"; mkdir -m 700 "$d"; } || exit 1`, 'pings=', PING_INTERVAL_LINE,
    `tq_badiv() { while IFS= read -r tq_bl || [ -n "$tq_bl" ]; do case $tq_bl in *"invalid number '0.2'"*) return 0;; esac; done < "$1"; return 1; }`];
  checks.forEach((c, i) => lines.push(attempts(c, i)));
  // Its own pings only: run in the apply's shell (after the barrier), a bare `wait` would also wait
  // for the dead-man's timer, a child of that shell where there is no systemd.
  lines.push('wait $pings');
  // After the pings, on the critical path of every verification: the shell's own `read` keeps each
  // output's last two lines (what `tail -n 2` printed), and the folder is removed in the background,
  // its streams closed so that the round trip does not wait for it (a process each, ~30 ms on an
  // emulated router, issue 17).
  checks.forEach((_, i) => {
    // A result that cannot be read (a full /tmp takes the folder but not what is written in it; a
    // check killed) is a failure, never the last check's nor an empty one's: printf made 0 of it,
    // and every check passed on a router whose /tmp was full (a review).
    lines.push(`l1=; l2=; while IFS= read -r l || [ -n "$l" ]; do l1=$l2; l2=$l; done < "$d/${i}.out"; printf '%s\\n%s\\n' "$l1" "$l2"; rc=; n=; read rc n < "$d/${i}.rc"; case "$rc:$n" in [0-9]*:[0-9]*) ;; *) echo "error: its result could not be read on the router (its folder $d full, or the check killed)"; rc=1; n=0;; esac; printf '${CHECK} %d %d %d\\n' ${i} "$rc" "$n"`);
  });
  lines.push('rm -rf "$d" </dev/null >/dev/null 2>&1 &');
  return lines.join('\n') + '\n';
}

export interface CheckResult {
  check: Check;
  ok: boolean;
  attempts: number;
  summary: string;
}

export function parseChecks(checks: readonly Check[], stdout: string): CheckResult[] {
  const results: CheckResult[] = [];
  let buffer: string[] = [];
  for (const line of stdout.split('\n')) {
    const m = new RegExp(`^${CHECK} (\\d+) (\\d+) (\\d+)$`).exec(line);
    if (!m) {
      if (line.trim()) buffer.push(line.trim());
      continue;
    }
    const check = checks[Number(m[1])]!;
    results.push({ check, ok: m[2] === '0', attempts: Number(m[3]), summary: buffer.filter((l) => /transmitted|rtt|unreachable|error|invalid/i.test(l)).join('; ') || buffer.join('; ') });
    buffer = [];
  }
  // A check without its marker (the script died) counts as failed.
  for (const check of checks.slice(results.length)) results.push({ check, ok: false, attempts: 0, summary: 'not run' });
  return results;
}
