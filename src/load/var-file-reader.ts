// The group_vars/ and host_vars/ files of the inventory's folders and the playbook's, each read once
// however many hosts need it, with its problems kept beside it: they belong to the hosts that read it
// (a vault-encrypted group_vars/db/ stops a run of the db hosts, not of the routers).
import { resolve } from 'node:path';
import { Problems } from './problems.js';
import type { VarLayer } from './scope.js';
import { readVarFiles, varFolderNames } from './var-files.js';

/**
 * The variable files of each folder, read once however many hosts need them. The playbook's folder
 * is a layer of its own even when it is also an inventory's, as Ansible reads it twice.
 */
export function varFileReader(inventoryDirs: string[], playbookDir: string | undefined) {
  const memo = new Map<string, VarLayer>();
  const folders = new Map<string, { names: ReturnType<typeof varFolderNames>; problems: Problems }>();
  // Each file's (and folder listing's) problems, kept with its layer: they are its readers' hosts'.
  const found = new Map<VarLayer, Problems>();
  const read = (dir: string, kind: 'group_vars' | 'host_vars', name: string, label: string): VarLayer => {
    const folder = `${resolve(dir)}\0${kind}`;
    if (!folders.has(folder)) {
      const listing = new Problems();
      folders.set(folder, { names: varFolderNames(dir, kind, listing), problems: listing });
    }
    const key = `${folder}\0${name}`;
    let layer = memo.get(key);
    if (!layer) {
      const own = new Problems();
      own.absorb(folders.get(folder)!.problems);
      memo.set(key, (layer = readVarFiles(dir, kind, name, label, own, folders.get(folder)!.names)));
      if (own.count > 0) found.set(layer, own);
    }
    return layer;
  };
  // Also when it is an inventory's folder (read once, memo): with several -i, that folder at the
  // playbook's level wins over the later sources' files, as Ansible's second reading of it does.
  const play = playbookDir;
  return {
    inventory: (kind: 'group_vars' | 'host_vars', names: string[]) => inventoryDirs.flatMap((d) => names.map((n) => read(d, kind, n, `${kind}/${n}`))),
    playbook: (kind: 'group_vars' | 'host_vars', names: string[]) => (play === undefined ? [] : names.map((n) => read(play, kind, n, `${kind}/${n} beside the playbook`))),
    problemsOf: (layer: VarLayer) => found.get(layer),
  };
}
