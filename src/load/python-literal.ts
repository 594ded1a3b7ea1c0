// Ansible reads each value of an INI inventory with Python's ast.literal_eval and keeps the text when
// that fails: `22` is a number, `True` a boolean, `'22'` the string 22, `[1, 2]` a list, `foo` the
// string foo. This is that subset of Python's literal syntax, pure and bounded in depth. What Python
// reads and teqlctl has no value for (1j, ..., a tuple key) or stops on (a list as a key) is said, as
// `unsupported`, once the whole text is found to be a literal (else Python keeps it as text too).
import { MAX_DEPTH } from './limits.js';
import { numberAt, UNSUPPORTED, type PyUnsupported } from './python-numbers.js';
import { addKey } from './python-keys.js';
import { stringAt } from './python-strings.js';

/**
 * The value Python would read from `text`, or undefined where literal_eval would fail (the caller
 * keeps the text); `unsupported` where Python reads a value this reader cannot (a `\N{NAME}` escape).
 */
export function pyLiteral(text: string): { value: unknown } | PyUnsupported | undefined {
  const p = new Reader(text);
  try {
    p.skip();
    const { items, comma } = p.sequence(undefined, 0);
    const value = items.length === 1 && !comma ? items[0] : items.length === 0 ? p.fail() : items;
    return p.i !== text.length ? undefined : p.unsupported ?? { value };
  } catch (err) {
    if (err instanceof NotLiteral) return undefined;
    if (err instanceof Unsupported) return err.what;
    throw err;
  }
}

class NotLiteral extends Error {}

/**
 * Do the brackets of `s` close in order, fewer than 200 deep (Python's parser stops at 200: "too
 * many nested parentheses"), quoted text aside? Without recursion: `s` may be deep by design.
 */
function bracketsClose(s: string): boolean {
  const open: string[] = [];
  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === "'" || c === '"') {
      for (i++; i < s.length && s[i] !== c; i++) if (s[i] === '\\') i++;
      if (i >= s.length) return false;
    } else if (c === '(' || c === '[' || c === '{') {
      if (open.push(c) >= 200) return false;
    } else if (c in pairs && open.pop() !== pairs[c]) return false;
  }
  return open.length === 0;
}
class Unsupported extends Error {
  constructor(readonly what: PyUnsupported) {
    super(what.unsupported);
  }
}

class Reader {
  i = 0;
  /** The first value read that teqlctl cannot hold: said if the whole text is a literal. */
  unsupported?: PyUnsupported;
  /** Tuples of hashable items: Python takes them as a key or set element, not a list. */
  private readonly tuples = new WeakSet<object>();
  constructor(readonly s: string) {}

  /** How many unsupported values were read: whether one operand was, not just any before it. */
  private deferred = 0;

  /** An unhashable key or element was read: Python raises TypeError there. */
  private stopped = false;

  /** `error`: Python's own TypeError, said over any value before it that teqlctl cannot hold. */
  private defer(what: PyUnsupported, error = false): void {
    this.deferred++;
    if (error && !this.stopped) {
      this.unsupported = what;
      this.stopped = true;
    } else this.unsupported ??= what;
  }

  private hashable(v: unknown): boolean {
    return v === null || typeof v !== 'object' || this.tuples.has(v);
  }

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

  /** A value; a real number followed by `+ 2j` or `- 2j` is a complex number to Python (`1+2j`). */
  value(depth: number): unknown {
    const start = this.i;
    const seen = this.deferred;
    const v = this.operand(depth);
    // `1j+1j` is no literal to Python (text), but `1j, 1+2j` holds a complex number after one.
    if (typeof v !== 'number' || this.deferred !== seen) return v;
    const back = this.i;
    this.skip();
    if (this.s[this.i] === '+' || this.s[this.i] === '-') {
      this.i++;
      if (this.parenthesised(() => numberAt(this.s, this.i))?.imaginary) this.defer(UNSUPPORTED.complex(this.s.slice(start, this.i).trim()));
      else this.i = back;
    } else this.i = back;
    return v;
  }

  /** `f` at the position after any number of `(` (blanks between), then as many `)`: `-(1)` is -1 to Python. */
  private parenthesised<T extends { end: number }>(f: () => T | undefined): T | undefined {
    let open = 0;
    for (this.skip(); this.s[this.i] === '('; this.skip()) (this.i++, open++);
    const found = f();
    if (!found) return undefined;
    this.i = found.end;
    for (; open > 0; open--) {
      this.skip();
      if (this.s[this.i++] !== ')') this.fail();
    }
    return found;
  }

  private operand(depth: number): unknown {
    // Python reads up to 200 levels: past teqlctl's, a value whose brackets close is refused, not
    // read as text without a word; one whose brackets do not is text to Python too (two reviews).
    if (depth > MAX_DEPTH) throw bracketsClose(this.s) ? new Unsupported(UNSUPPORTED.deep()) : new NotLiteral();
    this.skip();
    const c = this.s[this.i];
    if (c === '+' || c === '-') {
      const sign = this.i++;
      const n = this.parenthesised(() => numberAt(this.s, this.i)) ?? this.fail();
      if (n.imaginary) this.defer(UNSUPPORTED.complex(this.s.slice(sign, this.i)));
      if (typeof n.value === 'string') return c === '-' ? (n.value.startsWith('-') ? n.value.slice(1) : `-${n.value}`) : n.value;
      return c === '-' ? -n.value : n.value;
    }
    if (c === '[' || c === '(') {
      this.i++;
      const { items, comma } = this.sequence(c === '[' ? ']' : ')', depth + 1);
      // (1) is just 1 in Python; (1,) is a tuple.
      if (c === '(' && items.length === 1 && !comma) return items[0];
      if (c === '(' && items.every((x) => this.hashable(x))) this.tuples.add(items);
      return items;
    }
    if (c === '{') return this.braces(depth + 1);
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.s.slice(this.i))?.[0];
    if (word !== undefined && !/^(?:[rRuUbB]|[rR][bB]|[bB][rR])$/.test(word)) {
      this.i += word.length;
      if (word === 'True' || word === 'False') return word === 'True';
      if (word === 'None') return null;
      // Python 3.9's literal_eval reads set() as the empty set: refused as any set is (a review).
      if (word === 'set' && /^\(\s*\)/.exec(this.s.slice(this.i))) return (this.i = this.s.indexOf(')', this.i) + 1, this.defer(UNSUPPORTED.set()), []);
      return this.fail();
    }
    if (this.s.startsWith('...', this.i)) {
      this.i += 3;
      this.defer(UNSUPPORTED.ellipsis());
      return '...';
    }
    if (word !== undefined || c === "'" || c === '"') return this.strings();
    return this.number();
  }

  /** `{}` and `{k: v}` are dicts; `{a, b}` is a set, said (Ansible keeps a Python set: no list). */
  braces(depth: number): unknown {
    this.i++;
    this.skip();
    if (this.s[this.i] === '}') return (this.i++, {});
    const first = this.value(depth);
    this.skip();
    if (this.s[this.i] !== ':') {
      if (this.s[this.i] === ',') this.i++;
      const set = [first, ...this.sequence('}', depth).items];
      if (set.every((x) => this.hashable(x))) this.defer(UNSUPPORTED.set());
      else this.defer(UNSUPPORTED.unhashable(), true);
      return set;
    }
    const [out, keys]: [Record<string, unknown>, unknown[]] = [{}, []];
    let key = first;
    for (;;) {
      this.skip();
      if (this.s[this.i++] !== ':') this.fail();
      if (!this.hashable(key)) this.defer(UNSUPPORTED.unhashable(), true);
      else if (key !== null && typeof key === 'object') this.defer(UNSUPPORTED.tupleKey());
      else addKey(keys, key, (clash) => this.defer(clash));
      // Defined, not assigned: a key '__proto__' is a key, as in Python, not the object's prototype.
      Object.defineProperty(out, String(key), { value: this.value(depth), writable: true, enumerable: true, configurable: true });
      this.skip();
      const sep = this.s[this.i++];
      if (sep === '}') return out;
      if (sep !== ',') this.fail();
      this.skip();
      if (this.s[this.i] === '}') return (this.i++, out);
      key = this.value(depth);
    }
  }

  number(): number | string {
    const n = numberAt(this.s, this.i) ?? this.fail();
    if (n.imaginary) this.defer(UNSUPPORTED.complex(this.s.slice(this.i, n.end)));
    this.i = n.end;
    return n.value;
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

  /** One literal (python-strings.ts); `\N{NAME}` is said, not read. */
  string(): { text: string; bytes: boolean } {
    const found = stringAt(this.s, this.i) ?? this.fail();
    if ('named' in found) {
      throw new Unsupported({ unsupported: `the escape \\N${found.named}`, why: 'Python reads it as the character it names, which teqlctl cannot', hint: 'write the character itself, or its \\uXXXX escape' });
    }
    this.i = found.end;
    return found;
  }
}
