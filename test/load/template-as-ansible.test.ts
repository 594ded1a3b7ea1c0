// Templates and conditions where teqlctl's subset once read otherwise than ansible-core 2.14.18
// (found by a review's differential test of 12,783 cases against Ansible's Templar and Conditional;
// each expected value below is what Ansible gave).
import { describe, expect, it } from 'vitest';
import { ExprError } from '../../src/load/expr-error.js';
import { VarScope, type VarLayer } from '../../src/load/scope.js';
import { renderString } from '../../src/load/template.js';
import { evalCondition } from '../../src/load/when.js';

function scope(values: Record<string, unknown>): VarScope {
  const pos = { file: 'inv.yml', line: 1, col: 1 };
  const layer: VarLayer = { values, origins: new Map(Object.keys(values).map((k) => [k, { pos, where: 'test' }])) };
  return new VarScope(layer);
}

const vars = scope({ persist: 1, off: 0, site: { a: 1, b: 2, lan: null }, other: { b: 2, a: 1 }, flags: [true], s: 'eth1', d: { values: [1], keys: 'k' }, nothing: null, padded: ' yes', one: '1 ', templated_none: '{{ nothing }}', ordered: { a: 1, b: [1, true] }, huge: 1e22, big: 2 ** 60, reordered: { b: [true, 1.0], a: true } });
const render = (s: string) => renderString(s, vars);
const when = (c: string) => evalCondition(c, vars);
const error = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    if (err instanceof ExprError) return `${err.message} | ${err.hint}`;
    throw err;
  }
  return 'no error';
};

describe("== as Python's", () => {
  it('a boolean equals its number, a float its integer, lists element by element, mappings whatever their key order', () => {
    expect(when('persist == true')).toBe(true);
    expect(when('off == false')).toBe(true);
    expect(when('persist != true')).toBe(false);
    expect(when('flags == [1]')).toBe(true);
    expect(when('site == other')).toBe(false);
    expect(when('ordered == reordered')).toBe(true);
    expect(when("persist == '1'")).toBe(false);
    expect(when('nothing == none')).toBe(true);
  });
});

describe('| bool as Ansible reads it', () => {
  it('does not trim: a padded yes is not true (Ansible: false; here refused, not true)', () => {
    expect(error(() => render('{{ padded | bool }}'))).toMatch(/^\| bool cannot turn the string ' yes' into true or false/);
    expect(error(() => render('{{ one | bool }}'))).toMatch(/^\| bool cannot turn the string '1 ' into true or false/);
    expect(render("{{ 'YES' | bool }}")).toBe(true);
  });
});

describe('none in a template', () => {
  it('prints as nothing inside text and from an expression; a bare {{ name }} keeps it', () => {
    expect(render("C lan is '{{ site.lan }}'")).toBe("C lan is ''");
    expect(render('{{ site.lan }}')).toBe('');
    expect(render('{{ none }}')).toBe('');
    expect(render("{{ nothing | default('x') }}")).toBe('');
    expect(render('{{ nothing }}')).toBeNull();
    expect(render('{{ nothing | string }}')).toBe('None');
    // Only exactly {{ name }} of a variable set to none itself (Ansible's shortcut).
    expect(render('{{- nothing -}}')).toBe('');
    expect(render('{{ (nothing) }}')).toBe('');
    expect(render('{{ templated_none }}')).toBe('');
  });
});

describe('a string indexed', () => {
  it('by code point, from either end, as Python', () => {
    expect(render('{{ s[0] }}{{ s[-1] }}')).toBe('e1');
    expect(when('s[0] is defined')).toBe(true);
    expect(render("{{ s[9] | default('D') }}")).toBe('D');
    expect(render("{{ 'h\u00e9\u{1F600}'[2] }}")).toBe('\u{1F600}');
  });
});

describe("a mapping's method names", () => {
  it("are its methods to Ansible (item.values), refused here with the subscript to write; d['values'] reads the key", () => {
    expect(error(() => render('{{ d.values }}'))).toBe("'d.values' is the mapping's values method to Ansible, not its key 'values' | write d['values'] for the key");
    expect(error(() => when('d.keys is defined'))).toMatch(/'d\.keys' is the mapping's keys method to Ansible/);
    expect(render("{{ d['values'] }}")).toEqual([1]);
  });
});

describe('line breaks in a template, as Jinja reads its source and Ansible keeps the trailing ones', () => {
  const lines = scope({ word: 'abc', nl: 'v\n', flag: true, slaves: ['eth1'], nothing: null });
  const r = (s: string) => renderString(s, lines);
  it('a final newline is dropped, then put back only as far as the text lacks it', () => {
    expect(r('{{ nl }}\n')).toBe('v\n');
    expect(r('{{ word -}}\n')).toBe('abc\n');
    expect(r('x {{ nothing -}}\n')).toBe('x \n');
    expect(r('{{ word }}\n\n')).toBe('abc\n\n');
    expect(r('a {{ word }}\n')).toBe('a abc\n');
  });
  it('what is left of one expression keeps its type: a boolean or list gets no newline back', () => {
    expect(r('{{ flag }}\n')).toBe(true);
    expect(r('{{ slaves }}\n')).toEqual(['eth1']);
    expect(r('{{ nothing }}\n')).toBeNull();
  });
  it('\\r\\n and \\r are \\n, in the text and in a quoted literal', () => {
    expect(r('a\r\n{{ word }}')).toBe('a\nabc');
    expect(r("{{ 'a\r\nb\rc' }}")).toBe('a\nb\nc');
    expect(r('{{ word }}\r\n')).toBe('abc\n');
  });
});

describe('what Jinja finds on Python objects, refused here (Ansible takes it as defined)', () => {
  const objs = scope({ s: 'eth1', l: ['a'], n: 42, t: true, m: { a: 1, '1': 'one' } });
  const r = (s: string) => renderString(s, objs);
  const w = (c: string) => evalCondition(c, objs);
  it("a string's, list's or number's methods and attributes, by dot or subscript", () => {
    expect(error(() => w('s.upper is defined'))).toMatch(/^when: 's\.upper' is the string's upper method to Ansible, always defined there/);
    expect(error(() => w("s['split'] is defined"))).toMatch(/^when: 's\['split'\]' is the string's split method/);
    expect(error(() => r('{{ l.append | default(1) }}'))).toMatch(/^'l\.append' is the list's append method/);
    expect(error(() => r('{{ n.real }}'))).toMatch(/^'n\.real' is the number's real method/);
    expect(error(() => w('t.numerator is defined'))).toMatch(/'t\.numerator' is the number's numerator method/);
    expect(error(() => w('s.__class__ is defined'))).toMatch(/Python's internal attribute __class__/);
    expect(w('s.missing is defined')).toBe(false);
  });
  it("a mapping's method names read by subscript only when the mapping lacks the key", () => {
    expect(error(() => w("m['values'] is defined"))).toMatch(/^when: 'm\['values'\]' is the mapping's values method to Ansible/);
    expect(render("{{ d['values'] }}")).toEqual([1]);
  });
  it("Jinja's global functions, when no variable of the name is set", () => {
    expect(error(() => w('range is defined'))).toBe("when: 'range' is not set, and to Ansible it is Jinja's global function range(), always defined | set range, or name the variable otherwise");
    expect(error(() => r('{{ undef | default(1) }}'))).toMatch(/Jinja's global function undef\(\)/);
    expect(renderString('{{ range }}', scope({ range: 5 }))).toBe(5);
  });
  it('a key written as text is not read by a number (Ansible: no element 1)', () => {
    expect(error(() => r('{{ m[1] }}'))).toMatch(/^'m\[1\]' reads the key '1' by a number/);
    expect(w('m[2] is defined')).toBe(false);
    expect(r("{{ m['1'] }}")).toBe('one');
  });
});

describe('an undefined fallback of default stays undefined, as in Jinja', () => {
  it('for a later default or is defined', () => {
    expect(render("{{ missing | default(elsewhere) | default('z') }}")).toBe('z');
    expect(when('(missing | d(elsewhere)) is defined')).toBe(false);
    expect(error(() => render('{{ missing | default(elsewhere) }}'))).toMatch(/^undefined variable: 'elsewhere' is not defined/);
  });
});

describe('literals Jinja reads otherwise, refused', () => {
  it('an integer with a leading zero (a syntax error to Jinja), past 2^53, or a float ending in .0; a backslash', () => {
    expect(error(() => render('{{ 007 }}'))).toBe("number 007 in '007' starts with 0, which Jinja refuses | write it without the leading zeros: 7");
    expect(error(() => when('01 == 1'))).toMatch(/^when: number 01 in '01 == 1' starts with 0/);
    expect(error(() => render('{{ 12345678901234567891 }}'))).toMatch(/^number 12345678901234567891 in .* is past 2\^53/);
    expect(error(() => render("{{ '12345678901234567891' | int }}"))).toMatch(/^\| int cannot turn the string '12345678901234567891' into an integer exactly/);
    // A float from YAML (huge: 1e22): Python's int() prints 10000000000000000000000, JavaScript 1e+22.
    expect(error(() => render('{{ huge | int }}'))).toMatch(/^\| int cannot turn .*1e\+?22.* into an integer exactly: it is past 2\^53/);
    // Below 1e21 too: JavaScript prints 2**60 as 1152921504606847000, Python's int() 1152921504606846976.
    expect(error(() => render('{{ big | int }}'))).toMatch(/past 2\^53/);
    expect(render('{{ 2500.7 | int }}')).toBe(2500);
    expect(error(() => render('{{ 1.0 }}'))).toMatch(/^number 1\.0 in '1\.0' is a float to Jinja, printed 1\.0 by Ansible and 1 by teqlctl/);
    expect(error(() => render("{{ 'a\\tb' }}"))).toMatch(/^a backslash in a quoted literal of ''a\\tb''/);
    expect(error(() => when("s == 'it\\'s'"))).toMatch(/^when: a backslash in a quoted literal/);
    expect(render('{{ 0 }}{{ 10 }}{{ 2.5 }}{{ 1.05 }}{{ 00.5 }}')).toBe('0102.51.050.5');
    expect(render("{{ '9007199254740991' | int }}")).toBe(9007199254740991);
  });
});

describe("whitespace as Python's (Jinja's), not JavaScript's", () => {
  const ws = scope({ s: 'eth1' });
  const r = (s: string) => renderString(s, ws);
  it('{{- and -}} strip \\x85 and \\x1c-\\x1f, not \\ufeff', () => {
    expect(r('a\x85{{- s }}')).toBe('aeth1');
    expect(r('{{ s -}}\x1f\u2028b')).toBe('eth1b');
    expect(r('a\ufeff{{- s }}')).toBe('a\ufeffeth1');
    expect(r('{{ s -}}\ufeffb')).toBe('eth1\ufeffb');
  });
  it('inside an expression: \\x1c is a space, \\ufeff an unexpected character', () => {
    expect(r('{{\x1cs }}')).toBe('eth1');
    expect(error(() => r('{{\ufeffs }}'))).toMatch(/^unexpected character U\+FEFF in/);
    expect(error(() => r('{{ s \u00e9 }}'))).toMatch(/^unexpected character U\+00E9 in/);
  });
});
