// Reading a parsed expression back: the variables it uses, and its source form for messages.
import type { Expr } from './expr-parse.js';

/** Root variable names an expression reads, for messages that say where a value came from. */
export function rootVars(e: Expr, out = new Set<string>()): Set<string> {
  switch (e.kind) {
    case 'var':
      out.add(e.name);
      break;
    case 'literal':
      break;
    case 'list':
      e.items.forEach((i) => rootVars(i, out));
      break;
    case 'attr':
      rootVars(e.target, out);
      break;
    case 'index':
      rootVars(e.target, out);
      rootVars(e.index, out);
      break;
    case 'filter':
      rootVars(e.target, out);
      e.args.forEach((a) => rootVars(a, out));
      break;
    case 'not':
      rootVars(e.operand, out);
      break;
    case 'defined':
      rootVars(e.target, out);
      break;
    default:
      rootVars(e.left, out);
      rootVars(e.right, out);
  }
  return out;
}

/** The expression written back in source form, for messages. */
export function show(e: Expr): string {
  switch (e.kind) {
    case 'literal':
      return typeof e.value === 'string' ? `'${e.value}'` : String(e.value);
    case 'list':
      return `[${e.items.map(show).join(', ')}]`;
    case 'var':
      return e.name;
    case 'attr':
      return `${show(e.target)}.${e.name}`;
    case 'index':
      return `${show(e.target)}[${show(e.index)}]`;
    case 'filter':
      return `${show(e.target)} | ${e.name}${e.args.length ? `(${e.args.map(show).join(', ')})` : ''}`;
    case 'not':
      return `not ${show(e.operand)}`;
    case 'defined':
      return `${show(e.target)} is ${e.negate ? 'not ' : ''}defined`;
    case 'eq':
      return `${show(e.left)} == ${show(e.right)}`;
    case 'ne':
      return `${show(e.left)} != ${show(e.right)}`;
    default:
      return `${show(e.left)} ${e.kind} ${show(e.right)}`;
  }
}
