// A bundle as data: two routers, one equalizer on each, the links between them in wiring order.
// Failure domains (apply, verify, roll back per bundle) are built on this, so it is plain data.
import type { SourcePos } from '../errors.js';

/** Where a fact of a bundle end was written: the variable and its place, for messages. */
export interface FactPlace {
  /** The variable as the user wrote it: `teql_slaves`, `teql_bundles[1].slaves`, `router_b's lan_network`. */
  name: string;
  pos: SourcePos;
}

export type BundleFact = 'peer' | 'device' | 'slaves' | 'linkAddresses' | 'address' | 'lanNetwork' | 'lanAddress' | 'peerNetwork';

/** How an end was declared: by teql_peer, by an entry of teql_bundles, or recognised from peer_teql_address. */
export type Declared = 'teql_peer' | 'teql_bundles' | 'peer_teql_address';

export interface BundleEnd {
  host: string;
  /** The host this end is wired to. */
  peer: string;
  /** The equalizer: teql0, teql1, ... */
  device: string;
  /** The links, in wiring order: slave i here is wired to slave i of the other end. */
  slaves: string[];
  /** Each slave's own address (`a.b.c.d/len`), aligned with slaves; undefined where none is given. */
  linkAddresses: Array<string | undefined>;
  /** The equalizer's address (`a.b.c.d/len`). */
  address?: string;
  /** The network behind this router (a CIDR, or `default` for the Internet) and its address in it. */
  lanNetwork?: string;
  lanAddress?: string;
  /** The network routed to the peer over the equalizer: peer_network, else the peer's lan_network. */
  peerNetwork?: string;
  declared: Declared;
  /** Where the end was declared (teql_peer, teql_bundles, peer_teql_address). */
  pos: SourcePos;
  at: Partial<Record<BundleFact, FactPlace>>;
}

export interface Bundle {
  /** `router_a:teql0<->router_b:teql0`, unique in the run. */
  name: string;
  /** The end whose host comes first in the inventory, then the other. */
  ends: [BundleEnd, BundleEnd];
}

/** What one end sees of the other: the peer variables that playbooks/teql.yml reads. */
export interface PeerView {
  peer_teql_address?: string;
  peer_addresses: string[];
  peer_network?: string;
  peer_lan_address?: string;
}

export function ipOf(cidr: string): string {
  return cidr.split('/')[0]!;
}

/** The peer variables of an end, derived from its other end: the pings go to its links, then its equalizer. */
export function peerView(other: BundleEnd): PeerView {
  const links = other.linkAddresses.filter((a): a is string => a !== undefined).map(ipOf);
  const teql = other.address === undefined ? undefined : ipOf(other.address);
  return {
    ...(teql !== undefined ? { peer_teql_address: teql } : {}),
    peer_addresses: teql === undefined ? links : [...links, teql],
    ...(other.lanNetwork !== undefined ? { peer_network: other.lanNetwork } : {}),
    ...(other.lanAddress !== undefined ? { peer_lan_address: other.lanAddress } : {}),
  };
}
