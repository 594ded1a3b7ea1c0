// Old run records pruned on the router. Every run leaves its folder in /var/lib/teqlctl/runs (its
// undo and redo scripts, states, the after-state: ~70 KB on ext4), and nothing removed them: a
// router's flash is small (an embedded one has megabytes), and a disk that teqlctl itself filled
// would make its own next run refuse to arm. So an apply that arms a run first prunes, under the
// run's lock and before its own folder is made, the records that no decision can need any more:
//   - only once the router holds more than KEEP_RUNS + PRUNE_SLACK runs (the common path is two
//     globs, builtins only), and then the oldest beyond the KEEP_RUNS latest (the router's count, seq=);
//   - only decided runs (confirmed, reverted, rolled back, abandoned): a pending run, or one whose
//     undo a reboot cut (reverting, rolling-back), is the boot script's to finish;
//   - never a folder without a meta: teqlctl's rollback makes one, decided, for a run whose apply
//     was sent but had not armed yet (a signal just then), and that apply's arm must find it (it
//     then stops, nothing applied); nor the run being armed, nor a name teqlctl never gives;
//   - never the latest confirmed run (`teqlctl rollback` undoes it by default), nor a run that an
//     undecided rollback's dead-man would redo (its meta: summary=rollback of <id>), nor a run whose
//     undo failed a step (its undo_failed_at: the router may hold it still; a redo removes the file).
// A pruned confirmed run leaves a line `<id> confirmed` in PRUNED_FILE, flushed before its folder
// goes, so that `rollback --run` of it is refused there, saying so, rather than taken as a router
// that never had the run (whose peer's end would then be undone alone). A reverted, rolled-back or
// abandoned run needs none (a rollback reads its peer's end as undone, or as not there, alike), so
// those go first and without a write: on a disk already full they make the room. A folder is renamed
// to a dot name (atomic; no reader's glob sees it) and then removed: a prune cut by a power loss
// leaves the whole folder or a dot folder, which the next arm removes.
import { assertSafeRunId, RUNS_DIR } from '../router/paths.js';
import { syncFs } from '../apply/render-op.js';
import { SEQ_DIGITS } from '../router/arm-order.js';

/** Runs a router keeps once it prunes. */
export const KEEP_RUNS = 20;
/** How many more than KEEP_RUNS a router may hold before the next arm prunes (one prune per ten runs). */
export const PRUNE_SLACK = 10;
/** One line per pruned confirmed run: `<id> confirmed`. */
export const PRUNED_FILE = '/var/lib/teqlctl/pruned-runs';
/** The tombstones kept: the oldest lines go once the file holds twice as many (a rollback of so old a run reads no record there). */
export const PRUNED_LINES = 1000;

/** The states in which nothing on the router or in teqlctl acts on a run any more (docs/deadman.md). */
export const DECIDED_STATES = ['confirmed', 'reverted', 'rolled-back', 'rollback-confirmed', 'abandoned'] as const;


/** Removes run folders (shell words of safe ids in `$list`) by an atomic rename first. */
const removeAll = (list: string) => `for tq_pv in ${list}; do mv ${RUNS_DIR}/$tq_pv ${RUNS_DIR}/.pruned-$tq_pv 2>/dev/null && rm -rf ${RUNS_DIR}/.pruned-$tq_pv; done`;

/**
 * Shell, for the first apply script of run `runId`, under its lock and before its own folder is
 * made. Never fails the arming: a record that cannot be pruned stays, and the arm's own checked
 * writes say it if the disk is full. Processes only when it prunes (sort, sync, mv, rm).
 */
export function pruneRunsScript(runId: string): string {
  const pad = '0'.repeat(SEQ_DIGITS);
  return [
    `for tq_pd in ${RUNS_DIR}/.pruned-*; do [ -e "$tq_pd" ] && rm -rf "$tq_pd"; done`,
    `tq_pn=0; for tq_pd in ${RUNS_DIR}/*/; do [ -d "$tq_pd" ] && tq_pn=$((tq_pn + 1)); done`,
    `if [ $tq_pn -gt ${KEEP_RUNS + PRUNE_SLACK} ]; then`,
    // One line per run that may go, "seq id:state", seq zero-padded by the shell (no process per
    // run); a run of an older teqlctl has no seq: 0, then its id (the controller's time first).
    `  tq_pl=; tq_pc=; tq_pcs=-1; tq_pkeep=' ${assertSafeRunId(runId)} '`,
    `  for tq_pd in ${RUNS_DIR}/*/; do tq_pd=\${tq_pd%/}; [ -d "$tq_pd" ] || continue; tq_pv=\${tq_pd##*/}; tq_ps=; tq_pr=`,
    `    [ -f "$tq_pd/meta" ] && while IFS= read -r tq_pa || [ -n "$tq_pa" ]; do case $tq_pa in seq=*) tq_ps=\${tq_pa#seq=};; 'summary=rollback of '*) tq_pr=\${tq_pa#summary=rollback of };; esac; done 2>/dev/null < "$tq_pd/meta"`,
    `    case $tq_ps in ''|*[!0-9]*) tq_ps=0;; esac; tq_pst=; read -r tq_pst 2>/dev/null < "$tq_pd/state"; case $tq_pst in *[!a-z-]*) tq_pst=odd;; esac`,
    `    case $tq_pst in ${DECIDED_STATES.join('|')}) ;; *) tq_pkeep="$tq_pkeep$tq_pr ";; esac`,
    // An undo that failed a step: the router may hold the run still, and status says it from here.
    `    [ -e "$tq_pd/undo_failed_at" ] && tq_pkeep="$tq_pkeep$tq_pv "`,
    `    if [ "$tq_pst" = confirmed ] && [ "$tq_ps" -ge "$tq_pcs" ]; then tq_pcs=$tq_ps; tq_pc=$tq_pv; fi`,
    `    [ -f "$tq_pd/meta" ] || continue; case $tq_pv in *[!A-Za-z0-9._-]*) continue;; esac`,
    `    tq_pz=${pad}$tq_ps; tq_pl="$tq_pl\${tq_pz#"\${tq_pz%${'?'.repeat(SEQ_DIGITS)}}"} $tq_pv:\${tq_pst:--}"'`,
    `'; done`,
    `  tq_pg=; tq_pt=; tq_pi=0`,
    `  for tq_pe in $(printf '%s' "$tq_pl" | sort | while read -r tq_ps tq_pe; do echo "$tq_pe"; done); do`,
    `    tq_pi=$((tq_pi + 1)); [ $tq_pi -le $((tq_pn - ${KEEP_RUNS})) ] || break`,
    `    tq_pv=\${tq_pe%:*}; [ "$tq_pv" = "$tq_pc" ] && continue; case $tq_pkeep in *" $tq_pv "*) continue;; esac`,
    `    case \${tq_pe##*:} in confirmed) tq_pt="$tq_pt $tq_pv";; ${DECIDED_STATES.filter((st) => st !== 'confirmed').join('|')}) tq_pg="$tq_pg $tq_pv";; esac`,
    `  done`,
    `  ${removeAll('$tq_pg')}`,
    `  tq_pg=; for tq_pv in $tq_pt; do printf '%s confirmed\\n' "$tq_pv" >> ${PRUNED_FILE} && tq_pg="$tq_pg $tq_pv"; done 2>/dev/null`,
    `  if [ -n "$tq_pg" ] && ${syncFs(PRUNED_FILE)}; then ${removeAll('$tq_pg')}; fi`,
    `  tq_pk=0; while read -r tq_pe; do tq_pk=$((tq_pk + 1)); done 2>/dev/null < ${PRUNED_FILE}`,
    `  if [ $tq_pk -gt ${2 * PRUNED_LINES} ]; then tail -n ${PRUNED_LINES} ${PRUNED_FILE} > ${PRUNED_FILE}.new 2>/dev/null && ${syncFs(`${PRUNED_FILE}.new`)} && mv ${PRUNED_FILE}.new ${PRUNED_FILE}; fi`,
    `fi`,
  ].join('\n');
}
