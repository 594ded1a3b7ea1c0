// Python's string and bytes literals as ast.literal_eval reads them for Ansible's INI reader
// (python-literal.ts): quotes, prefixes, escapes, and bytes made text as Ansible's to_text makes them.

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v', '\\': '\\', "'": "'", '"': '"', '\n': '' };

/**
 * The literal at `s[start]`, or undefined where Python's tokenizer fails (the caller keeps the text).
 * Bytes (b'') keep \u, \U and \N as written and take only ASCII characters; Ansible turns them into
 * text with to_text (UTF-8, an undecodable byte kept as Python's surrogateescape does). `\N{NAME}`
 * needs Unicode's names, which JavaScript lacks: returned as `named`, for the caller to say.
 */
export function stringAt(s: string, start: number): { text: string; bytes: boolean; end: number } | { named: string } | undefined {
  let i = start;
  const prefix = /^[rRuUbB]{0,2}/.exec(s.slice(i))![0];
  const raw = /r/i.test(prefix);
  const bytes = /b/i.test(prefix);
  i += prefix.length;
  const q = s[i];
  if (q !== "'" && q !== '"') return undefined;
  const quote = s.startsWith(q.repeat(3), i) ? q.repeat(3) : q;
  i += quote.length;
  const codes: number[] = [];
  const add = (text: string) => {
    for (const ch of text) codes.push(ch.codePointAt(0)!);
  };
  for (;;) {
    if (i >= s.length) return undefined;
    if (s.startsWith(quote, i)) {
      i += quote.length;
      return { text: bytes ? fromBytes(codes) : fromCodes(codes, String.fromCodePoint), bytes, end: i };
    }
    const c = s[i++]!;
    if (c === '\n' && quote.length === 1) return undefined;
    if (bytes && c > '\x7f') return undefined; // SyntaxError: bytes can only contain ASCII literal characters
    if (c !== '\\') {
      add(c);
      continue;
    }
    const e = s[i++];
    if (e === undefined) return undefined;
    // Up to three octal digits: '\101' is A, '\012' a newline (in bytes, the low eight bits).
    const octal = raw ? undefined : /^[0-7]{1,3}/.exec(s.slice(i - 1))?.[0];
    if (raw) add('\\' + e);
    else if (octal !== undefined) {
      i += octal.length - 1;
      const code = parseInt(octal, 8);
      codes.push(bytes ? code & 0xff : code);
    } else if (e in ESCAPES) add(ESCAPES[e]!);
    else if (e === 'N' && !bytes) {
      // Malformed (no {NAME}) is a SyntaxError: the whole text is kept, as by Ansible.
      const named = /^\{[^}]*\}/.exec(s.slice(i))?.[0];
      return named === undefined ? undefined : { named };
    } else if (e === 'x' || (!bytes && (e === 'u' || e === 'U'))) {
      // Cut short (`'C:\x!'`) is a SyntaxError too ("truncated \xXX escape"), not kept as written.
      const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      if (!new RegExp(`^[0-9a-fA-F]{${n}}`).test(s.slice(i))) return undefined;
      const code = parseInt(s.substr(i, n), 16);
      if (code > 0x10ffff) return undefined;
      codes.push(code);
      i += n;
    } else add('\\' + e);
  }
}

/** Bytes as Ansible's to_text reads them: UTF-8, else each byte past ASCII as a lone surrogate (surrogateescape). */
function fromBytes(codes: number[]): string {
  const bytes = Uint8Array.from(codes);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return fromCodes(codes.map((b) => (b < 0x80 ? b : 0xdc00 + b)), String.fromCharCode);
  }
}

/** `make(...codes)` a slice at a time: spread whole, a literal of some 120 000 characters overflowed the stack. */
function fromCodes(codes: readonly number[], make: (...codes: number[]) => string): string {
  let out = '';
  for (let i = 0; i < codes.length; i += 8192) out += make(...codes.slice(i, i + 8192));
  return out;
}
