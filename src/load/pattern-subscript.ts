// A host pattern's subscript, as Ansible's InventoryManager reads one (_split_subscript and
// _apply_subscript): `routers[0]` the first host the term matches, `routers[-1]` the last,
// `routers[0:9]` the first ten (both ends counted), `routers[10:]` from the 11th on. A canary
// rollout's habit: `-l 'branches[0]'`, then `-l 'branches[1:]'`.
import { PatternError } from './pattern-error.js';

const WITH_SUBSCRIPT = /^(.+)\[(?:(-?[0-9]+)|([0-9]+)([:-])([0-9]*))\]$/s;

export type Subscript = { index: number } | { start: number; end: number | undefined };

/** The term without its subscript, and the subscript (undefined when it has none). */
export function splitSubscript(term: string): { expr: string; subscript?: Subscript } {
  const m = WITH_SUBSCRIPT.exec(term);
  if (!m) return { expr: term };
  const [, expr, index, start, sep, end] = m;
  if (index !== undefined) return { expr: expr!, subscript: { index: Number(index) } };
  // Ansible still reads [x-y] as positions x to y, warning that the form "has been removed": a
  // reader of r[1-3] expects hosts r1 to r3 (a glob class), so it is refused here, either way.
  if (sep === '-') {
    throw new PatternError(
      `'${term}': Ansible reads [${start}-${end}] as the positions ${start} to ${end} of what '${expr}' matches (a form it says was removed), not as a class of characters`,
      `write ${expr}[${start}:${end}] for those positions (both ends counted), or name the hosts (a glob class of digits cannot end a pattern: Ansible takes it for a subscript)`,
    );
  }
  return { expr: expr!, subscript: { start: Number(start), end: end === '' ? undefined : Number(end) } };
}

function positions(hosts: readonly string[]): string {
  return hosts.length === 1 ? 'one host, at position 0' : `${hosts.length} hosts, at positions 0 to ${hosts.length - 1} (or -1 to -${hosts.length} from the end)`;
}

/** The hosts `subscript` selects of `hosts` (what its term matched, in Ansible's order); refused when it selects none. */
export function applySubscript(term: string, expr: string, hosts: readonly string[], subscript: Subscript): string[] {
  // An empty group's name matches, with no host: no position to take (Ansible: none, no error).
  if (hosts.length === 0) return [];
  if ('index' in subscript) {
    const i = subscript.index < 0 ? hosts.length + subscript.index : subscript.index;
    if (i < 0 || i >= hosts.length) throw new PatternError(`host pattern '${term}' matches no host: '${expr}' matches ${positions(hosts)}`, 'give a position inside that range');
    return [hosts[i]!];
  }
  const { start } = subscript;
  const end = subscript.end ?? hosts.length - 1;
  // Ansible's [3:0] is hosts[3] (its end 0 reads as no end) and [3:1] none: a range written
  // backwards is a slip, said so.
  if (subscript.end !== undefined && end < start) throw new PatternError(`host pattern '${term}' is a range that ends before it starts`, `write ${expr}[${end}:${start}]`);
  const picked = hosts.slice(start, end + 1);
  if (picked.length === 0) throw new PatternError(`host pattern '${term}' matches no host: '${expr}' matches ${positions(hosts)}`, 'give positions inside that range');
  return picked;
}
