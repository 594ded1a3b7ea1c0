// The loader's guards one by one: value echoing, the YAML limits, connection variables, run size.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { errorsOf, writeCase } from './helpers.js';
import { loadInventory } from '../../src/load/inventory.js';
import { loadRun } from '../../src/load/index.js';
import { MAX_FILE_BYTES, MAX_HOST_VARS, MAX_TASK_INSTANCES, MAX_TOKENS } from '../../src/load/limits.js';
import { Problems } from '../../src/load/problems.js';
import { shown, visible } from '../../src/load/shown.js';
import { readYaml, toJS, type YamlFile } from '../../src/load/source.js';

const INVENTORY = 'all:\n  hosts:\n    router_a:\n      ansible_host: 192.0.2.10\n';

function yamlProblems(text: string): string[] {
  const dir = writeCase({ 'f.yml': text });
  const problems = new Problems();
  readYaml(join(dir, 'f.yml'), 'playbook', problems);
  return problems.errors().map((e) => e.located.replace(`${dir}/`, ''));
}

describe('echoing hostile values', () => {
  it('spells out invisible characters and cuts long values', () => {
    expect(visible('a\nb\tc\u200b\u202e\u{e0001}')).toBe('a\\nb\\tc\\u200b\\u202e\\u{e0001}');
    expect(shown('eth1')).toBe("'eth1'");
    expect(shown('é'.repeat(50))).toBe(`'${'é'.repeat(40)}…' (50 characters)`);
    expect(shown('😀'.repeat(41))).toBe(`'${'😀'.repeat(40)}…' (82 characters)`);
  });

  it('keeps every problem on one line of bounded length', () => {
    const problems = new Problems();
    problems.add(`bad \u001b[2J${'x'.repeat(5000)}`);
    const [e] = problems.errors();
    expect(e!.message).not.toContain('\u001b');
    expect(e!.message.length).toBeLessThan(1100);
  });
});

describe('YAML limits', () => {
  it('refuses a file over the size limit before reading it', () => {
    const dir = writeCase({});
    const file = join(dir, 'big.yml');
    writeFileSync(file, 'a'.repeat(MAX_FILE_BYTES + 1));
    const problems = new Problems();
    expect(readYaml(file, 'playbook', problems)).toBeUndefined();
    expect(problems.errors()[0]!.located).toBe(`cannot read playbook '${file}': it is ${MAX_FILE_BYTES + 1} bytes, more than the limit of ${MAX_FILE_BYTES} bytes (8 MiB)`);
  });

  it('counts tokens before parsing, and points at the one past the limit', () => {
    const text = `x: [${Array.from({ length: MAX_TOKENS }, () => '1').join(',')}]\n`;
    const [first] = yamlProblems(text);
    expect(first).toMatch(new RegExp(`^f\\.yml:1:\\d+: invalid YAML: more than ${MAX_TOKENS} tokens`));
    expect(yamlProblems(`x: [${Array.from({ length: 1000 }, () => '1').join(',')}]\n`)).toEqual([]);
  });

  it('refuses deep nesting, in flow and in block style', () => {
    expect(yamlProblems(`x: ${'['.repeat(65)}${']'.repeat(65)}\n`)[0]).toContain('f.yml:1:68: invalid YAML: [ ] and { } nested more than 64 levels deep');
    expect(yamlProblems(`x:\n  ${'- '.repeat(200)}a\n`)[0]).toContain('invalid YAML: indentation and - ? : nested more than 128 levels deep');
    expect(yamlProblems(`a: &a ${'['.repeat(40)}${']'.repeat(40)}\nb: ${'['.repeat(30)}*a${']'.repeat(30)}\n`)[0]).toContain('f.yml:2:34: invalid YAML: nested more than 64 levels deep (aliases followed)');
  });

  it('finds duplicate keys, in linear time', () => {
    expect(yamlProblems('a: 1\nb: 2\na: 3\n')).toEqual(['f.yml:3:1: invalid YAML: Map keys must be unique']);
    // A number and a string are two keys to YAML and Ansible, one to teqlctl, which reads keys as
    // text: refused, not one of them lost (a review; it was let through).
    expect(yamlProblems('{1: a, "1": b}\n')).toEqual(['f.yml:1:8: invalid YAML: the keys 1 and "1" are one key to teqlctl, which reads keys as text, and two to Ansible']);
    const keys = (n: number) => `${Array.from({ length: n }, (_, i) => `k${i}: v`).join('\n')}\nk1: again\n`;
    expect(yamlProblems(keys(15_000))).toEqual(['f.yml:15001:1: invalid YAML: Map keys must be unique']);
    // Linear, not quadratic: ten times the keys costs about ten times the time (a quadratic check
    // would cost a hundred). Compared with itself, the best of three, so that a busy machine (CI's
    // e2e beside it) cannot fail it: no absolute time limit.
    const best = (n: number) => Math.min(...[0, 1, 2].map(() => {
      const text = keys(n);
      const t = process.hrtime.bigint();
      yamlProblems(text);
      return Number(process.hrtime.bigint() - t);
    }));
    expect(best(20_000) / best(2_000)).toBeLessThan(40);
  });

  it('resolves each alias to the last anchor of its name before it, and refuses unknown and recursive ones', () => {
    const dir = writeCase({ 'f.yml': 'a: &x 1\nb: *x\nc: &x 2\nd: *x\n' });
    const y = readYaml(join(dir, 'f.yml'), 'playbook', new Problems())!;
    expect(toJS(y, y.doc.contents)).toEqual({ a: 1, b: 1, c: 2, d: 2 });
    expect(yamlProblems('a: *nope\n')).toEqual(['f.yml:1:4: invalid YAML: unknown alias *nope']);
    expect(yamlProblems('a: &a {b: *a}\n')).toEqual(['f.yml:1:11: invalid YAML: alias *a refers to a node that contains it']);
  });

  it('turns the yaml package\'s alias guard into a ConfigError at the alias', () => {
    const text = `a: &a x\nb: [${Array.from({ length: 1001 }, () => '*a').join(', ')}]\n`;
    const doc = parseDocument(text);
    const y = { file: 'f.yml', doc, lines: { linePos: (o: number) => ({ line: 1, col: o + 1 }) }, aliases: new Map() } as unknown as YamlFile;
    const [e] = errorsOf(() => toJS(y, doc.contents));
    expect(e!.located).toBe("f.yml:1:13: invalid YAML: *a is used too often here (more than the yaml parser's maxAliasCount of 1000, a guard against alias bombs)");
  });
});

describe('connection variables', () => {
  const problemsOf = (vars: string) => {
    const dir = writeCase({ 'inventory.yml': `all:\n  hosts:\n    router_a:\n${vars}` });
    return errorsOf(() => loadInventory(join(dir, 'inventory.yml'))).map((e) => e.message);
  };

  it('takes ordinary values', () => {
    expect(problemsOf('      ansible_host: r1.example.net\n      ansible_user: admin\n      ansible_become: true\n      ansible_become_user: net-admin_2\n      ansible_ssh_private_key_file: ~/.ssh/id ed25519\n')).toEqual([]);
    expect(problemsOf('      ansible_host: fe80::1%eth0\n')).toEqual([]);
  });

  it('refuses values that could smuggle options or commands', () => {
    expect(problemsOf('      ansible_host: -oProxyCommand=reboot\n')).toEqual(["ansible_host of host router_a: '-oProxyCommand=reboot' starts with '-'"]);
    expect(problemsOf('      ansible_host: 10.0.0.256\n')[0]).toContain("'10.0.0.256' is not an IPv4 address");
    expect(problemsOf(`      ansible_host: ${'h'.repeat(256)}\n`)[0]).toContain('is longer than 255 characters');
    expect(problemsOf('      ansible_user: "admin\\u200b"\n')[0]).toContain('contains whitespace or an invisible character (U+200B)');
    expect(problemsOf('      ansible_become_user: 0day\n')[0]).toContain("'0day' is not a user name");
    expect(problemsOf('      teqlctl_known_hosts_file: "kh\\rx"\n')[0]).toContain("'kh\\rx' contains a control or invisible character (U+000D)");
  });

  it('refuses group names with invisible characters and overlong host names', () => {
    const messagesOf = (text: string) => {
      const dir = writeCase({ 'inventory.yml': text });
      return errorsOf(() => loadInventory(join(dir, 'inventory.yml'))).map((e) => `${e.message} / ${e.hint}`);
    };
    expect(messagesOf('all:\n  children:\n    "routers\\u2060":\n      hosts:\n        r1:\n')[0]).toBe("invalid group name 'routers\\u2060' / the name holds an invisible character (U+2060); retype it");
    expect(messagesOf(`all:\n  hosts:\n    ${'r'.repeat(256)}:\n`)[0]).toContain('(256 characters) / names are at most 255 characters');
  });
});

describe('run size', () => {
  it('refuses more hosts than the limit before doing any work per host', () => {
    const dir = writeCase({ 'inventory.yml': `all:\n  hosts:\n${Array.from({ length: 5001 }, (_, i) => `    h${i}:\n`).join('')}` });
    expect(errorsOf(() => loadInventory(join(dir, 'inventory.yml'))).map((e) => e.located)).toEqual([`${dir}/inventory.yml:2:3: the inventory lists 5001 hosts; teqlctl takes at most 5000`]);
  });

  it('refuses more host × variable pairs than the limit', () => {
    const vars = Array.from({ length: MAX_HOST_VARS / 500 + 1 }, (_, i) => `    v${i}: x\n`).join('');
    const dir = writeCase({ 'inventory.yml': `all:\n  vars:\n${vars}  hosts:\n${Array.from({ length: 500 }, (_, i) => `    h${i}:\n`).join('')}` });
    expect(errorsOf(() => loadInventory(join(dir, 'inventory.yml')))[0]!.message).toContain(`more than ${MAX_HOST_VARS} variables in all`);
  });

  it('refuses a loop that gives more tasks than a run may have', () => {
    const dir = writeCase({
      'inventory.yml': INVENTORY,
      // Written out: a templated list that long is refused first, as a value of more than MAX_VALUE_NODES.
      'playbook.yml': `- hosts: all\n  tasks:\n    - link: { dev: "{{ item }}", state: up }\n      loop: [${Array.from({ length: MAX_TASK_INSTANCES + 1 }, () => 'eth1').join(',')}]\n`,
    });
    const [e] = errorsOf(() => loadRun(join(dir, 'inventory.yml'), join(dir, 'playbook.yml')));
    expect(e!.located).toBe(`${dir}/playbook.yml:4:13: loop gives ${MAX_TASK_INSTANCES + 1} items; a run has at most ${MAX_TASK_INSTANCES} tasks (host router_a)`);
  });

  it('a loop item does not copy the host\'s variables (a long loop over many variables stays cheap)', () => {
    const vars = Array.from({ length: 1500 }, (_, i) => `      v${i}: x\n`).join('');
    const dir = writeCase({
      'inventory.yml': `${INVENTORY}${vars}`,
      'playbook.yml': `- hosts: all\n  vars:\n    devs: [${Array.from({ length: 5000 }, () => 'eth1').join(',')}]\n  tasks:\n    - link: { dev: "{{ item }}", state: up }\n      loop: "{{ devs }}"\n`,
    });
    const before = process.memoryUsage().heapUsed;
    const run = loadRun(join(dir, 'inventory.yml'), join(dir, 'playbook.yml'));
    expect(run.plays[0]!.tasks.get('router_a')).toHaveLength(5000);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(100 * 1024 * 1024);
  });
});
