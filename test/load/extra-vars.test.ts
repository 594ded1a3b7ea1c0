import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extraVarsLayer } from '../../src/load/extra-vars.js';
import { keyValueWords } from '../../src/load/key-value-words.js';
import { Problems } from '../../src/load/problems.js';
import { writeCase } from './helpers.js';

const layer = (args: string[], cwd = process.cwd()) => {
  const problems = new Problems();
  const l = extraVarsLayer(args, problems, cwd);
  return { values: l.values, origins: l.origins, errors: problems.errors().map((e) => e.located), hints: problems.errors().map((e) => e.hint) };
};

describe('keyValueWords: Ansible key=value splitting', () => {
  it('splits words; quotes keep spaces and are dropped; {{ }} stays whole', () => {
    expect(keyValueWords(`a=1 b="x y" c='p q' d={{ v | default(1) }} e=`)).toEqual({ pairs: [
      { key: 'a', value: '1', quoted: false, offset: 0 },
      { key: 'b', value: 'x y', quoted: true, offset: 4 },
      { key: 'c', value: 'p q', quoted: true, offset: 12 },
      { key: 'd', value: '{{ v | default(1) }}', quoted: false, offset: 20 },
      { key: 'e', value: '', quoted: false, offset: 43 },
    ] });
  });
  it('a value only partly quoted keeps its quotes; \\" inside double quotes is a quote', () => {
    expect(keyValueWords(`a=x"y z" b="say \\"hi\\""`)).toMatchObject({ pairs: [{ key: 'a', value: 'x"y z"' }, { key: 'b', value: 'say "hi"' }] });
  });
  it("decodes each word's escapes first, as Ansible's parse_kv does (\\t a tab, \\u0041 an A, \\\\ one backslash), in quotes or not; a quote after a backslash closes nothing", () => {
    expect(keyValueWords(String.raw`a=4096\t87380 b=\u0041\x42 c=x\\y d="p\tq" e='it\'s' f=1400\t`)).toMatchObject({ pairs: [
      { key: 'a', value: '4096\t87380' }, { key: 'b', value: 'AB' }, { key: 'c', value: 'x\\y' }, { key: 'd', value: 'p\tq', quoted: true }, { key: 'e', value: "it's", quoted: true }, { key: 'f', value: '1400' },
    ] });
    // What its pattern leaves alone stays as typed: no octal escapes (\1 in a regex), no \x without hex digits.
    expect(keyValueWords(String.raw`re=(a)\1 p=C:\xyz d=\users`)).toMatchObject({ pairs: [{ value: String.raw`(a)\1` }, { value: String.raw`C:\xyz` }, { value: String.raw`\users` }] });
    // Split at spaces and newlines only, as split_args: a tab inside joins two words; at a line's
    // ends it is stripped; a lone backslash (a line continuation there) is no word.
    expect(keyValueWords('a=1\tb=2 c=3')).toMatchObject({ pairs: [{ key: 'a', value: '1\tb=2' }, { key: 'c', value: '3' }] });
    expect(keyValueWords('\ta=1\t\n\tb=2\t')).toMatchObject({ pairs: [{ key: 'a', value: '1', offset: 1 }, { key: 'b', value: '2', offset: 7 }] });
    expect(keyValueWords('a=1\t c=3')).toMatchObject({ pairs: [{ key: 'a', value: '1' }, { key: 'c', value: '3' }] });
    expect(keyValueWords('a=1 \\ b=2')).toMatchObject({ pairs: [{ key: 'a', value: '1' }, { key: 'b', value: '2' }] });
    // A backslash joins no words: split at spaces first.
    expect(keyValueWords(String.raw`a=x\ b=1`)).toMatchObject({ pairs: [{ key: 'a', value: 'x\\' }, { key: 'b', value: '1' }] });
  });
  it('refuses an escape Python cannot decode, and one by Unicode name (not decoded here)', () => {
    expect(keyValueWords(String.raw`a=1 b=\UFFFFFFFF`)).toEqual({ error: String.raw`\UFFFFFFFF is not an escape Python can decode (Ansible stops there)`, offset: 4 });
    expect(keyValueWords(String.raw`b=\N{BULLET}`)).toMatchObject({ error: String.raw`\N{BULLET}: a character by its Unicode name, which teqlctl does not decode` });
  });
  it('refuses a word without =, an unterminated quote, an unclosed {{', () => {
    expect(keyValueWords('a=1 world')).toEqual({ error: '"world" is not name=value', offset: 4 });
    expect(keyValueWords('a="x')).toEqual({ error: 'unterminated "', offset: 2 });
    expect(keyValueWords('a={{ x')).toEqual({ error: "unclosed '{{'", offset: 2 });
  });
});

describe('extraVarsLayer: -e as Ansible takes it', () => {
  it("-e 'a=1 b=2' is two variables; bare values are YAML scalars, quoted ones text", () => {
    const r = layer(['a=1 b=2', 'c="1" d=true t={{ a }}']);
    expect(r.values).toEqual({ a: 1, b: 2, c: '1', d: true, t: '{{ a }}' });
    expect(r.errors).toEqual([]);
  });

  it('a bare value is typed only where it reads back as written; any other stays the text typed, as Ansible keeps it', () => {
    const r = layer(["t=true f=False n=1400 m=-3 r=1.5 l=[eth1,eth2] o={\"a\":1}", "z=010 v=1.10 e=1e3 h=0x10 p=+1 nz=-0 inf=.inf nul=null tl=~ c=#x y=yes s=eth1 em= d=- k=foo:"]);
    expect(r.errors).toEqual([]);
    expect(r.values).toEqual({ t: true, f: false, n: 1400, m: -3, r: 1.5, l: ['eth1', 'eth2'], o: { a: 1 },
      z: '010', v: '1.10', e: '1e3', h: '0x10', p: '+1', nz: '-0', inf: '.inf', nul: 'null', tl: '~', c: '#x', y: 'yes', s: 'eth1', em: '', d: '-', k: 'foo:' });
  });

  it("-e 'a=\"x y\" b=2' keeps the quoted spaces", () => {
    expect(layer(['a="x y" b=2']).values).toEqual({ a: 'x y', b: 2 });
  });

  it('-e with a JSON or YAML flow mapping', () => {
    expect(layer(['{"teql_persist": true, "mtu": 1400, "slaves": ["eth1", "eth2"]}', '{ x: 1 }']).values).toEqual({ teql_persist: true, mtu: 1400, slaves: ['eth1', 'eth2'], x: 1 });
  });

  it('-e @file.yml and -e @file.json, relative to the current folder; later -e wins', () => {
    const dir = writeCase({ 'vars/a.yml': 'teql_mtu: 1400\nname: from-yml\n', 'b.json': '{"name": "from-json", "n": [1, 2]}' });
    const r = layer(['@vars/a.yml', '@b.json', 'n=3'], dir);
    expect(r.values).toEqual({ teql_mtu: 1400, name: 'from-json', n: 3 });
    expect(r.origins.get('teql_mtu')!.pos).toEqual({ file: join(dir, 'vars/a.yml'), line: 1, col: 1 });
    expect(layer(['n=3', '@b.json'], dir).values).toMatchObject({ n: [1, 2] });
  });

  it('-e @~/file is from the home folder, as Ansible expands it; -e @ alone names no file (it said the current folder was a directory)', () => {
    const home = writeCase({ 'site/vars.yml': 'teql_mtu: 1400\n' });
    const before = process.env.HOME;
    process.env.HOME = home;
    try {
      expect(layer(['@~/site/vars.yml'], '/').values).toEqual({ teql_mtu: 1400 });
    } finally {
      process.env.HOME = before;
    }
    expect(layer(['a=1', '@'], home).errors).toEqual(['(command line):1:2: -e @ names no file']);
    expect(layer(['@~nosuchuser-tq/vars.yml'], home).errors).toEqual([`cannot read extra vars file (-e @FILE) '${join(home, '~nosuchuser-tq/vars.yml')}': no such file`]);
  });

  it('an error in a vars file names the file, line and column', () => {
    const dir = writeCase({ 'bad.json': '{\n  "a": 1,\n  "b": [1,\n}\n', 'list.yml': '- a\n- b\n' });
    const bad = layer(['@bad.json'], dir).errors;
    expect(bad.length).toBeGreaterThan(0);
    expect(bad[0]).toMatch(new RegExp(`^${join(dir, 'bad.json')}:4:1: invalid YAML`));
    expect(layer(['@list.yml'], dir).errors).toEqual([`${join(dir, 'list.yml')}:1:1: the extra vars file 'list.yml' must be a mapping of variable names to values`]);
    expect(layer(['@missing.yml'], dir).errors).toEqual([`cannot read extra vars file (-e @FILE) '${join(dir, 'missing.yml')}': no such file`]);
  });

  it('an inline mapping with an error points into the argument', () => {
    expect(layer(['a=1', '{"a": 1,, }']).errors[0]).toMatch(/^\(command line, -e #2\):1:\d+: invalid YAML/);
    expect(layer(['["a"]']).errors).toEqual(['(command line, -e #1):1:1: -e #1 must be a mapping of variable names to values']);
  });

  it('refuses what Ansible would refuse or misread', () => {
    expect(layer(['x=1', 'msg=hello world']).errors).toEqual(['(command line):1:2: -e \'msg=hello world\': "world" is not name=value (at character 11)']);
    expect(layer(['vars.yml']).errors).toEqual(['(command line):1:1: -e \'vars.yml\': "vars.yml" is not name=value (at character 1)']);
    expect(layer(['./vars.yml']).errors).toEqual(["(command line):1:1: -e './vars.yml': a file name needs @ in front"]);
    expect(layer(['9a=1']).errors).toEqual(["(command line):1:1: -e '9a=1': '9a' is not a variable name"]);
    expect(layer(['']).errors).toEqual(['(command line):1:1: -e needs variables']);
  });

  it('refuses an ansible_* variable teqlctl does not honour, in every form', () => {
    const dir = writeCase({ 'v.yml': 'x: 1\nansible_shell_type: csh\n' });
    expect(layer(['ansible_ssh_timeout=5'], dir).errors).toEqual(["(command line):1:1: 'ansible_ssh_timeout' is not supported by teqlctl (it would change what Ansible does, and teqlctl would ignore it)"]);
    expect(layer(['{"ansible_shell_type": "sh"}'], dir).errors[0]).toMatch(/^\(command line, -e #1\):1:2: 'ansible_shell_type' is not supported/);
    const file = layer(['@v.yml'], dir);
    expect(file.errors).toEqual([`${join(dir, 'v.yml')}:2:1: 'ansible_shell_type' is not supported by teqlctl (it would change what Ansible does, and teqlctl would ignore it)`]);
    expect(file.hints).toEqual(['teqlctl runs /bin/sh: remove it']);
    expect(layer(['ansible_user=op ansible_ssh_common_args="-J b"']).errors).toEqual([]);
  });
});
