// What the user reads when an apply stopped before its first step (the router's ARM_FAILED line).
// Only a failed write hints at a full or read-only /var/lib/teqlctl: a run decided meanwhile (a
// rollback before arming, a dead-man that fired between phases) or a router without a timer is
// said as it is, not as a disk problem.

/** The reason the router gave (after the marker) as the sentence teqlctl reports. */
export function armRefusal(reason: string): string {
  // A later phase of a run decided meanwhile, or a step whose journal line was refused: the
  // dead-man was armed (or the run rolled back), nothing of this batch applied.
  if (/^run \S+ is no longer pending here|^step \d+ not started|before it was armed/.test(reason)) return reason;
  if (/^cannot (create|write) |are empty$/.test(reason)) return `cannot arm the dead-man: ${reason} (is /var/lib/teqlctl full or read-only?)`;
  return `cannot arm the dead-man: ${reason}`;
}
