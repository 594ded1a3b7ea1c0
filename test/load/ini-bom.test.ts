// U+FEFF (a byte order mark, a zero-width no-break space) in an INI inventory, against
// ansible-inventory 2.14.18: Python's str.strip() keeps it, where JavaScript's trim() takes it off.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadInventory } from '../../src/load/inventory.js';
import { errorsOf, writeCase } from './helpers.js';

const BOM = '\ufeff';

describe('U+FEFF in an INI inventory', () => {
  it('a file starting with a byte order mark is refused at 1:1: Ansible reads the mark as part of the first line', () => {
    // <BOM>r0 a=1 / [g] / r1      ansible-inventory --list: hosts "\ufeffr0" (ungrouped) and r1
    // <BOM>[g] / r1 a=1           ansible-inventory: "host range must be begin:end or begin:end:step"
    // (teqlctl read the host r0, and the section [g])
    for (const text of [`${BOM}r0 a=1\n[g]\nr1\n`, `${BOM}[g]\nr1 a=1\n`]) {
      const dir = writeCase({ 'hosts.ini': text });
      const errors = errorsOf(() => loadInventory(join(dir, 'hosts.ini')));
      expect(errors.map((e) => e.located.replace(`${dir}/`, ''))).toEqual([
        expect.stringMatching(/^hosts\.ini:1:1: .*byte order mark \(U\+FEFF\)/),
      ]);
      expect(errors[0]!.hint).toMatch(/without a byte order mark/);
    }
  });

  it('at the end of a value it stays part of the value, which is then text', () => {
    // [g] / r1 a=1<FEFF> / [g:vars] / v = 1<FEFF> / w =<FEFF> 2
    // ansible-inventory --host r1: {"a": "1\ufeff", "v": "1\ufeff", "w": "\ufeff 2"} (teqlctl: 1, 1, 2)
    const dir = writeCase({ 'hosts.ini': `[g]\nr1 a=1${BOM}\n[g:vars]\nv = 1${BOM}\nw =${BOM} 2\n` });
    const vars = loadInventory(join(dir, 'hosts.ini')).inventory.hosts.get('r1')!.vars;
    expect(vars).toEqual({ a: `1${BOM}`, v: `1${BOM}`, w: `${BOM} 2` });
  });
});
