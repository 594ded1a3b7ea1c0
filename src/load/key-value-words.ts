// `-e 'a=1 b="x y"'`: Ansible's parse_kv (split_args, then each word at its first `=`). Words split
// at whitespace outside quotes and outside `{{ }}`, so `-e 'msg={{ a }} b'` keeps the template whole.
// Pure.

export interface KeyValueWord {
  key: string;
  value: string;
  /** The value was written in quotes: it stays text (`a="1"` is the string "1"). */
  quoted: boolean;
  /** Where the word starts in the argument, 0-based. */
  offset: number;
}

export type KeyValueResult = { pairs: KeyValueWord[] } | { error: string; offset: number };

function words(text: string): Array<{ word: string; offset: number }> | { error: string; offset: number } {
  const out: Array<{ word: string; offset: number }> = [];
  let start = -1;
  let quote: string | undefined;
  let quoteAt = 0;
  let braces = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = text[i];
    if (c !== undefined && start < 0 && !/\s/.test(c)) start = i;
    if (c === undefined || (!quote && braces === 0 && /\s/.test(c))) {
      if (start >= 0) out.push({ word: text.slice(start, i), offset: start });
      start = -1;
      continue;
    }
    // A quote after a backslash opens or closes nothing, in either quotes or none (split_args).
    if (c === '\\') {
      i++;
    } else if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") {
      [quote, quoteAt] = [c, i];
    } else if (text.startsWith('{{', i)) {
      braces++;
      i++;
    } else if (braces > 0 && text.startsWith('}}', i)) {
      braces--;
      i++;
    }
  }
  if (quote) return { error: `unterminated ${quote}`, offset: quoteAt };
  if (braces > 0) return { error: "unclosed '{{'", offset: text.lastIndexOf('{{') };
  return out;
}

/** A value wholly in matching quotes loses them (its escapes are decoded already, as Ansible's unquote finds them). */
function unquote(v: string): { value: string; quoted: boolean } {
  const q = v[0];
  if (v.length >= 2 && (q === '"' || q === "'") && v.endsWith(q)) return { value: v.slice(1, -1), quoted: true };
  return { value: v, quoted: false };
}

// Ansible's _decode_escapes, run on each word before its `=` is looked for: \t is a tab there, \u0041
// an A, \\ one backslash, in quotes or not. Kept as typed, `-e 'rmem=4096\t87380'` set another value.
const ESCAPE = /\\(U.{8}|u.{4}|x.{2}|[0-7]{1,3}|N\{[^}]+\}|[\\'"abfnrtv])/gs;
const SINGLE: Record<string, string> = { '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

function decodeEscapes(word: string): { text: string } | { error: string } {
  let error: string | undefined;
  const text = word.replace(ESCAPE, (all, e: string) => {
    const hex = e[0] === 'U' || e[0] === 'u' || e[0] === 'x' ? e.slice(1) : undefined;
    if (hex !== undefined) {
      const cp = /^[0-9a-fA-F]+$/.test(hex) ? parseInt(hex, 16) : NaN;
      if (Number.isNaN(cp) || cp > 0x10ffff) return (error ??= `${all} is not an escape Python can decode (Ansible stops there)`), all;
      return String.fromCodePoint(cp);
    }
    if (/^[0-7]/.test(e)) return String.fromCodePoint(parseInt(e, 8));
    if (e[0] === 'N') return (error ??= `${all}: a character by its Unicode name, which teqlctl does not decode`), all;
    return SINGLE[e]!;
  });
  return error !== undefined ? { error } : { text };
}

export function keyValueWords(text: string): KeyValueResult {
  const ws = words(text);
  if (!Array.isArray(ws)) return ws;
  const pairs: KeyValueWord[] = [];
  for (const { word: typed, offset } of ws) {
    const decoded = decodeEscapes(typed);
    if ('error' in decoded) return { error: decoded.error, offset };
    const word = decoded.text;
    const eq = word.indexOf('=');
    if (eq <= 0) return { error: `${JSON.stringify(word)} is not name=value`, offset };
    pairs.push({ key: word.slice(0, eq), ...unquote(word.slice(eq + 1)), offset });
  }
  return { pairs };
}
