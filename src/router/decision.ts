import { napLine } from './nap.js';
import { PROC_START_FN, sameProcess } from './proc-start.js';

// Who ends a run on the router: the confirmation, the dead-man's revert, or teqlctl's own rollback.
// Both the confirmation and the revert used to read the run's state and then write it, so with the
// timer firing at confirmation time both could win. mkdir is atomic on every filesystem and in every
// shell: whoever creates the directory has decided, and everyone else finds out and says so.
//
// A disk that fills after arming (a runaway log, another program) must not stop a decision: a
// revert that cannot decide does nothing, and leaves the router changed and unconfirmed for good.
// So arming, done while the disk still had room, writes a reserve file in the run's folder; a
// decision or a write after it that finds the disk full frees the reserve and tries again.

/** The directory whose creation decides the run; `by` inside it names who decided. */
export const DECIDED = 'decided';
/** Made by whoever writes a confirmed run's records: its confirmation, or a rollback that took it over. */
export const RECORDS = 'records';

/**
 * True when this script made the records directory (retried once with the reserve freed, as a
 * decision is, on a disk that filled); false when the other side made it, or when it cannot be
 * made at all (then `[ -d .../records ]` is false: the caller tells the two apart).
 */
export function claimRecords(dir: string): string {
  const mk = `mkdir ${dir}/${RECORDS} 2>/dev/null`;
  return `{ ${mk} || { [ ! -e ${dir}/${RECORDS} ] && ${freeReserve(dir)} && ${mk}; }; }`;
}

/** The run's reserve: written at arming, freed when a decision or its records find the disk full. */
export const RESERVE = 'reserve';

/**
 * 32 KiB: room, in 4 KiB blocks or pages, for every file a decider writes on a full disk (`decided`
 * itself on ext4, `by`, the state, the confirmation's two records or the revert's log and time, the
 * baseline's new copy that an undo writes).
 */
export const RESERVE_BLOCKS = 32;

/**
 * Empty files beside the reserve (`reserve.1` ...), an inode each: on a /var out of inodes, the
 * reserve freed one, which `decided` took, and the undo could make none of its new files (a file
 * written back goes through a temporary copy, the baseline through `baseline.new`): the boot files
 * kept the run's version and the run was recorded `reverted` (a review, 2026-12-05). Eight cover
 * the decision's records, the log, and one temporary file at a time.
 */
export const RESERVE_INODES = 8;

/** Every file of the run's reserve (the bytes, the inodes, a batch's room for its big files), for `rm -f`. */
export function reserveFiles(dir: string): string {
  return `${dir}/${RESERVE} ${dir}/${RESERVE}.*`;
}

export type Decider = 'confirm' | 'revert' | 'rollback';

/**
 * Frees the reserve. The flush is what lets ext4 allocate the freed blocks again (it reuses
 * blocks freed by a transaction only once that transaction is committed).
 */
export function freeReserve(dir: string): string {
  // `dir` as the scripts give it (a safe run folder, or `$d`), not quoted: `sync -f '$d'` would
  // always fail over to a whole-system sync.
  return `{ rm -f ${reserveFiles(dir)}; { sync -f ${dir} 2>/dev/null || sync; }; }`;
}

/**
 * The reserve, written by the shell's own builtins (no process on the cold apply's critical path):
 * a line of 1023 characters and its newline per KiB. True when all of it was written.
 */
export function writeReserve(dir: string): string {
  return [
    reserveBytes(`${dir}/${RESERVE}`, RESERVE_BLOCKS),
    // The inodes: an empty file each, by the shell's own redirection (`true`: a failed redirection of `:` would end the script).
    `for tq_i in ${Array.from({ length: RESERVE_INODES }, (_, i) => i + 1).join(' ')}; do true 2>/dev/null > ${dir}/${RESERVE}.$tq_i || tq_rw=1; done`,
    '[ "$tq_rw" = 0 ]',
  ].join('\n');
}

/** Writes `kib` KiB into `file` by builtins, setting tq_rw=1 where a write failed (it starts at 0). */
function reserveBytes(file: string, kib: number): string {
  return [
    `tq_r=${'0'.repeat(64)}; tq_r=$tq_r$tq_r$tq_r$tq_r; tq_r=$tq_r$tq_r$tq_r$tq_r; tq_r=\${tq_r%?}; tq_rw=0; tq_i=0`,
    `while [ $tq_i -lt ${kib} ]; do printf '%s\\n' "$tq_r" || tq_rw=1; tq_i=$((tq_i+1)); done > ${file} || tq_rw=1`,
  ].join('\n');
}

/**
 * Room for the files a batch's undo writes back, where the largest is more than the reserve holds
 * besides its records (`bytes` of it): a boot file of many bundles written back on a full disk
 * failed, and the run was recorded `reverted` with the run's version in place (a review). True when
 * written; nothing where the reserve suffices.
 */
export function batchReserve(dir: string, batch: number, bytes: number): string | undefined {
  const kib = Math.ceil(bytes / 1024) + 4;
  if (kib <= RESERVE_BLOCKS / 2) return undefined;
  return `{\n${reserveBytes(`${dir}/${RESERVE}.b${batch}`, kib)}\n[ "$tq_rw" = 0 ]\n}`;
}

/**
 * Shell lines that run `writes` (each a command that writes a file of the run) and are true when
 * every one succeeded; on a full disk, once more after freeing the reserve. The commands must be
 * safe to run twice (each rewrites its whole file).
 */
export function withRoom(dir: string, writes: readonly string[]): string {
  // The closing brace on a line of its own: a write may be a here-document, whose delimiter must
  // end its line (`TAG; }` would leave the document open, and the shell reading to its end).
  const all = ['tq_ok=1', ...writes.map((w) => `{ ${w}\n} || tq_ok=0`), '[ "$tq_ok" = 1 ]'].join('\n');
  return `{\n${all}\n} 2>/dev/null || {\n${freeReserve(dir)}\n${all}\n}`;
}

/**
 * A shell condition: true for the one caller that decides the run in `dir`, false for all later
 * ones. On a full disk (mkdir fails and nobody decided) it frees the reserve and tries once more.
 * Who decided is recorded after the decision, with room made the same way; a record that still
 * cannot be written leaves the decision standing (readers wait a while for it, then go on).
 */
export function decide(dir: string, by: Decider): string {
  const mk = `mkdir ${dir}/${DECIDED} 2>/dev/null`;
  const record = `echo ${by} > ${dir}/${DECIDED}/by`;
  // The retry does not ask whether the reserve is still there: another decider that failed the
  // same way may have freed it a moment ago, and its own retry may fail; trying costs nothing.
  // The empty file named after the decider needs no data block (only `by` may fail on a full disk).
  // `true >`, not `: >`: a failed redirection of a special builtin ends a non-interactive shell.
  return `{ { ${mk} || { [ ! -e ${dir}/${DECIDED} ] && ${freeReserve(dir)} && ${mk}; }; } && { { true > ${dir}/${DECIDED}/${by}; } 2>/dev/null; { ${record}; } 2>/dev/null || { ${freeReserve(dir)}; ${record}; } 2>/dev/null; true; }; }`;
}

/**
 * Shell lines that set `tq_by` to who decided the run in `dir` (empty while nobody said yet): from
 * the decider's empty file, which a full disk cannot stop, else from `by` (runs decided by older
 * versions).
 */
export function whoDecided(dir: string): string {
  return `tq_by=; for tq_x in confirm revert rollback; do [ -e ${dir}/${DECIDED}/$tq_x ] && tq_by=$tq_x; done; [ -n "$tq_by" ] || read -r tq_by 2>/dev/null < ${dir}/${DECIDED}/by`;
}

/**
 * Made by the one that undoes a run the confirmation decided but never recorded (the OOM killer's
 * SIGKILL between the two, a confirmation stalled a minute): the dead-man's revert, or a rollback.
 * The confirmation stops its timer only once its records are written, so such a run is never left
 * decided and pending with nothing on the router to end it.
 */
export const TAKEOVER = 'takeover';

/** The file in `records/` where a confirmation that claimed them writes its shell's pid and start time. */
export const CONFIRM_PID = 'confirm.pid';

/**
 * A shell condition, true for the one caller that takes over such a run. It waits 5 s for the
 * records; not begun, it claims them (the confirmation then writes nothing and says too late);
 * begun, it waits 60 s more for them. Still pending then, the confirmation that claimed them, if
 * its shell still runs (stalled in a sync on a full disk, under memory pressure), is killed first:
 * left, it went on to write its records over the undo and said ok (a review reproduced a run
 * recorded confirmed with everything undone). Then the first to make `takeover` undoes the run.
 * False where the run got its records (confirmed) or someone else took it over.
 */
export function takeOver(dir: string, who: 'revert' | 'rollback'): string {
  const pending = `case "$(cat ${dir}/state 2>/dev/null)" in pending|'') true;; *) false;; esac`;
  const waitPending = (tenths: number) => `tq_ti=0; while ${pending} && [ $tq_ti -lt ${tenths} ]; do ${napLine()}; tq_ti=$((tq_ti+tq_dt)); done`;
  const mk = `mkdir ${dir}/${TAKEOVER} 2>/dev/null`;
  // The taker's name in the records it claimed: the confirmation, too late, says who took the run.
  const claimed = `{ ${claimRecords(dir)} && { { true > ${dir}/${RECORDS}/${who}; } 2>/dev/null; true; }; }`;
  // Killed only while that pid is still the confirmation's (its start time), and waited for (a
  // shell in a write that the kill cannot interrupt finishes that write first).
  const fence = [
    PROC_START_FN,
    `tq_cp=; tq_cs=; read -r tq_cp tq_cs 2>/dev/null < ${dir}/${RECORDS}/${CONFIRM_PID}`,
    `if [ -n "$tq_cp" ] && [ -n "$tq_cs" ] && ${sameProcess('$tq_cp', '$tq_cs')}; then kill -KILL "$tq_cp" 2>/dev/null; tq_ti=0; while ${sameProcess('$tq_cp', '$tq_cs')} && [ $tq_ti -lt 100 ]; do ${napLine()}; tq_ti=$((tq_ti+tq_dt)); done; fi`,
  ].join('\n');
  return `{ ${waitPending(50)}; if ${pending} && ! ${claimed} && [ -d ${dir}/${RECORDS} ]; then ${waitPending(600)}\n${fence}\nfi; ${pending} && { ${mk} || { [ ! -e ${dir}/${TAKEOVER} ] && ${freeReserve(dir)} && ${mk}; }; } && { { true > ${dir}/${TAKEOVER}/${who}; } 2>/dev/null; true; }; }`;
}

/**
 * Made by a revert or a rollback that decided the run itself, right after its decision: a taker
 * (takeOver) of a run it wrongly took for the confirmation's (a decider a full disk kept from
 * recording itself) finds it and undoes nothing beside it.
 */
export function markTakeover(dir: string, who: 'revert' | 'rollback'): string {
  return `{ mkdir ${dir}/${TAKEOVER} 2>/dev/null && { true > ${dir}/${TAKEOVER}/${who}; } 2>/dev/null; true; }`;
}

/** Shell words naming who took a confirmation's unrecorded run over, for its too-late line. */
export function takenOverBy(dir: string): string {
  return `$( { [ -e ${dir}/${RECORDS}/revert ] || [ -e ${dir}/${TAKEOVER}/revert ]; } && echo revert || echo rollback)`;
}
