// The wizard's answers as plain data: what the pure parts (drawing, rendering, caveats) work from.

export type Side = 'a' | 'b';

export interface RouterAnswers {
  side: Side;
  /** Inventory host name: router_a, router_b. */
  name: string;
  /**
   * Address to connect to (an ssh_config alias already resolved to its HostName), or, where
   * ssh_config gives the alias a ProxyJump, the alias itself: the wizard and the inventory's
   * ansible_host then reach it as ssh and `teqlctl play` do, through its jump hosts.
   */
  host: string;
  port: number;
  user: string;
  /** As written to the inventory (`~/…` or absolute); undefined: ssh-agent only. */
  keyFile?: string;
  become: boolean;
  /** The ~/.ssh/config alias the operator typed, if any (for the inventory's comments). */
  alias?: string;
  /** ssh_config's ProxyJump for the alias, as resolved (`ops@bastion:22`): `host` is then the alias. */
  proxyJump?: string;
}

/** One link: A's end and B's end of the same wire. */
export interface LinkPair {
  a: string;
  b: string;
}

/** Two ends of one subnet, as `a.b.c.d/len`: A's and B's. */
export interface AddressPair {
  a: string;
  b: string;
}

export interface Addressing {
  /** One pair per link, in the order of the link pairs. */
  links: AddressPair[];
  teql: AddressPair;
  /** The block the /31s were carved from, when proposed. */
  block?: string;
}

export type Networks =
  | { kind: 'two'; network1: string; network2: string; lanA?: string; lanB?: string }
  /** LARTC's special case: network 2 is the Internet; A's default route goes over the equalizer. */
  | { kind: 'internet'; network1: string };

export interface WizardModel {
  /** File base name: inventories/<name>.yml, playbooks/<name>.yml. */
  name: string;
  a: RouterAnswers;
  b: RouterAnswers;
  links: LinkPair[];
  addressing: Addressing;
  networks: Networks;
}

export const hostName = (side: Side): string => `router_${side}`;

/** `10.0.0.4/31` -> `10.0.0.4`. */
export const ipOf = (cidr: string): string => cidr.split('/')[0]!;
