// An ansible.cfg or ANSIBLE_* setting that changes where, or as whom, Ansible connects: teqlctl
// reads neither, so a host the run reaches without the inventory variable that would win over it
// (in Ansible too) was connected otherwise than by Ansible, with a note only (a review found
// `remote_user = admin` and `ssh_args = -o ProxyJump=bastion` passed by). Refused before any
// connection (exit 2), where it is set, naming the hosts and the variable to set. Settings that
// change nothing (become = false, become_user = root, ssh_args of ControlPersist and compression)
// pass; the others are still noted (ansible-config.ts).
import { cfgValue, iniGet, readCfg, type CfgValue } from './ansible-cfg-lookup.js';
import { falsy, SETTINGS, type BecomeMethod, type Setting } from './ansible-cfg-settings.js';
import type { Problems } from './problems.js';
import type { VarLayer } from './scope.js';
import { BECOME_METHODS } from './connection.js';

export interface ConfigConnectionInput {
  env: NodeJS.ProcessEnv;
  cwd: string;
  home: string;
  /** Each host the run reaches, with its variables (inventory, playbook folder). */
  hosts: ReadonlyMap<string, VarLayer>;
  /** -e. */
  extra: VarLayer;
  system?: string;
}

/** Refuses each connection setting of ansible.cfg or ANSIBLE_* that some reached host does not override. */
export function refuseConfigConnection(input: ConfigConnectionInput, problems: Problems): void {
  const cfg = readCfg(input);
  const found = SETTINGS.map((setting) => ({ setting, at: cfgValue(setting, cfg, input.env) })).filter((f): f is { setting: Setting; at: CfgValue } => f.at !== undefined);
  const value = (name: string) => found.find((f) => f.setting.ini[0]![1] === name)?.at.value;
  // A variable counts where it is set to something: Ansible drops one set to null (`ansible_user:`
  // left empty) and takes the config's; a review found it counted as overriding.
  const varOf = (layer: VarLayer, name: string) => [input.extra, layer].map((l) => (l.origins.has(name) ? l.values[name] : undefined)).find((v) => v !== undefined && v !== null);
  // Become on for a host: its ansible_become (-e's over the host's), else the config's become. Who
  // to become, and how, change nothing where it is off; a plugin's own settings, where another becomes.
  const becomes = (layer: VarLayer) => {
    const v = varOf(layer, 'ansible_become');
    return v === undefined ? value('become') !== undefined && !falsy(value('become')!) : !(v === false || (typeof v === 'string' && falsy(v)));
  };
  const methodOf = (layer: VarLayer): BecomeMethod | undefined => {
    const v = varOf(layer, 'ansible_become_method') ?? value('become_method') ?? 'sudo';
    return typeof v === 'string' ? BECOME_METHODS.get(v.trim()) : undefined;
  };
  const reads = (setting: Setting, layer: VarLayer) => {
    if (setting.vars.some((v) => varOf(layer, v) !== undefined)) return false;
    return setting.become === undefined || (becomes(layer) && (setting.become === 'any' || methodOf(layer) === setting.become));
  };
  // One problem per place: [privilege_escalation] become_user is both sudo's and doas's.
  const missing = new Map<string, { setting: Setting; at: CfgValue; hosts: string[] }>();
  for (const { setting, at } of found) {
    if (setting.inert?.(at.value)) continue;
    const hosts = [...input.hosts].filter(([, layer]) => reads(setting, layer)).map(([h]) => h);
    const key = `${at.where}\0${at.value}`;
    const known = missing.get(key);
    if (known) known.hosts.push(...hosts.filter((h) => !known.hosts.includes(h)));
    else missing.set(key, { setting, at, hosts });
  }
  for (const { setting, at, hosts: all } of missing.values()) {
    if (all.length === 0) continue;
    const hosts = `${all.slice(0, 5).join(', ')}${all.length > 5 ? `, and ${all.length - 5} more` : ''}`;
    problems.add(
      `${at.where} (${JSON.stringify(at.value.trim())}), which changes how Ansible connects to ${hosts}; teqlctl does not follow it (of ansible.cfg and ANSIBLE_* it follows only the ignore settings of an inventory folder), and would connect otherwise`,
      at.pos,
      setting.hint ?? `set ${setting.vars[0]} for those hosts in the inventory (or -e ${setting.vars[0]}=...), which Ansible reads over it too; or remove the setting`,
    );
  }
}

/**
 * `hash_behaviour = merge` (or ANSIBLE_HASH_BEHAVIOUR=merge): Ansible merges a mapping variable set
 * in several places, teqlctl takes the one that wins, as Ansible's default `replace` does; a note
 * alone let such a variable read otherwise than in Ansible (a review). Refused where it is set,
 * when the run reads a mapping variable (`layers`: the reached hosts', the plays', -e): without
 * one, merge and replace read the same (teqlctl's own variables are lists and scalars).
 */
export function refuseHashMerge(input: Pick<ConfigConnectionInput, 'env' | 'cwd' | 'home' | 'system'>, layers: readonly VarLayer[], problems: Problems): void {
  const mapping = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!layers.some((l) => Object.values(l.values).some(mapping))) return;
  const cfg = readCfg(input);
  // [DEFAULT]'s too, as configparser gives it to [defaults] (a review).
  const entry = cfg ? iniGet(cfg, 'defaults', 'hash_behaviour') : undefined;
  const env = input.env.ANSIBLE_HASH_BEHAVIOUR;
  const value = env ?? entry?.value;
  if (value === undefined || value.trim().toLowerCase() !== 'merge') return;
  const where = env !== undefined ? 'the environment sets ANSIBLE_HASH_BEHAVIOUR' : `${cfg!.path} sets hash_behaviour`;
  problems.add(`${where} (${JSON.stringify(value.trim())}): Ansible then merges a mapping variable set in several places, and teqlctl takes the one that wins (Ansible's default, replace)`, env !== undefined ? undefined : entry!.pos, 'remove the setting, and give each mapping whole where it wins: teqlctl reads variables as Ansible does by default');
}
