// Ansible host patterns: names, groups, all, `a:b` or `a,b` unions, `&` intersections, `!` exclusions,
// fnmatch globs (`*`, `?`, `[a-z]`, `[!a]`) and subscripts (`routers[0]`, `routers[1:]`).

export { PatternError };
import { fnmatch, isGlob } from './fnmatch.js';
import { parseAddress } from './parse-address.js';
import { PatternError } from './pattern-error.js';
import { applySubscript, splitSubscript } from './pattern-subscript.js';
import { splitHostPattern } from './split-pattern.js';
import type { Inventory } from './types.js';

const SYNTAX_HINT = 'patterns: host, group, all, *, glob*, router_[ab], group[0], group[1:3], a:b or a,b (union), a:&b (and), a:!b (except)';

/** Host names matched by `pattern`, in the order Ansible gives them. Every term must match something. */
export function matchPattern(pattern: string | readonly string[], inv: Inventory): string[] {
  const whole = typeof pattern === 'string' ? [pattern] : pattern;
  // Said for what they are, not as names that match no host.
  const templated = whole.find((p) => p.includes('{{') || p.includes('{%'));
  if (templated !== undefined) throw new PatternError(`templates are not supported in host patterns: '${templated}'`, 'name the hosts or groups (e.g. hosts: routers), and narrow a run with --limit');
  const retry = whole.find((p) => p.trim().startsWith('@'));
  if (retry !== undefined) throw new PatternError(`'${retry}': a host list read from a file (@file, Ansible's retry files) is taken by --limit only`, 'name the hosts or groups here, or give the file with -l @file');
  // Cut as Ansible cuts it: 'a:b,c' is 'a:b' and c, 'r1 r2' two terms, an IPv6 address one.
  return matchTerms(splitHostPattern(whole), inv);
}

/** Host names matched by terms already cut (--limit's: limit-terms.ts), in the order Ansible gives them. */
export function matchTerms(terms: readonly string[], inv: Inventory): string[] {
  if (terms.length === 0) throw new PatternError('empty host pattern', SYNTAX_HINT);
  // As Ansible: unions first, then intersections, then exclusions, whatever the written order.
  const plain = terms.filter((t) => !t.startsWith('&') && !t.startsWith('!'));
  const and = terms.filter((t) => t.startsWith('&')).map((t) => t.slice(1));
  const not = terms.filter((t) => t.startsWith('!')).map((t) => t.slice(1));
  // In Ansible's order, which a play's hosts and its serial: batches follow: each union term's hosts
  // in the written order (a group's as groups['g'] lists them), each host where it first appears;
  // & and ! only take hosts out.
  const selected = new Set<string>();
  for (const t of plain.length ? plain : ['all']) matchTerm(t, inv).forEach((h) => selected.add(h));
  for (const t of and) {
    const keep = new Set(matchTerm(t, inv));
    for (const h of selected) if (!keep.has(h)) selected.delete(h);
  }
  for (const t of not) matchTerm(t, inv, true).forEach((h) => selected.delete(h));
  if (selected.size === 0) throw new PatternError(`host pattern '${terms.join(':')}' leaves no host`, 'check the & and ! terms');
  return [...selected];
}

/**
 * The hosts the pattern's `!` terms name: excluded on purpose, so never added back (a bundle's
 * other end is added to a --limit, except one of these). Call after matchPattern accepted it.
 */
export function excludedBy(terms: readonly string[], inv: Inventory): Set<string> {
  return new Set(terms.filter((t) => t.startsWith('!')).flatMap((t) => matchTerm(t.slice(1), inv, true)));
}

/** `excluding`: a `!` term, where Ansible's implicit localhost is a name that takes nothing out. */
function matchTerm(term: string, inv: Inventory, excluding = false): string[] {
  if (term.startsWith('~')) throw new PatternError(`regular-expression host patterns are not supported: '${term}'`, SYNTAX_HINT);
  const { expr, subscript } = splitSubscript(term);
  const hosts = enumerate(expr, inv, excluding, term);
  // As Ansible: the subscript takes positions of what the term matched, duplicates and all, then
  // each host is kept once.
  return [...new Set(subscript ? applySubscript(term, expr, hosts, subscript) : hosts)];
}

/** What `term` (no subscript) matches, in Ansible's order: hosts of matching groups, then matching hosts. */
function enumerate(term: string, inv: Inventory, excluding: boolean, shown: string): string[] {
  if (term === '') throw new PatternError("'&' or '!' must be followed by a host or group", SYNTAX_HINT);
  if (term === 'all') return inv.groups.get('all') ?? [...inv.hosts.keys()];
  const group = inv.groups.get(term);
  if (group) return group;
  if (inv.hosts.has(term)) return [term];
  const found: string[] = [];
  // A glob that names an empty group matches it, as the group's own name does (Ansible: no warning).
  let groupMatched = false;
  if (isGlob(term)) {
    // Groups in the order Ansible made them: all and ungrouped first (it makes them when it starts).
    // `*` too, as Ansible: every group's hosts then every host, so that `*[1:]` takes positions of
    // that list (the first host comes back from a later group), as there.
    const groups = ['all', 'ungrouped', ...[...inv.groups.keys()].filter((g) => g !== 'all' && g !== 'ungrouped')];
    for (const g of groups.filter((name) => fnmatch(term, name))) {
      groupMatched = true;
      found.push(...(inv.groups.get(g) ?? []));
    }
    for (const h of inv.hosts.keys()) if (fnmatch(term, h)) found.push(h);
  }
  // Ansible runs these on its own machine when the inventory lacks them; teqlctl changes routers only.
  // `all:!localhost`, a habit to keep a play off the control machine, excludes nothing here, as
  // there (its `all` never holds the implicit localhost): no typo can hide behind it.
  if (found.length === 0 && ['localhost', '127.0.0.1', '::1'].includes(term)) {
    if (excluding) return [];
    throw new PatternError(`host pattern '${term}' matches no host or group: Ansible's implicit localhost (the machine it runs on) is not a host to teqlctl`, 'name the routers to change, or add the router as a host of the inventory');
  }
  if (found.length === 0 && !groupMatched) {
    const groups = [...inv.groups.keys()].join(', ');
    const hosts = [...inv.hosts.keys()].join(', ');
    // 'a:b' left whole: the pattern held ',' (Ansible then splits on ',' only), or is an address to Ansible.
    // A subscript Ansible does not read as one ([0:-1], [:1], [-1:]) is a name to it too: no ',' to suggest (a review).
    const subscript = /\[[^\]]*\]$/.test(term) ? `'${term}' is one name to Ansible: a subscript is [N] (N may be negative), [N:M] or [N:] with N and M from 0; ` : '';
    const joined = subscript || (term.includes(':') && !parseAddress(term) ? `'${term}' is one name, as Ansible cuts a pattern holding ',' on ',' only: write ${term.replace(/:/g, ',')}; ` : '');
    throw new PatternError(`host pattern '${shown}' matches no host or group`, `${joined}groups: ${groups}; hosts: ${hosts}`);
  }
  return found;
}
