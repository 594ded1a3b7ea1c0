// Splits an expression into names, numbers, strings and operators; unsupported operators stop here.
import { ExprError, SUPPORTED_SYNTAX } from './expr-error.js';

export type Token =
  | { t: 'name'; v: string }
  | { t: 'num'; v: number }
  | { t: 'str'; v: string }
  | { t: 'op'; v: string }
  | { t: 'end' };

const OPS = ['==', '!=', '.', '[', ']', '(', ')', ',', '|'];
const UNSUPPORTED_OPS = ['<=', '>=', '//', '**', '<', '>', '+', '-', '*', '/', '%', '~', '=', '{', '}', ':', '?'];

export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const rest = src.slice(i);
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest);
    const num = /^\d+(\.\d+)?/.exec(rest);
    const neg = /^-\d+(\.\d+)?/.exec(rest);
    const prev = out[out.length - 1];
    const valueExpected = !prev || (prev.t === 'op' && prev.v !== ')' && prev.v !== ']');
    if (name) {
      out.push({ t: 'name', v: name[0] });
      i += name[0].length;
    } else if (num || (neg && valueExpected)) {
      const m = (num ?? neg)!;
      out.push({ t: 'num', v: Number(m[0]) });
      i += m[0].length;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      let v = '';
      while (j < src.length && src[j] !== c) {
        if (src[j] === '\\' && j + 1 < src.length) j++;
        v += src[j];
        j++;
      }
      if (j >= src.length) throw new ExprError(`unterminated string in '${src}'`, 'close the quote');
      out.push({ t: 'str', v });
      i = j + 1;
    } else {
      const op = OPS.find((o) => rest.startsWith(o));
      if (op) {
        out.push({ t: 'op', v: op });
        i += op.length;
        continue;
      }
      const bad = UNSUPPORTED_OPS.find((o) => rest.startsWith(o)) ?? c;
      throw new ExprError(`unsupported operator '${bad}' in '${src}'`, SUPPORTED_SYNTAX);
    }
  }
  out.push({ t: 'end' });
  return out;
}
