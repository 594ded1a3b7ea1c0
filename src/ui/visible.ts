// Control, format (zero-width, bidi) and line-separator characters written as escapes: for values
// echoed in messages (load/shown.ts) and for everything a router sends to the terminal (terminal.ts).

const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;
const ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

export function visible(text: string): string {
  return text.replace(INVISIBLE, (c) => ESCAPES[c] ?? (c.length > 1 ? `\\u{${c.codePointAt(0)!.toString(16)}}` : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}
