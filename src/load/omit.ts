// Ansible's `omit`: a task argument whose whole value is `{{ x | default(omit) }}` is left out of
// the task when x is undefined, as if it were not written (the module's own default applies).
// Ansible drops it from the arguments' mappings, nested ones included (remove_omit); anywhere else
// (a list item too) its placeholder is a string no router setting means, so teqlctl refuses it. Pure.
import { ExprError } from './expr-error.js';

/** The value `omit` evaluates to: not text, not a mapping, so nothing takes it for a value. */
export class Omit {
  toString(): string {
    return 'omit';
  }
}

export const OMIT: Omit = Object.freeze(new Omit());

function isPlain(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Does `v` hold omit, at any depth of its lists and mappings? */
export function containsOmit(v: unknown): boolean {
  if (v === OMIT) return true;
  if (Array.isArray(v)) return v.some(containsOmit);
  if (isPlain(v)) return Object.values(v).some(containsOmit);
  return false;
}

/**
 * `v` without its omitted entries: mapping keys whose value is omit, at any depth. A list item that
 * is omit is refused (ExprError): Ansible's remove_omit leaves list items as they are, and its
 * placeholder then fails the task; dropped here, `slaves: ["{{ wan2 | default(omit) }}", eth2]`
 * with wan2 misspelt made a bundle of one link without a word (a review).
 */
export function withoutOmit(v: unknown): unknown {
  if (!containsOmit(v)) return v;
  if (Array.isArray(v)) {
    if (v.includes(OMIT)) throw new ExprError('omit is a list item here: it leaves out only a key of a task\'s arguments, not an item of a list', 'give every item a value, or build the list without it');
    return v.map(withoutOmit);
  }
  if (isPlain(v)) return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== OMIT).map(([k, x]) => [k, withoutOmit(x)]));
  return v;
}
