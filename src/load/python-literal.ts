// Ansible reads each value of an INI inventory with Python's ast.literal_eval and keeps the text when
// that fails: `22` is a number, `True` a boolean, `'22'` the string 22, `[1, 2]` a list, `foo` the
// string foo. This is that subset of Python's literal syntax, pure and bounded in depth.
import { MAX_DEPTH } from './limits.js';

/**
 * The value Python would read from `text`, or undefined where literal_eval would fail (the caller
 * keeps the text); `unsupported` where Python reads a value this reader cannot (a `\N{NAME}` escape).
 */
export function pyLiteral(text: string): { value: unknown } | { unsupported: string } | undefined {
  const p = new Reader(text);
  try {
    p.skip();
    const { items, comma } = p.sequence(undefined, 0);
    const value = items.length === 1 && !comma ? items[0] : items.length === 0 ? p.fail() : items;
    return p.i === text.length ? { value } : undefined;
  } catch (err) {
    if (err instanceof NotLiteral) return undefined;
    if (err instanceof Unsupported) return { unsupported: err.message };
    throw err;
  }
}

class NotLiteral extends Error {}
class Unsupported extends Error {}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v', '\\': '\\', "'": "'", '"': '"', '\n': '' };
const NUMBER = [
  /^0[xX](?:_?[0-9a-fA-F])+/,
  /^0[oO](?:_?[0-7])+/,
  /^0[bB](?:_?[01])+/,
  /^(?:\d(?:_?\d)*)?\.\d(?:_?\d)*(?:[eE][+-]?\d(?:_?\d)*)?|^\d(?:_?\d)*\.?(?:[eE][+-]?\d(?:_?\d)*)|^\d(?:_?\d)*\./,
  /^[1-9](?:_?\d)*|^0(?:_?0)*/,
];

class Reader {
  i = 0;
  constructor(readonly s: string) {}

  fail(): never {
    throw new NotLiteral();
  }

  /**
   * Blanks and `# comments`, which literal_eval's tokenizer skips too: space, tab, form feed (and
   * line ends); any other blank (a no-break space) is a SyntaxError there, so the text is kept.
   */
  skip(): void {
    for (;;) {
      while (/[ \t\f\r\n]/.test(this.s[this.i] ?? '')) this.i++;
      if (this.s[this.i] !== '#') return;
      while (this.i < this.s.length && this.s[this.i] !== '\n') this.i++;
    }
  }

  /** Items separated by commas up to `close` (or the end, where `1, 2` is a tuple as in Python). */
  sequence(close: string | undefined, depth: number): { items: unknown[]; comma: boolean } {
    const items: unknown[] = [];
    let comma = false;
    for (;;) {
      this.skip();
      if (this.s[this.i] === close || (close === undefined && this.i === this.s.length)) break;
      items.push(this.value(depth));
      this.skip();
      if (this.s[this.i] !== ',') break;
      this.i++;
      comma = true;
    }
    if (close !== undefined && this.s[this.i++] !== close) this.fail();
    return { items, comma };
  }

  value(depth: number): unknown {
    if (depth > MAX_DEPTH) this.fail();
    this.skip();
    const c = this.s[this.i];
    if (c === '[' || c === '(') {
      this.i++;
      const { items, comma } = this.sequence(c === '[' ? ']' : ')', depth + 1);
      // (1) is just 1 in Python; (1,) is a tuple.
      return c === '(' && items.length === 1 && !comma ? items[0] : items;
    }
    if (c === '{') return this.braces(depth + 1);
    if (c === '+' || c === '-') {
      this.i++;
      this.skip();
      const n = this.number();
      return c === '-' ? -n : n;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.s.slice(this.i))?.[0];
    if (word !== undefined && !/^(?:[rRuUbB]|[rR][bB]|[bB][rR])$/.test(word)) {
      this.i += word.length;
      if (word === 'True' || word === 'False') return word === 'True';
      if (word === 'None') return null;
      return this.fail();
    }
    if (this.s.startsWith('...', this.i)) {
      this.i += 3;
      return '...';
    }
    if (word !== undefined || c === "'" || c === '"') return this.strings();
    return this.number();
  }

  /** `{}` and `{k: v}` are dicts, `{a, b}` a set (a list here, as Ansible turns it into one). */
  braces(depth: number): unknown {
    this.i++;
    this.skip();
    if (this.s[this.i] === '}') return (this.i++, {});
    const first = this.value(depth);
    this.skip();
    if (this.s[this.i] !== ':') {
      if (this.s[this.i] === ',') this.i++;
      return [first, ...this.sequence('}', depth).items];
    }
    const out: Record<string, unknown> = {};
    let key = first;
    for (;;) {
      this.skip();
      if (this.s[this.i++] !== ':') this.fail();
      if (key !== null && typeof key === 'object') this.fail(); // unhashable in Python
      out[String(key)] = this.value(depth);
      this.skip();
      const sep = this.s[this.i++];
      if (sep === '}') return out;
      if (sep !== ',') this.fail();
      this.skip();
      if (this.s[this.i] === '}') return (this.i++, out);
      key = this.value(depth);
    }
  }

  number(): number {
    for (const re of NUMBER) {
      const m = re.exec(this.s.slice(this.i));
      if (!m) continue;
      const text = m[0].replace(/_/g, '');
      this.i += m[0].length;
      // 07 (leading zeros), 1j (complex), 1x: not a number literal_eval accepts.
      if (/[0-9A-Za-z_.]/.test(this.s[this.i] ?? '')) this.fail();
      return /^0[oObB]/.test(text) ? parseInt(text.slice(2), text[1]!.toLowerCase() === 'o' ? 8 : 2) : Number(text);
    }
    return this.fail();
  }

  /** One or more adjacent string literals, concatenated as Python does (bytes with bytes only). */
  strings(): string {
    let out = '';
    let bytes: boolean | undefined;
    do {
      const s = this.string();
      if (bytes !== undefined && bytes !== s.bytes) this.fail(); // SyntaxError: cannot mix bytes and nonbytes literals
      bytes = s.bytes;
      out += s.text;
      this.skip();
    } while (/^(?:[rRuUbB]|[rR][bB]|[bB][rR])?['"]/.test(this.s.slice(this.i, this.i + 3)));
    return out;
  }

  /**
   * One literal. Bytes (b'') keep \u, \U and \N as written and take only ASCII characters; Ansible
   * turns them into text with to_text (UTF-8, an undecodable byte kept as Python's surrogateescape
   * does). `\N{NAME}` needs Unicode's names, which JavaScript lacks: said, not read.
   */
  string(): { text: string; bytes: boolean } {
    const prefix = /^[rRuUbB]{0,2}/.exec(this.s.slice(this.i))![0];
    const raw = /r/i.test(prefix);
    const bytes = /b/i.test(prefix);
    this.i += prefix.length;
    const q = this.s[this.i];
    if (q !== "'" && q !== '"') this.fail();
    const quote = this.s.startsWith(q.repeat(3), this.i) ? q.repeat(3) : q;
    this.i += quote.length;
    const codes: number[] = [];
    const add = (text: string) => {
      for (const ch of text) codes.push(ch.codePointAt(0)!);
    };
    for (;;) {
      if (this.i >= this.s.length) this.fail();
      if (this.s.startsWith(quote, this.i)) {
        this.i += quote.length;
        return { text: bytes ? fromBytes(codes) : fromCodes(codes, String.fromCodePoint), bytes };
      }
      const c = this.s[this.i++]!;
      if (c === '\n' && quote.length === 1) this.fail();
      if (bytes && c > '\x7f') this.fail(); // SyntaxError: bytes can only contain ASCII literal characters
      if (c !== '\\') {
        add(c);
        continue;
      }
      const e = this.s[this.i++] ?? this.fail();
      // Up to three octal digits: '\101' is A, '\012' a newline (in bytes, the low eight bits).
      const octal = raw ? undefined : /^[0-7]{1,3}/.exec(this.s.slice(this.i - 1))?.[0];
      if (raw) add('\\' + e);
      else if (octal !== undefined) {
        this.i += octal.length - 1;
        const code = parseInt(octal, 8);
        codes.push(bytes ? code & 0xff : code);
      } else if (e in ESCAPES) add(ESCAPES[e]!);
      else if (e === 'N' && !bytes) {
        // Malformed (no {NAME}) is a SyntaxError: the whole text is kept, as by Ansible.
        const named = /^\{[^}]*\}/.exec(this.s.slice(this.i))?.[0] ?? this.fail();
        throw new Unsupported(`the escape \\N${named}`);
      } else if (e === 'x' || (!bytes && (e === 'u' || e === 'U'))) {
        // Cut short (`'C:\x!'`) is a SyntaxError too ("truncated \xXX escape"), not kept as written.
        const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
        if (!new RegExp(`^[0-9a-fA-F]{${n}}`).test(this.s.slice(this.i))) this.fail();
        const code = parseInt(this.s.substr(this.i, n), 16);
        if (code > 0x10ffff) this.fail();
        codes.push(code);
        this.i += n;
      } else add('\\' + e);
    }
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
