// Reads a YAML file and keeps what is needed to point back at any node: file, document, line counter.
import { CST, Lexer, LineCounter, visit, isAlias, isMap, isScalar, isSeq, type Alias, type Document, type Node, type Scalar, type ScalarTag } from 'yaml';
import { exactIntegerText } from './python-numbers.js';
import { ConfigError, type SourcePos } from '../errors.js';
import { MAX_ALIAS_COUNT } from './limits.js';
import type { Problems } from './problems.js';
import { analyzeDocument, readLimited } from './yaml-guard.js';
import { parseGuarded } from './guarded-parse.js';
import { refuseYaml11Breaks } from './foreign-line-breaks.js';
import { at1, VAULT_HINT, vaultRefusal } from './file-head.js';
import { recordYaml11Readings, yaml11Readings } from './yaml11-readings.js';

export interface YamlFile {
  file: string;
  doc: Document.Parsed;
  lines: LineCounter;
  /** Every alias and the node it stands for, resolved once (resolving through the yaml package walks the whole document each time). */
  aliases: Map<Alias, Node>;
}

// The core schema's tags, which teqlctl reads, and what each takes. Any other (!!timestamp, !!binary,
// !!set, !!omap, !unsafe, a local !tag) would give a value no check expects (a date, bytes), or pass
// unnoticed where nothing reads it: refused where it is written.
const CORE = 'tag:yaml.org,2002:';
const CORE_TAGS: Record<string, string> = {
  str: 'a scalar',
  int: 'an integer, e.g. 42, 0x2a or 0o52',
  float: 'a number, e.g. 1, 1.5, 1e3 or .inf',
  bool: 'true or false',
  null: 'null, ~ or nothing',
  map: 'a mapping',
  seq: 'a sequence',
};
const TAG_HINT = `teqlctl reads plain YAML values and the core tags ${Object.keys(CORE_TAGS).map((t) => `!!${t}`).join(', ')}: remove the tag (quote the value to keep it as text)`;
const TAG_CODES = new Set(['TAG_RESOLVE_FAILED', 'BAD_COLLECTION_TYPE']);

// YAML 1.2 reads `!!float 1` as 1.0 (its core float pattern takes integers); the yaml package's float
// tags want a dot or an exponent. Only where !!float is written (default: false): a plain 1 stays an int.
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
const explicitFloat: ScalarTag = {
  tag: `${CORE}float`,
  default: false,
  resolve(text, onError) {
    if (FLOAT.test(text)) return Number(text);
    if (/^[-+]?\.(?:inf|Inf|INF)$/.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
    if (/^\.(?:nan|NaN|NAN)$/.test(text)) return NaN;
    onError(`Unresolved tag: ${CORE}float`);
    return text;
  },
};

const HINTS: Record<string, string> = {
  MULTIPLE_DOCS: 'keep one YAML document per file (remove the second `---`)',
  TAB_AS_INDENT: 'indent with spaces, not tabs',
};

/**
 * Reads and parses `file` within the limits of limits.ts. Problems are added to `problems`; the file is
 * returned only when it is valid YAML within those limits.
 */
export function readYaml(file: string, what: string, problems: Problems): YamlFile | undefined {
  const read = readLimited(file);
  if (!('text' in read)) {
    problems.add(`cannot read ${what} '${file}': ${read.why}`, read.at ? { file, ...read.at } : undefined, read.hint ?? `check the path of the ${what}`);
    return undefined;
  }
  return parseYamlText(read.text, file, problems);
}

/** readYaml for text already in memory (an inline `-e '{...}'`); `file` names it in positions. */
export function parseYamlText(text: string, file: string, problems: Problems): YamlFile | undefined {
  const vault = vaultRefusal(text, file);
  if (vault) {
    problems.add(vault.message, at1(file), vault.hint);
    return undefined;
  }
  const lines = new LineCounter();
  // uniqueKeys: false because analyzeDocument finds duplicate keys in linear time.
  const parsed = parseGuarded(text, lines, { prettyErrors: false, merge: true, uniqueKeys: false, customTags: [explicitFloat] });
  if ('refused' in parsed) {
    const { refused } = parsed;
    const before = text.slice(0, refused.offset);
    const line = before.split('\n').length;
    problems.add(refused.message, { file, line, col: refused.offset - before.lastIndexOf('\n') }, refused.hint);
    return undefined;
  }
  const { doc } = parsed;
  // After the guard: its check may read the file as JSON, which a file past the limits must not reach.
  if (refuseYaml11Breaks(text, file, problems)) return undefined;
  const y: YamlFile = { file, doc, lines, aliases: new Map() };
  const tags = tagProblems(text, doc);
  for (const t of tags) problems.add(t.message, at(y, t.offset), t.hint);
  const tagged = new Set(tags.map((t) => t.offset));
  // A tag's own complaint (a date !!timestamp cannot read) is said once, by tagProblems.
  const errors = doc.errors.filter((e) => !(TAG_CODES.has(e.code) && tagged.has(e.pos[0])));
  for (const e of errors) {
    problems.add(`invalid YAML: ${e.message}`, at(y, e.pos[0]), HINTS[e.code] ?? 'fix the YAML syntax');
  }
  if (doc.errors.length > 0 || tags.length > 0) return undefined;
  // A %YAML 1.1 directive would switch the parser to YAML 1.1: yes/no booleans, 0755 an octal number.
  if (doc.directives?.yaml.explicit && doc.directives.yaml.version !== '1.2') {
    problems.add(`%YAML ${doc.directives.yaml.version}: teqlctl reads YAML 1.2 only (under 1.1, yes/no would be booleans and 0755 an octal number)`, at(y, Math.max(0, text.search(/^%YAML\b/m))), 'remove the %YAML line');
    return undefined;
  }
  const analysis = analyzeDocument(doc);
  for (const p of analysis.problems) problems.add(p.message, posOf(y, p.node), p.hint);
  y.aliases = analysis.aliases;
  if (analysis.problems.length > 0) return undefined;
  exactIntegers(doc);
  recordYaml11Readings(yaml11Readings(doc), (offset) => {
    const p = at(y, offset);
    return `${p.file}:${p.line}:${p.col}`;
  });
  return y;
}

/** A plain integer past 2^53 keeps its digits, as text (python-numbers.ts, exactIntegerText): as INI's. */
function exactIntegers(doc: Document.Parsed): void {
  visit(doc, {
    Scalar(key, node: Scalar) {
      if (key === 'key' || node.type !== 'PLAIN' || node.tag !== undefined || typeof node.value !== 'number' || typeof node.source !== 'string') return;
      const text = exactIntegerText(node.source.replace(/_/g, ''), node.value);
      if (text !== undefined && /^[-+]?(?:0|[1-9][0-9]*)$/.test(node.source)) node.value = text;
    },
  });
}

export interface TagProblem {
  offset: number;
  message: string;
  hint: string;
}

/**
 * Every tag of `text` that teqlctl does not read (at the tag itself), and every core tag whose value
 * it cannot tag (`!!int 1.5`). `doc` is `text` parsed, for its %TAG directives and its complaints.
 */
export function tagProblems(text: string, doc: Document.Parsed): TagProblem[] {
  if (!text.includes('!')) return [];
  const complaints = new Set([...doc.errors, ...doc.warnings].filter((w) => TAG_CODES.has(w.code)).map((w) => w.pos[0]));
  const out: TagProblem[] = [];
  let offset = 0;
  for (const token of new Lexer().lex(text)) {
    const type = CST.tokenType(token);
    // The lexer's own control tokens are not in the text (as in scanTokens).
    if (token.length === 1 && (type === 'doc-mode' || type === 'scalar' || type === 'flow-error-end')) continue;
    if (type === 'tag') {
      const name = doc.directives.tagName(token, () => {}) ?? token;
      const short = name.startsWith(CORE) ? name.slice(CORE.length) : undefined;
      const core = short !== undefined && Object.hasOwn(CORE_TAGS, short) ? CORE_TAGS[short] : undefined;
      // An unknown tag would otherwise read as plain text: a `!vault` value as its ciphertext.
      if (token === '!vault') out.push({ offset, message: 'a !vault value (Ansible Vault) is not supported: teqlctl does not decrypt', hint: VAULT_HINT });
      else if (core === undefined) out.push({ offset, message: `unsupported YAML tag ${token}`, hint: TAG_HINT });
      else if (complaints.has(offset)) out.push({ offset, message: `YAML tag ${token} cannot tag this value: it takes ${core}`, hint: 'fix the value, or remove the tag' });
    }
    offset += token.length;
  }
  return out;
}

export function at(y: YamlFile, offset: number): SourcePos {
  const { line, col } = y.lines.linePos(offset);
  return { file: y.file, line, col };
}

/** Position of a node (the first character of its value); the document start when it has none. */
export function posOf(y: YamlFile, node: Node | null | undefined): SourcePos {
  return at(y, node?.range?.[0] ?? 0);
}

/** Follows aliases so that callers see the node the alias stands for. */
export function deref(y: YamlFile, node: unknown): unknown {
  return isAlias(node) ? y.aliases.get(node) : node;
}

/** The child node at `key` of a mapping or sequence node, or undefined. */
export function child(y: YamlFile, node: unknown, key: PropertyKey): Node | undefined {
  const n = deref(y, node);
  if (isMap(n)) {
    const pair = n.items.find((p) => keyText(p.key) === String(key));
    return (deref(y, pair?.value) ?? undefined) as Node | undefined;
  }
  if (isSeq(n) && typeof key === 'number') return (deref(y, n.items[key]) ?? undefined) as Node | undefined;
  return undefined;
}

/** The key node of the entry `key` in a mapping node, or undefined. */
export function keyNode(y: YamlFile, node: unknown, key: string): Node | undefined {
  const n = deref(y, node);
  if (!isMap(n)) return undefined;
  return n.items.find((p) => keyText(p.key) === key)?.key as Node | undefined;
}

/** The deepest node along `path` that exists in the YAML, and how much of the path it covers. */
export function deepest(y: YamlFile, node: Node, path: readonly PropertyKey[]): { node: Node; depth: number } {
  let current = node;
  let depth = 0;
  for (const key of path) {
    const next = child(y, current, key);
    if (!next) break;
    current = next;
    depth++;
  }
  return { node: current, depth };
}

/** A mapping key as text; the merge key `<<` (a symbol inside yaml) reads as '<<'. */
export function keyText(key: unknown): string {
  const v = isScalar(key) ? key.value : key;
  return typeof v === 'symbol' ? (v.description ?? '') : String(v);
}

/** The plain JS value of a node (aliases and merge keys resolved). */
export function toJS(y: YamlFile, node: unknown): unknown {
  const n = deref(y, node);
  if (n === null || n === undefined) return null;
  const target = n as Node;
  try {
    return target.toJS(y.doc, { maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    if (err instanceof Error && /^Merge sources must be/.test(err.message)) throw badMerge(y, target);
    // The yaml package's guard against alias bombs; the checks of readYaml normally refuse them first.
    if (!(err instanceof ReferenceError)) throw err;
    const uses = new Map<string, { first: Alias; count: number }>();
    visit(target, {
      Alias: (_k, a) => {
        const u = uses.get(a.source);
        if (u) u.count++;
        else uses.set(a.source, { first: a, count: 1 });
      },
    });
    const most = [...uses.values()].sort((a, b) => b.count - a.count)[0]?.first;
    const name = most ? `*${most.source}` : 'an anchor';
    throw new ConfigError(`invalid YAML: ${name} is used too often here (more than the yaml parser's maxAliasCount of ${MAX_ALIAS_COUNT}, a guard against alias bombs)`, posOf(y, most ?? target), 'use fewer aliases, or write the values out');
  }
}

/** A merge key (`<<`) whose value is no mapping nor list of them (the yaml package throws on it): said at that key. */
function badMerge(y: YamlFile, target: Node): ConfigError {
  const mergeable = (v: unknown) => {
    const n = deref(y, v);
    return isMap(n) || (isSeq(n) && n.items.every((i) => isMap(deref(y, i))));
  };
  let at: Node | undefined;
  visit(target, { Pair: (_k, p) => void (at ??= keyText(p.key) === '<<' && !mergeable(p.value) ? (p.key as Node) : undefined) });
  return new ConfigError('invalid YAML: a merge key (<<) must bring in a mapping (`<<: *anchor`) or a list of them', posOf(y, at ?? target), 'write `<<: *anchor` of a mapping, or write the entries out');
}
