// Reading an ansible.cfg as Ansible finds and reads it (find_ini_config_file, configparser): which
// file, and its key=value entries with their sections and places. Pure reading; what teqlctl does
// with them is in ansible-config.ts (notes), ansible-config-connection.ts and inventory-ignore.ts.
import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { SourcePos } from '../errors.js';

/**
 * The config file Ansible would use (its find_ini_config_file): $ANSIBLE_CONFIG with `~` and
 * $VARS expanded, relative to the current folder, a folder meaning its ansible.cfg; then
 * ./ansible.cfg unless the current folder is world-writable (Ansible skips it there, warning);
 * ~/.ansible.cfg; the system one. The first that exists and is readable. Until 2026-12-06 a folder
 * in ANSIBLE_CONFIG, a `~` in it, or a world-writable folder's file made teqlctl look at another
 * file than Ansible (a review).
 */
export function configFile(env: NodeJS.ProcessEnv, cwd: string, home: string, system: string): { path: string; text: string } | undefined {
  const fromEnv = env.ANSIBLE_CONFIG === undefined ? undefined : expandedPath(env.ANSIBLE_CONFIG, env, cwd, home);
  const places = [fromEnv && isFolder(fromEnv) ? join(fromEnv, 'ansible.cfg') : fromEnv, worldWritable(cwd) ? undefined : join(cwd, 'ansible.cfg'), join(home, '.ansible.cfg'), system];
  for (const path of places) {
    if (!path) continue;
    try {
      return { path, text: readFileSync(path, 'utf8') };
    } catch {
      // not there (or not readable, or a folder): Ansible goes on to the next place too
    }
  }
  return undefined;
}

/** Python's expanduser(expandvars(p)) made absolute (Ansible's unfrackpath): `$VAR`, `${VAR}`, then `~`. */
function expandedPath(p: string, env: NodeJS.ProcessEnv, cwd: string, home: string): string {
  // An unset variable stays as written, as in Python.
  const vars = p.replace(/\$(\w+|\{([^}]*)\})/g, (all, name: string, braced?: string) => env[braced ?? name] ?? all);
  return resolve(cwd, vars === '~' || vars.startsWith('~/') ? home + vars.slice(1) : vars);
}

function isFolder(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function worldWritable(dir: string): boolean {
  try {
    return (statSync(dir).mode & 0o002) !== 0;
  } catch {
    return false;
  }
}

export interface ConfigEntry {
  section: string;
  key: string;
  value: string;
  pos: SourcePos;
}

/**
 * Each key=value of an ansible.cfg, with its section and where it is, as Python's configparser
 * reads it (Ansible's: inline comments after `;` only): a line indented deeper than the option
 * before it, in the same section, continues its value (`ssh_args = -C` and, under it,
 * `-o ProxyJump=bastion`); any other line is an option of its own, indented or not (a key indented
 * under its section header is one: it was taken for a continuation of nothing, a review); a comment
 * starts a line.
 */
export function configEntries(text: string, file: string): ConfigEntry[] {
  return configRead(text, file).entries;
}

/** configEntries, with the sections the file has (configparser's [DEFAULT] applies to these only). */
export function configRead(text: string, file: string): { entries: ConfigEntry[]; sections: Set<string> } {
  const out: ConfigEntry[] = [];
  const sections = new Set<string>();
  let section = '';
  let last: { entry: ConfigEntry; indent: number } | undefined;
  text.split(/\r?\n/).forEach((line, i) => {
    if (/^\s*[#;]/.test(line) || line.trim() === '') return;
    const indent = /^\s*/.exec(line)![0].length;
    // A deeper line continues the option before it; any other line may be a header, indented too.
    if (last && indent > last.indent) {
      last.entry.value = `${last.entry.value} ${line.replace(/\s+;.*$/, '').trim()}`.trim();
      return;
    }
    const header = /^\[([^\]]+)\]/.exec(line.trim());
    if (header) {
      section = header[1]!.trim();
      sections.add(section);
      last = undefined;
      return;
    }
    const m = /^\s*([^=:\s][^=:]*?)\s*[=:]\s*(.*)$/.exec(line);
    // configparser lowercases option names: REMOTE_USER is remote_user to Ansible (a review).
    if (!m) return;
    const entry = { section, key: m[1]!.toLowerCase(), value: m[2]!.replace(/\s+;.*$/, ''), pos: { file, line: i + 1, col: indent + 1 } };
    out.push(entry);
    last = { entry, indent };
  });
  return { entries: out, sections };
}

/** The keys an ansible.cfg sets, each once (configEntries). */
export function configKeys(text: string): string[] {
  return [...new Set(configEntries(text, '').map((e) => e.key))];
}

