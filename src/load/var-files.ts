// group_vars/NAME and host_vars/NAME in one folder, found as Ansible's host_group_vars plugin finds
// them: NAME, NAME.yml, NAME.yaml or NAME.json, where NAME may be a folder of such files.
import { lstatSync, readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { at1 } from './file-head.js';
import { MAX_INVENTORY_FILES } from './limits.js';
import type { Problems } from './problems.js';
import { emptyLayer, mergeLayers, type VarLayer } from './scope.js';
import { readYaml } from './source.js';
import { readVars } from './vars-node.js';

const CANDIDATES = ['', '.yml', '.yaml', '.json'];

/**
 * The names in `dir/kind`, listed once so that a host without files costs no look-up: at 500 hosts,
 * four failed stats per host and folder were a tenth of loading the inventory. Undefined when the
 * folder cannot be listed for another reason than its absence: each name is then looked up alone.
 */
export function varFolderNames(dir: string, kind: 'group_vars' | 'host_vars', problems?: Problems): ReadonlySet<string> | undefined {
  try {
    return new Set(readdirSync(join(dir, kind)));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return new Set();
    // A folder of variables that cannot be read (its permissions, another owner): its files would
    // be skipped without a word, and the hosts reached with other users and ports.
    problems?.add(`cannot read ${join(dir, kind)}: ${(err as Error).message}`, undefined, `make it readable by the user running teqlctl, or remove it`);
    return undefined;
  }
}

/**
 * Variables of `dir/kind/name`, every file read as YAML (JSON included), as Ansible does whatever
 * the extension; empty when there is none. `label` names them in messages ("group_vars/routers").
 * `names` is the folder's listing (varFolderNames), when known.
 */
export function readVarFiles(dir: string, kind: 'group_vars' | 'host_vars', name: string, label: string, problems: Problems, names?: ReadonlySet<string>): VarLayer {
  const base = join(dir, kind, name);
  const found = CANDIDATES.filter((ext) => names === undefined || names.has(name + ext))
    .map((ext) => base + ext)
    .filter((p) => kindOf(p, problems) !== undefined);
  if (found.length === 0) return emptyLayer();
  if (found.length > 1) {
    // Ansible would read the first and skip the rest without a word: refused rather than guessed.
    problems.add(`${found.join(' and ')} both exist; Ansible reads only ${found[0]} and ignores the other`, at1(found[1]!), `merge them into ${found[0]}`);
  }
  const first = found[0]!;
  const files = kindOf(first) === 'dir' ? filesIn(first, problems) : [first];
  const layers: VarLayer[] = [];
  for (const file of files) {
    const y = readYaml(file, `${kind} file`, problems);
    if (y) layers.push(readVars(y, y.doc.contents, `${kind} file`, label, problems));
  }
  return mergeLayers(layers);
}

/**
 * A variables file or folder; undefined where there is none. One that is there but cannot be read
 * (a broken symbolic link, no permission) is a problem when `problems` is given, not nothing. A pipe,
 * socket or device counts as a file: the reader refuses it by name, rather than it being skipped.
 */
function kindOf(path: string, problems?: Problems): 'dir' | 'file' | undefined {
  try {
    return statSync(path).isDirectory() ? 'dir' : 'file';
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      let link = false;
      try {
        link = lstatSync(path).isSymbolicLink();
      } catch {
        // not there at all
      }
      if (link) problems?.add(`cannot read ${path}: a broken symbolic link`, undefined, 'remove it, or fix its target');
    } else problems?.add(`cannot read ${path}: ${(err as Error).message}`, undefined, 'make it readable by the user running teqlctl, or remove it');
    return undefined;
  }
}

/** Ansible's _get_dir_vars_files: sorted, recursive, no hidden or `~` files, only files without extension or with a YAML one. */
function filesIn(dir: string, problems: Problems, depth = 0): string[] {
  const out: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  } catch (err) {
    problems.add(`cannot read ${dir}: ${(err as Error).message}`, undefined, 'make it readable by the user running teqlctl, or remove it');
    return out;
  }
  for (const name of names) {
    if (name.startsWith('.') || name.endsWith('~')) continue;
    const path = join(dir, name);
    const ext = extname(name);
    const kind = kindOf(path, problems);
    if (kind === 'dir' && !ext && depth >= 16) problems.add(`${path} is nested more than 16 folders deep`, undefined, 'flatten it (or remove a symbolic link that loops)');
    else if (kind === 'dir' && !ext) out.push(...filesIn(path, problems, depth + 1));
    else if (kind === 'file' && (!ext || CANDIDATES.includes(ext))) out.push(path);
    if (out.length > MAX_INVENTORY_FILES) {
      problems.add(`${dir} holds more than ${MAX_INVENTORY_FILES} variable files`, undefined, 'check that this is the folder you meant');
      return [];
    }
  }
  return out;
}
