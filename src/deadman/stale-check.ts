// The stale check of a run's first apply on a router: under the lock, before anything is written,
// the router is hashed again as its facts read was. Where it changed, the script prints what it
// holds now, frees the lock and stops: the controller plans again from that, and sends the apply
// again where the plan is the same (play/stale-replan.ts), or refuses the run there as stale.
import { fingerprintScript, staleFactsLines } from '../gather/script.js';
import { STALE_MARKER } from '../router/markers.js';
import { releaseLockLine } from '../router/lock.js';

/** Shell lines, under the lock of run `runId`: stop (exit 3) with the facts now unless they hash to `fingerprint`. */
export function staleCheck(runId: string, fingerprint: string, sysctls: readonly string[], held: readonly string[]): string[] {
  if (!/^[0-9a-f]*$/.test(fingerprint)) throw new Error(`not a fingerprint: ${fingerprint}`);
  return [
    fingerprintScript(sysctls, held),
    // The first arm's signals, ignored until its timer is set (arm-script.ts), are restored: nothing
    // of the run is written, and the reads after the lock may be stopped.
    `if [ "$fp" != '${fingerprint}' ]; then echo "${STALE_MARKER} $fp"; ${releaseLockLine(runId)}; trap - HUP PIPE TERM; ${staleFactsLines(sysctls, held)}; exit 3; fi`,
  ];
}
