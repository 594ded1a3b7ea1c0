// group_vars/<group>.yml and host_vars/<host>.yml beside the inventory file.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Problems } from './problems.js';
import { emptyLayer, mergeLayers, type VarLayer } from './scope.js';
import { readYaml } from './source.js';
import { readVars } from './vars-node.js';

/** Variables of `group_vars/<name>.yml` (or `.yaml`; both are read, .yml first); empty when there is none. */
export function readVarFile(inventoryDir: string, kind: 'group_vars' | 'host_vars', name: string, problems: Problems): VarLayer {
  const base = join(inventoryDir, kind, name);
  if (existsSync(base) && statSync(base).isDirectory()) {
    problems.add(`${kind}/${name} is a directory; teqlctl reads only ${kind}/${name}.yml`, undefined, `move its variables into ${base}.yml`);
    return emptyLayer();
  }
  const layers: VarLayer[] = [];
  for (const file of [`${base}.yml`, `${base}.yaml`]) {
    if (!existsSync(file)) continue;
    const y = readYaml(file, `${kind} file`, problems);
    if (!y) continue;
    const what = `${kind} file`;
    layers.push(readVars(y, y.doc.contents, what, `${kind}/${name}`, problems));
  }
  return mergeLayers(layers);
}
