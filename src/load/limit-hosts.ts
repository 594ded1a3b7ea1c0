// The hosts --limit selects, its @files read once for the selection and its ! terms alike.
import type { SourcePos } from '../errors.js';
import { excludedBy, matchTerms, PatternError } from './host-pattern.js';
import { limitErrorPos, limitTermsAt } from './limit-terms.js';
import type { Problems } from './problems.js';
import type { Inventory } from './types.js';

/** The hosts --limit's `!` terms exclude (none when the pattern is bad: limitHosts said so). */
export function excludedHosts(inventory: Inventory, terms: readonly string[] | undefined): Set<string> {
  try {
    return terms ? excludedBy(terms, inventory) : new Set();
  } catch {
    return new Set();
  }
}

/** The hosts --limit selects, and its terms: an @file is read once, for the selection and its ! terms alike. */
export function limitHosts(inventory: Inventory, limit: string[] | undefined, problems: Problems): { limited: Set<string>; terms?: string[] } {
  if (!limit || limit.length === 0) return { limited: new Set(inventory.hosts.keys()) };
  let at = new Map<string, SourcePos>();
  try {
    const read = limitTermsAt(limit);
    at = read.at;
    return { limited: new Set(matchTerms(read.terms, inventory)), terms: read.terms };
  } catch (err) {
    if (!(err instanceof PatternError)) throw err;
    problems.add(`--limit: ${err.message}`, limitErrorPos(err, at), err.hint);
    return { limited: new Set() };
  }
}
