// Reads a YAML file and keeps what is needed to point back at any node: file, document, line counter.
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, visit, isAlias, isMap, isScalar, isSeq, type Document, type Node } from 'yaml';
import type { SourcePos } from '../errors.js';
import type { Problems } from './problems.js';

export interface YamlFile {
  file: string;
  doc: Document.Parsed;
  lines: LineCounter;
}

const HINTS: Record<string, string> = {
  DUPLICATE_KEY: 'each key may appear only once in a mapping; remove or rename one of them',
  MULTIPLE_DOCS: 'keep one YAML document per file (remove the second `---`)',
  TAB_AS_INDENT: 'indent with spaces, not tabs',
};

/**
 * Reads and parses `file`. Syntax problems are added to `problems` (and the file is still returned when
 * it could be parsed at all); a missing or unreadable file yields undefined.
 */
export function readYaml(file: string, what: string, problems: Problems): YamlFile | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : String(err);
    problems.add(`cannot read ${what} '${file}': ${why}`, undefined, `check the path of the ${what}`);
    return undefined;
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, merge: true });
  const y: YamlFile = { file, doc, lines };
  for (const e of doc.errors) {
    problems.add(`invalid YAML: ${e.message}`, at(y, e.pos[0]), HINTS[e.code] ?? 'fix the YAML syntax');
  }
  let broken = doc.errors.length > 0;
  visit(doc, {
    Alias(_key, node) {
      if (node.resolve(doc)) return;
      problems.add(`invalid YAML: unknown alias *${node.source}`, posOf(y, node), 'define the anchor (&name) before using it');
      broken = true;
    },
  });
  return broken ? undefined : y;
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
  return isAlias(node) ? node.resolve(y.doc) : node;
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
  return (n as Node).toJS(y.doc);
}
