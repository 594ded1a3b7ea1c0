// The one renderer of TeqlHostVars (and of TeqlPeerHostVars) as inventory YAML, for every writer;
// comments are the writer's.
import type { TeqlHostVars, TeqlPeerHostVars } from './teql-vars.js';
import { commentedLine, flowList, scalar } from './yaml-scalar.js';

export type VarComments = Partial<Record<keyof TeqlHostVars, string>>;
export type PeerVarComments = Partial<Record<keyof TeqlPeerHostVars, string>>;

/** The host's variables at `indent`, each with its comment when one is given. */
export function renderTeqlVars(v: TeqlHostVars, indent: number, comments: VarComments = {}): string[] {
  const line = (key: keyof TeqlHostVars, value: string) => commentedLine(indent, `${key}:${value ? ` ${value}` : ''}`, comments[key]);
  return [
    line('teql_slaves', flowList(v.teql_slaves)),
    line('link_addresses', ''),
    ...v.link_addresses.map((l) => commentedLine(indent + 2, `- { dev: ${scalar(l.dev)}, address: ${scalar(l.address)} }`)),
    line('teql_address', scalar(v.teql_address)),
    ...(v.lan_address !== undefined ? [line('lan_address', scalar(v.lan_address))] : []),
    line('peer_network', scalar(v.peer_network)),
    line('peer_teql_address', scalar(v.peer_teql_address)),
    ...(v.peer_lan_address !== undefined ? [line('peer_lan_address', scalar(v.peer_lan_address))] : []),
    line('peer_addresses', flowList(v.peer_addresses)),
  ];
}

/** The host's variables in the teql_peer form at `indent`, each with its comment when one is given. */
export function renderTeqlPeerVars(v: TeqlPeerHostVars, indent: number, comments: PeerVarComments = {}): string[] {
  const line = (key: keyof TeqlPeerHostVars, value: string) => commentedLine(indent, `${key}:${value ? ` ${value}` : ''}`, comments[key]);
  return [
    line('teql_peer', scalar(v.teql_peer)),
    line('teql_slaves', flowList(v.teql_slaves)),
    line('link_addresses', ''),
    ...v.link_addresses.map((l) => commentedLine(indent + 2, `- { dev: ${scalar(l.dev)}, address: ${scalar(l.address)} }`)),
    line('teql_address', scalar(v.teql_address)),
    line('lan_network', scalar(v.lan_network)),
    ...(v.lan_address !== undefined ? [line('lan_address', scalar(v.lan_address))] : []),
  ];
}
