// The pieces of Ansible's INI rules: shell-like words, Python literals, host ranges and ports.
import { describe, expect, it } from 'vitest';
import { expandHostEntry } from '../../src/load/host-range.js';
import { pyLiteral } from '../../src/load/python-literal.js';
import { shlexSplit } from '../../src/load/shlex.js';

describe('values read as Python literals (ast.literal_eval), else kept as text', () => {
  it.each([
    ['22', 22],
    ['-3', -3],
    ['1_000', 1000],
    ['0x1F', 31],
    ['0o17', 15],
    ['1.5', 1.5],
    ['1e3', 1000],
    ['True', true],
    ['False', false],
    ['None', null],
    ["'22'", '22'],
    ['"a b"', 'a b'],
    ["'a' 'b'", 'ab'],
    ["'tab\\there'", 'tab\there'],
    ["r'\\d+'", '\\d+'],
    ['[1, "x", None]', [1, 'x', null]],
    ['(1, 2)', [1, 2]],
    ['(1)', 1],
    ['1, 2', [1, 2]],
    ['{"a": 1, "b": [True]}', { a: 1, b: [true] }],
    ['{}', {}],
    ['8080 # a comment', 8080],
  ])('%s reads as %j', (text, want) => {
    expect(pyLiteral(text)).toEqual({ value: want });
  });

  it.each(['', 'foo', 'true', 'yes', 'FALSE', '07', '192.168.1.1', '1.5.2', '/usr/bin/python3', 'a=b', '[1, 2', "'open", '--1', 'foo # bar', '1j x', '1j+1'])(
    '%j is not a literal: the text is kept',
    (text) => {
      expect(pyLiteral(text)).toBeUndefined();
    },
  );

  it('gives up on nesting deeper than the loader allows, rather than exhausting the stack: refused where Python reads it, text where Python cannot', () => {
    expect(pyLiteral('['.repeat(100) + ']'.repeat(100))).toMatchObject({ unsupported: 'a list, tuple or mapping nested more than 64 levels deep' });
    // Past Python's parser's 200 levels, or brackets that never close: text to Python, as here.
    expect(pyLiteral('['.repeat(100_000) + ']'.repeat(100_000))).toBeUndefined();
    expect(pyLiteral('('.repeat(70))).toBeUndefined();
    expect(pyLiteral(`${'['.repeat(70)}"]]"${']'.repeat(69)}`)).toBeUndefined();
    expect(pyLiteral('['.repeat(10) + ']'.repeat(10))).toBeDefined();
  });
});

describe('host lines split as shlex.split(comments=True)', () => {
  const texts = (line: string) => {
    const words = shlexSplit(line);
    return Array.isArray(words) ? words.map((w) => w.text) : words;
  };

  it('splits on blanks, unquotes, and stops at a comment', () => {
    expect(texts('h a=1   b="x y" c=\'p q\' # note')).toEqual(['h', 'a=1', 'b=x y', 'c=p q']);
    expect(texts('h a=b#c')).toEqual(['h', 'a=b']);
    expect(texts('h s="\'03#pa33w0rd\'"')).toEqual(['h', "s='03#pa33w0rd'"]);
    expect(texts('h a="x\\"y" b=x\\ y')).toEqual(['h', 'a=x"y', 'b=x y']);
  });

  it('tells where each word starts, and where a quote is left open', () => {
    expect(shlexSplit('h  a=1')).toEqual([{ text: 'h', at: 0 }, { text: 'a=1', at: 3 }]);
    expect(shlexSplit('h a="x')).toEqual({ at: 4, error: 'no closing quotation' });
  });
});

describe('host entries: ranges and ports', () => {
  it('expands ranges, several in one name, and keeps the width of zero-padded bounds', () => {
    expect(expandHostEntry('r[1:3]', 100)).toEqual({ hosts: ['r1', 'r2', 'r3'] });
    expect(expandHostEntry('r[08:10]', 100)).toEqual({ hosts: ['r08', 'r09', 'r10'] });
    expect(expandHostEntry('[a:b]-[1:2]', 100)).toEqual({ hosts: ['a-1', 'a-2', 'b-1', 'b-2'] });
    expect(expandHostEntry('r[:2]', 100)).toEqual({ hosts: ['r0', 'r1', 'r2'] });
  });

  it('reads a trailing :port, also after a range', () => {
    expect(expandHostEntry('badwolf.example.com:5309', 100)).toEqual({ hosts: ['badwolf.example.com'], port: 5309 });
    expect(expandHostEntry('r[1:2]:2222', 100)).toEqual({ hosts: ['r1', 'r2'], port: 2222 });
  });

  it('splits a port off only where Ansible does (its parse_address): a host name or an address before it, brackets too', () => {
    expect(expandHostEntry('[router1]:2222', 100)).toEqual({ hosts: ['router1'], port: 2222 });
    expect(expandHostEntry('[10.0.0.1]:2222', 100)).toEqual({ hosts: ['10.0.0.1'], port: 2222 });
    // Both forms in turn, as Ansible tries them: the inner port wins.
    expect(expandHostEntry('[r1:22]:2222', 100)).toEqual({ hosts: ['r1'], port: 22 });
    expect(expandHostEntry('r_1.lan:2222', 100)).toEqual({ hosts: ['r_1.lan'], port: 2222 });
  });

  it.each(['admin@r1:2222', 'router1.example.com.:2222', 'r1-:2222', 'r1_:2222', '.r1:2222', 'r1..lan:2222'])('refuses %s, which Ansible reads as one host name with no port (here it was split)', (entry) => {
    const r = expandHostEntry(entry, 100);
    expect('error' in r && r.error).toBe(`host '${entry}' is one host name to Ansible, not '${entry.replace(/:\d+$/, '')}' on port 2222: a port follows only a host name (labels of letters, digits, - and _, none ending in - or _) or an IP address`);
    expect('hint' in r && r.hint).toMatch(/^write the host's name alone and set ansible_port=2222/);
  });

  it('takes an IPv6 address as a host, alone or in brackets with its port, as Ansible does', () => {
    expect(expandHostEntry('2001:db8::1', 100)).toEqual({ hosts: ['2001:db8::1'] });
    // Its last group is not a port: ::1:22 is one address.
    expect(expandHostEntry('2001:db8::1:22', 100)).toEqual({ hosts: ['2001:db8::1:22'] });
    expect(expandHostEntry('[2001:db8::2]:2222', 100)).toEqual({ hosts: ['2001:db8::2'], port: 2222 });
    expect(expandHostEntry('fe80::[a:c]', 100)).toEqual({ hosts: ['fe80::a', 'fe80::b', 'fe80::c'] });
    expect(expandHostEntry('fd00::', 100)).toEqual({ hosts: ['fd00::'] });
  });

  it.each([
    ['r:', "ends in ':'"],
    ['r[1:2', "'[' without ']'"],
    ['r[5:1]', "'5' comes after '1'"],
    ['r[1:9:0]', "step '0'"],
    ['r[1:x]', 'neither a number range nor a letter range'],
    ['r[1:2:3:4]', 'begin:end or begin:end:step'],
  ])('refuses %s', (entry, fragment) => {
    const got = expandHostEntry(entry, 100);
    expect('error' in got && got.error).toContain(fragment);
  });

  it('stops at the host limit without building the range', () => {
    const got = expandHostEntry('r[0:999999999]', 5000);
    expect('error' in got && got.error).toContain('expands to more than 5000 hosts');
    expect(expandHostEntry('r[1:2]-[1:3]', 5)).toMatchObject({ error: expect.stringContaining('more than 5 hosts') });
  });
});
