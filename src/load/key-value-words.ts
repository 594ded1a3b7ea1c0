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
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = undefined;
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

/** A value wholly in matching quotes loses them (`\"` inside double quotes is a quote). */
function unquote(v: string): { value: string; quoted: boolean } {
  const q = v[0];
  if (v.length >= 2 && (q === '"' || q === "'") && v.endsWith(q)) {
    const inner = v.slice(1, -1);
    return { value: q === '"' ? inner.replace(/\\(["\\])/g, '$1') : inner, quoted: true };
  }
  return { value: v, quoted: false };
}

export function keyValueWords(text: string): KeyValueResult {
  const ws = words(text);
  if (!Array.isArray(ws)) return ws;
  const pairs: KeyValueWord[] = [];
  for (const { word, offset } of ws) {
    const eq = word.indexOf('=');
    if (eq <= 0) return { error: `${JSON.stringify(word)} is not name=value`, offset };
    pairs.push({ key: word.slice(0, eq), ...unquote(word.slice(eq + 1)), offset });
  }
  return { pairs };
}
