// Text that reaches the terminal may hold strings from a router (interface names, command output,
// lock owners): its control characters (ESC, CSI, BEL, CR, C1), format characters (bidi overrides,
// zero-width) and line separators are written as escapes, so a router cannot drive the terminal or
// hide text. Line breaks stay: multi-line reports keep their shape.
import { visible } from './visible.js';

export function terminalText(text: string): string {
  return text.split('\n').map(visible).join('\n');
}

/**
 * JSON for stdout: JSON.stringify escapes C0 controls, not DEL, C1 (U+0080..U+009F, where CSI is
 * U+009B) or format characters; these are written as \u escapes too (still the same JSON value).
 */
export function terminalJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/[\u007f-\u009f\p{Cf}\u2028\u2029]/gu, (c) =>
    c.split('').map((unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`).join(''),
  );
}
