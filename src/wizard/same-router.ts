// The same router given as A and as B: the loader's same-target check then failed in the preview,
// naming a deleted temporary file (a review). Caught at B's answers, by the spelling of the place
// (as the loader compares it), and once both are read, by what answered (a name and an address of
// one machine, two ports forwarded to it).
import { sameHost } from '../load/same-target.js';
import type { Facts } from '../gather/facts.js';
import type { RouterAnswers } from './model.js';

/** One spelling per place, as the loader's same-target check compares hosts. */
export const hostKey = sameHost;

/** Do two routers' answers connect to one place? */
export function samePlace(x: RouterAnswers, y: RouterAnswers): boolean {
  return hostKey(x.host) === hostKey(y.host) && x.port === y.port;
}

/** Why A and B, as read, are one machine (its boot id and links), if they are. */
export function sameMachine(a: { answers: RouterAnswers; facts: Facts }, b: { answers: RouterAnswers; facts: Facts }): string | undefined {
  if (a.facts.identity === undefined || a.facts.identity !== b.facts.identity) return undefined;
  const where = (r: RouterAnswers) => `${r.host}:${r.port}`;
  return `${where(b.answers)} answered as the same machine as router A at ${where(a.answers)} (the same boot id and links): give the other router as B`;
}
