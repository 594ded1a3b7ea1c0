// A YAML mapping's pairs as its reader takes them: its own keys, then those its merge keys (`<<: *a`,
// `<<: [*a, *b]`) bring that it does not set itself, the first merged mapping winning. What is read
// of the nodes themselves (a plain yes/no, a number YAML 1.1 reads otherwise) must follow the same
// pairs as the values: a value brought by `<<` was not looked at (a review).
import { isMap, isPair, isScalar, isSeq, type YAMLMap } from 'yaml';

/** `[key as text, value node]` of `map`, merges resolved; `resolve` takes an alias to its node. */
export function mergedPairs(map: YAMLMap, resolve: (node: unknown) => unknown): Array<[string, unknown]> {
  const out = new Map<string, unknown>();
  const merges: unknown[] = [];
  for (const p of map.items) {
    if (!isPair(p)) continue;
    const key = keyOf(p.key);
    if (key === '<<') merges.push(p.value);
    else if (key !== undefined && !out.has(key)) out.set(key, p.value);
  }
  for (const m of merges) {
    const source = resolve(m);
    for (const each of isSeq(source) ? source.items.map(resolve) : [source]) {
      if (!isMap(each)) continue;
      for (const [key, value] of mergedPairs(each, resolve)) if (!out.has(key)) out.set(key, value);
    }
  }
  return [...out];
}

/** As source.ts keyText: the merge key is a symbol inside yaml, read as '<<'. */
function keyOf(key: unknown): string | undefined {
  if (key === null || key === undefined) return undefined;
  const v = isScalar(key) ? key.value : key;
  return typeof v === 'symbol' ? (v.description ?? '') : String(v);
}
