// Checks that need both ends of a bundle, made before anything is contacted: each one would otherwise
// only show up as a failed ping after both routers were changed.
import type { Bundle, BundleEnd, BundleFact, FactPlace } from './bundle-types.js';
import { endsOf } from './bundles.js';
import { parseCidr } from './net.js';
import type { Problems } from './problems.js';
import { formatPos } from './scope.js';
import { formatIPv4, networkOf, type Cidr } from '../router/ipv4.js';

/** The place of a fact, else where the end was declared. */
function placeOf(end: BundleEnd, fact: BundleFact): FactPlace {
  return end.at[fact] ?? { name: end.declared, pos: end.pos };
}

const cidr = (text: string | undefined): Cidr | undefined => {
  const c = text === undefined ? undefined : parseCidr(text);
  return typeof c === 'object' ? c : undefined;
};

/** Two ends of one wire (a link, or the equalizer): one subnet, two addresses. */
function checkEnds(what: string, a: string | undefined, b: string | undefined, fact: BundleFact, bundle: Bundle, problems: Problems): void {
  const [ca, cb] = [cidr(a), cidr(b)];
  if (!ca || !cb) return;
  const [first, second] = bundle.ends;
  const where = placeOf(second, fact);
  const both = `${first.host} has ${a} (${placeOf(first, fact).name} at ${formatPos(placeOf(first, fact).pos)}), ${second.host} has ${b} (${where.name})`;
  if (ca.prefix !== cb.prefix || networkOf(ca) !== networkOf(cb)) {
    const hint = ca.prefix === 31 ? `give ${second.host} ${formatIPv4((ca.ip ^ 1) >>> 0)}/31, the other end of ${formatIPv4(networkOf(ca))}/31` : `give ${second.host} an address in ${formatIPv4(networkOf(ca))}/${ca.prefix}`;
    problems.add(`bundle ${bundle.name}: the two ends of ${what} are not in one subnet: ${both}`, where.pos, hint);
  } else if (ca.ip === cb.ip) {
    problems.add(`bundle ${bundle.name}: both ends of ${what} have the same address: ${both}`, where.pos, 'give each end its own address in the subnet');
  }
}

function checkLinks(bundle: Bundle, problems: Problems): void {
  const [a, b] = bundle.ends;
  if (a.slaves.length !== b.slaves.length) {
    const where = placeOf(b, 'slaves');
    problems.add(`bundle ${bundle.name}: ${a.host} bundles ${a.slaves.length} links (${a.slaves.join(', ')}), ${b.host} ${b.slaves.length} (${b.slaves.join(', ')})`, where.pos, 'list the same links on both ends, in wiring order');
    return;
  }
  a.slaves.forEach((dev, i) => checkEnds(`link ${i + 1} (${a.host} ${dev} - ${b.host} ${b.slaves[i]})`, a.linkAddresses[i], b.linkAddresses[i], 'linkAddresses', bundle, problems));
  checkEnds(`the equalizer (${a.host} ${a.device} - ${b.host} ${b.device})`, a.address, b.address, 'address', bundle, problems);
}

/** The networks overlap: one contains the other's first address. `default` is left out: it overlaps by design. */
function overlap(x: Cidr, y: Cidr): boolean {
  const prefix = Math.min(x.prefix, y.prefix);
  return networkOf({ ip: x.ip, prefix }) === networkOf({ ip: y.ip, prefix });
}

/** The default route's network, as a lan_network or peer_network may write it. */
const isDefault = (text: string | undefined): boolean => text === 'default' || cidr(text)?.prefix === 0;

function checkNetworks(bundles: readonly Bundle[], problems: Problems): void {
  // With teql_peer on both ends, each end's peer network is the other's own: one overlap, told once.
  const told = new Set<string>();
  for (const { self, bundle } of endsOf(bundles)) {
    const [own, peer] = [cidr(self.lanNetwork), cidr(self.peerNetwork)];
    // `default` behind one end is a design (a branch's Internet through its hub); behind both, each
    // router's default route goes through the other: a loop, and neither keeps its own way out.
    const both = isDefault(self.lanNetwork) && isDefault(self.peerNetwork);
    if (!both && (!own || !peer || !overlap(own, peer))) continue;
    const key = `${bundle.name}\0${[self.lanNetwork, self.peerNetwork].sort().join('\0')}`;
    if (told.has(key)) continue;
    told.add(key);
    const where = placeOf(self, 'peerNetwork');
    problems.add(
      `bundle ${bundle.name}: ${self.host} routes ${self.peerNetwork} (${where.name}) to its peer, which overlaps its own network ${self.lanNetwork} (${placeOf(self, 'lanNetwork').name} at ${formatPos(placeOf(self, 'lanNetwork').pos)})`,
      where.pos,
      'the networks behind the two routers must be distinct: correct lan_network or peer_network',
    );
  }
}

/** A slave belongs to one equalizer, and an equalizer to one bundle, on each host. */
function checkReuse(bundles: readonly Bundle[], problems: Problems): void {
  const slaves = new Map<string, Bundle>();
  const devices = new Map<string, Bundle>();
  for (const { self, bundle } of endsOf(bundles)) {
    const seenDevice = devices.get(`${self.host}\0${self.device}`);
    if (seenDevice && seenDevice !== bundle) {
      problems.add(`${self.host} uses ${self.device} for two bundles: ${seenDevice.name} and ${bundle.name}`, placeOf(self, 'device').pos, 'give each bundle on a host its own equalizer: teql0, teql1, ... (the host needs max_equalizers of sch_teql to match)');
    }
    devices.set(`${self.host}\0${self.device}`, seenDevice ?? bundle);
    for (const dev of self.slaves) {
      const seen = slaves.get(`${self.host}\0${dev}`);
      if (seen && seen !== bundle) problems.add(`${self.host} ${dev} is a slave of two bundles: ${seen.name} and ${bundle.name}`, placeOf(self, 'slaves').pos, 'a link can be enslaved to one equalizer only: list it in one bundle');
      slaves.set(`${self.host}\0${dev}`, seen ?? bundle);
    }
  }
}

export function checkPairs(bundles: readonly Bundle[], problems: Problems): void {
  for (const b of bundles) checkLinks(b, problems);
  checkNetworks(bundles, problems);
  checkReuse(bundles, problems);
}
