// teqlctl connects to each host once, before any play, with the variables of the inventory and -e.
// In Ansible a play's vars also reach the connection variables' templates (ansible_user:
// "{{ mgmt_user }}" with a play's mgmt_user), so that play would connect elsewhere, or as someone
// else. Setting a connection variable itself in a play is refused (playbook.ts); a play variable
// that changes one through a template is refused here, at the variable, rather than ignored.
import { dirname } from 'node:path';
import { buildConnection } from './connection.js';
import { Problems } from './problems.js';
import { VarScope, type VarLayer } from './scope.js';
import type { Inventory } from './types.js';

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function without(layer: VarLayer, name: string): VarLayer {
  const values = { ...layer.values };
  delete values[name];
  const origins = new Map(layer.origins);
  origins.delete(name);
  return { values, origins };
}

export function checkPlayConnectionVars(vars: VarLayer, hosts: readonly string[], inventory: Inventory, extra: VarLayer, layers: Map<string, VarLayer>, problems: Problems): void {
  if (vars.origins.size === 0) return;
  for (const host of hosts) {
    const h = inventory.hosts.get(host)!;
    const withVars = (play: VarLayer) => buildConnection(host, new VarScope(extra, new VarScope(play, new VarScope(layers.get(host)!))), dirname(h.pos.file), new Problems());
    const seen = withVars(vars);
    if (same(seen, h.connection)) continue;
    const changed = (Object.keys({ ...seen, ...h.connection }) as Array<keyof typeof seen>).filter((k) => !same(seen[k], h.connection[k]));
    const what = changed.map((k) => `${k} ${JSON.stringify(h.connection[k]) ?? 'unset'} -> ${JSON.stringify(seen[k]) ?? 'unset'}`).join(', ');
    // The play variables without which the connection is the inventory's again; all of them if no
    // single one is (several together).
    const culprits = [...vars.origins.keys()].filter((name) => same(withVars(without(vars, name)), h.connection));
    for (const name of culprits.length > 0 ? culprits : [...vars.origins.keys()]) {
      problems.add(
        `${name} in play vars changes how host ${host} is reached (${what}) through a connection variable's template; teqlctl connects to each host once, before any play, with the inventory's and -e's variables`,
        vars.origins.get(name)!.pos,
        `set ${name} in the inventory (host or group vars, group_vars/host_vars) or with -e`,
      );
    }
  }
}
