// Pairs the hosts' bundle ends into bundles, and derives from each bundle the peer variables that
// playbooks/teql.yml reads, so that each fact is written once, on the host it belongs to.
import { readEnds, type EndDraft } from './bundle-ends.js';
import { ipOf, peerView, type Bundle, type BundleEnd } from './bundle-types.js';
import type { Problems } from './problems.js';
import { emptyLayer, formatPos, type VarLayer, type VarScope } from './scope.js';
import { shown } from './shown.js';

export interface DerivedBundles {
  bundles: Bundle[];
  /** Per host: variables derived from its bundles, under all of its own (what it writes wins, and must agree). */
  derived: Map<string, VarLayer>;
}

/**
 * `hosts` in inventory order; `scopeOf` gives a host's variables as the play sees them, play vars
 * aside. Each problem is said to `problemsOf` the host whose variable it is at: the caller raises
 * those of the hosts its run reaches (a shared inventory's other sites, with a variable only their
 * own runs give by -e, do not stop it; Ansible templates only the hosts it reaches).
 */
export function deriveBundles(hosts: readonly string[], scopeOf: (host: string) => VarScope, problemsOf: (host: string) => Problems): DerivedBundles {
  // Per host, the peers its malformed teql_bundles entries name (each said by its own problem).
  const broken = new Map(hosts.map((h) => [h, new Set<string>()]));
  const drafts = new Map(hosts.map((h) => [h, readEnds(h, scopeOf(h), problemsOf(h), broken.get(h))]));
  const order = new Map(hosts.map((h, i) => [h, i]));
  const bundles: Bundle[] = [];
  const paired = new Set<EndDraft>();
  const pair = (a: EndDraft, b: EndDraft): void => {
    paired.add(a).add(b);
    const [first, second] = order.get(a.host)! <= order.get(b.host)! ? [a, b] : [b, a];
    bundles.push({ name: `${first.host}:${first.device}<->${second.host}:${second.device}`, ends: [finish(first, second), finish(second, first)] });
  };
  for (const [host, ends] of drafts) {
    for (const end of ends) {
      if (paired.has(end) || end.declared === 'peer_teql_address') continue;
      const other = drafts.get(end.peer);
      const where = end.declared === 'teql_peer' ? 'teql_peer' : 'peer in teql_bundles';
      const problems = problemsOf(host);
      if (end.peer === host) {
        problems.add(`${where} of host ${host} names the host itself`, end.pos, 'name the router at the other end of the links');
      } else if (!other) {
        problems.add(`${where} of host ${host} names ${shown(end.peer)}, which is not a host of the inventory`, end.pos, 'name an inventory host (check the spelling, and that every -i source is given)');
      } else {
        // Several bundles between the same two hosts pair up in the order they are written.
        const back = other.find((o) => !paired.has(o) && o.declared !== 'peer_teql_address' && o.peer === host);
        if (back) pair(end, back);
        else if (!broken.get(end.peer)?.has(host) && !broken.get(end.peer)?.has('*')) {
          // It names this host back, for an earlier bundle: this is one more between the two (a
          // review found "does not name hub back (it names hub)").
          const mine = ends.filter((e) => e.declared !== 'peer_teql_address' && e.peer === end.peer).length;
          const theirs = other.filter((o) => o.declared !== 'peer_teql_address' && o.peer === host).length;
          if (theirs > 0) problems.add(`${where} of host ${host} names ${end.peer} for ${mine} bundles, but ${end.peer} names ${host} back for ${theirs}: this one has no other end`, end.pos, `give ${end.peer} one teql_bundles entry with peer: ${host} per bundle between the two (in the same order), or remove this one`);
          else problems.add(`${where} of host ${host} names ${end.peer}, but ${end.peer} does not name ${host} back${namedBy(other)}`, end.pos, `add teql_peer: ${host} to ${end.peer} (or an entry with peer: ${host} to its teql_bundles); a bundle is declared on both of its ends`);
        }
      }
    }
  }
  // Older inventories: a bundle is two hosts whose peer_teql_address each give the other's equalizer.
  const older = [...drafts.values()].flat().filter((d) => d.declared === 'peer_teql_address' && d.address !== undefined);
  // Indexed by equalizer address: a fleet of thousands of pairs is matched in linear time.
  const byAddress = new Map<string, EndDraft[]>();
  for (const d of older) byAddress.set(ipOf(d.address!), [...(byAddress.get(ipOf(d.address!)) ?? []), d]);
  for (const a of older) {
    if (paired.has(a)) continue;
    const b = byAddress.get(a.peerTeqlAddress!)?.find((o) => !paired.has(o) && o.host !== a.host && o.peerTeqlAddress === ipOf(a.address!));
    if (!b) continue;
    a.peer = b.host;
    b.peer = a.host;
    pair(a, b);
  }
  bundles.sort((x, y) => order.get(x.ends[0].host)! - order.get(y.ends[0].host)!);
  return { bundles, derived: derivedLayers(hosts, bundles) };
}

/** " (it names router_c)": what the peer names instead, when it names anything. */
function namedBy(ends: readonly EndDraft[]): string {
  const names = [...new Set(ends.filter((e) => e.declared !== 'peer_teql_address').map((e) => e.peer))];
  return names.length === 0 ? '' : ` (it names ${names.join(', ')})`;
}

/** The end as data, its peer network taken from the other end when not written here. */
function finish(self: EndDraft, other: EndDraft): BundleEnd {
  const { peerTeqlAddress: _, ...end } = self;
  if (end.peerNetwork !== undefined || other.lanNetwork === undefined) return end;
  const from = other.at.lanNetwork;
  return { ...end, peerNetwork: other.lanNetwork, at: { ...end.at, ...(from ? { peerNetwork: { name: `${other.host}'s ${from.name}`, pos: from.pos } } : {}) } };
}

/** Each end of a bundle, with the other one. */
export function endsOf(bundles: readonly Bundle[]): Array<{ self: BundleEnd; other: BundleEnd; bundle: Bundle }> {
  return bundles.flatMap((bundle) => [
    { self: bundle.ends[0], other: bundle.ends[1], bundle },
    { self: bundle.ends[1], other: bundle.ends[0], bundle },
  ]);
}

/**
 * teql_peer hosts get peer_teql_address, peer_addresses, peer_network and peer_lan_address; every
 * host in a bundle gets `bundles` (one entry per bundle, with those peer variables) and `bundle_links`
 * (each slave of each bundle), which a hub's playbook loops over.
 */
function derivedLayers(hosts: readonly string[], bundles: readonly Bundle[]): Map<string, VarLayer> {
  const layers = new Map(hosts.map((h) => [h, emptyLayer()]));
  for (const { self, other } of endsOf(bundles)) {
    const layer = layers.get(self.host)!;
    const view = peerView(other);
    const origin = { pos: self.pos, where: `derived from ${self.declared === 'teql_peer' ? 'teql_peer' : 'the bundle'} ${other.host} (${formatPos(other.pos)})` };
    if (self.declared === 'teql_peer') {
      for (const [name, value] of Object.entries(view)) {
        layer.values[name] = value;
        layer.origins.set(name, origin);
      }
    }
    const entry = defined({ device: self.device, slaves: self.slaves, address: self.address, peer: other.host, ...view });
    const links = self.slaves.map((dev, i) => defined({ device: self.device, dev, address: self.linkAddresses[i], peer_address: other.linkAddresses[i] && ipOf(other.linkAddresses[i]!) }));
    layer.values.bundles = [...((layer.values.bundles as unknown[] | undefined) ?? []), entry];
    layer.values.bundle_links = [...((layer.values.bundle_links as unknown[] | undefined) ?? []), ...links];
    layer.origins.set('bundles', { pos: self.pos, where: 'derived from the host\'s bundles' });
    layer.origins.set('bundle_links', { pos: self.pos, where: 'derived from the host\'s bundles' });
  }
  return layers;
}

/** Without its undefined fields: a template sees a missing key as undefined (`is defined` works), never a hole. */
function defined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}
