// A host that names its teql_peer may still write the peer variables by hand (older files, or to be
// explicit); they must then say what the bundle says, or the routes and pings would go elsewhere.
import { endsOf } from './bundles.js';
import { peerView, type Bundle, type PeerView } from './bundle-types.js';
import { ExprError } from './expr-error.js';
import type { Problems } from './problems.js';
import { formatPos, type VarScope } from './scope.js';

const sameSet = (a: unknown[], b: unknown[]): boolean => a.length === b.length && a.every((x) => b.includes(x)) && b.every((x) => a.includes(x));

function agrees(written: unknown, derived: PeerView[keyof PeerView]): boolean {
  // The pings may be written in any order: the set is what must agree.
  if (Array.isArray(derived)) return Array.isArray(written) && sameSet(written, derived);
  return written === derived;
}

/** Where the derived value comes from, for the message: the peer's variable and its place. */
function source(name: keyof PeerView, bundle: Bundle, peer: string): string {
  const other = bundle.ends.find((e) => e.host === peer)!;
  const fact = { peer_teql_address: other.at.address, peer_addresses: other.at.linkAddresses, peer_network: other.at.lanNetwork, peer_lan_address: other.at.lanAddress }[name];
  return fact ? `${peer}'s ${fact.name} at ${formatPos(fact.pos)}` : peer;
}

/** `scopeOf` gives a host's own variables, without the derived ones. */
export function checkAgreement(bundles: readonly Bundle[], scopeOf: (host: string) => VarScope, problems: Problems): void {
  for (const { self, other, bundle } of endsOf(bundles)) {
    if (self.declared !== 'teql_peer') continue;
    const scope = scopeOf(self.host);
    const view = peerView(other);
    for (const name of Object.keys(view) as Array<keyof PeerView>) {
      const origin = scope.origin(name);
      if (!origin) continue;
      let written: unknown;
      try {
        const found = scope.lookup(name);
        written = found.found ? found.value : undefined;
      } catch (err) {
        if (err instanceof ExprError) continue; // reported where the playbook uses it
        throw err;
      }
      if (agrees(written, view[name])) continue;
      problems.add(
        `${name} of host ${self.host} is ${JSON.stringify(written)}, but its teql_peer ${other.host} gives ${JSON.stringify(view[name])} (from ${source(name, bundle, other.host)})`,
        origin.pos,
        `remove ${name}: teql_peer derives it; or correct it, or ${other.host}'s addresses`,
      );
    }
  }
}
