// Each host's bundle ends, read from its variables: teql_peer (one bundle), teql_bundles (a hub), or
// the hand-written peer_teql_address of older inventories (recognised, so they get bundles too).
import { contains } from '../router/ipv4.js';
import { MAX_TEQL_INDEX, teqlDeviceProblem } from './teql-device.js';
import type { SourcePos } from '../errors.js';
import type { BundleEnd, FactPlace } from './bundle-types.js';
import { ExprError } from './expr-error.js';
import { checkHostCidr, checkInterfaceName, checkIPv4, checkNetworkCidr } from './net.js';
import type { Problems } from './problems.js';
import type { VarScope } from './scope.js';
import { shown } from './shown.js';

/** An end before pairing; an end recognised from peer_teql_address names its peer by that address. */
export type EndDraft = BundleEnd & { peerTeqlAddress?: string };

interface Read {
  value: unknown;
  place: FactPlace;
}

const BUNDLE_KEYS = ['peer', 'device', 'slaves', 'link_addresses', 'address'];

/** A variable rendered, with its place; undefined when unset or when its template fails (reported where it is used). */
/**
 * A bundle variable as the play reads it. A template that fails (a variable it names is undefined)
 * is said at the variable: it read as unset, and the first word was a consequence said elsewhere
 * ("router_b names router_a, but router_a does not name router_b back"; a review). `broken` then
 * takes '*': the host's peers are not known, and no other host is told it is not named back.
 */
function read(scope: VarScope, name: string, at: { host: string; problems: Problems; broken?: Set<string> }): Read | undefined {
  const origin = scope.origin(name);
  if (!origin) return undefined;
  try {
    const found = scope.lookup(name);
    return found.found ? { value: found.value, place: { name, pos: origin.pos } } : undefined;
  } catch (err) {
    if (!(err instanceof ExprError)) throw err;
    at.problems.add(`${name} of host ${at.host}: ${err.message}`, origin.pos, err.hint);
    at.broken?.add('*');
    return undefined;
  }
}

const strings = (v: unknown): string[] | undefined => (Array.isArray(v) && v.every((s) => typeof s === 'string') ? v : undefined);
const text = (r: Read | undefined): string | undefined => (typeof r?.value === 'string' ? r.value : undefined);

/** Each slave's first address in `link_addresses` (a list of { dev, address }). */
function linkAddressesOf(slaves: string[], value: unknown): Array<string | undefined> {
  const list = Array.isArray(value) ? value : [];
  return slaves.map((dev) => {
    const entry = list.find((e) => typeof e === 'object' && e !== null && (e as { dev?: unknown }).dev === dev) as { address?: unknown } | undefined;
    return typeof entry?.address === 'string' && checkHostCidr(entry.address) === undefined ? entry.address : undefined;
  });
}

/**
 * What is wrong with a bundle's link_addresses, or undefined: a list of { dev, address }, one per
 * slave (a slave without one would have its ping left out without a word); `strict`: for slaves
 * only, with no other key.
 */
function linkAddressesProblem(slaves: readonly string[], value: unknown, strict: boolean): string | undefined {
  if (!Array.isArray(value)) return 'link_addresses must be a list of { dev, address }';
  const seen = new Set<string>();
  for (const e of value) {
    if (typeof e !== 'object' || e === null || Array.isArray(e)) return 'each entry of link_addresses must be a mapping { dev, address }';
    const dev = (e as { dev?: unknown }).dev;
    if (typeof dev !== 'string') return 'an entry of link_addresses has no dev';
    // A host variable (teql_peer) may list other links too, and keys its own playbooks read; a
    // teql_bundles entry is teqlctl's alone: its slaves only, dev and address only.
    if (strict) {
      const unknown = Object.keys(e).find((k) => k !== 'dev' && k !== 'address');
      if (unknown !== undefined) return `link_addresses: unknown key ${shown(unknown)} (an entry takes dev and address)`;
      if (!slaves.includes(dev)) return `link_addresses: ${dev} is not one of the slaves (${slaves.join(', ')})`;
    }
    if (seen.has(dev)) return `link_addresses: ${dev} is given twice`;
    seen.add(dev);
  }
  const missing = slaves.find((s) => !seen.has(s));
  return missing !== undefined ? `link_addresses gives no address to slave ${missing}` : undefined;
}

function valid(value: string | undefined, check: (v: string) => string | undefined): string | undefined {
  return value !== undefined && check(value) === undefined ? value : undefined;
}

const lanNetworkCheck = (v: string): string | undefined => (v === 'default' ? undefined : checkNetworkCidr(v));

/** The facts every form shares: the host's network and its address there. */
function lanFacts(scope: VarScope, problems: Problems, host: string): Pick<BundleEnd, 'lanNetwork' | 'lanAddress' | 'at'> {
  const net = read(scope, 'lan_network', { host, problems });
  const addr = read(scope, 'lan_address', { host, problems });
  const netText = text(net);
  const why = net && (netText === undefined ? 'lan_network must be a network such as 192.0.2.0/24, or default' : lanNetworkCheck(netText));
  if (why) problems.add(`lan_network of host ${host}: ${why}`, net!.place.pos, 'write the network behind this router with its prefix length, e.g. 192.0.2.0/24');
  const lanAddress = valid(text(addr), checkIPv4);
  // The peer routes lan_network here: a lan_address outside it gets no reply to the LAN ping.
  if (!why && netText && netText !== 'default' && lanAddress && !contains(netText, lanAddress)) {
    problems.add(`lan_address ${lanAddress} of host ${host} is not in its lan_network ${netText}: the peer routes only lan_network to it, so the LAN ping's reply cannot come back`, addr!.place.pos, 'give this router\'s own address inside lan_network, or correct lan_network');
  }
  return {
    lanNetwork: why ? undefined : netText,
    lanAddress,
    at: { ...(net ? { lanNetwork: net.place } : {}), ...(addr ? { lanAddress: addr.place } : {}) },
  };
}

/** The one end described by the host's own variables (teql_slaves, link_addresses, teql_address, teql_device). */
function hostEnd(host: string, scope: VarScope, peer: string, declared: EndDraft['declared'], pos: SourcePos, problems: Problems): EndDraft {
  const slaves = read(scope, 'teql_slaves', { host, problems });
  const links = read(scope, 'link_addresses', { host, problems });
  const address = read(scope, 'teql_address', { host, problems });
  const device = read(scope, 'teql_device', { host, problems });
  const peerNetwork = read(scope, 'peer_network', { host, problems });
  const lan = lanFacts(scope, problems, host);
  const slaveList = strings(slaves?.value) ?? [];
  // Set, but its template failed: said at it already (read).
  if (declared === 'teql_peer' && !slaves && !scope.origin('teql_slaves')) problems.add(`host ${host} names a teql_peer but sets no teql_slaves`, pos, 'list the links of the bundle in wiring order: teql_slaves: [eth1, eth2]');
  const linksWhy = declared === 'teql_peer' && slaves && links ? linkAddressesProblem(slaveList, links.value, false) : undefined;
  if (linksWhy) problems.add(`host ${host}: ${linksWhy}`, links!.place.pos, 'give each slave of teql_slaves one entry: link_addresses: [{ dev: eth1, address: 10.0.0.0/31 }, ...]');
  return {
    host,
    peer,
    device: text(device) ?? 'teql0',
    slaves: slaveList,
    linkAddresses: linkAddressesOf(slaveList, links?.value),
    address: valid(text(address), checkHostCidr),
    lanNetwork: lan.lanNetwork,
    lanAddress: lan.lanAddress,
    peerNetwork: valid(text(peerNetwork), lanNetworkCheck),
    declared,
    pos,
    at: { ...lan.at, ...(slaves ? { slaves: slaves.place } : {}), ...(links ? { linkAddresses: links.place } : {}), ...(address ? { address: address.place } : {}), ...(device ? { device: device.place } : {}), ...(peerNetwork ? { peerNetwork: peerNetwork.place } : {}) },
  };
}

/** One entry of teql_bundles; undefined (and a problem) when it is not well formed. */
function bundleEntry(host: string, entry: unknown, i: number, place: FactPlace, lan: ReturnType<typeof lanFacts>, problems: Problems): EndDraft | undefined {
  const name = `teql_bundles[${i}]`;
  const at = (field: string): FactPlace => ({ name: `${name}.${field}`, pos: place.pos });
  const fail = (why: string, hint: string): undefined => void problems.add(`${name} of host ${host}: ${why}`, place.pos, hint);
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return fail('must be a mapping', `write - { peer: router_b, device: teql${i}, slaves: [eth1, eth2], link_addresses: [...], address: 10.0.0.4/31 }`);
  const e = entry as Record<string, unknown>;
  const unknown = Object.keys(e).find((k) => !BUNDLE_KEYS.includes(k));
  if (unknown !== undefined) return fail(`unknown key ${shown(unknown)}`, `a bundle takes ${BUNDLE_KEYS.join(', ')}`);
  if (typeof e.peer !== 'string') return fail('peer must name the host at the other end', 'add peer: <inventory host name>');
  const slaves = strings(e.slaves);
  if (!slaves || slaves.length === 0) return fail('slaves must be a list of interface names', 'list the links in wiring order: slaves: [eth1, eth2]');
  const badSlave = slaves.map(checkInterfaceName).find((w) => w !== undefined);
  if (badSlave) return fail(`slaves: ${badSlave}`, 'use the name `ip link` shows, e.g. eth1');
  if (e.device !== undefined && (typeof e.device !== 'string' || teqlDeviceProblem(e.device) !== undefined)) return fail(`device must be a TEQL device name: teql0, teql1, ... up to teql${MAX_TEQL_INDEX}${typeof e.device === 'string' ? ` (${teqlDeviceProblem(e.device)})` : ''}`, 'write device: teql1');
  const addrWhy = typeof e.address === 'string' ? checkHostCidr(e.address) : 'address (the equalizer\'s) must be an address with its prefix length';
  if (addrWhy) return fail(addrWhy, 'write address: 10.0.0.4/31');
  const linkAddresses = linkAddressesOf(slaves, e.link_addresses);
  const linksWhy = e.link_addresses === undefined ? undefined : linkAddressesProblem(slaves, e.link_addresses, true);
  if (linksWhy) return fail(linksWhy, 'write link_addresses: [{ dev: eth1, address: 10.0.0.0/31 }, ...], one per slave');
  if (e.link_addresses !== undefined && linkAddresses.some((a) => a === undefined)) return fail('link_addresses must give each slave an address: a list of { dev, address }', 'write link_addresses: [{ dev: eth1, address: 10.0.0.0/31 }, ...]');
  return {
    host, peer: e.peer, device: (e.device as string | undefined) ?? 'teql0', slaves, linkAddresses, address: e.address as string,
    lanNetwork: lan.lanNetwork, lanAddress: lan.lanAddress, declared: 'teql_bundles', pos: place.pos,
    at: { ...lan.at, peer: at('peer'), device: at('device'), slaves: at('slaves'), linkAddresses: at('link_addresses'), address: at('address') },
  };
}

/**
 * The ends a host declares, in the order written. `broken` collects the peers named by entries that
 * are not well formed (their own problem is said): the peer's end is not "not named back".
 */
export function readEnds(host: string, scope: VarScope, problems: Problems, broken?: Set<string>): EndDraft[] {
  const peer = read(scope, 'teql_peer', { host, problems, broken });
  const list = read(scope, 'teql_bundles', { host, problems, broken });
  if (peer && list) {
    problems.add(`host ${host} sets both teql_peer and teql_bundles`, list.place.pos, 'use teql_peer for one bundle, teql_bundles for several (a hub): not both');
    return [];
  }
  if (peer) {
    if (typeof peer.value !== 'string' || peer.value === '') {
      problems.add(`teql_peer of host ${host} must name the host at the other end`, peer.place.pos, 'write teql_peer: router_b');
      return [];
    }
    const end = hostEnd(host, scope, peer.value, 'teql_peer', peer.place.pos, problems);
    return [{ ...end, at: { ...end.at, peer: peer.place } }];
  }
  if (list) {
    if (!Array.isArray(list.value)) {
      problems.add(`teql_bundles of host ${host} must be a list of bundles`, list.place.pos, 'write teql_bundles: [{ peer: router_b, device: teql0, slaves: [...], ... }, ...]');
      return [];
    }
    const lan = lanFacts(scope, problems, host);
    return list.value.flatMap((e, i) => {
      const end = bundleEntry(host, e, i, list.place, lan, problems);
      if (!end && typeof (e as { peer?: unknown } | null)?.peer === 'string') broken?.add((e as { peer: string }).peer);
      return end ?? [];
    });
  }
  const peerTeql = read(scope, 'peer_teql_address', { host, problems });
  const ip = valid(text(peerTeql), checkIPv4);
  if (!peerTeql || ip === undefined) return [];
  return [{ ...hostEnd(host, scope, '', 'peer_teql_address', peerTeql.place.pos, problems), peerTeqlAddress: ip }];
}
