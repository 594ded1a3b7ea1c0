// The boot script a teardown leaves on a router until its run is confirmed. A teardown removes
// teqlctl's boot files; had it removed the boot script and what starts it (the unit and its
// enablement, OpenRC's local.d file, the if-up.d hook) at once, a router restarted inside the
// confirmation window would come back with nothing to revert the unconfirmed run: torn down, its
// run pending for ever. So those stay, the script reduced to the revert of pending runs; the
// confirmation runs it with `retire`, which removes them (confirm-script.ts). A retiring script
// that finds nothing to revert at boot retires itself too (a confirmation cut before it could).
import type { BootFileFact, Facts } from '../../gather/facts.js';
import { RETIRING_MARK } from '../../router/markers.js';
import { BOOT_DIR, BOOT_SCRIPT, BOOT_STARTERS, BOOT_UNIT, RUNS_DIR } from '../../router/paths.js';
import { shellQuote } from '../../router/shell-quote.js';
import { revertPendingRuns, withSelfId } from './boot-script.js';

/** The files that start the boot script, of those on the router. */
export function startersOf(files: readonly BootFileFact[]): string[] {
  return BOOT_STARTERS.filter((p) => files.some((f) => f.path === p));
}

export function isRetiring(f: BootFileFact | undefined): boolean {
  return f !== undefined && f.symlink === undefined && (f.content ?? '').split('\n').includes(RETIRING_MARK);
}

/** The files a retiring boot script removes once its run is confirmed: itself and its starters. */
export function retiringFiles(files: readonly BootFileFact[]): string[] {
  return isRetiring(files.find((f) => f.path === BOOT_SCRIPT)) ? [BOOT_SCRIPT, ...startersOf(files)] : [];
}

/** The facts once the confirmation retired the boot script (what the run records as its end state). */
export function afterConfirmation(facts: Facts): Facts {
  const gone = retiringFiles(facts.boot?.files ?? []);
  if (gone.length === 0 || !facts.boot) return facts;
  return { ...facts, boot: { ...facts.boot, files: facts.boot.files.filter((f) => !gone.includes(f.path)) } };
}

/** `starters`: the files that run it at boot today, removed with it. */
export function retiringScript(host: string, starters: readonly string[]): string {
  const systemd = starters.includes(BOOT_UNIT);
  // In this order: what starts the script first, then the script (rm takes its operands in turn).
  const retire = `rm -f ${[...starters, BOOT_SCRIPT].map(shellQuote).join(' ')} && { rmdir ${BOOT_DIR} 2>/dev/null; true; }`;
  return withSelfId([
    '#!/bin/sh',
    `# Written by teqlctl for ${host}: a teardown's, until its run is confirmed. At boot it reverts`,
    '# a run a restart left pending (the teardown, whose undo writes the boot files back); once the',
    '# run is confirmed, it is removed with what starts it. Change the playbook instead.',
    RETIRING_MARK,
    'export LANG=C LC_ALL=C',
    // `retire`: the confirmation's, after it recorded the run confirmed. systemd is told the unit
    // is gone (not at boot: a reload from a unit of the boot transaction can hold it up).
    `if [ "\${1:-}" = retire ]; then ${retire}${systemd ? ' && { ! command -v systemctl >/dev/null 2>&1 || [ ! -d /run/systemd/system ] || systemctl daemon-reload || true; }' : ''}; exit $?; fi`,
    'failed=0',
    ...revertPendingRuns(),
    // Nothing reverted, and no run is pending or being undone: the teardown was confirmed (its
    // confirmation cut before it could retire this script). Its work is done.
    // An empty state counts as open (a power cut between a decider's truncation and its write).
    `tq_open=0; for tq_s in ${RUNS_DIR}/*/state; do [ -f "$tq_s" ] || continue; case "$(cat "$tq_s" 2>/dev/null)" in pending|reverting|rolling-back|'') tq_open=1;; esac; done`,
    `if [ $tq_open = 0 ]; then ${retire} || failed=1; fi`,
    'exit $failed',
    '',
  ].join('\n'));
}
