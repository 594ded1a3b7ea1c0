// Pure: which interface names a router's kernel gave the lab's NICs, found by their fixed MACs.
import { linkNumbers, macAddress, type LabTopology, type LabRouter } from './topology.js';

export interface RouterInterfaces {
  management: string;
  links: string[];
}

/** The default lab's names, as booted by every teqlctl before topologies existed. */
export function ethInterfaces(topology: LabTopology, router: LabRouter = 'a'): RouterInterfaces {
  return { management: 'eth0', links: linkNumbers(topology, router).map((k) => `eth${k}`) };
}

/** The shell command whose output `interfacesFromIpLink` reads. */
export const IP_LINK_COMMAND = 'ip -j link show';

/** From `ip -j link show`: the name of each NIC whose MAC the lab set; throws if one is missing. */
export function interfacesFromIpLink(json: string, router: LabRouter, topology: LabTopology): RouterInterfaces {
  const links = JSON.parse(json) as { ifname?: string; address?: string }[];
  const byMac = new Map(links.map((l) => [l.address?.toLowerCase(), l.ifname]));
  const name = (nic: number): string => {
    const mac = macAddress(router, nic);
    const found = byMac.get(mac);
    if (!found) throw new Error(`router ${router} has no interface with MAC ${mac}`);
    return found;
  };
  return { management: name(0), links: linkNumbers(topology, router).map(name) };
}
