// The runs armed on this router after a given run (the router's own count, arm-order.ts) and
// confirmed: an undo of that run would put back values from before it beneath them. Read by
// `teqlctl rollback`'s lock step (deadman/later-runs.ts) and where a confirmed run's lock is taken
// back (lock.ts): a run that took the lock and freed it again meanwhile leaves only this trace.
import { RUNS_DIR } from './paths.js';

/**
 * Shell: sets `$name` to the ids (space-led) of the runs armed after the run in folder `dir` (a
 * shell word) and confirmed; empty when none, or when that run has no number (an older teqlctl's).
 * Builtins only.
 */
export function laterConfirmedLines(dir: string, name: string): string {
  return [
    `tq_lq=; while IFS= read -r tq_l || [ -n "$tq_l" ]; do case $tq_l in seq=*) tq_lq=\${tq_l#seq=};; esac; done 2>/dev/null < ${dir}/meta`,
    `${name}=`,
    `case $tq_lq in ''|*[!0-9]*) ;; *) for tq_lm in ${RUNS_DIR}/*/meta; do`,
    '  tq_lo=; while IFS= read -r tq_l || [ -n "$tq_l" ]; do case $tq_l in seq=*) tq_lo=${tq_l#seq=};; esac; done 2>/dev/null < "$tq_lm"',
    '  case $tq_lo in \'\'|*[!0-9]*) continue;; esac; [ "$tq_lo" -gt "$tq_lq" ] || continue',
    '  tq_ls=; read -r tq_ls 2>/dev/null < "${tq_lm%/meta}/state"; [ "$tq_ls" = confirmed ] || continue',
    `  tq_li=\${tq_lm%/meta}; ${name}="$${name} \${tq_li##*/}"`,
    'done;; esac',
  ].join('\n');
}
