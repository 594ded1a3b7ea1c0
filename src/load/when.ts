// `when:` conditions: a bare expression (no {{ }}) that must give true or false; a list means all of them.
import { describeValue, evalExpr, type Scope } from './expr-eval.js';
import { ExprError } from './expr-error.js';
import { parseExpr } from './expr-parse.js';

/** Throws ExprError when a condition cannot be used; checked once per task, before any host. */
export function checkCondition(value: unknown): asserts value is string | boolean {
  if (typeof value === 'boolean') return;
  if (typeof value !== 'string') {
    throw new ExprError(`when: must be a condition such as "x == 'y'", or a list of them; got ${JSON.stringify(value)}`);
  }
  if (value.includes('{{')) {
    throw new ExprError(`when: is already an expression and must not contain {{ }}: '${value}'`, `write the bare expression, e.g. when: ${value.replace(/\{\{-?\s*|\s*-?\}\}/g, '')}`);
  }
  try {
    parseExpr(value);
  } catch (err) {
    if (err instanceof ExprError) throw new ExprError(`when: ${err.message}`, err.hint);
    throw err;
  }
}

/** The condition's value for one host (and loop item); strict: only true or false is accepted. */
export function evalCondition(value: string | boolean, scope: Scope): boolean {
  if (typeof value === 'boolean') return value;
  let v: unknown;
  try {
    v = evalExpr(parseExpr(value), scope);
  } catch (err) {
    if (err instanceof ExprError) throw new ExprError(`when: ${err.message}`, err.hint);
    throw err;
  }
  if (typeof v === 'boolean') return v;
  throw new ExprError(`when: '${value}' gave ${describeValue(v)}, not true or false`, "compare explicitly (x == 'yes') or convert with | bool");
}
