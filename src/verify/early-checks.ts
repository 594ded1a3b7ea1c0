// Early checks (issue 17): a play's pings started on the router beside its facts read, in the same
// round trip, each once, in the background. The facts script then ends at a barrier and its shell
// waits. If the play changes nothing on any host, the controller sends `earlyChecksCollect` and the
// pings, long done, are the play's verification: no round trip of its own, and their 0.4 s overlap
// the facts read. If anything is to change, the shell gets the end of its input instead and ends
// (its EXIT trap stops the pings and removes their files): the checks then run after the apply, as
// always, and a ping never counts for a router that changed after it was sent.
import type { Check } from '../plan/types.js';
import { CHECK_MARKER as CHECK } from '../router/markers.js';
import { PING_INTERVAL_LINE, pingCommand } from './ping-script.js';
import { shellQuote } from '../router/shell-quote.js';

// Names of their own: the facts script that follows uses short names (d, f, i, s, v, ...).
const DIR = 'tq_early';
const PIDS = 'tq_early_pids';

/**
 * Starts each check's ping once, in the background, its output in a folder of its own. Without a
 * folder (mktemp failed: /tmp full or read-only; or a path in `needs` is missing) nothing starts,
 * and the collection reports every check as not run, so the play's checks run in a round trip of
 * their own as they would without early checks.
 */
export function earlyChecksStart(checks: readonly Check[], needs: readonly string[] = []): string {
  // `needs`: paths without which the play cannot be a no-op (an equalizer it wants, not there yet:
  // a router still to set up). Tested by the shell itself, at no cost; then no ping is started,
  // and a cold run's facts read pays nothing for checks that would be dropped unread.
  const present = needs.map((p) => `[ -e ${shellQuote(p)} ]`).join(' && ');
  const lines = [
    `${DIR}=`,
    `${present ? `${present} && ` : ''}{ ${DIR}=$(mktemp -d 2>/dev/null) || { ${DIR}=/tmp/teqlctl-early.$$; rm -rf "$${DIR}"; mkdir -m 700 "$${DIR}"; } || ${DIR}=; }`,
    `${PIDS}=`,
    `if [ -n "$${DIR}" ]; then`,
    `  ${PING_INTERVAL_LINE}`,
    // However the shell ends at the end of its input (collected, told to end, its connection lost),
    // nothing is left behind. A pid is killed only while it is a ping: the shell may have reaped a
    // ping that ended, and its pid may be another process's now. No trap for TERM or HUP: a shell
    // waiting at its barrier would only run it once input came, where the signal's default ends it
    // at once (a ping then ends by itself, within its -c and -W; its folder stays in /tmp).
    `  trap 'for p in $${PIDS}; do read -r c 2>/dev/null < /proc/$p/comm && [ "$c" = ping ] && kill $p 2>/dev/null; done; rm -rf "$${DIR}"' EXIT`,
  ];
  checks.forEach((c, i) => {
    lines.push(`  ${pingCommand(c)} > "$${DIR}/${i}.out" 2>&1 </dev/null & ${DIR}_${i}=$!; ${PIDS}="$${PIDS} $!"`);
  });
  lines.push('fi');
  return lines.join('\n') + '\n';
}

/**
 * Waits for each ping and prints its output and result as the checks script does (parseChecks
 * reads both), with one attempt each. The shell's own builtins only: no process per check.
 */
export function earlyChecksCollect(checks: readonly Check[]): string {
  const lines = [`if [ -n "$${DIR}" ]; then`];
  checks.forEach((_, i) => {
    lines.push(`  wait $${DIR}_${i}; r=$?; while IFS= read -r l; do printf '%s\\n' "$l"; done < "$${DIR}/${i}.out"; printf '${CHECK} %d %d %d\\n' ${i} "$r" 1`);
  });
  // Waited for: their pids may be given to other processes now, which the EXIT trap must not kill.
  lines.push(`  ${PIDS}=`, 'fi');
  return lines.join('\n') + '\n';
}

/** The same ping, whichever task asked for it: how an early result is matched to a phase's check. */
export function checkKey(c: Check): string {
  return pingCommand(c);
}
