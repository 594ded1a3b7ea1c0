// Values echoed in messages may be hostile: keep them short, on one line, invisible characters spelled out.

import { visible } from '../ui/visible.js';

export { visible };

/** U+200B */
export function codePoint(c: string): string {
  return `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}


function head(value: string, max: number): string {
  return Array.from(value.slice(0, 2 * max)).slice(0, max).join('');
}

/** The first `max` characters of a value, visible, with `…` when it was cut. */
export function short(value: string, max = 40): string {
  const h = head(value, max);
  return h.length === value.length ? visible(value) : `${visible(h)}…`;
}

/** A value quoted for a message: `'eth1'`, or `'aaaa…' (100000 characters)` when it is long. */
export function shown(value: string, max = 40): string {
  const h = head(value, max);
  return h.length === value.length ? `'${visible(value)}'` : `'${visible(h)}…' (${value.length} characters)`;
}

/** Cuts a whole message that is still too long (a backstop for values echoed without shown()). */
export function clipMessage(message: string, max = 1000): string {
  const one = visible(message);
  return one.length <= max ? one : `${one.slice(0, max)}… (message cut at ${max} characters)`;
}
