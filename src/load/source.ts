// Reads a YAML file and keeps what is needed to point back at any node: file, document, line counter.
import { LineCounter, parseDocument, visit, isAlias, isMap, isScalar, isSeq, type Alias, type Document, type Node } from 'yaml';
import { ConfigError, type SourcePos } from '../errors.js';
import { MAX_ALIAS_COUNT } from './limits.js';
import type { Problems } from './problems.js';
import { analyzeDocument, readLimited, scanTokens } from './yaml-guard.js';
import { at1, VAULT_HINT, vaultRefusal } from './file-head.js';

export interface YamlFile {
  file: string;
  doc: Document.Parsed;
  lines: LineCounter;
  /** Every alias and the node it stands for, resolved once (resolving through the yaml package walks the whole document each time). */
  aliases: Map<Alias, Node>;
}

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
  const refused = scanTokens(text);
  if (refused) {
    const before = text.slice(0, refused.offset);
    const line = before.split('\n').length;
    problems.add(refused.message, { file, line, col: refused.offset - before.lastIndexOf('\n') }, refused.hint);
    return undefined;
  }
  const lines = new LineCounter();
  // uniqueKeys: false because analyzeDocument finds duplicate keys in linear time.
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, merge: true, uniqueKeys: false });
  const y: YamlFile = { file, doc, lines, aliases: new Map() };
  for (const e of doc.errors) {
    problems.add(`invalid YAML: ${e.message}`, at(y, e.pos[0]), HINTS[e.code] ?? 'fix the YAML syntax');
  }
  if (doc.errors.length > 0) return undefined;
  // A %YAML 1.1 directive would switch the parser to YAML 1.1: yes/no booleans, 0755 an octal number.
  if (doc.directives?.yaml.explicit && doc.directives.yaml.version !== '1.2') {
    problems.add(`%YAML ${doc.directives.yaml.version}: teqlctl reads YAML 1.2 only (under 1.1, yes/no would be booleans and 0755 an octal number)`, at(y, Math.max(0, text.search(/^%YAML\b/m))), 'remove the %YAML line');
    return undefined;
  }
  // An unknown tag would otherwise read as plain text: a `!vault` value as its ciphertext.
  const tags = doc.warnings.filter((w) => w.code === 'TAG_RESOLVE_FAILED');
  for (const w of tags) {
    const vaulted = /!vault\b/.test(w.message);
    const tag = /Unresolved tag: (\S+)/.exec(w.message)?.[1] ?? 'this tag';
    problems.add(vaulted ? 'a !vault value (Ansible Vault) is not supported: teqlctl does not decrypt' : `unsupported YAML tag ${tag}`, at(y, w.pos[0]), vaulted ? VAULT_HINT : 'remove the tag; teqlctl reads plain YAML values');
  }
  if (tags.length > 0) return undefined;
  const analysis = analyzeDocument(doc);
  for (const p of analysis.problems) problems.add(p.message, posOf(y, p.node), p.hint);
  y.aliases = analysis.aliases;
  return analysis.problems.length > 0 ? undefined : y;
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
