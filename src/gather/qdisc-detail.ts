// The facts' qdisc_detail section: what hangs under a root qdisc (its qdiscs, classes, filters), read
// only for the devices whose root qdisc a run may replace or put back, as the tasks name them
// (plan/facts-needed.ts). Each device read costs three tc processes, and each of them pulls every
// link from the kernel: read for every shaped device, a router with 4,002 links of which 1,000
// shaped took 110 s per facts read (docs/deadman.md "A router with thousands of interfaces").
import { shellQuote } from '../router/shell-quote.js';

/** A device the tasks ask the detail of: an interface name as the loader takes it (no whitespace, /, :). */
const QDISC_SELECTOR = /^qdisc ([!-~]{1,15})$/;

/** The selector asking the detail of `dev`'s root qdisc. */
export function qdiscSelector(dev: string): string {
  return `qdisc ${dev}`;
}

/** The devices `selectors` ask the detail of, once each, sorted (one script for the same tasks). */
export function detailDevices(selectors: readonly string[]): string[] {
  const devs = selectors.map((s) => QDISC_SELECTOR.exec(s)?.[1]).filter((d): d is string => d !== undefined && !/[/:]/.test(d));
  return [...new Set(devs)].sort();
}

/**
 * The section's command: one `tc qdisc show` (one process), then for each asked device whose root
 * qdisc is not the kernel's default nor teql's, its qdiscs, classes and filters as text (tc prints
 * htb classes as text only, even with -j). Nothing is run where no device is asked.
 */
export function qdiscDetailCommand(selectors: readonly string[]): string {
  const devs = detailDevices(selectors);
  if (devs.length === 0) return ':';
  const asked = devs.map(shellQuote).join('|');
  return `tc qdisc show | while read -r _ kind handle _ d where _; do [ "$where" = root ] && [ "$handle" != 0: ] || continue; case $d in ${asked}) ;; *) continue;; esac; case $kind in teql*) continue;; esac; printf '@@dev %s\\n' "$d"; tc -d qdisc show dev "$d"; echo @@class; tc -d class show dev "$d"; echo @@filter; tc -d filter show dev "$d"; done`;
}
