// INI values Python's literal_eval reads into what teqlctl has no value for, or stops on, against
// ansible-inventory 2.14.18 (Python 3.11), found by bench/experiments/inventory-diff.ts.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadInventory } from '../../src/load/inventory.js';
import { pyLiteral } from '../../src/load/python-literal.js';
import { errorsOf, writeCase } from './helpers.js';

const located = (dir: string, fn: () => unknown) => errorsOf(fn).map((e) => `${e.located.replace(`${dir}/`, '')} | ${e.hint}`);

describe('a sign before a number in parentheses', () => {
  it('is the number: -(1) is -1 to Python (the parentheses make no node), not the text -(1)', () => {
    // [g] / r1 a="-(1)" b="+( 2.5 )" / [g:vars] / c = -((3))     ansible-inventory --host r1: {"a": -1, "b": 2.5, "c": -3}
    const dir = writeCase({ hosts: '[g]\nr1 a="-(1)" b="+( 2.5 )"\n[g:vars]\nc = -((3))\n' });
    expect(loadInventory(join(dir, 'hosts')).inventory.hosts.get('r1')!.vars).toMatchObject({ a: -1, b: 2.5, c: -3 });
    // Python's ValueError (a malformed node): the text is kept.
    for (const text of ['-(-1)', '-(1,)', '-(True)', '1+2', '1j+1', '-(1']) expect(pyLiteral(text), text).toBeUndefined();
  });
});

describe('what Python reads and teqlctl has no value for is refused where written', () => {
  it('a list nested past 64 levels (Python reads some 200): refused, not read as text without a word (a review)', () => {
    const dir = writeCase({ hosts: `[g]\nr1 deep=${'['.repeat(66)}${']'.repeat(66)} ok=${'['.repeat(64)}${']'.repeat(64)}\n` });
    expect(located(dir, () => loadInventory(join(dir, 'hosts')))).toEqual([
      "hosts:2:4: a list, tuple or mapping nested more than 64 levels deep in 'deep': Ansible's literal_eval reads it (up to some 200 levels), and teqlctl would read it as text | flatten it, or quote the whole value to keep it as text",
    ]);
  });

  it('a complex number (1j, 1+2j, 07j): refused, not the text 1j', () => {
    // ansible-inventory --host r1 stops: "Object of type complex is not JSON serializable"; a template prints 1j, (1+2j)
    const dir = writeCase({ hosts: '[g]\nr1 a=1j\n[g:vars]\nb = 1 + 2j\nc = [-(07j)]\n' });
    expect(located(dir, () => loadInventory(join(dir, 'hosts')))).toEqual([
      expect.stringMatching(/^hosts:2:4: the complex number 1j in 'a': Ansible's literal_eval reads a Python complex number, which teqlctl has no value for .* \| quote it to keep it as text/),
      expect.stringMatching(/^hosts:4:1: the complex number 1 \+ 2j in 'b': /),
      expect.stringMatching(/^hosts:5:1: the complex number -\(07j\) in 'c': /),
    ]);
    // Quoted, it is text to both.
    const quoted = writeCase({ hosts: `[g]\nr1 a="'1j'"\n` });
    expect(loadInventory(join(quoted, 'hosts')).inventory.hosts.get('r1')!.vars.a).toBe('1j');
  });

  // From a review: after a first one, a second value teqlctl has no value for left its `+ 2j` unread,
  // so the whole text was no literal and kept as text (`a="1j, 1+2j"`); Python reads them all.
  it('a complex number after another unsupported value in the same text: refused too, not the text', () => {
    const dir = writeCase({ hosts: '[g]\nr1 a="1j, 1+2j" b="[..., 1+2j]"\n[g:vars]\nc = 1+2j, 3-4j\nd = -1e-5j\n' });
    expect(located(dir, () => loadInventory(join(dir, 'hosts')))).toEqual([
      expect.stringMatching(/^hosts:2:4: the complex number 1j in 'a': /),
      expect.stringMatching(/^hosts:2:17: \.\.\. in 'b': /),
      expect.stringMatching(/^hosts:4:1: the complex number 1\+2j in 'c': /),
      expect.stringMatching(/^hosts:5:1: the complex number -1e-5j in 'd': /),
    ]);
    // Python's ValueError there (a complex number added to one): text for both, as before.
    expect(pyLiteral('1j+1j')).toBeUndefined();
  });

  // From a review: a set inside an unhashable key was said as a set (write a list), where Python's
  // TypeError stops it and Ansible cannot read the inventory at all.
  it('an unhashable key or element is said as such, over a set or complex number read before it', () => {
    for (const text of ['{(1, {2}): 3}', '{{1}: 1}', '[1j, {[1]: 2}]']) {
      expect(pyLiteral(text), text).toMatchObject({ unsupported: 'a list, mapping or set as a mapping key or set element' });
    }
    expect(pyLiteral('{1: {2}}')).toMatchObject({ unsupported: 'a set' });
  });

  it('... (Python\'s Ellipsis, which a template prints as Ellipsis): refused, not the text ...', () => {
    const dir = writeCase({ hosts: '[g]\nr1 a=...\n[g:vars]\nb = [1, ...]\n' });
    expect(located(dir, () => loadInventory(join(dir, 'hosts')))).toEqual([
      expect.stringMatching(/^hosts:2:4: \.\.\. in 'a': Ansible's literal_eval reads Python's Ellipsis object/),
      expect.stringMatching(/^hosts:4:1: \.\.\. in 'b': /),
    ]);
  });

  it('a list as a key or set element: Ansible cannot read the inventory at all (TypeError: unhashable type), teqlctl read the text', () => {
    // [g] / r1 a="{[1]: 2}"    ansible-inventory: "Unable to parse hosts as an inventory source", no host
    const dir = writeCase({ hosts: '[g]\nr1 a="{[1]: 2}"\n[g:vars]\nb = {(1, [2])}\n' });
    expect(located(dir, () => loadInventory(join(dir, 'hosts')))).toEqual([
      expect.stringMatching(/^hosts:2:4: a list, mapping or set as a mapping key or set element in 'a': Python's literal_eval stops there \(TypeError: unhashable type\), and Ansible then cannot read the inventory at all/),
      expect.stringMatching(/^hosts:4:1: a list, mapping or set as a mapping key or set element in 'b': /),
    ]);
    // A tuple of hashable items is hashable: as a key it has no value here, nor has the set.
    expect(pyLiteral('{(1, 2): 3}')).toMatchObject({ unsupported: 'a tuple as a mapping key' });
    expect(pyLiteral('{(1, 2)}')).toMatchObject({ unsupported: 'a set' });
    // A syntax error after it: Python keeps the text, as here.
    expect(pyLiteral('{[1]: 2} x')).toBeUndefined();
  });

  it('a set: refused, not a list (Ansible keeps a Python set: {1, 1, 2} has length 2, a template prints {\'b\', \'a\'})', () => {
    // [g] / r1 ansible_connection=local x="{'b', 'a'}" y="{1, 1, 2}"; debug: msg='{{ x }} {{ y | length }}' prints "{'b', 'a'} 2"
    // in the order of Python's hashes (teqlctl had the lists ['b', 'a'] and [1, 1, 2])
    const dir = writeCase({ hosts: `[g]\nr1 x="{'b', 'a'}"\n[g:vars]\ny = {1, 1, 2}\n` });
    expect(located(dir, () => loadInventory(join(dir, 'hosts')))).toEqual([
      expect.stringMatching(/^hosts:2:4: a set in 'x': Ansible's literal_eval reads a Python set, .* \| write a list/),
      expect.stringMatching(/^hosts:4:1: a set in 'y': /),
    ]);
  });

  it("a mapping's key '__proto__' is a key, as in Python, not the mapping's prototype", () => {
    expect(JSON.stringify((pyLiteral("{'__proto__': 1, 'a': 2}") as { value: unknown }).value)).toBe('{"__proto__":1,"a":2}');
  });
});
