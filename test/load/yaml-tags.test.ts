// YAML tags: the core ones (!!str !!int !!float !!bool !!null !!map !!seq) are read; any other is
// refused where it is written, with one message, whether or not anything reads its value.
import { describe, expect, it } from 'vitest';
import { extraVarsLayer } from '../../src/load/extra-vars.js';
import { Problems } from '../../src/load/problems.js';
import { parseYamlText, toJS } from '../../src/load/source.js';

const HINT = 'teqlctl reads plain YAML values and the core tags !!str, !!int, !!float, !!bool, !!null, !!map, !!seq: remove the tag (quote the value to keep it as text)';

function read(text: string): { value: unknown } | { errors: string[] } {
  const problems = new Problems();
  const y = parseYamlText(text, 'f.yml', problems);
  return y ? { value: toJS(y, y.doc.contents) } : { errors: problems.errors().map((e) => `${e.located} | ${e.hint}`) };
}

describe('YAML tags', () => {
  it.each([
    ['when: !!timestamp 2001-12-14', '!!timestamp', 7],
    ['value: !!timestamp not-a-date', '!!timestamp', 8],
    ['key: !!binary aGVsbG8=', '!!binary', 6],
    ['slaves: !!set { eth1, eth2 }', '!!set', 9],
    ['unused: !!omap [ a: 1 ]', '!!omap', 9],
    ['unused: !!pairs [ a: 1 ]', '!!pairs', 9],
    ['a: !unsafe "{{ x }}"', '!unsafe', 4],
    ['a: !custom x', '!custom', 4],
    ['a: !<tag:example.com,2000:x> y', '!<tag:example.com,2000:x>', 4],
    ['a:\n  - 1\n  - !!timestamp 2001-12-14', '!!timestamp', 5],
  ])('%j is refused at its tag', (text, tag, col) => {
    const line = text.split('\n').length;
    expect(read(text)).toEqual({ errors: [`f.yml:${line}:${col}: unsupported YAML tag ${tag} | ${HINT}`] });
  });

  it('the core tags are read, !!float 1 as the number 1 (YAML 1.2, and Ansible, read it as 1.0)', () => {
    expect(read('a: !!float 1\nb: !!float -2.5\nc: !!str 22\nd: !!int "7"\ne: !!bool true\nf: !!null\ng: !!map { x: 1 }\nh: !!seq [1]\ni: !<tag:yaml.org,2002:str> 3\n')).toEqual({
      value: { a: 1, b: -2.5, c: '22', d: 7, e: true, f: null, g: { x: 1 }, h: [1], i: '3' },
    });
    // A plain 1 stays an integer, and a plain date stays text.
    expect(read('a: 1\nb: 2001-12-14\n')).toEqual({ value: { a: 1, b: '2001-12-14' } });
  });

  it('a core tag its value does not fit is refused at the tag, saying what it takes', () => {
    expect(read('a: !!int 1.5\nb: !!bool yes\nc: !!float x\nd: !!str [1]\n')).toEqual({
      errors: [
        'f.yml:1:4: YAML tag !!int cannot tag this value: it takes an integer, e.g. 42, 0x2a or 0o52 | fix the value, or remove the tag',
        'f.yml:2:4: YAML tag !!bool cannot tag this value: it takes true or false | fix the value, or remove the tag',
        'f.yml:3:4: YAML tag !!float cannot tag this value: it takes a number, e.g. 1, 1.5, 1e3 or .inf | fix the value, or remove the tag',
        'f.yml:4:4: YAML tag !!str cannot tag this value: it takes a scalar | fix the value, or remove the tag',
      ],
    });
  });

  it('an -e name=value with a tag is refused the same way, with how to keep it as text', () => {
    const problems = new Problems();
    extraVarsLayer(['a=!!binary', 'pattern=!r1', 'ok=1'], problems);
    expect(problems.errors().map((e) => `${e.located} | ${e.hint}`)).toEqual([
      `(command line):1:1: -e 'a=!!binary': unsupported YAML tag !!binary | ${HINT}, e.g. -e 'a="!!binary"'`,
      `(command line):1:2: -e 'pattern=!r1': unsupported YAML tag !r1 | ${HINT}, e.g. -e 'pattern="!r1"'`,
    ]);
  });
});
