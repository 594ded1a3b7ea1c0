// The SSH session's path on the router, as the facts read it (management-fact.ts): what the plan's
// guards weigh a change against (plan/context.ts, session-subnet.ts, session-table.ts).

export interface ManagementFact {
  /** Address of the SSH client as the router sees it (from SSH_CONNECTION). */
  clientIp: string;
  /** The client's TCP port of this SSH connection: tells one connection from another in the log. */
  clientPort?: string;
  /** The router's own address the session is connected to (SSH_CONNECTION's third field): where replies leave by another interface, not on `dev`. */
  serverIp?: string;
  /** Interface and route that carry the SSH session (`ip route get clientIp from serverIp`). */
  dev: string;
  via?: string;
  /** The routing table `ip route get` found it in, where not main (a rule by source: an out-of-band port's own table). */
  table?: string;
  /** The IPv4 policy rules, in the kernel's order: read with the route, kept only where `table` is set (plan/session-table.ts). */
  rules?: PolicyRuleFact[];
}

/** One `ip rule`: its priority, the table it looks up, its address selectors. */
export interface PolicyRuleFact {
  priority: number;
  /** Absent for an action other than a lookup (goto, blackhole, ...). */
  table?: string;
  /** Source and destination prefixes; absent for `all`. */
  from?: string;
  to?: string;
  /** Another selector (iif, fwmark, uidrange, not, ...), a suppressor or an action: whether and how it applies to the session is not weighed. */
  other?: true;
}
