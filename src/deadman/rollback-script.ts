// teqlctl's own rollback of a run on one router (a failed apply or ping, a signal, a partial
// confirmation). It undoes what the ROUTER's write-ahead journal says began, with the same undo
// scripts the dead-man would run, not what the controller heard back: a step whose answer never
// arrived (the controller was interrupted mid-apply) is undone all the same.
import { napLine } from '../router/nap.js';
import { syncFsAt } from '../apply/render-op.js';
import { assertSafeRunId, LOCK_DIR, runDir, RUNS_DIR } from '../router/paths.js';
import { recordUndoerLine } from '../router/open-runs.js';
import { lockTakenTest, releaseLockLine, retakeLockLine } from '../router/lock.js';
import { ABANDONED_MARKER, LOCK_TAKEN_MARKER, REVERT_OWNS_MARKER, REVERTED_MARKER, UNDO_MARKER } from '../router/markers.js';
import { decide, freeReserve, markTakeover, takeOver, TAKEOVER, withRoom, whoDecided } from '../router/decision.js';
import { undoAllLine } from './batch-scripts.js';
import { stopApplierLines } from './applier.js';
import { closeRunScript } from './confirm-script.js';

export interface RollbackScriptOptions {
  /** Runs last, in the same round trip: the facts script, so the result is checked against the snapshot. */
  then: string;
  /** Fault injection (`--debug-hold rollback:S`): wait this long after claiming, before undoing. */
  holdSec?: number;
}

/**
 * Claims the run (the dead-man stands down), stops the apply script if it still runs, runs every
 * batch's undo newest first, closes the run as rolled back (timer off, lock freed) and reads the
 * facts. Once claimed it finishes even if the SSH session dies or its round trip's bound runs out
 * (HUP, PIPE and TERM ignored). If the
 * dead-man decided first, it waits for its revert and only reads the facts; a run the boot script
 * decided as abandoned is not undone (a later run's configuration is what the router holds). A run confirmed here
 * (a partial confirmation: another host failed) is rolled back all the same, under the lock the
 * run still holds. Undo failures are printed as `@@teqlctl-undo <line>`.
 */
export function rollbackScript(runId: string, o: RollbackScriptOptions): string {
  const dir = runDir(assertSafeRunId(runId));
  return [
    // TERM too: the round trip runs under `timeout 120` on the router, whose SIGTERM would cut an
    // undo it claimed half-way, and the dead-man then stands down (the run is no longer pending).
    "trap '' HUP PIPE TERM",
    'export LANG=C LC_ALL=C',
    'umask 077',
    `d=${dir}`,
    // No run here yet: the first apply is still on its way (teqlctl was stopped just after sending
    // it). A run folder decided as rolled back, made first, makes that apply arm nothing
    // (arm-script.ts makes the folder with a plain mkdir). If the apply made it first, it is undone
    // as below.
    `if mkdir -p ${RUNS_DIR} 2>/dev/null && mkdir -m 700 $d 2>/dev/null; then`,
    `  ${decide('$d', 'rollback')} && echo rolled-back > $d/state; ${syncFsAt('d')}`,
    `  ${releaseLockLine(runId)}`,
    'elif [ -d $d ]; then',
    // Synced: a power cut during the undo must find the state on disk (boot: revert.sh resume).
    `  if ${decide('$d', 'rollback')}; then\n${markTakeover('$d', 'rollback')}\n${withRoom('$d', ['echo rolling-back > $d/state'])}\n${syncFsAt('d')}\n  else`,
    // Decided by someone else a moment ago: wait until it says who, and until the state it writes.
    `    i=0; ${whoDecided('$d')}; while [ -z "$tq_by" ] && [ $i -lt 50 ]; do ${napLine()}; i=$((i+tq_dt)); ${whoDecided('$d')}; done`,
    '    case "$tq_by" in',
    // The revert's own states (pending until it writes reverting, then reverted; empty for the
    // moment each write truncates the file); the boot script decides as the revert does and writes
    // abandoned at once: nothing to wait for then.
    `      revert) i=0; while case "$(cat $d/state 2>/dev/null)" in pending|reverting|'') true;; *) false;; esac && [ $i -lt 600 ]; do ${napLine()}; i=$((i+tq_dt)); done;;`,
    // The confirmation's: its records, once it has made the records directory. Not made after a
    // while (a confirmation stalled or killed before it): made here, the confirmation then writes
    // nothing and says so, and the run is undone as pending. Made by it: its records are waited
    // for. Its timer, still armed until then, may take such a run over first (its revert, the same
    // way): that undo is waited for as the revert's, never run twice at once.
    // Unnamed after its wait (a decider killed between its mkdir and its name): as the
    // confirmation's, as the revert takes it; a revert or rollback that decided marked \`takeover\`.
    `      confirm|'') if ! ${takeOver('$d', 'rollback')} && [ -d $d/${TAKEOVER} ]; then tq_by=revert; i=0; while case "$(cat $d/state 2>/dev/null)" in pending|reverting|'') true;; *) false;; esac && [ $i -lt 600 ]; do ${napLine()}; i=$((i+tq_dt)); done; fi;;`,
    '    esac',
    '  fi',
    // A confirmed run's lock removed meanwhile (unlock) is taken back before it is checked below:
    // no run can take it between that check and the undo.
    `  tq_lt=; case "$(cat $d/state 2>/dev/null)" in confirmed) ${retakeLockLine(runId)};; esac`,
    '  if [ "$(cat $d/state 2>/dev/null)" = reverted ]; then',
    `    echo '${REVERTED_MARKER}'`,
    // Abandoned at boot: a restart dropped its kernel changes and a later run was made after it.
    // Its undo now would undo that later run's configuration: nothing is undone, it is said.
    '  elif [ "$(cat $d/state 2>/dev/null)" = abandoned ]; then',
    `    echo '${ABANDONED_MARKER}'`,
    // Decided by the revert, not ended: a revert still undoing after 60 s, or the boot script's
    // decision that could not be recorded as abandoned (a full or read-only disk). The revert owns
    // the undo: a second one beside it, or over a later run's configuration, is not made.
    '  elif [ "${tq_by:-}" = revert ]; then',
    `    echo "${REVERT_OWNS_MARKER} state=$(cat $d/state 2>/dev/null)"`,
    // A confirmed run waiting for its peers holds its lock, but no process of it runs here: a
    // second operator's \`teqlctl unlock\` took the lock as a dead run's, and another run took it.
    // Undone now, this run would be undone beneath that one (a review): left, and said.
    `  elif [ "$(cat $d/state 2>/dev/null)" = confirmed ] && ${lockTakenTest(runId)}; then`,
    `    if [ -n "$tq_lt" ]; then set -- $tq_lt; echo "${LOCK_TAKEN_MARKER} $1"; else echo "${LOCK_TAKEN_MARKER} $(sed -n 's/^run=//p' ${LOCK_DIR}/owner 2>/dev/null)"; fi`,
    '  else',
    // A confirmed run undone here (a partial confirmation) is marked first: cut by a power cut
    // half-way, the boot script finishes the undo (revert.sh resume) instead of booting half of it.
    `    case "$(cat $d/state 2>/dev/null)" in confirmed) {\n${withRoom('$d', ['echo rolling-back > $d/state'])}\n${syncFsAt('d')}\n} ;; esac`,
    stopApplierLines('$d'),
    ...(o.holdSec ? [`echo 'holding ${o.holdSec} s in the rollback (--debug-hold)' >&2; sleep ${o.holdSec}`] : []),
    // Room for what the undo writes (the baseline's new copy, the log) on a disk that filled.
    `    ${freeReserve('$d')}`,
    // This shell is the undo now: a run past the open-run bound stays open while it runs (open-runs.ts).
    `    ${recordUndoerLine('$d')}`,
    `    ${undoAllLine('$d', 'rollback.log', { fresh: true })}`,
    `    sed -n 's/^undo step /${UNDO_MARKER} undo step /p' "$tq_ul"`,
    closeRunScript(runId, 'rolled-back'),
    '  fi',
    'fi',
    o.then.trimEnd(),
    'exit 0',
  ].join('\n') + '\n';
}

/** The undo failures a rollback script printed. */
export function undoFailures(stdout: string): string[] {
  return stdout.split('\n').filter((l) => l.startsWith(`${UNDO_MARKER} `)).map((l) => l.slice(UNDO_MARKER.length + 1));
}
