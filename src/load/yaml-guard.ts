// Guards run before and right after parsing a YAML file, so that no hostile file can exhaust memory,
// time or the stack: a size limit (stat first), a token budget, a depth limit, and an alias budget.
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { CST, isAlias, isCollection, isMap, isPair, isScalar, type Alias, type Document, type Node } from 'yaml';
import { MAX_ALIAS_NODES, MAX_DEPTH, MAX_FILE_BYTES, MAX_TOKENS } from './limits.js';

export type Read = { text: string } | { why: string; hint?: string; at?: { line: number; col: number } };

const HUGE_HINT = 'check that this is the file you meant; a fleet too large for one file can be split into the files of an inventory folder (-i DIR), one per site or group';
const LIMIT_WORDS = `${MAX_FILE_BYTES} bytes (${MAX_FILE_BYTES / 1024 / 1024} MiB)`;

/** What a path that is not a regular file is, for messages. */
function fileKind(st: Stats): string {
  return st.isFIFO() ? 'a named pipe (FIFO)' : st.isSocket() ? 'a socket' : st.isCharacterDevice() ? 'a character device' : st.isBlockDevice() ? 'a block device' : 'a special file';
}

// At 1:1, as the inventory reader refuses one given with -i (inventory-sources.ts).
function notRegular(st: Stats): Read {
  return { why: `it is ${fileKind(st)}, not a regular file`, hint: 'give a regular file: teqlctl reads no pipe, socket or device (one would wait for a writer, or never end)', at: { line: 1, col: 1 } };
}

/** Reads at most MAX_FILE_BYTES of a regular file, refused by its size before any byte is read. */
export function readLimited(file: string): Read {
  let fd: number;
  try {
    // Opening a FIFO without O_NONBLOCK waits for a writer, forever if none comes: it is opened
    // without waiting, then refused by what fstat says it is (a stat before the open could race).
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // A socket cannot be opened at all (ENXIO): said for what it is.
    const st = code === 'ENXIO' ? statOf(file) : undefined;
    if (st && !st.isFile()) return notRegular(st);
    return { why: code === 'ENOENT' ? 'no such file' : String(err) };
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) return { why: 'it is a directory' };
    if (!st.isFile()) return notRegular(st);
    if (st.size > MAX_FILE_BYTES) return { why: `it is ${st.size} bytes, more than the limit of ${LIMIT_WORDS}`, hint: HUGE_HINT };
    // The file may grow after fstat: read one byte past the limit at most. The buffer is the size
    // fstat gave and grows only for a file that grew (a zeroed buffer of the limit per file cost a
    // fleet's thousand group_vars files a memset of the limit each).
    // At least 64 KiB: a file whose size fstat does not know (/proc's say 0) may answer nothing to a
    // read at an offset past 0 (the kernel's integer sysctls), so its first read takes it whole.
    let buf = Buffer.allocUnsafe(Math.min(MAX_FILE_BYTES + 1, Math.max(st.size + 1, 64 * 1024)));
    let n = 0;
    for (let got = 1; got > 0; n += got) {
      if (n === buf.length) {
        if (buf.length > MAX_FILE_BYTES) break;
        const grown = Buffer.allocUnsafe(Math.min(buf.length * 2, MAX_FILE_BYTES + 1));
        buf.copy(grown, 0, 0, n);
        buf = grown;
      }
      got = readSync(fd, buf, n, buf.length - n, null);
    }
    if (n > MAX_FILE_BYTES) return { why: `it is more than the limit of ${LIMIT_WORDS}`, hint: HUGE_HINT };
    // Not decoded to U+FFFD without a word (a Latin-1 file): refused where its first bad byte is, as Ansible refuses it.
    const bad = firstInvalidUtf8(buf, n);
    if (bad >= 0) {
      const before = buf.subarray(0, bad);
      const line = before.filter((b) => b === 0x0a).length + 1;
      const col = bad - before.lastIndexOf(0x0a);
      return { why: `it is not UTF-8 text (byte 0x${buf[bad]!.toString(16)} at line ${line}, column ${col})`, hint: 'save it as UTF-8, e.g. iconv -f latin1 -t utf-8', at: { line, col } };
    }
    return { text: buf.toString('utf8', 0, n) };
  } catch (err) {
    return { why: String(err) };
  } finally {
    closeSync(fd);
  }
}

function statOf(file: string): Stats | undefined {
  try {
    return statSync(file);
  } catch {
    return undefined;
  }
}

/** The offset of the first byte of `buf[0..n)` that is not part of valid UTF-8, or -1. */
export function firstInvalidUtf8(buf: Uint8Array, n: number): number {
  for (let i = 0; i < n; ) {
    const b = buf[i]!;
    const len = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (len === 0 || i + len > n) return i;
    for (let k = 1; k < len; k++) if ((buf[i + k]! & 0xc0) !== 0x80) return i;
    // Overlong forms, surrogates and code points past U+10FFFF.
    const c1 = buf[i + 1]!;
    if ((b === 0xe0 && c1 < 0xa0) || (b === 0xed && c1 > 0x9f) || (b === 0xf0 && c1 < 0x90) || (b === 0xf4 && c1 > 0x8f)) return i;
    i += len;
  }
  return -1;
}

export interface Refusal {
  offset: number;
  message: string;
  hint: string;
}

const MARKERS = new Set(['doc-mode', 'scalar', 'flow-error-end']); // the lexer's own control tokens, not in the text
const NOT_COUNTED = new Set(['space', 'newline', 'comment', 'byte-order-mark']);
const BLOCK_INDICATORS = new Set(['seq-item-ind', 'explicit-key-ind', 'map-value-ind']);
const DEEP_HINT = 'flatten the structure';

/**
 * Counts tokens and estimates nesting with the lexer's tokens alone (a stream of strings, no tree),
 * which is cheap on any input, so that the parser (recursive, some 500 bytes a token) never sees a
 * hostile file: each token is fed here before the parser gets it (guarded-parse.ts), and the first
 * one past a limit stops both. Block nesting is over-estimated from the open indentation levels plus
 * the `- `, `? ` and `: ` on a line, so that a file the estimate lets through cannot exhaust the
 * parser's stack.
 */
export class TokenGuard {
  private offset = 0;
  private tokens = 0;
  private flow = 0;
  private col = 0;
  private lineStart = true;
  private indicators = 0;
  private readonly indents: number[] = [];

  /** The refusal this token (the next of the lexer's) brings, if any. */
  feed(token: string): Refusal | undefined {
    const type = CST.tokenType(token);
    if (token.length === 1 && type !== null && MARKERS.has(type)) return undefined;
    const refuse = (message: string, hint: string): Refusal => ({ offset: this.offset, message: `invalid YAML: ${message}`, hint });
    const indents = this.indents;
    if (type === null || !NOT_COUNTED.has(type)) {
      if (++this.tokens > MAX_TOKENS) return refuse(`more than ${MAX_TOKENS} tokens (scalars and indicators) in one file`, HUGE_HINT);
      if (this.flow === 0 && this.lineStart) {
        while (indents.length > 0 && indents[indents.length - 1]! >= this.col) indents.pop();
        indents.push(this.col);
        this.lineStart = false;
      }
      if (this.flow === 0 && type !== null && BLOCK_INDICATORS.has(type)) this.indicators++;
      if (indents.length + this.indicators > 2 * MAX_DEPTH) return refuse(`indentation and - ? : nested more than ${2 * MAX_DEPTH} levels deep`, DEEP_HINT);
    }
    if (type === 'flow-seq-start' || type === 'flow-map-start') this.flow++;
    if (type === 'flow-seq-end' || type === 'flow-map-end') this.flow = Math.max(0, this.flow - 1);
    if (this.flow > MAX_DEPTH) return refuse(`[ ] and { } nested more than ${MAX_DEPTH} levels deep`, DEEP_HINT);
    if (type === 'newline') {
      this.lineStart = true;
      this.indicators = 0;
    }
    const nl = token.lastIndexOf('\n');
    this.col = nl < 0 ? this.col + token.length : token.length - nl - 1;
    this.offset += token.length;
    return undefined;
  }
}

export interface NodeProblem {
  node: Node;
  message: string;
  hint: string;
}

/**
 * Resolves every alias once (the last anchor of that name before it, as the yaml package does),
 * measures the document as if aliases were expanded (its depth, the nodes aliases add), and finds
 * duplicate keys (the yaml package's own check compares each key with every other: quadratic).
 */
export function analyzeDocument(doc: Document.Parsed): { aliases: Map<Alias, Node>; problems: NodeProblem[] } {
  const aliases = new Map<Alias, Node>();
  const anchors = new Map<string, Node>();
  const measured = new Map<Node, { size: number; height: number }>();
  const open = new Set<Node>();
  const problems: NodeProblem[] = [];
  let added = 0;
  let stop = false;
  const fail = (node: Node, message: string, hint: string) => {
    problems.push({ node, message: `invalid YAML: ${message}`, hint });
    stop = true;
  };
  const tooDeep = (node: Node) => fail(node, `nested more than ${MAX_DEPTH} levels deep (aliases followed)`, DEEP_HINT);
  const walk = (node: unknown, level: number): { size: number; height: number } => {
    const none = { size: 0, height: 0 };
    if (stop || !(isAlias(node) || isScalar(node) || isCollection(node))) return none;
    if (level > MAX_DEPTH) return (tooDeep(node), none);
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      if (!target || open.has(target)) {
        const [message, hint] = target ? [`alias *${node.source} refers to a node that contains it`, 'a value cannot contain itself; copy what you need instead'] : [`unknown alias *${node.source}`, 'define the anchor (&name) before using it'];
        problems.push({ node, message: `invalid YAML: ${message}`, hint });
        return { size: 1, height: 1 };
      }
      aliases.set(node, target);
      const m = measured.get(target) ?? { size: 1, height: 1 };
      added += m.size;
      if (added > MAX_ALIAS_NODES) fail(node, `aliases expand to more than ${MAX_ALIAS_NODES} nodes (an alias bomb?)`, 'use fewer aliases, or write the values out');
      else if (level - 1 + m.height > MAX_DEPTH) tooDeep(node);
      return m;
    }
    if (node.anchor) anchors.set(node.anchor, node);
    let m = { size: 1, height: 1 };
    if (isMap(node)) {
      const keys = new Set<unknown>();
      // Keys are read as text (a variable's name, a mapping's key): `10` and "10" are two keys to
      // Ansible, one here, the second replacing the first without a word (a review).
      const texts = new Map<string, unknown>();
      for (const { key } of node.items) {
        // The merge key << reads as a symbol of its own each time: compared by its name.
        const v = isScalar(key) ? key.value : key;
        const k = typeof v === 'symbol' ? `symbol:${v.description}` : v;
        if (keys.has(k)) problems.push({ node: key as Node, message: 'invalid YAML: Map keys must be unique', hint: typeof v === 'symbol' ? 'merge several mappings with one key: <<: [*a, *b]' : 'each key may appear only once in a mapping; remove or rename one of them' });
        else if (isScalar(key) && typeof v !== 'symbol' && texts.has(String(v))) {
          problems.push({ node: key as Node, message: `invalid YAML: the keys ${JSON.stringify(texts.get(String(v)))} and ${JSON.stringify(v)} are one key to teqlctl, which reads keys as text, and two to Ansible`, hint: 'write each key once, quoted ("10"), or give them different names' });
        }
        keys.add(k);
        if (isScalar(key) && typeof v !== 'symbol') texts.set(String(v), v);
      }
    }
    if (isCollection(node)) {
      open.add(node);
      for (const item of node.items) {
        for (const part of isPair(item) ? [item.key, item.value] : [item]) {
          const c = walk(part, level + 1);
          m = { size: m.size + c.size, height: Math.max(m.height, c.height + 1) };
        }
      }
      open.delete(node);
    }
    measured.set(node, m);
    return m;
  };
  walk(doc.contents, 1);
  return { aliases, problems };
}
