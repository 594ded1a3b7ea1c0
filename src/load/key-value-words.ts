// `-e 'a=1 b="x y"'`: Ansible's parse_kv (split_args, then each word at its first `=`). Words split
// at spaces and newlines outside quotes and outside `{{ }}`, so `-e 'msg={{ a }} b'` keeps the template whole.
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

/**
 * Where split_args splits: at a space or a newline, and through the whitespace it strips from each
 * line's ends (`args.strip().split('\n')`, then each line `.strip().split(' ')`). A tab between two
 * words joins them (`-e 'a=1<TAB>b=2'` sets a to "1<TAB>b=2" there), as typed.
 */
function separators(text: string): boolean[] {
  const sep = new Array<boolean>(text.length).fill(false);
  for (const m of text.matchAll(/\s+/g)) {
    const [start, end] = [m.index!, m.index! + m[0].length];
    const border = start === 0 || end === text.length || m[0].includes('\n');
    for (let i = start; i < end; i++) sep[i] = border || text[i] === ' ';
  }
  return sep;
}

function words(text: string): Array<{ word: string; offset: number }> | { error: string; offset: number } {
  const out: Array<{ word: string; offset: number }> = [];
  const sep = separators(text);
  let start = -1;
  let quote: string | undefined;
  let quoteAt = 0;
  let braces = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = text[i];
    if (c !== undefined && start < 0 && !sep[i]) start = i;
    if (c === undefined || (!quote && braces === 0 && sep[i])) {
      if (start >= 0) out.push({ word: text.slice(start, i), offset: start });
      start = -1;
      continue;
    }
    // A quote right after a backslash opens or closes nothing, in quotes or not (split_args looks
    // at the character before it only).
    const escaped = i > 0 && text[i - 1] === '\\';
    if (quote) {
      if (c === quote && !escaped) quote = undefined;
    } else if ((c === '"' || c === "'") && !escaped) {
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

/** A value wholly in matching quotes loses them (its escapes are decoded already: Ansible's unquote, is_quoted). */
function unquote(v: string): { value: string; quoted: boolean } {
  const q = v[0];
  if (v.length >= 2 && (q === '"' || q === "'") && v.endsWith(q) && v[v.length - 2] !== '\\') return { value: v.slice(1, -1), quoted: true };
  return { value: v, quoted: false };
}

// Ansible's _decode_escapes, run on each word before its `=` is looked for: \t is a tab there, \u0041
// an A, \\ one backslash, in quotes or not. Kept as typed, `-e 'rmem=4096\t87380'` set another value.
// Its pattern exactly: hex digits where it wants them (`\\xyz` is kept as typed), no octal escapes.
const ESCAPE = /\\(U[0-9a-fA-F]{8}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|N\{[^}]+\}|[\\'"abfnrtv])/g;
const SINGLE: Record<string, string> = { '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

function decodeEscapes(word: string): { text: string } | { error: string } {
  let error: string | undefined;
  const text = word.replace(ESCAPE, (all, e: string) => {
    if (e[0] === 'U' || e[0] === 'u' || e[0] === 'x') {
      const cp = parseInt(e.slice(1), 16);
      if (cp > 0x10ffff) return (error ??= `${all} is not an escape Python can decode (Ansible stops there)`), all;
      return String.fromCodePoint(cp);
    }
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
    // A lone backslash is split_args' line continuation: dropped, not a word.
    if (typed === '\\') continue;
    const decoded = decodeEscapes(typed);
    if ('error' in decoded) return { error: decoded.error, offset };
    const word = decoded.text;
    const eq = word.indexOf('=');
    if (eq <= 0) return { error: `${JSON.stringify(word)} is not name=value`, offset };
    // Ansible strips both sides, after decoding (`mtu=1400\t` is 1400).
    pairs.push({ key: word.slice(0, eq).trim(), ...unquote(word.slice(eq + 1).trim()), offset });
  }
  return { pairs };
}
