// Where a variable's value comes from a plain YAML value Ansible (YAML 1.1) reads otherwise: its
// own (`ansible_port: 010`) or that of a variable its template reads (`ansible_port: "{{ p }}"`,
// `p: 010`): both render otherwise in Ansible (a review found the template route passed).
import type { VarScope } from './scope.js';
import type { Yaml11Reading } from './yaml11-readings.js';

// Names inside `{{ }}`: over-counted (filters, keywords), never missed; a filter is no variable.
const NAME = /(?<![.\w])[A-Za-z_][A-Za-z0-9_]*/g;

/** The reading and the variable it is written in; undefined where none is, four templates deep. */
export function yaml11Through(scope: VarScope, name: string, depth = 0): { name: string; reading: Yaml11Reading } | undefined {
  const own = scope.origin(name)?.yaml11;
  if (own) return { name, reading: own };
  const raw = scope.rawValue(name)?.value;
  if (depth >= 4 || typeof raw !== 'string' || !raw.includes('{{')) return undefined;
  for (const m of raw.matchAll(/\{\{([\s\S]*?)\}\}/g)) {
    for (const n of m[1]!.matchAll(NAME)) {
      if (n[0] === name) continue;
      const found = yaml11Through(scope, n[0], depth + 1);
      if (found) return found;
    }
  }
  return undefined;
}
