// ansible.cfg and ANSIBLE_* settings that change how Ansible runs the play: which tasks ([tags] run
// and skip) and what a failed task stops (any_errors_fatal). The play keywords and -t are refused;
// these were noted only, with a hint to set them in the inventory (a review, 2026-12-07).
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { refuseConfigPlay } from '../../src/load/ansible-cfg-play.js';
import { loadRun } from '../../src/load/index.js';
import { Problems } from '../../src/load/problems.js';
import { errorsOf, writeCase } from './helpers.js';

const NO_SYSTEM = '/nonexistent/teqlctl-test/ansible.cfg';

function refused(cfg: string | undefined, env: NodeJS.ProcessEnv = {}) {
  const cwd = writeCase(cfg === undefined ? {} : { 'ansible.cfg': cfg });
  const problems = new Problems();
  refuseConfigPlay({ env, cwd, home: cwd, system: NO_SYSTEM }, problems);
  return { cwd, errors: problems.count === 0 ? [] : errorsOf(() => problems.throwIfAny()) };
}

describe('settings that change which tasks Ansible runs', () => {
  it('[tags] run is refused at its line: Ansible runs only tagged tasks, and a teqlctl playbook has none', () => {
    const r = refused('[defaults]\nforks = 5\n[tags]\nrun = deploy, links\n');
    expect(r.errors.map((e) => e.located)).toEqual([`${join(r.cwd, 'ansible.cfg')}:4:1: ${join(r.cwd, 'ansible.cfg')} sets run in [tags] ("deploy, links"): Ansible then runs only the tasks with one of these tags, and a teqlctl playbook's tasks have none (tags: is refused), so it would run none of them; teqlctl runs every task`]);
    expect(r.errors[0]!.exitCode).toBe(2);
    expect(r.errors[0]!.hint).toMatch(/^remove the setting: teqlctl runs every task of the playbook/);
    expect(refused(undefined, { ANSIBLE_RUN_TAGS: 'deploy' }).errors.map((e) => [e.message, e.pos])).toEqual([[expect.stringMatching(/^the environment sets ANSIBLE_RUN_TAGS \("deploy"\): Ansible then runs only the tasks with one of these tags/), undefined]]);
    // Left empty, Ansible reads it as the one tag "" (its list of one empty item): no task has it.
    expect(refused('[tags]\nrun =\n').errors).toHaveLength(1);
  });

  it('[tags] run holding all or untagged runs every untagged task, as by default: passes', () => {
    for (const v of ['all', 'deploy, all', 'untagged,deploy']) expect(refused(`[tags]\nrun = ${v}\n`).errors, v).toEqual([]);
    expect(refused(undefined, { ANSIBLE_RUN_TAGS: 'all' }).errors).toEqual([]);
  });

  it('[tags] skip is refused where it skips untagged tasks (all, untagged); another tag skips nothing of a teqlctl playbook', () => {
    const r = refused('[tags]\nskip = debug, untagged\n');
    expect(r.errors.map((e) => e.located)).toEqual([`${join(r.cwd, 'ansible.cfg')}:2:1: ${join(r.cwd, 'ansible.cfg')} sets skip in [tags] ("debug, untagged"): Ansible then skips the tasks without a tag, and a teqlctl playbook's tasks have none (tags: is refused), so it would run none of them; teqlctl runs every task`]);
    expect(refused(undefined, { ANSIBLE_SKIP_TAGS: 'all' }).errors.map((e) => e.message)).toEqual([expect.stringMatching(/^the environment sets ANSIBLE_SKIP_TAGS \("all"\): Ansible then skips the tasks without a tag/)]);
    for (const v of ['debug', '', 'never']) expect(refused(`[tags]\nskip = ${v}\n`).errors, v).toEqual([]);
  });

  it('the environment wins over the file, as in Ansible', () => {
    expect(refused('[tags]\nrun = deploy\n', { ANSIBLE_RUN_TAGS: 'all' }).errors).toEqual([]);
    expect(refused('[tags]\nrun = all\n', { ANSIBLE_RUN_TAGS: 'deploy' }).errors).toHaveLength(1);
  });
});

describe('any_errors_fatal', () => {
  it('true is refused at its line: Ansible ends the play on every host at one failure, teqlctl fails that router\'s bundles only', () => {
    const r = refused('[defaults]\nany_errors_fatal = True\n');
    expect(r.errors.map((e) => e.located)).toEqual([`${join(r.cwd, 'ansible.cfg')}:2:1: ${join(r.cwd, 'ansible.cfg')} sets any_errors_fatal ("True"): Ansible then ends the play on every host at the first task that fails on one; teqlctl fails only the bundles of that router, rolls them back and goes on with the others`]);
    expect(r.errors[0]!.exitCode).toBe(2);
    expect(r.errors[0]!.hint).toMatch(/^remove the setting/);
    expect(refused(undefined, { ANSIBLE_ANY_ERRORS_FATAL: 'yes' }).errors.map((e) => e.message)).toEqual([expect.stringMatching(/^the environment sets ANSIBLE_ANY_ERRORS_FATAL \("yes"\): Ansible then ends the play/)]);
  });

  it('false, or left empty, changes nothing: passes', () => {
    for (const v of ['False', 'no', '0', '']) expect(refused(`[defaults]\nany_errors_fatal = ${v}\n`).errors, v).toEqual([]);
    expect(refused(undefined, { ANSIBLE_ANY_ERRORS_FATAL: 'false' }).errors).toEqual([]);
    expect(refused(undefined).errors).toEqual([]);
  });
});

describe('a run with such an ansible.cfg', () => {
  const saved = process.env.ANSIBLE_CONFIG;
  afterEach(() => {
    if (saved === undefined) delete process.env.ANSIBLE_CONFIG;
    else process.env.ANSIBLE_CONFIG = saved;
  });

  it('is refused before any connection (exit 2), at the setting\'s line', () => {
    const dir = writeCase({
      'ansible.cfg': '[tags]\nrun = deploy\n[defaults]\nany_errors_fatal = yes\n',
      'inv/hosts': '[routers]\nr1 ansible_host=127.0.0.1 ansible_user=root\n',
      'play.yml': '- hosts: all\n  tasks:\n    - sysctl: { name: net.ipv4.ip_forward, value: 1 }\n',
    });
    process.env.ANSIBLE_CONFIG = join(dir, 'ansible.cfg');
    const errors = errorsOf(() => loadRun(join(dir, 'inv/hosts'), join(dir, 'play.yml')));
    expect(errors.map((e) => [e.exitCode, e.located])).toEqual([
      [2, expect.stringMatching(/ansible\.cfg:2:1: .* sets run in \[tags\] \("deploy"\)/)],
      [2, expect.stringMatching(/ansible\.cfg:4:1: .* sets any_errors_fatal \("yes"\)/)],
    ]);
  });
});
