// group_vars/ and host_vars/ entries that no variable of the run comes from, said rather than
// skipped in silence (Ansible skips them without a word): a host_vars file for a host this
// inventory does not list (a typo, r1 for r01, a short name for an FQDN), a group_vars file for no
// group, an extension Ansible does not read (.YML, .txt). The run goes on: a folder shared by
// several inventories holds files for hosts of the others.
import { readdirSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';

const READ_EXTS = ['', '.yml', '.yaml', '.json'];
const MAX_NAMED = 5;

function entries(dir: string): Array<{ name: string; dir: boolean }> {
  try {
    return readdirSync(dir)
      .filter((n) => !n.startsWith('.') && !n.endsWith('~'))
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
      .flatMap((name) => {
        try {
          const st = statSync(join(dir, name));
          return st.isDirectory() || st.isFile() ? [{ name, dir: st.isDirectory() }] : [];
        } catch {
          return [];
        }
      });
  } catch {
    return [];
  }
}

/** Files inside a NAME/ folder that Ansible does not read (an extension other than .yml, .yaml, .json), and folders it does not enter (any extension). */
function skippedInside(dir: string, depth = 0): string[] {
  if (depth > 16) return [];
  return entries(dir).flatMap((e) => {
    const path = join(dir, e.name);
    // Ansible goes into a subfolder only when its name has no extension: vars.d/ is skipped.
    if (e.dir) return extname(e.name) === '' ? skippedInside(path, depth + 1) : [`${path}/`];
    return READ_EXTS.includes(extname(e.name)) ? [] : [path];
  });
}

const listed = (paths: string[]) => `${paths.slice(0, MAX_NAMED).join(', ')}${paths.length > MAX_NAMED ? ` and ${paths.length - MAX_NAMED} more` : ''}`;

/** Notes for the operator, one per kind of unread entry and folder. */
export function unreadVarFiles(dirs: readonly string[], groups: ReadonlySet<string>, hosts: ReadonlySet<string>): string[] {
  const notes: string[] = [];
  for (const dir of new Set(dirs)) {
    for (const kind of ['group_vars', 'host_vars'] as const) {
      const base = join(dir, kind);
      // A file where the folder should be: Ansible warns "Found group_vars that is not a directory,
      // skipping"; teqlctl skipped it without a word (a review).
      if (statSync(base, { throwIfNoEntry: false })?.isFile()) {
        notes.push(`not read: ${base} is a file: Ansible reads ${kind}/ only as a folder (of files named after the ${kind === 'group_vars' ? 'groups' : 'hosts'}, e.g. ${kind}/${kind === 'group_vars' ? 'routers' : 'router_a'}.yml)`);
        continue;
      }
      const known = kind === 'group_vars' ? groups : hosts;
      const noMatch: string[] = [];
      const badExt: string[] = [];
      const inside: string[] = [];
      for (const e of entries(base)) {
        const path = join(base, e.name);
        const ext = extname(e.name);
        // As var-files.ts looks them up: NAME itself (a host named r1.example.com or 192.0.2.1 has
        // a dot in its name, not an extension), or NAME with .yml, .yaml or .json, file or folder.
        const stem = ext !== '' && READ_EXTS.includes(ext) ? e.name.slice(0, -ext.length) : undefined;
        if (known.has(e.name) || (stem !== undefined && known.has(stem))) {
          if (e.dir) inside.push(...skippedInside(path));
        } else if (ext !== '' && stem === undefined && known.has(e.name.slice(0, -ext.length))) {
          // NAME.ext for a known NAME, with another extension: Ansible reads NAME.yml, .yaml, .json only.
          badExt.push(path);
        } else noMatch.push(path);
      }
      const what = kind === 'group_vars' ? 'no group of the inventory has its name' : 'no host of the inventory has its name';
      if (noMatch.length > 0) notes.push(`not read: ${listed(noMatch)}: ${what} (check the spelling; a host_vars name is the inventory's host name, not its address)`);
      if (badExt.length > 0) notes.push(`not read: ${listed(badExt)}: Ansible reads ${kind}/NAME, NAME.yml, NAME.yaml or NAME.json only (rename it)`);
      if (inside.length > 0) notes.push(`not read: ${listed(inside)}: in a ${kind} folder, only files without an extension or ending in .yml, .yaml or .json, and folders without an extension, are read (rename it)`);
    }
  }
  return notes;
}

/** A group_vars/ or host_vars/ folder inside a subfolder of an inventory folder given with -i. */
export function nestedVarsNote(dir: string): string {
  const parent = dirname(dir);
  return `not read: ${dir}: Ansible reads ${basename(dir)}/ only beside an inventory given with -i, not in the subfolders of an inventory folder (move it up to that folder, or give -i ${parent})`;
}

function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/**
 * The nested group_vars/ and host_vars/ folders that no variable comes from: not those beside a
 * folder that is read all the same (a second -i, the playbook's folder), nor a link to a folder
 * that is read (`inv/prod/group_vars -> ../group_vars`); each once.
 */
export function unreadNestedVars(nested: readonly string[], readDirs: readonly string[]): string[] {
  const read = new Set(readDirs.flatMap((d) => [real(d), real(join(d, 'group_vars')), real(join(d, 'host_vars'))]));
  return [...new Set(nested)].filter((dir) => !read.has(real(dirname(dir))) && !read.has(real(dir)));
}
