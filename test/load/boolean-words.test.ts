// yes/no/on/off written plain: booleans to Ansible (YAML 1.1), text to teqlctl (YAML 1.2). Compared
// or printed they chose other tasks and values than Ansible, without a word (a review): refused
// there, naming the variable and where it was written; as a switch (`| bool`), and quoted, they work.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRun } from '../../src/load/index.js';
import { errorsOf, writeCase } from './helpers.js';

const INVENTORY = "all:\n  hosts:\n    r1:\n      ansible_host: 127.0.0.1\n      tune: yes\n      dis: 'off'\n      word: Off\n";

function load(play: string, inventory = INVENTORY) {
  const dir = writeCase({ 'inventory.yml': inventory, 'playbook.yml': `- hosts: all\n  tasks:\n${play}` });
  return () => loadRun(join(dir, 'inventory.yml'), join(dir, 'playbook.yml'));
}

const problems = (play: string, inventory?: string) => errorsOf(load(play, inventory)).map((e) => `${e.message} | ${e.hint}`);
const sysctls = (play: string) => load(play)().plays[0]!.tasks.get('r1')!.map((t) => (t.args as { value?: unknown }).value);

describe('plain YAML 1.1 boolean words', () => {
  it('compared, a plain one is refused naming where it was written; a quoted one compares as text', () => {
    const [msg] = problems('    - sysctl: { name: net.ipv4.tcp_reordering, value: 30 }\n      when: tune == true\n');
    expect(msg).toContain("'tune' is written `yes` (at ");
    expect(msg).toContain('inventory.yml:5:7): Ansible (YAML 1.1) reads it as the boolean true, teqlctl (YAML 1.2) as the text \'yes\', and compared the two differ (host r1) | write true where it is set if it is a switch (or quote it, \'yes\', if it is text), or convert it here with tune | bool');
    expect(problems("    - sysctl: { name: net.ipv4.tcp_reordering, value: 30 }\n      when: word != 'Off'\n")[0]).toContain("'word' is written `Off`");
    expect(sysctls("    - sysctl: { name: net.ipv4.tcp_reordering, value: 30 }\n      when: dis == 'off'\n")).toEqual(['30']);
  });

  it('printed, whole or inside text, it is refused; through | bool it is the boolean Ansible reads', () => {
    expect(problems('    - sysctl: { name: net.ipv4.tcp_sack, value: "{{ tune }}" }\n')[0]).toContain("'tune' is written `yes`");
    expect(problems('    - sysctl: { name: net.ipv4.tcp_sack, value: "1{{ tune }}" }\n')[0]).toContain('and printed the two differ');
    expect(sysctls('    - sysctl: { name: net.ipv4.tcp_reordering, value: 30 }\n      when: tune | bool\n')).toEqual(['30']);
    expect(sysctls('    - sysctl: { name: net.ipv4.tcp_reordering, value: 30 }\n      when: (word | bool) == false\n')).toEqual(['30']);
  });

  it('through a key, a literal index, or a filter that keeps the text, as Ansible reads the boolean inside (a review)', () => {
    const inv = INVENTORY + "      opts: { tune: yes, keep: 'on' }\n      lst: [on, x]\n";
    const task = (when: string) => `    - sysctl: { name: net.ipv4.tcp_reordering, value: 30 }\n      when: ${when}\n`;
    expect(problems(task('opts.tune == true'), inv)[0]).toContain("'opts.tune' is written `yes`");
    expect(problems(task("opts['tune'] == true"), inv)[0]).toContain("'opts.tune' is written `yes`");
    expect(problems(task("lst[0] == 'on'"), inv)[0]).toContain("'lst[0]' is written `on`");
    expect(problems(task("(tune | default(false)) == 'yes'"), inv)[0]).toContain("'tune' is written `yes`");
    expect(problems(task("(tune | string) == 'yes'"), inv)[0]).toContain("'tune' is written `yes`");
    expect(problems(task("(other | default(tune)) == 'yes'"), inv)[0]).toContain("'tune' is written `yes`");
    // What is text to both, or read as a boolean by both, is not refused.
    expect(errorsOf(load(task("opts.keep == 'on' and lst[1] == 'x' and (opts.tune | bool)"), inv))).toEqual([]);
  });

  it('as a loop item, of the loop\'s own list or of the variable it reads, the word is refused where compared or printed (a Left of stop 61)', () => {
    const inv = INVENTORY + "      flags: [no, 'on']\n      opts: { links: [{ dev: eth1, up: yes }] }\n";
    const task = (loop: string, when: string) => `    - sysctl: { name: net.ipv4.tcp_reordering, value: 30 }\n      loop: ${loop}\n      when: ${when}\n`;
    const [own] = problems(task('[yes, x]', "item == 'yes'"), inv);
    expect(own).toContain("'item' is written `yes` (at ");
    expect(own).toContain('playbook.yml:4:13): Ansible (YAML 1.1) reads it as the boolean true');
    const [fromVar] = problems(task('"{{ flags }}"', 'item == false'), inv);
    expect(fromVar).toContain("'item' is written `no` (at ");
    expect(fromVar).toContain('inventory.yml:8:7)');
    expect(problems(task('"{{ opts.links }}"', 'item.up == true'), inv)[0]).toContain("'item.up' is written `yes`");
    expect(problems('    - sysctl: { name: net.ipv4.tcp_sack, value: "{{ item }}" }\n      loop: "{{ flags }}"\n', inv)[0]).toContain("'item' is written `no`");
    // The quoted item is text to both; an item read with | bool is Ansible's boolean: not refused.
    expect(errorsOf(load(task('"{{ flags }}"', 'item | bool'), inv))).toEqual([]);
    expect(errorsOf(load(task("['on', x]", "item == 'on'"), inv))).toEqual([]);
    // x | default(y): the items are x's where x is set, and only y's words count where it is not (a review).
    const both = inv + '      mine: [true, false]\n';
    expect(errorsOf(load(task('"{{ mine | default(flags) }}"', 'item == true'), both))).toEqual([]);
    expect(problems(task('"{{ unset_list | default(flags) }}"', 'item == false'), both)[0]).toContain("'item' is written `no`");
  });

  it('brought by a merge key (<<) or inside a value that is an alias: refused as written directly (a review: both compared as text, the opposite task ran)', () => {
    const merged = "all:\n  vars:\n    base: &base { tune: yes }\n  hosts:\n    r1:\n      ansible_host: 127.0.0.1\n      <<: *base\n";
    expect(problems("    - sysctl: { name: net.ipv4.tcp_reordering, value: 30 }\n      when: tune == 'yes'\n", merged)[0]).toContain("'tune' is written `yes`");
    const aliased = "all:\n  vars:\n    flags: &f { tune: on }\n  hosts:\n    r1:\n      ansible_host: 127.0.0.1\n      again: *f\n";
    expect(problems("    - sysctl: { name: net.ipv4.tcp_reordering, value: 30 }\n      when: again.tune == 'on'\n", aliased)[0]).toContain('is written `on`');
  });

  it('through an index or key known only when run, or a default that tests truth before | bool: refused too (a review: the opposite task ran)', () => {
    const inv = "all:\n  hosts:\n    r1:\n      ansible_host: 127.0.0.1\n      flags: [yes, x]\n      idx: 0\n      m: { a: off }\n      k: a\n      tune: no\n";
    expect(problems("    - sysctl: { name: net.ipv4.tcp_reordering, value: 30 }\n      when: flags[idx] == 'yes'\n", inv)).toEqual([expect.stringContaining('is written `yes`')]);
    expect(problems("    - sysctl: { name: net.ipv4.tcp_reordering, value: 30 }\n      when: m[k] == 'off'\n", inv)).toEqual([expect.stringContaining('is written `off`')]);
    expect(problems('    - sysctl: { name: net.ipv4.tcp_reordering, value: 30 }\n      when: tune | default(true, true) | bool\n', inv)).toEqual([expect.stringContaining("'tune' is written `no`")]);
    // Without the truth test, | bool reads the word as Ansible does.
    expect(problems('    - sysctl: { name: net.ipv4.tcp_reordering, value: 30 }\n      when: tune | default(true) | bool\n', inv)).toEqual([]);
  });

  it('through another variable, the refusal names the word where it was written', () => {
    const inv = INVENTORY + '      again: "{{ tune }}"\n';
    expect(problems('    - sysctl: { name: net.ipv4.tcp_reordering, value: 30 }\n      when: again == true\n', inv)[0]).toContain("'tune' is written `yes`");
  });

  it('a list reached through a variable that is one whole template of another keeps the words inside it (a Left of stop 62)', () => {
    const inv = INVENTORY + "      flags: [no, 'on']\n      alias: \"{{ flags }}\"\n      twice: \"{{ alias }}\"\n      opts: { links: [{ dev: eth1, up: yes }] }\n      links: \"{{ opts.links }}\"\n";
    const task = (loop: string, when: string) => `    - sysctl: { name: net.ipv4.tcp_reordering, value: 30 }\n      loop: ${loop}\n      when: ${when}\n`;
    const [looped] = problems(task('"{{ alias }}"', 'item == false'), inv);
    expect(looped).toContain("'item' is written `no` (at ");
    expect(looped).toContain('inventory.yml:8:7)');
    expect(problems(task('"{{ twice }}"', 'item == false'), inv)[0]).toContain("'item' is written `no`");
    expect(problems(task('"{{ links }}"', 'item.up == true'), inv)[0]).toContain("'item.up' is written `yes`");
    const when = (w: string) => `    - sysctl: { name: net.ipv4.tcp_reordering, value: 30 }\n      when: ${w}\n`;
    expect(problems(when('alias[0] == false'), inv)[0]).toContain("'alias[0]' is written `no`");
    expect(problems(when('links[0].up == true'), inv)[0]).toContain("'links[0].up' is written `yes`");
    // The quoted word stays text to both; a variable that refers to itself gives no words (said where rendered).
    expect(errorsOf(load(task('"{{ alias }}"', 'item | bool'), inv))).toEqual([]);
    expect(errorsOf(load(when("alias[1] == 'on'"), inv))).toEqual([]);
  });
});
