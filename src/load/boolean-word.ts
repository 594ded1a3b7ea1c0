// `yes`, `no`, `on`, `off` written plain in a YAML file: booleans to Ansible (YAML 1.1), text to
// teqlctl (YAML 1.2). Where teqlctl needs a boolean it refuses the text; compared (`tune == true`,
// `dis == 'off'`) or printed (`"{{ tune }}"`) it went on with its own reading and chose another
// branch or value than Ansible would, without a word (a review). Refused there, naming the variable;
// reached through a key or an index (`opts.tune`, `lst[0]`) or a filter that keeps it text
// (`tune | default(false)`, `tune | string`) too (a second review).
import { isMap, isScalar, isSeq } from 'yaml';
import { ExprError } from './expr-error.js';
import type { Expr } from './expr-parse.js';
import { mergedPairs } from './merged-pairs.js';

/** A value written as a plain YAML 1.1 boolean word. */
export interface BooleanWord {
  word: string;
  /** Ansible's reading. */
  value: boolean;
  /** Where it was written: file:line:col. */
  at: string;
}

/** A variable's values written as such words, by their path inside it ('' the value itself, `.key`, `[0]`). */
export type BooleanWords = Map<string, { word: string; value: boolean; /** Where, when not where the variable was set (a loop item's). */ at?: string }>;

/** Finds the word at `path` of variable `name`, when there is one. */
export type FindBooleanWord = (name: string, path: string) => BooleanWord | undefined;

const WORDS = /^(?:yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF)$/;

/** The YAML 1.1 boolean a plain scalar's source text is, when it is one of those words. */
export function booleanWordOf(source: unknown): boolean | undefined {
  if (typeof source !== 'string' || !WORDS.test(source)) return undefined;
  return /^(?:yes|on)$/i.test(source);
}

/**
 * The plain boolean words of a YAML value node, by path. `resolve` takes an alias to its node:
 * given, aliases and merge keys are followed as the value's reader follows them (a word brought by
 * `<<: *defaults` or `again: *flags` was not seen, and read as text: a review). Depth-bounded.
 */
export function booleanWordsIn(node: unknown, path = '', out: BooleanWords = new Map(), resolve: (n: unknown) => unknown = (n) => n, depth = 0): BooleanWords {
  const n = resolve(node);
  if (depth > 64) return out;
  if (isScalar(n)) {
    const value = n.type === 'PLAIN' && n.tag === undefined ? booleanWordOf(n.source) : undefined;
    if (value !== undefined) out.set(path, { word: String(n.source), value });
  } else if (isMap(n)) {
    for (const [key, value] of mergedPairs(n, resolve)) booleanWordsIn(value, `${path}.${key}`, out, resolve, depth + 1);
  } else if (isSeq(n)) {
    n.items.forEach((item, i) => booleanWordsIn(item, `${path}[${i}]`, out, resolve, depth + 1));
  }
  return out;
}

/** The variable and path `e` reads, through keys, literal indexes and filters that keep the text. */
function reached(e: Expr): Array<{ name: string; path: string }> {
  switch (e.kind) {
    case 'var':
      return [{ name: e.name, path: '' }];
    case 'attr':
      return reached(e.target).map((r) => ({ ...r, path: `${r.path}.${e.name}` }));
    case 'index': {
      const key = e.index.kind === 'literal' ? e.index.value : undefined;
      // An index or key known only when run (`flags[idx]`, `m[key]`): any item or key there (a review found them passed).
      if (typeof key !== 'string' && typeof key !== 'number') return reached(e.target).map((r) => ({ ...r, path: `${r.path}${ANY}` }));
      return reached(e.target).map((r) => ({ ...r, path: typeof key === 'number' ? `${r.path}[${key}]` : `${r.path}.${key}` }));
    }
    case 'filter':
      // `| bool` reads the word as Ansible does, `| int` refuses it: the others keep it text.
      if (e.name === 'bool' || e.name === 'int') return [];
      return [...reached(e.target), ...(e.name === 'default' || e.name === 'd' ? e.args.slice(0, 1).flatMap(reached) : [])];
    default:
      return [];
  }
}

/** In a path: an index or key not known before the run (any one). */
export const ANY = '[*]';

/** The word at `path` of `words`, where the path may hold ANY (an index or key known when run). */
export function wordAt<W>(words: ReadonlyMap<string, W> | undefined, path: string): W | undefined {
  if (!words || !path.includes(ANY)) return words?.get(path);
  const re = new RegExp(`^${path.split(ANY).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('(?:\\[\\d+\\]|\\.[^.[]+)')}$`);
  for (const [p, w] of words) if (re.test(p)) return w;
  return undefined;
}

/** Refuses `e` when it reads a value written as such a word; `use`: "compared", "printed". */
export function refuseBooleanWord(e: Expr, find: FindBooleanWord | undefined, use: string): void {
  if (!find) return;
  for (const { name, path } of reached(e)) {
    const w = find(name, path);
    if (!w) continue;
    const shownName = `${name}${path}`;
    throw new ExprError(
      `'${shownName}' is written \`${w.word}\` (at ${w.at}): Ansible (YAML 1.1) reads it as the boolean ${w.value}, teqlctl (YAML 1.2) as the text '${w.word}', and ${use} the two differ`,
      `write ${w.value} where it is set if it is a switch (or quote it, '${w.word}', if it is text), or convert it here with ${shownName} | bool`,
    );
  }
}

/** A variable's words and where it was set (no words: an empty map), and the whole template its value is, when it is one; undefined where it is not set. */
export type WordsOf = (name: string) => { words: BooleanWords; at: string; expr?: Expr } | undefined;

/**
 * The words of the value `e` gives, by path inside that value: the first variable `e` reaches that
 * is set gave it (`x | default(y)`: x where set, else y; a review found y's words refusing a list of
 * booleans in x). A variable that is itself one whole template (`flags: "{{ other }}"`) holds the
 * words of what it reads: its list of yes/no was Ansible's booleans and teqlctl's text, unsaid.
 */
export function wordsOfExpr(e: Expr, wordsOf: WordsOf, seen: readonly string[] = []): BooleanWords {
  const source = reached(e).map((r) => ({ ...r, found: wordsOf(r.name) })).find((r) => r.found);
  if (!source?.found || seen.includes(source.name)) return new Map();
  const { words, at, expr } = source.found;
  const all: BooleanWords = words.size === 0 && expr ? wordsOfExpr(expr, wordsOf, [...seen, source.name]) : new Map([...words].map(([p, w]) => [p, { ...w, at: w.at ?? at }]));
  return under(all, source.path);
}

/** The words at `prefix` and below, by their path from there. */
function under(words: BooleanWords, prefix: string): BooleanWords {
  const out: BooleanWords = new Map();
  for (const [p, w] of words) {
    const rest = p.slice(prefix.length);
    if (p.startsWith(prefix) && (rest === '' || rest.startsWith('.') || rest.startsWith('['))) out.set(rest, w);
  }
  return out;
}

/**
 * The words of a loop's item number `index`: of the loop's own YAML list, or of the variable the
 * loop reads (`loop: "{{ flags }}"`, `"{{ opts.links }}"`). `item` held `yes` where Ansible's held
 * true, and `when: item == true` chose otherwise without a word (a Left of stop 61).
 */
export function loopItemWords(loopNode: unknown, loopExpr: Expr | undefined, index: number, wordsOf: WordsOf): BooleanWords {
  if (isSeq(loopNode)) return booleanWordsIn(loopNode.items[index]);
  return loopExpr ? under(wordsOfExpr(loopExpr, wordsOf), `[${index}]`) : new Map();
}
