// Freeing a router's lock: `teqlctl unlock` (only a dead holder's, no pending dead-man, no undo
// still running, unless --force) and a rollback's own lock at its end.
import { LOCK_DIR, RUNS_DIR, assertSafeRunId } from '../router/paths.js';
import { PROC_START_FN, sameProcess } from '../router/proc-start.js';
import { armedInEarlierBoot, readBootId } from '../router/boot-id.js';
import { OPEN_RUN_GRACE_SEC, undoerRuns, writtenWithin } from '../router/open-runs.js';

/** Frees the lock if this run (a rollback's id) holds it. */
export function unlockRunScript(runId: string): string {
  return `grep -qx 'run=${assertSafeRunId(runId)}' ${LOCK_DIR}/owner 2>/dev/null && rm -rf ${LOCK_DIR}; true\n`;
}

/**
 * Removes the lock only when its holder is gone and no dead-man of its run is still pending, and not
 * one that names no run yet and is under a minute old: a run taking it this moment (mkdir, then its
 * owner file), which was removed at once (a review). A lock
 * taken in an earlier boot (where /run is kept across reboots) has neither: its session and its
 * timer ended with that boot, whatever process has its pid now.
 */
export function unlockScript(force: boolean): string {
  return `[ -d ${LOCK_DIR} ] || { echo "unlock: no lock"; exit 0; }
tq_ow=$(cat ${LOCK_DIR}/owner 2>/dev/null)
# Its fields from that one read: what is checked is what is compared before the removal.
p=; r=; b=; s=; tq_if=$IFS; IFS='
'; set -f; for tq_l in $tq_ow; do case $tq_l in pid=*) p=\${tq_l#pid=};; run=*) r=\${tq_l#run=};; boot=*) b=\${tq_l#boot=};; start=*) s=\${tq_l#start=};; esac; done; set +f; IFS=$tq_if
${PROC_START_FN}
${readBootId('bn')}
earlier=; if ${armedInEarlierBoot('b', 'bn')}; then earlier=' (taken in an earlier boot)'; fi
${force ? '' : `if [ -z "$r" ] && [ -z "$earlier" ]; then ${writtenWithin(LOCK_DIR, '60', 'tq_uy', 'unknown')}; if [ -n "$tq_uy" ]; then echo "unlock: refused: the lock names no run yet and was made within the last minute: a run taking it this very moment (--force removes it anyway)"; exit 8; fi; fi
if [ -z "$earlier" ] && [ -n "$p" ] && [ -d /proc/$p ] && ${sameProcess('$p', '$s')}; then echo "unlock: refused: run $r is still connected (pid $p)"; exit 8; fi
if [ -z "$earlier" ] && [ -n "$r" ] && [ -f ${RUNS_DIR}/$r/state ]; then case "$(cat ${RUNS_DIR}/$r/state 2>/dev/null)" in pending) echo "unlock: refused: run $r has a dead-man revert pending"; exit 8;; reverting|rolling-back|'') ${writtenWithin(`${RUNS_DIR}/$r/state`, String(OPEN_RUN_GRACE_SEC), 'tq_uw', 'unknown')}; [ -n "$tq_uw" ] || ${undoerRuns(`${RUNS_DIR}/$r`, 'tq_uw')}; if [ -n "$tq_uw" ]; then echo "unlock: refused: run $r is being undone (its state: $(cat ${RUNS_DIR}/$r/state 2>/dev/null)); its undo frees the lock when it ends (--force removes it anyway)"; exit 8; fi;; esac; fi`}
${freeCheckedLock()}
`;
}

/**
 * Removes the lock that was checked, and only it. Checked in place and then removed, a lock freed
 * and taken by another run between the check and the removal (reading it takes a few processes:
 * tens of milliseconds on a slow router) was removed with it (check then act, a review). Moved aside
 * first (rename: atomic), its owner is compared with the one checked; another one is put back.
 */
function freeCheckedLock(): string {
  return `tq_fr=${LOCK_DIR}.unlock.$$; rm -rf $tq_fr
mv ${LOCK_DIR} $tq_fr 2>/dev/null || { echo "unlock: no lock (freed meanwhile)"; exit 0; }
if [ "$(cat $tq_fr/owner 2>/dev/null)" != "$tq_ow" ]; then [ -e ${LOCK_DIR} ] || mv $tq_fr ${LOCK_DIR}; tq_nr=$(sed -n 's/^run=//p' ${LOCK_DIR}/owner 2>/dev/null); echo "unlock: refused: the lock changed hands while it was checked (now: \${tq_nr:-a run taking it this very moment}); run unlock again"; exit 8; fi
rm -rf $tq_fr && echo "unlock: removed the lock of run $r$earlier"`;
}
