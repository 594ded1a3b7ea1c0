// Ansible's boolean() (module_utils/parsing/convert_bool.py), as it reads ansible_become: trimmed,
// any case, y/yes/on/1/true/t or n/no/off/0/false/f, and 1 or 0; anything else is an error there
// too. Not the `| bool` filter, which trims nothing (expr-eval.ts toBool).
import { ExprError } from './expr-error.js';

const TRUE = new Set(['y', 'yes', 'on', '1', 'true', 't']);
const FALSE = new Set(['n', 'no', 'off', '0', 'false', 'f']);

export function ansibleBoolean(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  if (v === 1 || v === 0) return v === 1;
  if (typeof v === 'string') {
    const s = v.toLowerCase().trim();
    if (TRUE.has(s)) return true;
    if (FALSE.has(s)) return false;
  }
  throw new ExprError(`${typeof v === 'string' ? `'${v}'` : String(v)} is not a boolean Ansible reads`, 'write true or false (or yes/no)');
}
