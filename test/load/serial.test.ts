// serial: and max_fail_percentage: read as Ansible writes them, or refused at their place (exit 2).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRun } from '../../src/load/index.js';
import { errorsOf, writeCase } from './helpers.js';

const INVENTORY = join(import.meta.dirname, 'good/inventory.yml');
const play = (name: string, keys: string) => `- name: ${name}\n  hosts: routers\n${keys}  tasks:\n    - ping: { to: 10.0.0.1 }\n`;
const load = (playbook: string) => {
  const dir = writeCase({ 'playbook.yml': playbook });
  return () => loadRun(INVENTORY, join(dir, 'playbook.yml'));
};

describe('serial and max_fail_percentage', () => {
  it('reads a number of sites, or a percentage, and the failure threshold', () => {
    const [p] = load(play('p', '  serial: 2\n  max_fail_percentage: 25\n'))().plays;
    expect(p!.serial).toMatchObject({ count: 2 });
    expect(p!.maxFailPercentage).toBe(25);
    expect(load(play('p', '  serial: "30%"\n'))().plays[0]!.serial).toMatchObject({ percent: 30 });
  });

  it.each([
    ['  serial: 0\n', /serial: must be a whole number of at least 1 or a percentage from 1% to 100%, not 0/, 'write serial: 10', 3],
    ['  serial: "150%"\n', /not "150%"/, 'write serial: 10', 3],
    ['  serial: [1, 5, "20%"]\n', /not \[1,5,"20%"\]/, 'a list of batch sizes is not supported', 3],
    ['  serial: 1\n  max_fail_percentage: 120\n', /max_fail_percentage: must be a number from 0 to 100, not 120/, 'the batches after one', 4],
  ])('refuses %j at its line, with a hint', (keys, message, hint, line) => {
    const [err] = errorsOf(load(play('p', keys)));
    expect(err!.message).toMatch(message);
    expect(err!.pos!.line).toBe(line);
    expect(err!.hint).toContain(hint);
  });

  it('refuses plays that batch differently: each batch goes through every play', () => {
    const [err] = errorsOf(load(play('first', '  serial: 2\n') + play('second', '  serial: 3\n')));
    expect(err!.message).toBe('play "second" batches differently from play "first" (serial 3 against 2, max_fail_percentage none against none)');
    expect(err!.pos!.line).toBe(8);
  });

  it('refuses max_fail_percentage without serial, rather than ignore it', () => {
    const [err] = errorsOf(load(play('p', '  max_fail_percentage: 10\n')));
    expect(err!.message).toMatch(/^max_fail_percentage without serial: the run is one batch/);
    expect(err!.hint).toContain('add serial: N');
  });
});
