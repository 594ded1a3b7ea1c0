// ansible.cfg and ANSIBLE_* settings that change what Ansible reads of an inventory: which sources
// it parses (enable_plugins), which variable files (vars_plugins_enabled), under which group names
// (force_valid_group_names) and in what order group variables win (precedence); with which
// extensions and when it reads variable files (ansible-cfg-var-files.ts). teqlctl reads an
// inventory as Ansible's defaults do; with one of these set, a note alone let the two read another
// user, port or key (a review, 2026-12-07: `force_valid_group_names = always` made Ansible apply
// group_vars/core_routers.yml to [core-routers], and log in as netops; teqlctl logged in as root).
// Refused where it is set (exit 2), unless it changes nothing of this inventory.
import { cfgValue, readCfg, type CfgPlace, type CfgValue } from './ansible-cfg-lookup.js';
import { falsy } from './ansible-cfg-settings.js';
import { refuseVarFileReading } from './ansible-cfg-var-files.js';
import type { Problems } from './problems.js';

export interface InventoryRead {
  /** The formats of the inventory files teqlctl read. */
  formats: ReadonlySet<'yaml' | 'ini'>;
  /** Every group name, as written. */
  groups: readonly string[];
}

// ansible-core's defaults (lib/ansible/config/base.yml).
const PRECEDENCE = ['all_inventory', 'groups_inventory', 'all_plugins_inventory', 'all_plugins_play', 'groups_plugins_inventory', 'groups_plugins_play'];
const VARS_PLUGIN = /^(?:(?:ansible\.builtin|ansible\.legacy)\.)?host_group_vars$/;
const PLUGIN_OF = { yaml: /^(?:(?:ansible\.builtin|ansible\.legacy)\.)?yaml$/, ini: /^(?:(?:ansible\.builtin|ansible\.legacy)\.)?ini$/ } as const;
// Python's re: ^[\d\W]|[^\w], \w being letters, numbers and _ (str.isalnum).
const INVALID_GROUP = /^\p{Nd}|[^\p{L}\p{N}_]/u;

/** A list setting as Ansible reads one: comma-separated, each part trimmed. */
const listOf = (v: string) => v.split(',').map((s) => s.trim()).filter((s) => s !== '');
const quoted = (at: CfgValue) => `${at.where} (${JSON.stringify(at.value.trim())})`;

export function refuseConfigReading(place: CfgPlace, read: InventoryRead, problems: Problems): void {
  const cfg = readCfg(place);
  const at = (key: string, env: string, section = 'defaults') => cfgValue({ ini: [[section, key]], env: [env] }, cfg, place.env);
  const precedence = at('precedence', 'ANSIBLE_PRECEDENCE');
  if (precedence && listOf(precedence.value).join(',') !== PRECEDENCE.join(',')) {
    problems.add(`${quoted(precedence)}: Ansible then merges a host's group variables in that order; teqlctl merges them in its default order (${PRECEDENCE.join(', ')}), and would read another value where two places set one`, precedence.pos, 'remove the setting: teqlctl reads variables as Ansible does by default');
  }
  const plugins = at('vars_plugins_enabled', 'ANSIBLE_VARS_ENABLED');
  if (plugins) {
    const list = listOf(plugins.value);
    const others = list.filter((p) => !VARS_PLUGIN.test(p));
    const why = !list.some((p) => VARS_PLUGIN.test(p)) ? 'Ansible then reads no group_vars/ and host_vars/ files, which teqlctl reads' : `Ansible then also takes variables from ${others.join(', ')}, which teqlctl does not run`;
    if (others.length > 0 || list.length === 0) problems.add(`${quoted(plugins)}: ${why}`, plugins.pos, 'remove the setting (Ansible\'s default, host_group_vars, is what teqlctl reads), and set those variables in the inventory or its group_vars/ and host_vars/');
  }
  const sources = at('enable_plugins', 'ANSIBLE_INVENTORY_ENABLED', 'inventory');
  if (sources) {
    const list = listOf(sources.value);
    const missing = [...read.formats].filter((f) => !list.some((p) => PLUGIN_OF[f].test(p)));
    if (missing.length > 0) problems.add(`${quoted(sources)}: without its ${missing.join(' and ')} plugin Ansible cannot read this inventory's ${missing.join(' and ')} files, which teqlctl reads`, sources.pos, `add ${missing.join(' and ')} to it, or remove the setting`);
  }
  const rename = at('force_valid_group_names', 'ANSIBLE_TRANSFORM_INVALID_GROUP_CHARS');
  const renames = rename !== undefined && !/^(?:never|ignore)$/i.test(rename.value.trim()) && !falsy(rename.value);
  const invalid = renames ? read.groups.filter((g) => INVALID_GROUP.test(g)) : [];
  if (rename && invalid.length > 0) {
    const shown = invalid.slice(0, 5).map((g) => `${g} (to ${g.replace(/^\p{Nd}|[^\p{L}\p{N}_]/gu, '_')})`).join(', ');
    problems.add(`${quoted(rename)}: Ansible then renames the groups ${shown}${invalid.length > 5 ? `, and ${invalid.length - 5} more` : ''}, and reads group_vars/ and --limit by the new names; teqlctl reads group names as written`, rename.pos, 'rename those groups in the inventory to letters, digits and _ (and their group_vars/ files), or remove the setting');
  }
  refuseVarFileReading(cfg, place.env, problems);
}
