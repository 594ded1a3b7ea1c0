// The variables playbooks/teql.yml reads from each router's inventory entry: the one contract
// between the inventory writers (`lab up`, the wizard) and the playbook.
// The playbook also reads teql_device, teql_persist and teql_tcp_reordering, which have defaults
// (or are skipped) and are given with -e; the writers leave them out.

export interface TeqlHostVars {
  /** The links, in wiring order: the equalizer's slaves. */
  teql_slaves: string[];
  /** Each link's own address (`a.b.c.d/len`), one per slave. */
  link_addresses: Array<{ dev: string; address: string }>;
  /** The equalizer's address (`a.b.c.d/len`). */
  teql_address: string;
  /** This router's address in the network behind it; with peer_lan_address, enables the last ping. */
  lan_address?: string;
  /** The network behind the peer (a CIDR, or `default` for the Internet): routed over the equalizer. */
  peer_network: string;
  /** The peer's equalizer address: the gateway of that route. */
  peer_teql_address: string;
  /** The peer's address in its network: the last ping goes there from lan_address. */
  peer_lan_address?: string;
  /** Pinged after applying: the peer's link addresses, then its equalizer. */
  peer_addresses: string[];
}

/** The names, in the order the writers write them. */
export const TEQL_VARS = ['teql_slaves', 'link_addresses', 'teql_address', 'lan_address', 'peer_network', 'peer_teql_address', 'peer_lan_address', 'peer_addresses'] as const satisfies ReadonlyArray<keyof TeqlHostVars>;

/** Read by the playbook with a default or a `when`, given with -e rather than written. */
export const OPTIONAL_PLAYBOOK_VARS = ['teql_device', 'teql_persist', 'teql_tcp_reordering'] as const;

/**
 * The same router with each fact written once: its peer named, and the peer variables above
 * (peer_network, peer_teql_address, peer_lan_address, peer_addresses) derived by the loader from
 * the peer's own entry (docs/playbook-language.md, "Bundles").
 */
export interface TeqlPeerHostVars {
  /** The inventory host at the other end of the links. */
  teql_peer: string;
  teql_slaves: string[];
  link_addresses: Array<{ dev: string; address: string }>;
  teql_address: string;
  /** The network behind this router (a CIDR, or `default` for the Internet): the peer routes it here. */
  lan_network: string;
  /** As in TeqlHostVars; written only when the peer has one too (the last ping needs both). */
  lan_address?: string;
}

/** The names, in the order the writers write them. */
export const TEQL_PEER_VARS = ['teql_peer', 'teql_slaves', 'link_addresses', 'teql_address', 'lan_network', 'lan_address'] as const satisfies ReadonlyArray<keyof TeqlPeerHostVars>;
