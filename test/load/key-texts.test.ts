// Keys teqlctl reads as text where Python (an INI literal) or YAML keeps them apart, or together:
// `10` and "10" are two keys to Ansible and were one here, a value lost without a word (a review).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pyLiteral } from '../../src/load/python-literal.js';
import { loadInventory } from '../../src/load/inventory.js';
import { errorsOf, writeCase } from './helpers.js';

describe('mapping keys read as text', () => {
  it('an INI literal whose keys Python counts apart from their text is refused; keys that agree are kept', () => {
    expect(pyLiteral("{1: 'x', '1': 'y'}")).toMatchObject({ unsupported: "the keys 1 and '1' in one mapping" });
    expect(pyLiteral("{1: 'a', True: 'b'}")).toMatchObject({ unsupported: 'the keys 1 and True in one mapping' });
    expect(pyLiteral("{'a': 1, 'a': 2, 1: 3, 1.0: 4}")).toEqual({ value: { a: 2, 1: 4 } });
    expect(pyLiteral("{'1': 1, 'x': 2}")).toEqual({ value: { 1: 1, x: 2 } });
  });

  it('set() is the empty set to Python 3.9+ (Ansible 2.15 needs it): refused as a set is, not kept as the text "set()" (a review)', () => {
    expect(pyLiteral('set()')).toMatchObject({ unsupported: 'a set' });
    expect(pyLiteral('set( )')).toMatchObject({ unsupported: 'a set' });
    expect(pyLiteral('[set()]')).toMatchObject({ unsupported: 'a set' });
    expect(pyLiteral('set(1)')).toBeUndefined();
    expect(pyLiteral('settle()')).toBeUndefined();
  });

  it('a YAML mapping with keys 10 and "10" is refused where the second one is written', () => {
    const dir = writeCase({ 'inventory.yml': 'all:\n  hosts:\n    r1:\n      ansible_host: 127.0.0.1\n      m: {10: a, "10": b}\n' });
    const errors = errorsOf(() => loadInventory(join(dir, 'inventory.yml')));
    expect(errors.map((e) => `${e.pos?.line}:${e.pos?.col} ${e.message}`)).toEqual(['5:18 invalid YAML: the keys 10 and "10" are one key to teqlctl, which reads keys as text, and two to Ansible']);
  });
});
