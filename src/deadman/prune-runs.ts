// Old run records pruned on the router. Every run leaves its folder in /var/lib/teqlctl/runs (its
// undo and redo scripts, states, the after-state: ~70 KB on ext4), and nothing removed them: a
// router's flash is small (an embedded one has megabytes), and a disk that teqlctl itself filled
// would make its own next run refuse to arm. So an apply that arms a run first prunes, under the
// run's lock, the records that no decision can need any more:
//   - only once the router holds more than KEEP_RUNS + PRUNE_SLACK runs (the common path is one
//     glob, builtins only), and then down to the KEEP_RUNS latest (the router's own count, seq=);
//   - only decided runs (confirmed, reverted, rolled back, abandoned): a pending run, or one whose
//     undo a reboot cut (reverting, rolling-back), is the boot script's to finish; a folder with no
//     state (a run armed by hand, damaged) is left as it is;
//   - never the latest confirmed run: `teqlctl rollback` undoes it by default.
// A pruned run leaves a line `<id> <state>` in PRUNED_FILE (written and flushed before its folder
// goes), so that a later `rollback --run` of it is refused there, saying so, rather than taken as
// a router that never had the run (whose other end would then be undone alone). Its folder is
// renamed to a dot name first (atomic; no reader's glob sees it) and then removed: a prune cut by a
// power loss leaves either the whole folder or a dot folder, which the next arm removes.
import { RUNS_DIR } from '../router/paths.js';
import { readRunSeq } from '../router/arm-order.js';
import { syncFs } from '../apply/render-op.js';

/** Runs a router keeps once it prunes. */
export const KEEP_RUNS = 20;
/** How many more than KEEP_RUNS a router may hold before the next arm prunes (one prune per ten runs). */
export const PRUNE_SLACK = 10;
/** One line per pruned run: `<id> <state it was in>`. */
export const PRUNED_FILE = '/var/lib/teqlctl/pruned-runs';
/** The tombstones kept: the oldest lines go once the file holds twice as many. */
export const PRUNED_LINES = 1000;

/** The states in which nothing on the router or in teqlctl acts on a run any more (docs/deadman.md). */
export const DECIDED_STATES = ['confirmed', 'reverted', 'rolled-back', 'rollback-confirmed', 'abandoned'] as const;

/**
 * Shell, for the first apply script of a run, under its lock and before its own folder is made.
 * Never fails the arming: a record that cannot be pruned stays, and the arm's own checked writes
 * say it if the disk is full. Processes only when it prunes (sort, sync, rm).
 */
export function pruneRunsScript(): string {
  const over = KEEP_RUNS + PRUNE_SLACK;
  return [
    `for tq_pd in ${RUNS_DIR}/.pruned-*; do [ -e "$tq_pd" ] && rm -rf "$tq_pd"; done`,
    `tq_pn=0; for tq_pd in ${RUNS_DIR}/*/; do [ -d "$tq_pd" ] && tq_pn=$((tq_pn + 1)); done`,
    `if [ $tq_pn -gt ${over} ]; then`,
    // One line per run, "seq id:state", seq zero-padded by the shell (no process per run) so that
    // a plain sort orders them (a run of an older teqlctl has no seq: 0, then its id, which begins
    // with the controller's time).
    `  tq_pl=; tq_pc=; tq_pcs=-1`,
    `  for tq_pd in ${RUNS_DIR}/*/; do tq_pd=\${tq_pd%/}; [ -d "$tq_pd" ] || continue; ${readRunSeq('"$tq_pd/meta"', 'tq_ps')}; tq_ps=\${tq_ps:-0}; tq_pst=; read -r tq_pst 2>/dev/null < "$tq_pd/state"; case $tq_pst in *[!a-z-]*) tq_pst=odd;; esac`,
    `    if [ "$tq_pst" = confirmed ] && [ "$tq_ps" -ge "$tq_pcs" ]; then tq_pcs=$tq_ps; tq_pc=\${tq_pd##*/}; fi`,
    `    tq_pz=000000000000$tq_ps; tq_pl="$tq_pl\${tq_pz#"\${tq_pz%????????????}"} \${tq_pd##*/}:\${tq_pst:--}"'`,
    `'; done`,
    `  tq_pg=; tq_pi=0`,
    `  for tq_pe in $(printf '%s' "$tq_pl" | sort | while read -r tq_ps tq_pe; do echo "$tq_pe"; done); do`,
    `    tq_pi=$((tq_pi + 1)); [ $tq_pi -le $((tq_pn - ${KEEP_RUNS})) ] || break`,
    `    tq_pid=\${tq_pe%:*}; tq_pst=\${tq_pe##*:}; [ "$tq_pid" = "$tq_pc" ] && continue`,
    `    case $tq_pst in ${DECIDED_STATES.join('|')}) printf '%s %s\\n' "$tq_pid" "$tq_pst" >> ${PRUNED_FILE} && tq_pg="$tq_pg $tq_pid";; esac`,
    `  done`,
    `  if [ -n "$tq_pg" ] && ${syncFs(PRUNED_FILE)}; then for tq_pid in $tq_pg; do mv ${RUNS_DIR}/$tq_pid ${RUNS_DIR}/.pruned-$tq_pid 2>/dev/null && rm -rf ${RUNS_DIR}/.pruned-$tq_pid; done; fi`,
    `  tq_pk=0; while read -r tq_pe; do tq_pk=$((tq_pk + 1)); done 2>/dev/null < ${PRUNED_FILE}`,
    `  if [ $tq_pk -gt ${2 * PRUNED_LINES} ]; then tail -n ${PRUNED_LINES} ${PRUNED_FILE} > ${PRUNED_FILE}.new 2>/dev/null && mv ${PRUNED_FILE}.new ${PRUNED_FILE}; fi`,
    `fi`,
  ].join('\n');
}
