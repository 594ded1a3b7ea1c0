// ansible.cfg and ANSIBLE_* settings that change what Ansible reads of an inventory (its sources,
// variable files, group names, precedence) were noted only, and the two read other variables: a
// review found `force_valid_group_names = always` logging Ansible in as netops, teqlctl as root.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { refuseConfigReading, type InventoryRead } from '../../src/load/ansible-cfg-reading.js';
import { loadRun } from '../../src/load/index.js';
import { Problems } from '../../src/load/problems.js';
import { errorsOf, writeCase } from './helpers.js';

const NO_SYSTEM = '/nonexistent/teqlctl-test/ansible.cfg';
const YAML: InventoryRead = { formats: new Set(['yaml']), groups: ['all', 'ungrouped', 'routers'] };

function refused(cfg: string | undefined, read: InventoryRead = YAML, env: NodeJS.ProcessEnv = {}) {
  const cwd = writeCase(cfg === undefined ? {} : { 'ansible.cfg': cfg });
  const problems = new Problems();
  refuseConfigReading({ env, cwd, home: cwd, system: NO_SYSTEM }, read, problems);
  return { cwd, errors: problems.count === 0 ? [] : errorsOf(() => problems.throwIfAny()) };
}
const located = (r: ReturnType<typeof refused>) => r.errors.map((e) => e.located);

describe('settings that change what Ansible reads of an inventory', () => {
  it('force_valid_group_names that renames a group of the inventory is refused at its line, naming the groups and their new names', () => {
    const r = refused('[defaults]\nforce_valid_group_names = always\n', { formats: new Set(['ini']), groups: ['all', 'core-routers', '1st', 'ok_name'] });
    expect(located(r)).toEqual([`${join(r.cwd, 'ansible.cfg')}:2:1: ${join(r.cwd, 'ansible.cfg')} sets force_valid_group_names ("always"): Ansible then renames the groups core-routers (to core_routers), 1st (to _st), and reads group_vars/ and --limit by the new names; teqlctl reads group names as written`]);
    expect(r.errors[0]!.exitCode).toBe(2);
    expect(r.errors[0]!.hint).toMatch(/^rename those groups/);
    expect(located(refused(undefined, { formats: new Set(['ini']), groups: ['core-routers'] }, { ANSIBLE_TRANSFORM_INVALID_GROUP_CHARS: 'silently' }))).toEqual([expect.stringMatching(/^the environment sets ANSIBLE_TRANSFORM_INVALID_GROUP_CHARS \("silently"\): Ansible then renames the groups core-routers \(to core_routers\)/)]);
  });

  it('force_valid_group_names passes where no group would be renamed, and as never, ignore or false', () => {
    expect(refused('[defaults]\nforce_valid_group_names = always\n').errors).toEqual([]);
    for (const v of ['never', 'ignore', 'False']) expect(refused(`[defaults]\nforce_valid_group_names = ${v}\n`, { formats: new Set(['ini']), groups: ['core-routers'] }).errors).toEqual([]);
  });

  it('a precedence other than Ansible\'s default is refused; the default, written with other spaces, passes', () => {
    const r = refused('[defaults]\nprecedence = all_plugins_inventory, groups_plugins_inventory, all_plugins_play, groups_plugins_play, all_inventory, groups_inventory\n');
    expect(r.errors.map((e) => e.message)).toEqual([expect.stringMatching(/sets precedence \("all_plugins_inventory, .*"\): Ansible then merges a host's group variables in that order; teqlctl merges them in its default order/)]);
    expect(refused(undefined, YAML, { ANSIBLE_PRECEDENCE: 'all_inventory,groups_inventory,all_plugins_inventory,all_plugins_play,groups_plugins_inventory,groups_plugins_play' }).errors).toEqual([]);
  });

  it('vars_plugins_enabled without host_group_vars, or with a plugin of its own, is refused; host_group_vars alone passes', () => {
    expect(refused('[defaults]\nvars_plugins_enabled = community.sops.sops\n').errors.map((e) => e.message)).toEqual([expect.stringMatching(/Ansible then reads no group_vars\/ and host_vars\/ files, which teqlctl reads$/)]);
    expect(refused('[defaults]\nvars_plugins_enabled = host_group_vars, community.sops.sops\n').errors.map((e) => e.message)).toEqual([expect.stringMatching(/Ansible then also takes variables from community\.sops\.sops, which teqlctl does not run$/)]);
    expect(refused('[defaults]\nvars_plugins_enabled = ansible.builtin.host_group_vars\n').errors).toEqual([]);
  });

  it('enable_plugins without the plugin of a format the inventory is written in is refused', () => {
    expect(refused('[inventory]\nenable_plugins = ini, auto\n').errors.map((e) => e.message)).toEqual([expect.stringMatching(/sets enable_plugins in \[inventory\] \("ini, auto"\): without its yaml plugin Ansible cannot read this inventory's yaml files, which teqlctl reads$/)]);
    expect(refused('[inventory]\nenable_plugins = ansible.builtin.yaml, amazon.aws.aws_ec2\n').errors).toEqual([]);
    expect(refused(undefined, { formats: new Set(['ini', 'yaml']), groups: [] }, { ANSIBLE_INVENTORY_ENABLED: 'yaml' }).errors.map((e) => e.message)).toEqual([expect.stringMatching(/without its ini plugin/)]);
  });
});

describe('settings that change which variable files Ansible reads, and when (a review, 2026-12-07)', () => {
  it('yaml_valid_extensions other than .yml, .yaml, .json is refused at its line: Ansible reads other group_vars/ and host_vars/ files, and other YAML inventories', () => {
    const r = refused('[defaults]\nforks = 5\nyaml_valid_extensions = .yml, .yaml, .json, .vars\n');
    expect(located(r)).toEqual([`${join(r.cwd, 'ansible.cfg')}:3:1: ${join(r.cwd, 'ansible.cfg')} sets yaml_valid_extensions (".yml, .yaml, .json, .vars"): Ansible then reads the group_vars/ and host_vars/ files, and takes as YAML the inventory files, that end in .yml, .yaml, .json, .vars (or in no extension); teqlctl reads those that end in .yml, .yaml or .json, Ansible's default`]);
    expect(r.errors[0]!.exitCode).toBe(2);
    expect(r.errors[0]!.hint).toMatch(/^remove the setting/);
    // A review's reproduction: `zz.` in group_vars/routers/ read as YAML where '.' is listed.
    expect(located(refused(undefined, YAML, { ANSIBLE_YAML_FILENAME_EXT: '.yml,.' }))).toEqual([expect.stringMatching(/^the environment sets ANSIBLE_YAML_FILENAME_EXT \("\.yml,\."\): Ansible then reads the group_vars\/ and host_vars\/ files, and takes as YAML the inventory files, that end in \.yml, \. \(or in no extension\)/)]);
    // Without its dot, `yml` names NAME.yml beside group_vars/ but no file inside a group's folder.
    expect(refused('[defaults]\nyaml_valid_extensions = yml, yaml, json\n').errors).toHaveLength(1);
  });

  it('the yaml inventory plugin\'s own extensions ([inventory_plugin_yaml], ANSIBLE_INVENTORY_PLUGIN_EXTS) are refused as for the inventory files alone', () => {
    expect(refused('[inventory_plugin_yaml]\nyaml_valid_extensions = .yaml\n').errors.map((e) => e.message)).toEqual([expect.stringMatching(/sets yaml_valid_extensions in \[inventory_plugin_yaml\] \("\.yaml"\): Ansible then takes as YAML the inventory files that end in \.yaml \(or in no extension\); teqlctl /)]);
    const both = refused('[defaults]\nyaml_valid_extensions = .yml\n', YAML, { ANSIBLE_INVENTORY_PLUGIN_EXTS: '.yml, .yaml, .json' });
    expect(both.errors.map((e) => e.message)).toEqual([expect.stringMatching(/sets yaml_valid_extensions \("\.yml"\): Ansible then reads the group_vars\/ and host_vars\/ files that end in \.yml \(or in no extension\); teqlctl /)]);
  });

  it('yaml_valid_extensions as Ansible\'s default, in any order, spaces and quotes, passes', () => {
    for (const v of ['.yml,.yaml,.json', ' .json , .yaml,.yml ', '".yml", \'.yaml\', .json', '.yml, .yaml, .json,']) expect(refused(`[defaults]\nyaml_valid_extensions = ${v}\n`).errors, v).toEqual([]);
    expect(refused(undefined, YAML, { ANSIBLE_YAML_FILENAME_EXT: '.json,.yml,.yaml', ANSIBLE_INVENTORY_PLUGIN_EXTS: '.yaml,.yml,.json' }).errors).toEqual([]);
  });

  it('run_vars_plugins = start is refused: Ansible then reads group_vars/ once, at inventory parse, and not the playbook folder\'s', () => {
    const r = refused('[defaults]\nrun_vars_plugins = start\n');
    expect(located(r)).toEqual([`${join(r.cwd, 'ansible.cfg')}:2:1: ${join(r.cwd, 'ansible.cfg')} sets run_vars_plugins ("start"): Ansible then reads group_vars/ and host_vars/ once, as it reads the inventory: not those beside the playbook, and an inventory folder's become the groups' and hosts' own inventory variables (so an INI [routers:vars] wins over group_vars/all.yml); teqlctl reads them as Ansible's default (demand) does`]);
    expect(r.errors[0]!.hint).toMatch(/^remove the setting/);
    expect(located(refused(undefined, YAML, { ANSIBLE_RUN_VARS_PLUGINS: 'start' }))).toEqual([expect.stringMatching(/^the environment sets ANSIBLE_RUN_VARS_PLUGINS \("start"\): Ansible then reads group_vars\/ and host_vars\/ once/)]);
    // A value Ansible does not take stops it there: refused as well, not read as the default.
    expect(refused('[defaults]\nrun_vars_plugins = later\n').errors.map((e) => e.message)).toEqual([expect.stringMatching(/sets run_vars_plugins \("later"\): Ansible refuses that value \(it takes demand or start\)/)]);
  });

  it('host_group_vars\' stage = inventory ([vars_host_group_vars], ANSIBLE_VARS_PLUGIN_STAGE) is refused, naming its section; it wins over run_vars_plugins', () => {
    const r = refused('[vars_host_group_vars]\nstage = inventory\n');
    expect(located(r)).toEqual([expect.stringMatching(new RegExp(`^${join(r.cwd, 'ansible.cfg').replace(/[.\\/]/g, '\\$&')}:2:1: .* sets stage in \\[vars_host_group_vars\\] \\("inventory"\\): Ansible then reads group_vars/ and host_vars/ once, as it reads the inventory`))]);
    expect(refused(undefined, YAML, { ANSIBLE_VARS_PLUGIN_STAGE: 'inventory', ANSIBLE_RUN_VARS_PLUGINS: 'demand' }).errors.map((e) => e.message)).toEqual([expect.stringMatching(/^the environment sets ANSIBLE_VARS_PLUGIN_STAGE \("inventory"\)/)]);
    // stage all or task runs the plugin when a task asks, as by default: run_vars_plugins = start then changes nothing of it.
    expect(refused('[defaults]\nrun_vars_plugins = start\n[vars_host_group_vars]\nstage = task\n').errors).toEqual([]);
    expect(refused('[defaults]\nrun_vars_plugins = start\n[vars_host_group_vars]\nstage = all\n').errors).toEqual([]);
    expect(refused('[vars_host_group_vars]\nstage = later\n').errors.map((e) => e.message)).toEqual([expect.stringMatching(/Ansible refuses that value \(it takes all, task or inventory\)/)]);
  });

  it('run_vars_plugins = demand, Ansible\'s default, passes', () => {
    expect(refused('[defaults]\nrun_vars_plugins = demand\n').errors).toEqual([]);
    expect(refused('[defaults]\nrun_vars_plugins = "demand"\n').errors).toEqual([]);
  });
});

describe('a run with such an ansible.cfg', () => {
  const saved = process.env.ANSIBLE_CONFIG;
  afterEach(() => {
    if (saved === undefined) delete process.env.ANSIBLE_CONFIG;
    else process.env.ANSIBLE_CONFIG = saved;
  });

  it('is refused before any connection (exit 2): an INI group Ansible would rename, whose group_vars file sets the user', () => {
    const dir = writeCase({
      'ansible.cfg': '[defaults]\nforce_valid_group_names = always\n',
      'inv/hosts': '[core-routers]\nr1 ansible_host=127.0.0.1 ansible_user=root\n',
      'inv/group_vars/core_routers.yml': 'ansible_user: netops\n',
      'play.yml': '- hosts: all\n  tasks:\n    - sysctl: { name: net.ipv4.ip_forward, value: 1 }\n',
    });
    process.env.ANSIBLE_CONFIG = join(dir, 'ansible.cfg');
    const errors = errorsOf(() => loadRun(join(dir, 'inv/hosts'), join(dir, 'play.yml')));
    expect(errors.map((e) => [e.exitCode, e.located])).toEqual([[2, expect.stringMatching(/ansible\.cfg:2:1: .* renames the groups core-routers \(to core_routers\)/)]]);
  });
});
