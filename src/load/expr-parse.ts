// The Jinja subset teqlctl understands, parsed into a small tree. See docs/playbook-language.md.
import { ExprError, SUPPORTED_SYNTAX } from './expr-error.js';
import { tokenize, type Token } from './expr-tokens.js';
import { MAX_EXPR_DEPTH } from './limits.js';

export type Expr =
  | { kind: 'literal'; value: unknown }
  | { kind: 'list'; items: Expr[] }
  | { kind: 'var'; name: string }
  | { kind: 'attr'; target: Expr; name: string }
  | { kind: 'index'; target: Expr; index: Expr }
  | { kind: 'filter'; target: Expr; name: FilterName; args: Expr[] }
  | { kind: 'not'; operand: Expr }
  | { kind: 'and' | 'or' | 'eq' | 'ne'; left: Expr; right: Expr }
  | { kind: 'defined'; target: Expr; negate: boolean };

/** filter name -> [min args, max args] */
export const FILTERS = { default: [0, 2], d: [0, 2], int: [0, 0], string: [0, 0], bool: [0, 0] } as const;
export type FilterName = keyof typeof FILTERS;

const KEYWORDS = new Set(['and', 'or', 'not', 'is', 'in', 'if', 'else']);

/** Parses one expression (the inside of `{{ }}`, or a `when:` condition). */
export function parseExpr(src: string): Expr {
  if (src.trim() === '') throw new ExprError('empty expression', 'write a variable name, e.g. {{ teql_slaves }}');
  const tokens = tokenize(src);
  let pos = 0;
  const peek = (): Token => tokens[pos]!;
  const isOp = (v: string): boolean => {
    const t = peek();
    return t.t === 'op' && t.v === v;
  };
  const isName = (v: string): boolean => {
    const t = peek();
    return t.t === 'name' && t.v === v;
  };
  const describe = (t: Token): string => (t.t === 'end' ? 'the end' : `'${String(t.v)}'`);
  const fail = (what: string): never => {
    throw new ExprError(`bad expression '${src.trim()}': expected ${what}, found ${describe(peek())}`, SUPPORTED_SYNTAX);
  };
  const expectOp = (v: string): void => {
    if (!isOp(v)) fail(`'${v}'`);
    pos++;
  };
  // Parentheses, lists, indexes and filter arguments recurse through orExpr, `not` through notExpr.
  let nesting = 0;
  const nested = <T>(parse: () => T): T => {
    if (++nesting > MAX_EXPR_DEPTH) tooDeep(src);
    try {
      return parse();
    } finally {
      nesting--;
    }
  };

  const orExpr = (): Expr => nested(() => {
    let left = andExpr();
    while (isName('or')) {
      pos++;
      left = { kind: 'or', left, right: andExpr() };
    }
    return left;
  });
  const andExpr = (): Expr => {
    let left = notExpr();
    while (isName('and')) {
      pos++;
      left = { kind: 'and', left, right: notExpr() };
    }
    return left;
  };
  const notExpr = (): Expr => {
    if (isName('not')) {
      pos++;
      return nested(() => ({ kind: 'not', operand: notExpr() }));
    }
    return comparison();
  };
  const comparison = (): Expr => {
    const left = filtered();
    if (isOp('==') || isOp('!=')) {
      const kind = isOp('==') ? 'eq' : 'ne';
      pos++;
      return { kind, left, right: filtered() };
    }
    if (isName('is')) {
      pos++;
      let negate = false;
      if (isName('not')) {
        negate = true;
        pos++;
      }
      const test = peek();
      if (test.t === 'name' && (test.v === 'defined' || test.v === 'undefined')) {
        pos++;
        return { kind: 'defined', target: left, negate: negate !== (test.v === 'undefined') };
      }
      throw new ExprError(
        `unsupported test 'is ${negate ? 'not ' : ''}${test.t === 'end' ? '' : String(test.v)}' in '${src.trim()}'`,
        'supported tests: is defined, is not defined',
      );
    }
    if (isName('in')) {
      throw new ExprError(`unsupported operator 'in' in '${src.trim()}'`, SUPPORTED_SYNTAX);
    }
    return left;
  };
  const filtered = (): Expr => {
    let target = postfix();
    while (isOp('|')) {
      pos++;
      const t = peek();
      if (t.t !== 'name') fail('a filter name after |');
      const name = String((t as { v: string }).v);
      pos++;
      if (!(name in FILTERS)) {
        throw new ExprError(`unsupported filter '${name}' in '${src.trim()}'`, `supported filters: ${Object.keys(FILTERS).join(', ')}`);
      }
      const args: Expr[] = [];
      if (isOp('(')) {
        pos++;
        if (!isOp(')')) {
          args.push(orExpr());
          while (isOp(',')) {
            pos++;
            args.push(orExpr());
          }
        }
        expectOp(')');
      }
      const [min, max] = FILTERS[name as FilterName];
      if (args.length < min || args.length > max) {
        throw new ExprError(`filter '${name}' takes ${min === max ? min : `${min} to ${max}`} arguments, got ${args.length}`, SUPPORTED_SYNTAX);
      }
      target = { kind: 'filter', target, name: name as FilterName, args };
    }
    return target;
  };
  const postfix = (): Expr => {
    let target = primary();
    for (;;) {
      if (isOp('.')) {
        pos++;
        const t = peek();
        if (t.t !== 'name') fail('a key name after . (use a[0] for list items)');
        target = { kind: 'attr', target, name: String((t as { v: string }).v) };
        pos++;
      } else if (isOp('[')) {
        pos++;
        const index = orExpr();
        expectOp(']');
        target = { kind: 'index', target, index };
      } else if (isOp('(')) {
        throw new ExprError(`function calls are not supported in '${src.trim()}'`, SUPPORTED_SYNTAX);
      } else {
        return target;
      }
    }
  };
  const primary = (): Expr => {
    const t = peek();
    if (t.t === 'num' || t.t === 'str') {
      pos++;
      return { kind: 'literal', value: t.v };
    }
    if (t.t === 'op' && t.v === '(') {
      pos++;
      const inner = orExpr();
      expectOp(')');
      return inner;
    }
    if (t.t === 'op' && t.v === '[') {
      pos++;
      const items: Expr[] = [];
      if (!isOp(']')) {
        items.push(orExpr());
        while (isOp(',')) {
          pos++;
          items.push(orExpr());
        }
      }
      expectOp(']');
      return { kind: 'list', items };
    }
    if (t.t === 'name') {
      pos++;
      if (t.v === 'true' || t.v === 'True') return { kind: 'literal', value: true };
      if (t.v === 'false' || t.v === 'False') return { kind: 'literal', value: false };
      if (t.v === 'none' || t.v === 'None') return { kind: 'literal', value: null };
      if (KEYWORDS.has(t.v)) {
        pos--;
        return fail('a value');
      }
      return { kind: 'var', name: t.v };
    }
    return fail('a value');
  };

  const expr = orExpr();
  if (peek().t !== 'end') fail('the end of the expression');
  // Chains (a and b and …, x | f | g, a.b.c) nest without recursion here, but evaluating them recurses.
  if (depthOf(expr) > MAX_EXPR_DEPTH) tooDeep(src);
  return expr;
}

function tooDeep(src: string): never {
  const shown = src.trim().length > 60 ? `${src.trim().slice(0, 60)}…` : src.trim();
  throw new ExprError(`expression '${shown}' is nested more than ${MAX_EXPR_DEPTH} levels deep (parentheses, not, chains of and/or, filters, a.b[c])`, 'split it into variables, each a part of it');
}

function childrenOf(e: Expr): Expr[] {
  switch (e.kind) {
    case 'list':
      return e.items;
    case 'attr':
    case 'defined':
      return [e.target];
    case 'index':
      return [e.target, e.index];
    case 'filter':
      return [e.target, ...e.args];
    case 'not':
      return [e.operand];
    case 'and':
    case 'or':
    case 'eq':
    case 'ne':
      return [e.left, e.right];
    default:
      return [];
  }
}

/** Depth of the tree, without recursion (a chain of 50 000 `and`s is 50 000 deep). */
function depthOf(root: Expr): number {
  let max = 0;
  const stack: [Expr, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [e, d] = stack.pop()!;
    if (d > max) max = d;
    if (max > MAX_EXPR_DEPTH) return max;
    for (const c of childrenOf(e)) stack.push([c, d + 1]);
  }
  return max;
}
