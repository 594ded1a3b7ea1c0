// A key of a link_addresses entry that nothing reads is a setting silently ignored: `mtu: 9000`
// beside a link's address set no MTU, and the run said nothing (a review). The host variable may
// carry keys of a user's own playbook (teql_bundles' entries may not: bundle-ends.ts), so a key is
// noted, not refused, when neither this run's playbook nor a variable's value reads it as an
// attribute (`item.mtu`, `item['mtu']`, `map(attribute='mtu')`).
import type { VarLayer } from './scope.js';

/** The keys teqlctl itself reads from an entry. */
const OWN_KEYS = new Set(['dev', 'address']);

// `x.name` (not a number's decimals), `x['name']`, and a filter's `attribute='name'`.
const ATTRIBUTE = /(?<=[\w\])])\s*\.\s*([A-Za-z_]\w*)|\[\s*(['"])([^'"]+)\2\s*\]|attribute\s*=\s*(['"])([^'"]+)\4/g;

/** Every attribute name a template or condition in `value` reads: over-counted, never missed. */
function readAttributes(value: unknown, out: Set<string>, seen: WeakSet<object>): void {
  if (typeof value === 'string') {
    for (const m of value.matchAll(ATTRIBUTE)) out.add(m[1] ?? m[3] ?? m[5]!);
    return;
  }
  if (value === null || typeof value !== 'object' || seen.has(value)) return;
  seen.add(value);
  for (const v of Array.isArray(value) ? value : Object.values(value)) readAttributes(v, out, seen);
}

export interface EntryKeySources {
  /** The playbook as parsed. */
  playbook: unknown;
  /** Every layer of variables the run holds: the hosts' inventory variables, the plays' vars, -e. */
  layers: readonly VarLayer[];
}

/** A note for each key of a link_addresses entry that nothing in this run reads, once per place it is set. */
export function unreadEntryKeyNotes(sources: EntryKeySources): string[] {
  const read = new Set<string>();
  const seen = new WeakSet<object>();
  readAttributes(sources.playbook, read, seen);
  for (const layer of sources.layers) readAttributes(layer.values, read, seen);
  const notes = new Map<string, string>();
  for (const layer of sources.layers) {
    const list = layer.values.link_addresses;
    const origin = layer.origins.get('link_addresses');
    if (!Array.isArray(list) || !origin) continue;
    for (const entry of list) {
      if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) continue;
      for (const key of Object.keys(entry)) {
        if (OWN_KEYS.has(key) || read.has(key)) continue;
        const where = `${origin.where}`;
        const id = `${key}\u0000${origin.pos.file}:${origin.pos.line}`;
        if (!notes.has(id)) notes.set(id, `link_addresses' key ${key} (${where}) is read by nothing in this run: it changes nothing (an entry gives dev and address; a playbook of your own may read more)`);
      }
    }
  }
  return [...notes.values()];
}
