// The order in which runs armed on one router, as the router itself counted them. Which run came
// later decides what the boot script may undo (plan/persist/boot-script.ts): a run cut by a reboot
// is not reverted over the configuration of a run armed after it. Run ids carry the controller's
// clock and meta files the router's; a controller's clock can be behind another's, and a router
// without a battery-backed clock can start a boot in the past, so neither orders runs for sure.
// Each meta file therefore records `seq=N`: one more than any run before it on this router, taken
// under teqlctl's lock (every meta is written under it), so no two runs get the same number.
import { RUNS_DIR } from './paths.js';

/** The last number given out; a cache of the highest `seq=` of the metas, rebuilt when missing. */
export const ARM_SEQ_FILE = '/var/lib/teqlctl/arm-seq';

/**
 * Shell: sets `$name` to the `seq=` a meta file (`meta`, a shell word) records; empty for a run
 * armed by a teqlctl before it did, for a missing file or for a value that is not a number.
 * Builtins only.
 */
export function readRunSeq(meta: string, name: string): string {
  return `${name}=; while IFS= read -r tq_sl || [ -n "$tq_sl" ]; do case $tq_sl in seq=*) ${name}=\${tq_sl#seq=};; esac; done 2>/dev/null < ${meta}; case $${name} in *[!0-9]*) ${name}=;; esac`;
}

/**
 * Shell: sets `$name` to the number of the run being armed, and records it; its status is whether
 * the record holds it (read back). From the counter file, taken as a floor: a meta file written
 * since the counter was (a counter restored from a backup, or left behind by a write that did not
 * happen) raises it to that run's number. Where the counter is missing, empty or damaged (deleted
 * by hand, a crash while it was rewritten), from the highest number every run folder records. So a
 * lost or stale counter never gives out a number lower than a run's already there (a review). A
 * counter that cannot be written fails the arming (metaLine), naming it. Builtins only; with the
 * counter, only the metas newer than it are read (the last run's, usually).
 */
export function nextArmSeq(name: string): string {
  return [
    `${name}=; read -r ${name} 2>/dev/null < ${ARM_SEQ_FILE}`,
    `tq_sa=1; case $${name} in ''|*[!0-9]*) ${name}=0; tq_sa=;; esac`,
    `for tq_so in ${RUNS_DIR}/*/meta; do [ -z "$tq_sa" ] || [ "$tq_so" -nt ${ARM_SEQ_FILE} ] || continue; ${readRunSeq('"$tq_so"', 'tq_sv')}; [ -n "$tq_sv" ] && [ "$tq_sv" -gt "$${name}" ] && ${name}=$tq_sv; done`,
    `${name}=$((${name} + 1))`,
    `{ printf '%s\\n' "$${name}" > ${ARM_SEQ_FILE}; } 2>/dev/null`,
    `tq_sc=; read -r tq_sc 2>/dev/null < ${ARM_SEQ_FILE}`,
    `[ "$tq_sc" = "$${name}" ]`,
  ].join('; ');
}

/** Digits a `seq=` is zero-padded to, so that a plain `sort` orders them. */
export const SEQ_DIGITS = 19;

/**
 * Shell: sets `$name` to the ids of the `limit` runs armed last on this router, oldest first, by
 * their `seq=` (a run without one, an older teqlctl's or a folder teqlctl's rollback made: 0, then
 * by id). By id alone, a controller whose clock was behind another's made runs that fell out of
 * `teqlctl status`'s ten (its armed timer unseen: "no timer armed"), a review found. Builtins, and
 * one `sort` and `tail`.
 */
export function latestRunsLines(limit: number, name: string): string {
  const pad = '0'.repeat(SEQ_DIGITS);
  return [
    `tq_ol=; for tq_od in ${RUNS_DIR}/*/; do tq_od=\${tq_od%/}; [ -d "$tq_od" ] || continue; ${readRunSeq('"$tq_od/meta"', 'tq_os')}; tq_oz=${pad}\${tq_os:-0}; tq_ol="$tq_ol\${tq_oz#"\${tq_oz%${'?'.repeat(SEQ_DIGITS)}}"} \${tq_od##*/}"'`,
    `'; done`,
    `${name}=$(printf '%s' "$tq_ol" | sort | tail -n ${limit} | while read -r tq_os tq_oi; do printf '%s ' "$tq_oi"; done)`,
  ].join('\n');
}
