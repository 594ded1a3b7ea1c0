// Where a variable's value comes from a plain YAML value Ansible (YAML 1.1) reads otherwise: its
// own (`ansible_port: 010`) or one a template of it reads (`ansible_port: "{{ p }}"`, `p: 010`;
// `"{{ conn.port }}"`, `conn: { port: 010 }`): it renders otherwise in Ansible (a review found the
// template route passed, then its attributes and indexes).
import type { VarScope } from './scope.js';
import type { Yaml11Reading } from './yaml11-readings.js';

// A name and the keys and literal indexes after it (`conn.port`, `ports[0]`, `m['k']`); a filter
// or a method is over-counted as a name, never a variable's key missed. Not after a dot.
const REFERENCE = /(?<![.\w])([A-Za-z_]\w*)((?:\.[A-Za-z_]\w*|\[\s*(?:\d+|'[^']*'|"[^"]*")\s*\])*)/g;

/** `.port`, `[0]`, `['k']` as a path of yaml11ReadingsIn (`['k']` is `.k`). */
function pathOf(text: string): string {
  return text.replace(/\[\s*(?:'([^']*)'|"([^"]*)")\s*\]/g, (_, a?: string, b?: string) => `.${a ?? b}`).replace(/\[\s*(\d+)\s*\]/g, '[$1]');
}

/** A reading at `path` of `readings` or under it (a template reading the whole mapping prints all of it). */
function readingUnder(readings: ReadonlyMap<string, Yaml11Reading> | undefined, path: string): Yaml11Reading | undefined {
  for (const [p, r] of readings ?? []) if (p === path || p.startsWith(`${path}.`) || p.startsWith(`${path}[`)) return r;
  return undefined;
}

/** The reading and where it is written (`p`, `conn.port`); undefined where none is, four templates deep. */
export function yaml11Through(scope: VarScope, name: string, depth = 0): { name: string; reading: Yaml11Reading } | undefined {
  const own = scope.origin(name)?.yaml11?.get('');
  if (own) return { name, reading: own };
  const raw = scope.rawValue(name)?.value;
  if (depth >= 4 || typeof raw !== 'string' || !raw.includes('{{')) return undefined;
  for (const m of raw.matchAll(/\{\{([\s\S]*?)\}\}/g)) {
    for (const ref of m[1]!.matchAll(REFERENCE)) {
      const [, var_, rest = ''] = ref;
      if (var_ === name) continue;
      const path = pathOf(rest);
      const at = readingUnder(scope.origin(var_!)?.yaml11, path);
      if (at) return { name: `${var_}${path}`, reading: at };
      const found = path === '' ? yaml11Through(scope, var_!, depth + 1) : undefined;
      if (found) return found;
    }
  }
  return undefined;
}
