// Splits an expression into names, numbers, strings and operators; unsupported operators stop here.
import { ExprError, SUPPORTED_SYNTAX } from './expr-error.js';

export type Token =
  | { t: 'name'; v: string }
  | { t: 'num'; v: number }
  | { t: 'str'; v: string }
  | { t: 'op'; v: string }
  | { t: 'end' };

/** Whitespace as Python's str.isspace() and re's \s read it (Jinja's): \x1c-\x1f and \x85 too, not \ufeff. */
export const PY_SPACE = '[\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';
const SPACE = new RegExp(PY_SPACE);

const OPS = ['==', '!=', '.', '[', ']', '(', ')', ',', '|'];
const UNSUPPORTED_OPS = ['<=', '>=', '//', '**', '<', '>', '+', '-', '*', '/', '%', '~', '=', '{', '}', ':', '?'];

export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (SPACE.test(c)) {
      i++;
      continue;
    }
    const rest = src.slice(i);
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest);
    const num = /^\d+(\.\d+)?/.exec(rest);
    const neg = /^-\d+(\.\d+)?/.exec(rest);
    const prev = out[out.length - 1];
    const valueExpected = !prev || (prev.t === 'op' && prev.v !== ')' && prev.v !== ']') || (prev.t === 'name' && ['not', 'and', 'or'].includes(prev.v));
    if (name) {
      out.push({ t: 'name', v: name[0] });
      i += name[0].length;
    } else if (num || (neg && valueExpected)) {
      const m = (num ?? neg)!;
      checkNumber(m[0], src);
      out.push({ t: 'num', v: Number(m[0]) });
      i += m[0].length;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      let v = '';
      while (j < src.length && src[j] !== c) {
        if (src[j] === '\\') {
          throw new ExprError(`a backslash in a quoted literal of '${src.trim()}': Ansible keeps it inside {{ }} and reads it as an escape in when:`, 'write the literal without backslashes, or set a variable to the text and use that');
        }
        v += src[j];
        j++;
      }
      if (j >= src.length) throw new ExprError(`unterminated string in '${src}'`, 'close the quote');
      // Jinja reads every line break in a literal as \n.
      out.push({ t: 'str', v: v.replace(/\r\n?/g, '\n') });
      i = j + 1;
    } else {
      const op = OPS.find((o) => rest.startsWith(o));
      if (op) {
        out.push({ t: 'op', v: op });
        i += op.length;
        continue;
      }
      const bad = UNSUPPORTED_OPS.find((o) => rest.startsWith(o)) ?? c;
      if (!/^[\x21-\x7e]$/.test(bad[0]!)) {
        const code = `U+${rest.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
        throw new ExprError(`unexpected character ${code} in '${src}': Jinja reads names, numbers, quoted text and operators, and Python's whitespace`, 'remove the character, or quote it as text');
      }
      throw new ExprError(`unsupported operator '${bad}' in '${src}'`, SUPPORTED_SYNTAX);
    }
  }
  out.push({ t: 'end' });
  return out;
}

/** Integers Jinja reads otherwise: 007 is a syntax error there, 12345678901234567891 exact (a double here). */
function checkNumber(text: string, src: string): void {
  if (/^-?0\d+$/.test(text)) {
    throw new ExprError(`number ${text} in '${src.trim()}' starts with 0, which Jinja refuses`, `write it without the leading zeros: ${Number(text)}`);
  }
  if (/\.0+$/.test(text)) {
    throw new ExprError(`number ${text} in '${src.trim()}' is a float to Jinja, printed ${text.replace(/0+$/, '0')} by Ansible and ${Number(text)} by teqlctl`, `write ${Number(text)}, or '${text}' for the text`);
  }
  if (!text.includes('.') && !Number.isSafeInteger(Number(text))) {
    throw new ExprError(`number ${text} in '${src.trim()}' is past 2^53, which teqlctl cannot hold exactly`, "write it as text ('...') if it is a name or an identifier");
  }
}
