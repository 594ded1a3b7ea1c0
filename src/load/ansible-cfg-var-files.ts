// ansible.cfg and ANSIBLE_* settings that change which group_vars/ and host_vars/ files Ansible
// reads, and when: yaml_valid_extensions (the extensions of those files, and of the inventory files
// its yaml plugin takes) and when host_group_vars runs (run_vars_plugins, its own stage). teqlctl
// reads them as Ansible's defaults do (var-files.ts, inventory-sources.ts); a review (2026-12-07)
// found them noted only: with `.` among the extensions Ansible read group_vars/routers/zz. and
// logged in as its user, and with run_vars_plugins = start it read no group_vars/ beside the
// playbook. Refused where set (exit 2), called with the other reading settings (ansible-cfg-reading.ts).
import { cfgList, cfgString, cfgValue, type CfgRead, type CfgValue } from './ansible-cfg-lookup.js';
import type { Problems } from './problems.js';

// ansible-core's defaults: YAML_FILENAME_EXTENSIONS (base.yml) and the yaml plugin's yaml_extensions.
const EXTENSIONS = ['.yml', '.yaml', '.json'];
const VAR_FILES = { ini: [['defaults', 'yaml_valid_extensions']], env: ['ANSIBLE_YAML_FILENAME_EXT'] } as const;
const YAML_PLUGIN = {
  ini: [['defaults', 'yaml_valid_extensions'], ['inventory_plugin_yaml', 'yaml_valid_extensions']],
  env: ['ANSIBLE_YAML_FILENAME_EXT', 'ANSIBLE_INVENTORY_PLUGIN_EXTS'],
} as const;
const RUN = { ini: [['defaults', 'run_vars_plugins']], env: ['ANSIBLE_RUN_VARS_PLUGINS'] } as const;
// host_group_vars' own option (the vars_plugin_staging fragment): where set, it decides, not run_vars_plugins.
const STAGE = { ini: [['vars_host_group_vars', 'stage']], env: ['ANSIBLE_VARS_PLUGIN_STAGE'] } as const;

const quoted = (at: CfgValue) => `${at.where} (${JSON.stringify(at.value.trim())})`;

// An empty item adds nothing: Ansible tries NAME with no extension, and takes a file without one, anyway.
const extensionsOf = (at: CfgValue) => cfgList(at.value).filter((e) => e !== '');
const isDefault = (exts: string[]) => exts.every((e) => EXTENSIONS.includes(e)) && EXTENSIONS.every((e) => exts.includes(e));

const ONCE = "Ansible then reads group_vars/ and host_vars/ once, as it reads the inventory: not those beside the playbook, and an inventory folder's become the groups' and hosts' own inventory variables (so an INI [routers:vars] wins over group_vars/all.yml); teqlctl reads them as Ansible's default (demand) does";
const AS_DEFAULT = 'remove the setting: teqlctl reads variable files as Ansible does by default';

export function refuseVarFileReading(cfg: CfgRead | undefined, env: NodeJS.ProcessEnv, problems: Problems): void {
  // Any value but the default set (in any order) is refused, whether or not a file of this
  // inventory would be read otherwise: simpler than foreseeing each, and a default is no loss.
  const vars = cfgValue(VAR_FILES, cfg, env);
  const plugin = cfgValue(YAML_PLUGIN, cfg, env);
  const changed = [vars, plugin].filter((at): at is CfgValue => at !== undefined && !isDefault(extensionsOf(at)));
  // One setting for both ([defaults] yaml_valid_extensions, ANSIBLE_YAML_FILENAME_EXT): said once.
  for (const at of changed.filter((a, i) => changed.findIndex((b) => b.where === a.where) === i)) {
    const files = at.where === vars?.where;
    const inventory = at.where === plugin?.where;
    const reads = files && inventory ? 'reads the group_vars/ and host_vars/ files, and takes as YAML the inventory files,' : files ? 'reads the group_vars/ and host_vars/ files' : 'takes as YAML the inventory files';
    const exts = extensionsOf(at);
    const ending = exts.length > 0 ? `that end in ${exts.join(', ')} (or in no extension)` : 'without an extension only';
    problems.add(`${quoted(at)}: Ansible then ${reads} ${ending}; teqlctl reads those that end in .yml, .yaml or .json, Ansible's default`, at.pos, `${AS_DEFAULT} (.yml, .yaml, .json)`);
  }
  const stage = cfgValue(STAGE, cfg, env);
  const run = cfgValue(RUN, cfg, env);
  if (stage && !['all', 'task'].includes(cfgString(stage))) {
    const why = cfgString(stage) === 'inventory' ? ONCE : 'Ansible refuses that value (it takes all, task or inventory)';
    problems.add(`${quoted(stage)}: ${why}`, stage.pos, `${AS_DEFAULT} (or set it to all or task)`);
  }
  // Ansible stops on a value it does not take, whatever the stage; start matters where no stage is set.
  if (run && cfgString(run) !== 'demand' && (cfgString(run) !== 'start' || !stage)) {
    const why = cfgString(run) === 'start' ? ONCE : 'Ansible refuses that value (it takes demand or start)';
    problems.add(`${quoted(run)}: ${why}`, run.pos, `${AS_DEFAULT} (demand)`);
  }
}
