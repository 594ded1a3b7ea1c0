// The routes the facts list whoever keeps them, by iproute2's own selectors (a routing daemon's
// routes are not among the facts' routes: route-fact.ts OWN_PROTOCOLS). Chosen by the tasks
// (plan/facts-needed.ts heldSelectors); listed by the facts script, and given back what the
// listing left out.
/* eslint-disable @typescript-eslint/no-explicit-any */

/** What a run's tasks may ask listed: safe on a shell line (digits, dots, a slash). */
const SELECTOR = /^(exact (default|[0-9.]+\/[0-9]+)|src [0-9.]+|match [0-9.]+)$/;

/** The valid selectors of `selectors`, once each, in order. */
export function validSelectors(selectors: readonly string[]): string[] {
  return [...new Set(selectors)].filter((s) => SELECTOR.test(s));
}

/**
 * Whether the plan's decision rests on the listing (`exact`: the route a route task replaces; `src`:
 * the routes an address's removal takes with it): in the fingerprint, so a daemon's change there
 * between the facts and the apply refuses the run as stale (a review). `match` listings (the
 * session's path, a check's) are volatile: the dead-man covers a session cut, a check fails.
 */
export function isHashedSelector(selector: string): boolean {
  return !selector.startsWith('match ');
}

/** `route show SELECTOR` lines for an `ip -batch`, from printf (no line where there is none). */
export function listingLines(selectors: readonly string[]): string {
  return selectors.length > 0 ? ` printf 'route show %s\\n' ${selectors.map((s) => `'${s}'`).join(' ')};` : '';
}

/** A listing's routes, given back what iproute2 left out of them: a `src` listing's source. */
export function selectedRoutes(selector: string, routes: readonly any[]): any[] {
  const src = /^src (\S+)$/.exec(selector)?.[1];
  return src === undefined ? [...routes] : routes.map((r) => (r.prefsrc === undefined ? { ...r, prefsrc: src } : r));
}
