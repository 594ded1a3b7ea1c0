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

const vars = scope({ persist: 1, off: 0, site: { a: 1, b: 2, lan: null }, other: { b: 2, a: 1 }, flags: [true], s: 'eth1', d: { values: [1], keys: 'k' }, nothing: null, padded: ' yes', one: '1 ', templated_none: '{{ nothing }}', ordered: { a: 1, b: [1, true] }, reordered: { b: [true, 1.0], a: true } });
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
