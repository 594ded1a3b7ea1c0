// `{{ expr }}` templates inside strings. A string that is exactly one `{{ expr }}` keeps the value's
// type (a list stays a list, as in Ansible); anything else is text interpolation.
import { copyKeyTypes } from './key-types.js';
import { ExprError, SUPPORTED_SYNTAX } from './expr-error.js';
import { parseExpr, type Expr } from './expr-parse.js';
import { PY_SPACE } from './expr-tokens.js';
import { rootVars } from './expr-show.js';
import { evalExpr, textOf, type Scope } from './expr-eval.js';
import { refuseBooleanWord } from './boolean-word.js';
import { checkValueSize } from './budget.js';
import { MAX_TEMPLATE_CHARS } from './limits.js';

type Segment = { text: string } | { expr: Expr };

const cache = new Map<string, Segment[]>();
// Jinja strips for {{- and -}} what Python takes for whitespace (\x85 and \x1c-\x1f too, not \ufeff).
const SPACE = new RegExp(PY_SPACE);
const TRAILING_SPACE = new RegExp(`${PY_SPACE}+$`);

export function isTemplate(s: string): boolean {
  return s.includes('{{') || s.includes('{%') || s.includes('{#');
}

/** Index of the `}}` closing the expression that starts at `from`, skipping quoted strings. */
function closing(s: string, from: number): number {
  let quote: string | undefined;
  for (let i = from; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '}' && s[i + 1] === '}') return i;
  }
  return -1;
}

/** The expression of a value written as one whole template (`"{{ flags }}"`): its value is that expression's, words and all. */
export function wholeTemplateExpr(value: unknown): Expr | undefined {
  if (typeof value !== 'string' || !value.includes('{{')) return undefined;
  try {
    const segments = parseTemplate(value);
    const only = segments.length === 1 ? segments[0] : undefined;
    return only && 'expr' in only ? only.expr : undefined;
  } catch {
    return undefined; // said where the value is rendered
  }
}

export function parseTemplate(raw: string): Segment[] {
  const cached = cache.get(raw);
  if (cached) return cached;
  // As Jinja reads its source: every line break is \n, and one at the very end is dropped (Ansible
  // puts back what the result lacks of the source's trailing newlines: see renderString).
  const s = raw.replace(/\r\n?/g, '\n').replace(/\n$/, '');
  const segments: Segment[] = [];
  let i = 0;
  while (i < s.length) {
    const open = s.slice(i).search(/\{[{%#]/);
    if (open < 0) {
      segments.push({ text: s.slice(i) });
      break;
    }
    const start = i + open;
    if (start > i) segments.push({ text: s.slice(i, start) });
    const kind = s[start + 1];
    if (kind === '%') throw new ExprError(`Jinja statements ({% ... %}) are not supported: '${s}'`, `use loop: and when: on the task; inside {{ }}: ${SUPPORTED_SYNTAX}`);
    if (kind === '#') throw new ExprError(`Jinja comments ({# ... #}) are not supported: '${s}'`, 'use a YAML comment (# ...) instead');
    // Jinja's whitespace control: `{{-` strips the whitespace before the tag, `-}}` the whitespace
    // after it (newlines too). A `-` there is never an operator (`{{-1}}` is 1, as in Jinja; -1 is `{{ -1 }}`).
    const trimBefore = s[start + 2] === '-';
    const from = start + (trimBefore ? 3 : 2);
    const end = closing(s, from);
    if (end < 0) throw new ExprError(`unclosed '{{' in '${s}'`, "close the expression with '}}'");
    const trimAfter = s[end - 1] === '-' && end - 1 >= from;
    if (trimBefore) trimLastText(segments);
    segments.push({ expr: parseExpr(s.slice(from, trimAfter ? end - 1 : end)) });
    i = end + 2;
    if (trimAfter) while (i < s.length && SPACE.test(s[i]!)) i++;
  }
  cache.set(raw, segments);
  return segments;
}

/** `{{-`: the text before the tag loses its trailing whitespace; nothing left, no segment. */
function trimLastText(segments: Segment[]): void {
  const last = segments.at(-1);
  if (!last || !('text' in last)) return;
  const text = last.text.replace(TRAILING_SPACE, '');
  if (text === '') segments.pop();
  else segments[segments.length - 1] = { text };
}

/** Ansible's Templar.SINGLE_VAR: the whole string is one variable's name in braces (Python's $: a final \n may follow). */
const SINGLE_VAR = /^\{\{\s*(\w*)\s*\}\}\n?$/;

/** Ansible's preserve_trailing_newlines: text gets the newlines that end the template and not yet the text. */
function withTrailingNewlines(template: string, text: string): string {
  const missing = trailingNewlines(template) - trailingNewlines(text);
  return missing > 0 ? text + '\n'.repeat(missing) : text;
}

function trailingNewlines(s: string): number {
  let n = 0;
  while (s[s.length - 1 - n] === '\n') n++;
  return n;
}

/** Renders one string; exactly one `{{ expr }}` and nothing else returns the value itself. */
export function renderString(s: string, scope: Scope): unknown {
  if (!isTemplate(s)) return s;
  const segments = parseTemplate(s);
  const only = segments.length === 1 ? segments[0] : undefined;
  if (only && 'expr' in only) {
    refuseBooleanWord(only.expr, scope.booleanWord?.bind(scope), 'as a value');
    const value = evalExpr(only.expr, scope);
    // Ansible prints none as nothing, but for exactly `{{ name }}` of a variable set to none itself
    // (its Templar's shortcut): `{{- x -}}`, `{{ (x) }}` and a variable templated to none print ''.
    const bare = SINGLE_VAR.exec(s);
    const typed = value === null && !(bare && scope.rawValue?.(bare[1]!)?.value === null) ? '' : value;
    const v = typeof typed === 'string' ? withTrailingNewlines(s, typed) : typed;
    // What a value costs later (validation, comparisons) is its size as a tree: charged here, bounded.
    scope.spend?.(typeof v === 'string' ? textCost(v) : checkValueSize(v));
    return v;
  }
  const parts: string[] = [];
  let chars = 0;
  for (const seg of segments) {
    if ('expr' in seg) refuseBooleanWord(seg.expr, scope.booleanWord?.bind(scope), 'printed');
    const text = 'text' in seg ? seg.text : textOf(evalExpr(seg.expr, scope));
    chars += text.length;
    if (chars > MAX_TEMPLATE_CHARS) throw new ExprError(`the template gives more than ${MAX_TEMPLATE_CHARS} characters`, 'a variable that repeats another one several times doubles with each level: simplify it');
    parts.push(text);
  }
  const text = withTrailingNewlines(s, parts.join(''));
  scope.spend?.(textCost(text));
  return text;
}

/** A string costs a step per 256 characters (copies and checks are linear in its length). */
function textCost(s: string): number {
  return 1 + Math.floor(s.length / 256);
}

/** Renders every string inside a value (lists and mappings walked); other values are returned as they are. */
export function renderDeep(v: unknown, scope: Scope): unknown {
  if (typeof v === 'string') return renderString(v, scope);
  if (Array.isArray(v)) return v.map((x) => renderDeep(x, scope));
  if (isPlainObject(v)) {
    const out = Object.fromEntries(Object.entries(v).map(([k, x]) => [k, renderDeep(x, scope)]));
    copyKeyTypes(v, out);
    return out;
  }
  return v;
}

export function hasTemplateDeep(v: unknown): boolean {
  if (typeof v === 'string') return isTemplate(v);
  if (Array.isArray(v)) return v.some(hasTemplateDeep);
  if (isPlainObject(v)) return Object.values(v).some(hasTemplateDeep);
  return false;
}

/** Root variable names read by the templates inside a value (syntax errors ignored). */
export function templateVars(v: unknown, out = new Set<string>()): Set<string> {
  if (typeof v === 'string' && isTemplate(v)) {
    try {
      for (const seg of parseTemplate(v)) if ('expr' in seg) rootVars(seg.expr, out);
    } catch {
      // reported where the syntax is checked
    }
  } else if (Array.isArray(v)) v.forEach((x) => templateVars(x, out));
  else if (isPlainObject(v)) Object.values(v).forEach((x) => templateVars(x, out));
  return out;
}

/** Syntax problems of every template inside a value, with the path to the offending string. */
export function templateSyntaxErrors(v: unknown, path: PropertyKey[] = []): { path: PropertyKey[]; error: ExprError }[] {
  if (typeof v === 'string') {
    if (!isTemplate(v)) return [];
    try {
      parseTemplate(v);
      return [];
    } catch (err) {
      if (err instanceof ExprError) return [{ path, error: err }];
      throw err;
    }
  }
  if (Array.isArray(v)) return v.flatMap((x, i) => templateSyntaxErrors(x, [...path, i]));
  if (isPlainObject(v)) return Object.entries(v).flatMap(([k, x]) => templateSyntaxErrors(x, [...path, k]));
  return [];
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
