// Which blanks Python's tokenizer skips inside an INI value (space, tab, form feed), against
// ansible-inventory 2.14.18 (Python 3.11): a no-break space from a copied web page is none of them.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadInventory } from '../../src/load/inventory.js';
import { pyLiteral } from '../../src/load/python-literal.js';
import { writeCase } from './helpers.js';

describe('blanks in a Python literal', () => {
  it('a no-break space makes the value text, unless the strip() of its line takes it off', () => {
    // [g]
    // r1 c=1500<U+00A0>
    // r2 c=1500<U+00A0> d=1
    // [g:vars]
    // v2 = 1<U+00A0>
    // v3 = [1,<U+00A0>2]
    // ansible-inventory --list, hostvars: r1 {"c": 1500, "v2": 1, "v3": "[1,\u00a02]"},
    // r2 {"c": "1500\u00a0", "d": 1, ...} (literal_eval: "invalid non-printable character U+00A0";
    // teqlctl read r2's c as 1500 and v3 as [1, 2])
    const dir = writeCase({ hosts: '[g]\nr1 c=1500\u00a0\nr2 c=1500\u00a0 d=1\n[g:vars]\nv2 = 1\u00a0\nv3 = [1,\u00a02]\n' });
    const { hosts } = loadInventory(join(dir, 'hosts')).inventory;
    expect(hosts.get('r1')!.vars).toEqual({ c: 1500, v2: 1, v3: '[1,\u00a02]' });
    expect(hosts.get('r2')!.vars).toEqual({ c: '1500\u00a0', d: 1, v2: 1, v3: '[1,\u00a02]' });
  });

  it('space, tab and form feed are skipped; other Unicode blanks are not', () => {
    expect(pyLiteral('[1,\t\f2] ')).toEqual({ value: [1, 2] });
    expect(pyLiteral('\u30001')).toBeUndefined();
    expect(pyLiteral('1\u2003')).toBeUndefined();
  });
});
