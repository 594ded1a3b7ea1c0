// Which names of an inventory folder Ansible skips: its IGNORED regex (inventory/manager.py), built
// from IGNORED_ALWAYS, INVENTORY_IGNORE_PATTERNS (regexes searched in the name) and
// INVENTORY_IGNORE_EXTS (each escaped, anchored at the end), joined with `|`. The two lists are
// ansible.cfg's ([defaults] inventory_ignore_extensions/_patterns, [inventory] ignore_extensions/
// _patterns) or the environment's (ANSIBLE_INVENTORY_IGNORE, ANSIBLE_INVENTORY_IGNORE_REGEX).
// teqlctl's were hard-coded: a review found `ignore_patterns = _old` skipped by Ansible and
// routers_old.yml read by teqlctl, which reached another address.
import { cfgValue, readCfg, type CfgPlace, type CfgRead, type CfgSource, type CfgValue } from './ansible-cfg-lookup.js';
import type { ConfigEntry } from './ansible-cfg-read.js';
import type { Problems } from './problems.js';

// INVENTORY_IGNORE_EXTS as Ansible documents its default: REJECT_EXTS plus .orig, .ini, .cfg, .retry.
export const DEFAULT_IGNORED_EXTS = ['.pyc', '.pyo', '.swp', '.bak', '~', '.rpm', '.md', '.txt', '.rst', '.orig', '.ini', '.cfg', '.retry'];
// Ansible's IGNORED_ALWAYS: hidden files, and the variable folders that sit beside inventory files.
const ALWAYS = ['^\\.', '^host_vars$', '^group_vars$', '^vars_plugins$'];
export const IGNORED_ALWAYS = new RegExp(ALWAYS.join('|'));

const EXTS: CfgSource = { ini: [['defaults', 'inventory_ignore_extensions'], ['inventory', 'ignore_extensions']], env: ['ANSIBLE_INVENTORY_IGNORE'] };
const PATTERNS: CfgSource = { ini: [['defaults', 'inventory_ignore_patterns'], ['inventory', 'ignore_patterns']], env: ['ANSIBLE_INVENTORY_IGNORE_REGEX'] };

export interface IgnoreRules {
  /** Whether Ansible skips this name in an inventory folder. */
  test: (name: string) => boolean;
  /** Why, for a message: Ansible's default extensions, or the settings that changed them. */
  why: string;
}

const escaped = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
export const DEFAULT_IGNORE: IgnoreRules = rules([], DEFAULT_IGNORED_EXTS, 'as Ansible skips .ini, .cfg, .retry and the like in inventory folders') as IgnoreRules;

function rules(patterns: readonly string[], exts: readonly string[], why: string): IgnoreRules | { error: string } {
  try {
    // As Python joins them: an empty pattern or extension (a trailing comma) matches every name there too.
    // 'u': a construct only Python's re has ((?P<name>...), \Z, (?i), {,3}) fails here, not read otherwise.
    const re = new RegExp([...ALWAYS, ...patterns, ...exts.map((e) => `${escaped(e)}$`)].join('|'), 'u');
    return { test: (name) => re.test(name), why };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

/** Ansible's list type (config/manager.py ensure_type): split on commas, each stripped and unquoted. */
function ansibleList(value: string): string[] {
  return value.split(',').map((x) => x.trim()).map((x) => (x.length > 1 && x[0] === x.at(-1) && (x[0] === '"' || x[0] === "'") && x.at(-2) !== '\\' ? x.slice(1, -1) : x));
}

/** The rules of the ansible.cfg and environment at `place`; a pattern teqlctl cannot read as Python does is refused. */
export function inventoryIgnore(place: CfgPlace, problems: Problems): IgnoreRules {
  const cfg = readCfg(place);
  const exts = cfgValue(EXTS, cfg, place.env);
  const patterns = cfgValue(PATTERNS, cfg, place.env);
  if (!exts && !patterns) return DEFAULT_IGNORE;
  const set = [exts, patterns].filter((v) => v !== undefined).map((v) => `${v.where} (${JSON.stringify(v.value.trim())})`);
  const made = rules(patterns ? ansibleList(patterns.value) : [], exts ? ansibleList(exts.value) : DEFAULT_IGNORED_EXTS, `as Ansible skips them: ${set.join(', ')}`);
  if ('test' in made) return made;
  problems.add(`${patterns!.where} (${JSON.stringify(patterns!.value.trim())}): not a regular expression teqlctl reads as Python's re does (${made.error}); Ansible skips the inventory folder's files that match it`, patterns!.pos, 'write it with what Python and JavaScript read alike (no (?P<name>...), \\Z, (?i) or {,n}), or remove it');
  return DEFAULT_IGNORE;
}

/** The ansible.cfg entries of these settings that Ansible (and so teqlctl) reads: not said as unread. */
export function readIgnoreEntries(cfg: CfgRead | undefined, env: NodeJS.ProcessEnv): ConfigEntry[] {
  return [EXTS, PATTERNS].map((s) => cfgValue(s, cfg, env)).filter((v): v is CfgValue => v?.entry !== undefined).map((v) => v.entry!);
}

/** The environment variables of these settings, read too. */
export const READ_IGNORE_VARIABLES = [...EXTS.env, ...PATTERNS.env];
