// Turns the -i arguments into the inventory files to read, in Ansible's order: each argument in turn;
// a directory gives every file in it (alphabetical, recursively), except those Ansible skips. Files
// teqlctl cannot read as Ansible would (scripts, TOML) are refused here, by their name alone.
import { closeSync, openSync, readdirSync, readSync, realpathSync, statSync, type Stats } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { MAX_DEPTH, MAX_INVENTORY_FILES } from './limits.js';
import type { Problems } from './problems.js';
import { at1, vaultRefusal } from './file-head.js';
import { EXPORT_HINT } from './inventory-yaml.js';
import { isMap, parseDocument } from 'yaml';
import { readLimited } from './yaml-guard.js';
import { homedir } from 'node:os';
import type { CfgPlace } from './ansible-cfg-lookup.js';
import { DEFAULT_IGNORE, IGNORED_ALWAYS, inventoryIgnore, type IgnoreRules } from './inventory-ignore.js';

export interface InventoryFile {
  file: string;
  format: 'yaml' | 'ini';
}

export interface InventorySources {
  files: InventoryFile[];
  /** Per -i argument, the folder whose group_vars/ and host_vars/ belong to it: the folder itself, or the file's. */
  varsDirs: string[];
  /**
   * group_vars/ and host_vars/ folders in a subfolder of an inventory folder: Ansible reads them
   * only beside a -i argument, so neither it nor teqlctl reads these (said in a note).
   */
  nestedVarsDirs: string[];
  /**
   * .ini and .cfg files of an inventory folder that was read: Ansible skips them there without a
   * word, and a hosts.ini beside a prod.yml looks like part of the inventory (said in a note).
   */
  skippedInventoryLike: string[];
}

const YAML_EXTS = ['.yml', '.yaml', '.json'];

/** Whether Ansible, by its default settings, skips `name` inside an inventory directory. */
export function ignoredInDirectory(name: string): boolean {
  return DEFAULT_IGNORE.test(name);
}

/** `place`: the ansible.cfg and environment whose inventory ignore settings apply (inventory-ignore.ts). */
export function listInventoryFiles(paths: readonly string[], problems: Problems, place: CfgPlace = { env: process.env, cwd: process.cwd(), home: homedir() }): InventorySources {
  let rules: IgnoreRules | undefined;
  const out: InventorySources = { files: [], varsDirs: [], nestedVarsDirs: [], skippedInventoryLike: [] };
  if (paths.length === 0) problems.add('no inventory given', undefined, 'give one with -i FILE (repeat -i to merge several, as ansible-playbook does)');
  for (const path of paths) {
    const st = statOf(path);
    if (!st) {
      const hint = path.includes(',') ? 'a comma-separated host list (-i a,b,) is not supported; write the hosts into an inventory file' : 'check the path of the inventory';
      problems.add(`cannot read inventory '${path}': no such file`, undefined, hint);
      continue;
    }
    if (st.isDirectory()) {
      out.varsDirs.push(path);
      const before = out.files.length;
      const skipped: string[] = [];
      // Read with the first folder: Ansible's settings of a file-only run change nothing here.
      rules ??= inventoryIgnore(place, problems);
      walk(path, { files: out.files, rules, problems, skipped, nestedVars: out.nestedVarsDirs }, new Set(), 0);
      // A folder of hosts.ini only: Ansible skips it too, but "lists no hosts" alone would not say why.
      if (out.files.length === before && skipped.length > 0) {
        problems.add(`inventory folder '${path}' holds no file teqlctl reads: ${skipped.slice(0, 5).join(', ')}${skipped.length > 5 ? ', ...' : ''} ${skipped.length === 1 ? 'is' : 'are'} skipped, ${rules.why}`, undefined, 'rename the file (hosts, hosts.yml), or give the file itself with -i');
      } else out.skippedInventoryLike.push(...skipped.filter((f) => f.endsWith('.ini') || f.endsWith('.cfg')));
    } else {
      out.varsDirs.push(dirname(path));
      addFile(path, st, out.files, problems);
    }
  }
  return out;
}

interface Walk {
  files: InventoryFile[];
  rules: IgnoreRules;
  problems: Problems;
  skipped: string[];
  nestedVars: string[];
}

function walk(dir: string, w: Walk, seen: Set<string>, depth: number): void {
  const { files, problems, skipped, nestedVars } = w;
  let real: string;
  let listed: string[];
  try {
    real = realpathSync(dir);
    listed = readdirSync(dir);
  } catch (err) {
    // A folder teqlctl cannot list (its permissions): refused, not skipped, nor a crash.
    problems.add(`cannot read inventory folder '${dir}': ${(err as Error).message}`, undefined, 'make it readable by the user running teqlctl, or give the files you mean with -i');
    return;
  }
  // A symbolic link back up the tree would otherwise be walked forever.
  if (seen.has(real) || depth > MAX_DEPTH) {
    problems.add(`inventory folder '${dir}' ${seen.has(real) ? 'links back to a folder above it' : `is nested more than ${MAX_DEPTH} levels deep`}`, undefined, 'remove the symbolic link, or flatten the folder');
    return;
  }
  seen.add(real);
  // Python's sorted(): by code point, not by locale.
  const names = listed.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const name of names) {
    if (w.rules.test(name)) {
      if (!IGNORED_ALWAYS.test(name)) skipped.push(join(dir, name));
      else if (depth > 0 && (name === 'group_vars' || name === 'host_vars') && statOf(join(dir, name))?.isDirectory()) nestedVars.push(join(dir, name));
      continue;
    }
    const path = join(dir, name);
    const st = statOf(path);
    if (!st) problems.add(`cannot read inventory '${path}': a broken symbolic link`, undefined, 'remove it, or fix its target');
    else if (st.isDirectory()) walk(path, w, seen, depth + 1);
    else if (!emptyYaml(path, st)) addFile(path, st, files, problems);
    if (files.length > MAX_INVENTORY_FILES) {
      problems.add(`inventory folder '${dir}' holds more than ${MAX_INVENTORY_FILES} files`, undefined, 'check that this is the folder you meant');
      return;
    }
  }
  seen.delete(real);
}

function addFile(path: string, st: Stats, files: InventoryFile[], problems: Problems): void {
  const ext = extname(path).toLowerCase();
  if (!st.isFile()) {
    problems.add(`inventory '${path}' is not a regular file`, at1(path), 'give a file or a folder of files');
    return;
  }
  const head = headOf(path);
  const vault = vaultRefusal(head, path);
  // Ansible runs a file with a shebang, or an executable one, as a script; an executable text file
  // without a shebang fails to run and is then read as a static inventory, as here.
  const script = ext === '.py' || ext === '.sh' ? `its name ends in ${ext}`
    : head.startsWith('#!') ? 'it starts with #!'
    : (st.mode & 0o111) !== 0 && head.includes('\0') ? 'it is an executable program'
    : undefined;
  if (vault) problems.add(vault.message, at1(path), vault.hint);
  else if (script) problems.add(`'${path}' is a dynamic inventory script (${script}); teqlctl does not run inventory scripts`, at1(path), EXPORT_HINT);
  else if (ext === '.toml') problems.add(`TOML inventories are not supported ('${path}')`, at1(path), 'write it as YAML or INI; `ansible-inventory -i FILE --list --yaml` prints it as YAML');
  // The extension as written: Ansible's yaml plugin compares it case-sensitively, so its ini plugin
  // reads a hosts.YML (and fails on a YAML one: nothing runs); teqlctl read it as YAML (a review).
  else files.push({ file: path, format: (YAML_EXTS.includes(extname(path)) && !iniInYaml(path)) || (ext === '' && yamlMapping(path)) ? 'yaml' : 'ini' });
}

/**
 * An INI inventory under a YAML name (`hosts.yml` holding `[routers]`): Ansible's yaml plugin fails
 * on it and its ini plugin reads it, as here. Only when it is not YAML and starts with a section.
 */
function iniInYaml(path: string): boolean {
  const read = readLimited(path);
  if (!('text' in read)) return false;
  const first = read.text.replace(/^\uFEFF/, '').split(/\r?\n/).find((l) => l.trim() !== '' && !/^\s*[#;]/.test(l));
  if (first === undefined || startsAsYamlMapping(read.text)) return false;
  // A section (`[routers]`, `[routers:vars]  # core`), or a host line (`r0 ansible_host=192.0.2.1`).
  const iniLine = /^\s*\[[^\],\s]+\]\s*([#;].*)?$/.test(first) || /^[^\s=#;[\]{}:,"'-][^\s=]*(\s+[A-Za-z_][A-Za-z0-9_]*=\S*)+\s*$/.test(first);
  if (!iniLine) return false;
  const doc = parseDocument(read.text);
  return doc.errors.length > 0 || !isMap(doc.contents);
}

/** A YAML file of a folder with nothing but comments: it configures nothing, and Ansible skips it. */
function emptyYaml(path: string, st: Stats): boolean {
  if (!st.isFile() || !YAML_EXTS.includes(extname(path)) || st.size > 65536) return false;
  const read = readLimited(path);
  return 'text' in read && read.text.split(/\r?\n/).every((l) => l.trim() === '' || l.trim() === '---' || /^\s*#/.test(l));
}

/**
 * A file without an extension is tried as YAML first, as Ansible's yaml plugin (before its ini
 * plugin) does: a `hosts` file written in YAML is common. It is YAML when it parses without error
 * into a mapping (its groups); an INI file (`[routers]`, `r1 ansible_host=...`) never does.
 */
function yamlMapping(path: string): boolean {
  const read = readLimited(path);
  if (!('text' in read)) return false; // the INI reader says why it cannot be read
  const doc = parseDocument(read.text);
  // One that starts as YAML does (`all:`, `routers:`: never an INI line) is YAML with a mistake in
  // it: the YAML reader says which and where, not the INI reader about every line.
  return (doc.errors.length === 0 && isMap(doc.contents)) || startsAsYamlMapping(read.text);
}

/** The first line that is not blank or a comment is a mapping key alone (`name:`), as no INI line is. */
export function startsAsYamlMapping(text: string): boolean {
  const first = text.replace(/^\uFEFF/, '').split(/\r?\n/).find((l) => l.trim() !== '' && !/^\s*[#;]/.test(l) && l.trim() !== '---');
  // Not an IPv6 host that ends in :: (an INI line).
  return first !== undefined && !first.includes('::') && /^[^\s[#;=:][^=]*:\s*(#.*)?$/.test(first);
}

/** The first bytes of a file, enough to tell a script, a program or a vault from an inventory. */
function headOf(path: string): string {
  const buf = Buffer.alloc(512);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return ''; // the reader reports why it cannot be read
  }
  try {
    return buf.toString('latin1', 0, readSync(fd, buf, 0, buf.length, 0));
  } finally {
    closeSync(fd);
  }
}

function statOf(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}
