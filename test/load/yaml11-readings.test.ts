// Plain values that Ansible (YAML 1.1, Python's numbers) reads or prints otherwise than teqlctl (YAML 1.2): said as one note
// naming each place, as a run or `status` loads its files; the values themselves stay YAML 1.2's.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadInventory, loadRun } from '../../src/load/index.js';
import { yaml11Readings, yaml11Value } from '../../src/load/yaml11-readings.js';
import { writeCase } from './helpers.js';

describe('YAML 1.1 as PyYAML resolves a plain value', () => {
  it('as ansible-core 2.14.18 reads each (checked with a vars_files play and debug of the values as JSON, 2026-12-03)', () => {
    expect(yaml11Value('010')).toBe(8);
    expect(yaml11Value('10:30')).toBe(630);
    expect(yaml11Value('52:54:00:12:34:56')).toBe(41135085296);
    expect(yaml11Value('1_000')).toBe(1000);
    expect(yaml11Value('0b101')).toBe(5);
    expect(yaml11Value('-0x1A')).toBe(-26);
    expect(yaml11Value('1e3')).toBe('1e3');
    expect(yaml11Value('0o17')).toBe('0o17');
    expect(yaml11Value('on')).toBe(true);
    expect(yaml11Value('Off')).toBe(false);
    expect(yaml11Value('1.5')).toBe(1.5);
    expect(yaml11Value('~')).toBeNull();
    expect(yaml11Value('10.0.0.1')).toBe('10.0.0.1');
  });

  it('as PyYAML 6 reads the edges a differential test of 1,800 values found (2026-12-03)', () => {
    // A leading dot takes no sign and no underscore first.
    expect(yaml11Value('.5')).toBe(0.5);
    expect(yaml11Value('-.5')).toBe('-.5');
    expect(yaml11Value('._5')).toBe('._5');
    // Base 60 summed from the last part: Python's float, to the last digit.
    expect(yaml11Value('9:59:59.999')).toBe(35999.998999999996);
    // A date and time is a datetime; a date alone prints as written.
    expect(yaml11Readings(parseDocument('a: 2001-12-14 21:59:43.10 -5\nb: 2001-12-14\nc: 0x_\nd: -.5\ne: =\nf: "="\n')).map((r) => [r.text, r.ansible])).toEqual([
      ['2001-12-14 21:59:43.10 -5', 'a date and time'], ['0x_', 'an error: Ansible cannot load the file'], ['-.5', 'the text "-.5"'],
      // A plain = is YAML 1.1's value tag, which PyYAML's constructor refuses (a review); quoted it is text.
      ['=', 'an error: Ansible cannot load the file'],
    ]);
  });
});

describe('the values read otherwise', () => {
  it('plain values only: a quoted or tagged value, a key, and what both read alike are not said', () => {
    const doc = parseDocument('a: 010\n010: x\nb: "010"\nc: !!str 010\nd: 1.5\ne: [0o17, text, 42, 0x1A]\nf: 10.0.0.1/31\n');
    expect(yaml11Readings(doc).map((r) => [r.text, r.here, r.ansible])).toEqual([['010', '10', '8'], ['0o17', '15', 'the text "0o17"']]);
    // yes/no/on/off: refused where teqlctl needs a boolean, and left out here (another playbook's switches).
    expect(yaml11Readings(parseDocument('a: yes\nb: Off\nc: True\n'))).toEqual([]);
  });

  it('one note for a run, each place by file:line:col, the inventory\'s, its group_vars\' and the playbook\'s; the values stay YAML 1.2\'s', () => {
    const inv = readFileSync('test/load/good/inventory.yml', 'utf8').replace('ansible_port: 2201', 'ansible_port: 2201\n          mac: 52:54:00:12:34:56');
    const dir = writeCase({
      'inventory.yml': inv,
      'group_vars/routers.yml': 'build: 1_000\nlabel: "1_000"\n',
      'teql.yml': readFileSync('test/load/good/teql.yml', 'utf8').replace('  hosts: routers\n', '  hosts: routers\n  vars:\n    mode: 0o17\n'),
    });
    const run = loadRun(join(dir, 'inventory.yml'), join(dir, 'teql.yml'));
    const notes = (run.notes ?? []).filter((n) => n.startsWith('plain YAML and INI values'));
    expect(notes).toHaveLength(1);
    expect(notes[0]).toContain(`${join(dir, 'inventory.yml')}:8:16 \`52:54:00:12:34:56\` (teqlctl: the text "52:54:00:12:34:56"; Ansible: 41135085296)`);
    expect(notes[0]).toContain(`${join(dir, 'group_vars', 'routers.yml')}:1:8 \`1_000\` (teqlctl: the text "1_000"; Ansible: 1000)`);
    expect(notes[0]).toContain(`${join(dir, 'teql.yml')}:4:11 \`0o17\` (teqlctl: 15; Ansible: the text "0o17")`);
    expect(notes[0]).toMatch(/; teqlctl uses its reading: quote a value/);
    expect(run.inventory.hosts.get('router_a')!.vars.mac).toBe('52:54:00:12:34:56');
    // status, rollback and unlock load the inventory alone: its own note.
    const inventoryOnly = loadInventory(join(dir, 'inventory.yml'), { playbookDir: dir }).notes.filter((n) => n.startsWith('plain YAML and INI values'));
    expect(inventoryOnly).toHaveLength(1);
    expect(inventoryOnly[0]).not.toContain('0o17');
  });

  it('the same number printed apart: a float Python keeps a float (1.0, 1e+16); an integer past 2^53 is kept exact (big-integers.test.ts), not said', () => {
    const doc = parseDocument('a: 1.0\nb: 2.5\nc: 1.0e+16\nd: 0.00001\ne: 12345678901234567891\nf: 9007199254740993\ng: 9007199254740992\nh: 1500\n');
    expect(yaml11Readings(doc).map((r) => [r.text, r.here, r.ansible])).toEqual([
      ['1.0', 'the number 1', 'the float 1.0'],
      ['1.0e+16', 'the number 10000000000000000', 'the float 1e+16'],
      ['0.00001', 'the number 0.00001', 'the float 1e-05'],
    ]);
  });

  it('many places: the first five and how many more', () => {
    const dir = writeCase({ 'inv.yml': `all:\n  hosts:\n${Array.from({ length: 8 }, (_, i) => `    r${i}:\n      ansible_host: 127.0.0.${i + 1}\n      mtu: 0${i + 1}500\n`).join('')}` });
    const [note] = loadInventory(join(dir, 'inv.yml')).notes.filter((n) => n.startsWith('plain YAML and INI values'));
    expect(note!.match(/`0\d500`/g)).toHaveLength(5);
    expect(note).toContain(', and 3 more;');
  });

  it('nothing to say: no note', () => {
    expect(loadRun('test/load/good/inventory.yml', 'test/load/good/teql.yml').notes?.filter((n) => n.startsWith('plain YAML and INI values')) ?? []).toEqual([]);
  });
});

describe('an !!int tag over text that YAML 1.1 reads otherwise', () => {
  it('is said as a plain one is: !!int "022" is 22 here and 18 (octal) to PyYAML; one both read alike is not', () => {
    const doc = parseDocument('a: !!int "022"\nb: !!int "22"\nc: !!int 0o17\nd: !!int "0x1F"\n');
    expect(yaml11Readings(doc).map((r) => [r.text, r.here, r.ansible])).toEqual([['!!int 022', '22', '18']]);
  });
});

describe('an INI float that Python prints otherwise', () => {
  it('is said in the same note as a YAML one (1.0 prints 1 here, 1.0 in Ansible; 1e16): its place, both readings; an integer or a float printed alike is not', () => {
    const dir = writeCase({ hosts: '[routers]\nr1 v=1.0 w=1e16 x=2.5 y=42\n[routers:vars]\nz = 3.0\n' });
    const [note] = loadInventory(join(dir, 'hosts')).notes.filter((n) => n.startsWith('plain YAML and INI values'));
    expect(note).toContain(`${dir}/hosts:2:4 \`1.0\` (teqlctl: the number 1; Ansible: the float 1.0)`);
    expect(note).toContain(`${dir}/hosts:2:10 \`1e16\` (teqlctl: the number 10000000000000000; Ansible: the float 1e+16)`);
    expect(note).toContain(`${dir}/hosts:4:1 \`3.0\` (teqlctl: the number 3; Ansible: the float 3.0)`);
    expect(note).not.toContain('2.5');
    expect(note).not.toContain('42');
  });
});
