// The entries of a YAML mapping of hosts or groups as YAML (and so Ansible) reads them: a merge key
// (`<<: *routers`, or a list of aliases) brings in the merged mappings' entries, the mapping's own
// keys winning; it is not a host or a group named "<<". A key that YAML reads as something other
// than a string (010, 0x1F, 1.10, ~) is refused, as Ansible refuses it, rather than renamed
// (10, 31, 1.1, null).
import { isMap, isScalar, isSeq, YAMLMap, type Node, type Pair } from 'yaml';
import type { Problems } from './problems.js';
import { shown } from './shown.js';
import { deref, keyText, posOf, type YamlFile } from './source.js';
import { yaml11NotText } from './yaml11-readings.js';

export interface NamedPair {
  name: string;
  key: Node;
  value: unknown;
}

function isMergeKey(key: unknown): boolean {
  return isScalar(key) && typeof key.value === 'symbol' && keyText(key) === '<<';
}

/** `what`: what the keys name ("host", "group"), for the refusal of a key that is not a string. */
export function mappingPairs(y: YamlFile, map: YAMLMap, what: string, problems: Problems): NamedPair[] {
  const own: NamedPair[] = [];
  const merged: NamedPair[] = [];
  for (const pair of map.items) {
    if (isMergeKey(pair.key)) {
      const source = deref(y, pair.value);
      // Earlier mappings of a merge list win over later ones, as YAML's merge defines it.
      const sources = isSeq(source) ? source.items.map((i) => deref(y, i)) : [source];
      for (const s of sources) {
        if (!isMap(s)) {
          problems.add(`a merge key (<<) in these ${what}s must name a mapping (an alias such as *${what}s), not ${shown(String(keyText(s)))}`, posOf(y, pair.key as Node), 'write `<<: *anchor` of a mapping, or list the entries');
          continue;
        }
        for (const m of mappingPairs(y, s, what, problems)) if (!merged.some((x) => x.name === m.name)) merged.push(m);
      }
      continue;
    }
    const key = pair.key as Node;
    if (isScalar(key) && typeof key.value !== 'string') {
      const text = key.source ?? String(key.value);
      problems.add(`${what} name ${shown(text)} is not a string: YAML reads it as ${key.value === null ? 'null' : `the ${typeof key.value} ${String(key.value)}`}`, posOf(y, key), `quote it: "${text}": (Ansible refuses it too)`);
      continue;
    }
    // `on`, `yes`, `1_0`, `1:20`: text to YAML 1.2, not to Ansible's YAML 1.1, which refuses them
    // as names (and `1:20` would be host 1 on port 20 here).
    const old = isScalar(key) ? yaml11NotText(key) : undefined;
    if (old !== undefined) {
      const text = keyText(key);
      problems.add(`${what} name ${shown(text)} is not a string to Ansible: YAML 1.1 reads it as ${old}`, posOf(y, key), `quote it: "${text}": (Ansible refuses it unquoted)`);
      continue;
    }
    own.push({ name: keyText(key), key, value: pair.value });
  }
  // Merged first, then the mapping's own (as PyYAML lays a merged mapping out): an own key replaces
  // a merged one of the same name.
  return [...merged.filter((m) => !own.some((o) => o.name === m.name)), ...own];
}

/**
 * A play's or a task's mapping with its merge keys applied, as YAML (PyYAML, so Ansible) reads them:
 * the merged mappings' entries first, the mapping's own replacing one of the same key. The pairs
 * are the file's own nodes (their places stay right); the mapping itself where it has no merge key.
 * Until 2026-12-06 `<<` there read as a play keyword or a module named "<<" (a review).
 */
export function mergedMap(y: YamlFile, map: YAMLMap, problems: Problems): YAMLMap {
  if (!map.items.some((p) => isMergeKey(p.key))) return map;
  const own: Pair[] = [];
  const merged: Pair[] = [];
  const has = (list: Pair[], p: Pair) => list.some((x) => keyText(x.key) === keyText(p.key));
  for (const pair of map.items) {
    if (!isMergeKey(pair.key)) {
      own.push(pair as Pair);
      continue;
    }
    const source = deref(y, pair.value);
    // Earlier mappings of a merge list win over later ones, as YAML's merge defines it.
    for (const s of isSeq(source) ? source.items.map((i) => deref(y, i)) : [source]) {
      if (!isMap(s)) {
        problems.add(`a merge key (<<) must name a mapping (an alias such as *defaults), not ${shown(String(keyText(s)))}`, posOf(y, pair.key as Node), 'write `<<: *anchor` of a mapping, or write the entries out');
        continue;
      }
      for (const m of mergedMap(y, s, problems).items) if (!has(merged, m as Pair)) merged.push(m as Pair);
    }
  }
  const out = new YAMLMap();
  out.range = map.range;
  out.items = [...merged.filter((m) => !has(own, m)), ...own];
  return out;
}
