import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadOptions } from '../../src/cli/play-flags.js';
import { loadRun } from '../../src/load/index.js';
import { errorsOf, writeCase } from '../load/helpers.js';

const dir = writeCase({ 'hosts.ini': 'r1\nr2\nr3\n', 'play.yml': '- hosts: all\n  tasks: []\n', 'retry': 'r3\nr1\n' });
const hostsOf = (limit: string) => loadRun(join(dir, 'hosts.ini'), join(dir, 'play.yml'), loadOptions({ limit })).plays[0]!.hosts;

describe('-l as a run and --list-hosts give it to loadRun', () => {
  it('is one pattern, cut as Ansible cuts it: with a comma on commas only', () => {
    // Ansible: 'r1:r2' is one name, which matches nothing (r3 alone, with a warning); it ran r1, r2 and r3 here.
    expect(() => hostsOf('r1:r2,r3')).toThrow("--limit: host pattern 'r1:r2' matches no host or group");
    expect(errorsOf(() => hostsOf('r1:r2,r3'))[0]!.hint).toMatch(/^'r1:r2' is one name, as Ansible cuts a pattern holding ',' on ',' only: write r1,r2; groups/);
    expect(hostsOf('r3:r1')).toEqual(['r1', 'r3']);
    expect(hostsOf('r3,r1')).toEqual(['r1', 'r3']);
  });

  it('reads an @file as Ansible does, one pattern a line', () => {
    expect(hostsOf(`@${join(dir, 'retry')}`)).toEqual(['r1', 'r3']);
    expect(hostsOf(`r2,@${join(dir, 'retry')}`)).toEqual(['r1', 'r2', 'r3']);
  });
});
