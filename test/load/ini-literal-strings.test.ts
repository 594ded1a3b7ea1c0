// Python string literals in INI values, against ansible-inventory 2.14.18 (Debian 12, Python 3.11),
// found by a differential run of random inventories: octal escapes and bytes literals.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadInventory } from '../../src/load/inventory.js';
import { pyLiteral } from '../../src/load/python-literal.js';
import { errorsOf, writeCase } from './helpers.js';

describe('string literals in INI values, as literal_eval reads them', () => {
  it('octal escapes, inline and in [g:vars]', () => {
    // [g]
    // r1 f="'\012'" k="'\1x'"
    // [g:vars]
    // v1 = 'pa\123ss'
    // v2 = '\101\1234'
    // ansible-inventory --host r1: {"f": "\n", "k": "\u0001x", "v1": "paSss", "v2": "AS4"}
    // (teqlctl read "\u000012", "\\1x", "pa\\123ss" and "\\101\\1234")
    const dir = writeCase({ hosts: `[g]\nr1 f="'\\012'" k="'\\1x'"\n[g:vars]\nv1 = 'pa\\123ss'\nv2 = '\\101\\1234'\n` });
    const vars = loadInventory(join(dir, 'hosts')).inventory.hosts.get('r1')!.vars;
    expect(vars).toMatchObject({ f: '\n', k: '\x01x', v1: 'paSss', v2: 'AS4' });
  });

  it('an octal escape past 0o377: the code point in text, its low eight bits in bytes', () => {
    expect(pyLiteral("'\\777'")).toEqual({ value: '\u01ff' });
    expect(pyLiteral("b'\\777'")).toEqual({ value: '\udcff' });
    expect(pyLiteral("'\\08'")).toEqual({ value: '\x008' });
    expect(pyLiteral("r'\\101'")).toEqual({ value: '\\101' });
  });

  it('bytes: \\u is no escape, non-ASCII characters and mixing with text are errors (the text is kept)', () => {
    // [g]
    // r1 d="b'\u0041'" e="'x' b'y'" g="b'é'"
    // [g:vars]
    // v4 = b'\xe9'
    // ansible-inventory --host r1: {"d": "\\u0041", "e": "'x' b'y'", "g": "b'é'", "v4": "?"}, the last
    // being the lone surrogate U+DCE9 that to_text makes of the byte 0xE9 (surrogateescape)
    // (teqlctl read "A", "xy", "é" and "é")
    const dir = writeCase({ hosts: `[g]\nr1 d="b'\\u0041'" e="'x' b'y'" g="b'é'"\n[g:vars]\nv4 = b'\\xe9'\n` });
    const vars = loadInventory(join(dir, 'hosts')).inventory.hosts.get('r1')!.vars;
    expect(vars).toMatchObject({ d: '\\u0041', e: "'x' b'y'", g: "b'é'", v4: '\udce9' });
    expect(pyLiteral("b'a' B'c'")).toEqual({ value: 'ac' });
    expect(pyLiteral("b'\\xc3\\xa9'")).toEqual({ value: 'é' });
  });

  it('a \\N{NAME} escape is refused where it is written: Python reads the named character, teqlctl has no names', () => {
    // [g] / r1 / [g:vars] / v5 = '\N{BULLET}'      ansible-inventory --host r1: {"v5": "\u2022"}
    // (teqlctl read the text \N{BULLET}, backslash and all)
    const dir = writeCase({ hosts: "[g]\nr1\n[g:vars]\nv5 = '\\N{BULLET}'\n" });
    const errors = errorsOf(() => loadInventory(join(dir, 'hosts')));
    expect(errors.map((e) => e.located.replace(`${dir}/`, ''))).toEqual([expect.stringMatching(/^hosts:4:1: the escape \\N\{BULLET\} in 'v5': Python reads it as the character/)]);
    expect(pyLiteral("r'\\N{BULLET}'")).toEqual({ value: '\\N{BULLET}' });
    expect(pyLiteral("b'\\N{BULLET}'")).toEqual({ value: '\\N{BULLET}' });
  });
});

describe('a malformed escape: literal_eval fails, and Ansible keeps the whole text, quotes included', () => {
  it('\\x, \\u and \\U cut short, \\N without {NAME}: the text as written, not the escape kept', () => {
    // python3.11 -c "import ast; ast.literal_eval(r\"'C:\New folder'\")": SyntaxError, malformed \N
    // character escape; truncated \xXX, \uXXXX, \UXXXXXXXX escape; b'\x4': invalid \x escape.
    // Ansible's _parse_value then keeps the value as the text itself.
    for (const text of ["'C:\\New folder'", "'pa\\x!ss'", "'\\x4'", "b'\\x4'", "'\\u12'", "'\\U0001F60'", "'\\N{BULLET'", "'a\\N'"]) {
      expect(pyLiteral(text), text).toBeUndefined();
    }
    // What stays: \u in bytes and \N in bytes are no escapes; full ones are read.
    expect(pyLiteral("b'\\u12\\N'")).toEqual({ value: '\\u12\\N' });
    expect(pyLiteral("'\\x41\\u00e9\\U0001F600'")).toEqual({ value: 'A\u00e9\u{1F600}' });
  });

  it('in an inventory: the password as Ansible reads it (teqlctl dropped the quotes)', () => {
    // [g] / r1 ansible_become_password="'pa\x!ss'"   ansible-inventory --host r1 gives the text 'pa\x!ss'
    const dir = writeCase({ hosts: `[g]\nr1\n[g:vars]\nv = 'pa\\x!ss'\n` });
    expect(loadInventory(join(dir, 'hosts')).inventory.hosts.get('r1')!.vars).toMatchObject({ v: "'pa\\x!ss'" });
  });
});

describe('a long string literal (a file under the 1 MiB limit may hold one)', () => {
  it('is read, not a RangeError from spreading its characters into one call', () => {
    const long = 'a'.repeat(300_000);
    expect(pyLiteral(`'${long}'`)).toEqual({ value: long });
    expect((pyLiteral(`b'${long}\\xff'`) as { value: string }).value).toBe(`${long}\udcff`);
    const dir = writeCase({ hosts: `[g]\nr1\n[g:vars]\nv = '${long}'\n` });
    expect(loadInventory(join(dir, 'hosts')).inventory.hosts.get('r1')!.vars['v']).toBe(long);
  });
});
