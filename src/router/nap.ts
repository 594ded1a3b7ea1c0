// The scripts' short waits (a decision being recorded, a process ending). `sleep 0.1` fails on a
// BusyBox built without FLOAT_DURATION, OpenWrt's default: the fallback `sleep 1` then made every
// bounded wait ten times longer (a rollback's 60 s wait for a revert, 600 s: past its round trip's
// bound), found by a review. Counted in tenths of a second, what the nap really slept, so that a
// bound is the same time either way (in whole seconds there).

/** Shell: naps `tenths` of a second (a whole second where sleep takes no fraction); `$tq_dt`: the tenths slept. */
export function napLine(tenths = 1): string {
  if (!Number.isInteger(tenths) || tenths < 1 || tenths > 9) throw new Error(`napLine: ${tenths} tenths (1 to 9)`);
  return `if sleep 0.${tenths} 2>/dev/null; then tq_dt=${tenths}; else sleep 1; tq_dt=10; fi`;
}
