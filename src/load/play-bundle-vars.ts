// Bundles are read from the inventory and -e, once, the same for every play (index.ts). A play's
// `vars:` that set what a bundle is made of (teql_peer, teql_slaves, link_addresses, ...) or what
// it derives (peer_addresses, bundles, ...) would change that play's tasks and not the bundle its
// checks, pings and failure domain follow: refused, at the variable, rather than half obeyed.
import type { Problems } from './problems.js';
import type { VarLayer } from './scope.js';

/** What bundle-ends.ts reads to make a bundle. */
export const BUNDLE_SOURCES = ['teql_peer', 'teql_bundles', 'teql_slaves', 'link_addresses', 'teql_address', 'teql_device', 'peer_network', 'lan_network', 'lan_address', 'peer_teql_address'];

export function checkPlayBundleVars(vars: VarLayer, hosts: readonly string[], derived: Map<string, VarLayer>, problems: Problems): void {
  const inBundle = hosts.filter((h) => derived.get(h)?.values.bundles !== undefined);
  for (const [name, origin] of vars.origins) {
    const always = name === 'teql_peer' || name === 'teql_bundles';
    const made = BUNDLE_SOURCES.includes(name) || inBundle.some((h) => derived.get(h)!.origins.has(name));
    if (!always && !(made && inBundle.length > 0)) continue;
    const who = inBundle.length > 0 ? `: ${inBundle.slice(0, 3).join(', ')}${inBundle.length > 3 ? ', ...' : ''} ${inBundle.length === 1 ? 'is' : 'are'} in a bundle made from the inventory` : '';
    problems.add(`${name} in play vars: bundles are read from the inventory and -e, the same for every play${who}; a play's value would change its tasks and not the bundle`, origin.pos, `set ${name} in the inventory (host or group vars, group_vars/host_vars) or with -e`);
  }
}
