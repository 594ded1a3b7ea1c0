// The boot a run was armed in. A dead-man's timer does not outlive a reboot, and a reboot undoes
// every kernel change of a run: so whether a run's boot is this one decides who may still act on it
// (its own timer and controller in this boot; the boot script, once, in the next). Recorded in the
// run's meta as `boot=` (the kernel's boot_id), read back by the shell's own `read`: no process.
import { BOOT_ID_FILE } from './paths.js';

/** Shell: sets `$name` to the current boot's id (empty where the kernel does not say). */
export function readBootId(name: string): string {
  return `${name}=; read -r ${name} 2>/dev/null < ${BOOT_ID_FILE}`;
}

/**
 * Shell: sets `$name` to the boot the run in folder `dir` (a shell word) was armed in, from its
 * meta file; empty for a run armed by a teqlctl that did not record it, or without a meta file.
 */
export function readRunBoot(dir: string, name: string): string {
  return `${name}=; while IFS= read -r tq_ml || [ -n "$tq_ml" ]; do case $tq_ml in boot=*) ${name}=\${tq_ml#boot=};; esac; done 2>/dev/null < ${dir}/meta`;
}

/**
 * Shell condition: the run was armed in an earlier boot than this one. False when either boot is
 * unknown (an older run, a kernel without boot_id): the caller then acts as it did before runs
 * recorded their boot.
 */
export function armedInEarlierBoot(runBoot: string, bootNow: string): string {
  return `{ [ -n "$${runBoot}" ] && [ -n "$${bootNow}" ] && [ "$${runBoot}" != "$${bootNow}" ]; }`;
}
