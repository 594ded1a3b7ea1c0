// One Ansible setting as Ansible resolves it: its environment variables over its ansible.cfg keys,
// each list lowest precedence first (ConfigManager keeps the last one set), and a key read as
// Python's configparser reads it: the section's own, else [DEFAULT]'s, in a section the file has.
// A review found `[DEFAULT] remote_user = netops` passed by, where configparser (and so Ansible)
// gives it to [defaults].
import type { SourcePos } from '../errors.js';
import { configFile, configRead, type ConfigEntry } from './ansible-cfg-read.js';

export interface CfgPlace {
  env: NodeJS.ProcessEnv;
  cwd: string;
  home: string;
  system?: string;
}

/** The ansible.cfg Ansible would use, read: its entries and its sections. */
export interface CfgRead {
  path: string;
  entries: ConfigEntry[];
  sections: Set<string>;
}

export interface CfgSource {
  /** Where Ansible reads it in an ansible.cfg: [section, key], lowest precedence first. */
  ini: ReadonlyArray<readonly [string, string]>;
  /** Its environment variables, lowest precedence first; any of them wins over the file. */
  env: readonly string[];
}

export interface CfgValue {
  value: string;
  /** "PATH sets KEY" or "the environment sets NAME", for messages. */
  where: string;
  pos?: SourcePos;
  /** The file's entry it comes from (none for the environment). */
  entry?: ConfigEntry;
}

export function readCfg(place: CfgPlace): CfgRead | undefined {
  const cfg = configFile(place.env, place.cwd, place.home, place.system ?? '/etc/ansible/ansible.cfg');
  return cfg ? { path: cfg.path, ...configRead(cfg.text, cfg.path) } : undefined;
}

/** configparser's get(section, key): undefined where the file has no such section, as Ansible's fallback=None. */
export function iniGet(cfg: CfgRead, section: string, key: string): ConfigEntry | undefined {
  if (!cfg.sections.has(section)) return undefined;
  const own = cfg.entries.filter((e) => e.section === section && e.key === key).pop();
  return own ?? cfg.entries.filter((e) => e.section === 'DEFAULT' && e.key === key).pop();
}

// The sections Ansible's own settings live in: a key there is named alone, any other with its section.
const PLAIN = new Set(['defaults', 'privilege_escalation', 'ssh_connection']);

/** The value Ansible takes for `source`, and where it is set; undefined where nothing sets it. */
export function cfgValue(source: CfgSource, cfg: CfgRead | undefined, env: NodeJS.ProcessEnv): CfgValue | undefined {
  const name = [...source.env].reverse().find((n) => env[n] !== undefined);
  if (name !== undefined) return { value: env[name]!, where: `the environment sets ${name}` };
  if (!cfg) return undefined;
  const entry = source.ini.map(([section, key]) => iniGet(cfg, section, key)).filter((e) => e !== undefined).pop();
  if (!entry) return undefined;
  const key = PLAIN.has(entry.section) ? entry.key : `${entry.key} in [${entry.section}]`;
  return { value: entry.value, where: `${cfg.path} sets ${key}`, pos: entry.pos, entry };
}

// ansible.parsing.quoting.unquote: one pair of quotes around the whole value, the closing one not escaped.
const unquote = (v: string) => (/^(["']).*\1$/s.test(v) && v[v.length - 2] !== '\\' ? v.slice(1, -1) : v);
/** A list setting as Ansible's config reads one (ensure_type): split at commas, each item trimmed and unquoted; empty items kept. */
export const cfgList = (v: string) => v.split(',').map((s) => unquote(s.trim()));
/** A string setting: unquoted where it comes from the file, as Ansible unquotes ini values only. */
export const cfgString = (at: CfgValue) => (at.entry ? unquote(at.value.trim()) : at.value);
