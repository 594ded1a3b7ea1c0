// run/topology.json: the shape of the last `lab up` and the names the routers' kernels gave the
// NICs. `lab reset`, `status`, `cut` and `restore` follow it; the next `lab up` replaces it.
import { readFileSync, writeFileSync } from 'node:fs';
import { ethInterfaces, type RouterInterfaces } from './interfaces.js';
import type { LabPaths } from './paths.js';
import { DEFAULT_TOPOLOGY, FLAVORS, LINK_MANAGERS, MAX_LINKS, MIN_LINKS, NAME_SCHEMES, routersOf, type LabTopology, type LabRouter } from './topology.js';

export interface TopologyRecord extends LabTopology {
  /** Filled in once the routers answer SSH; absent while they boot. */
  interfaces?: Partial<Record<LabRouter, RouterInterfaces>>;
}

function isTopology(x: unknown): x is LabTopology {
  const t = x as Partial<LabTopology> | null;
  return (
    typeof t?.links === 'number' && t.links >= MIN_LINKS && t.links <= MAX_LINKS && NAME_SCHEMES.includes(t.names as LabTopology['names']) &&
    (t.linkManager === undefined || LINK_MANAGERS.includes(t.linkManager)) &&
    (t.flavor === undefined || FLAVORS.includes(t.flavor)) &&
    (t.hub === undefined || t.hub === true)
  );
}

/** The recorded topology, or undefined when there is none (or it is unreadable). */
export function readTopologyRecord(p: LabPaths): TopologyRecord | undefined {
  try {
    const record = JSON.parse(readFileSync(p.topology, 'utf8')) as unknown;
    return isTopology(record) ? (record as TopologyRecord) : undefined;
  } catch {
    return undefined;
  }
}

/** The running lab's topology; routers booted before topologies were recorded have the default one. */
export function currentTopology(p: LabPaths): TopologyRecord {
  return readTopologyRecord(p) ?? { ...DEFAULT_TOPOLOGY };
}

/** A router's interface names as recorded, else the names of a router booted with net.ifnames=0. */
export function recordedInterfaces(p: LabPaths, router: LabRouter): RouterInterfaces | undefined {
  const record = currentTopology(p);
  if (record.interfaces) return record.interfaces[router];
  return record.names === 'eth' ? ethInterfaces(record, router) : undefined;
}

export function writeTopologyRecord(p: LabPaths, record: TopologyRecord): void {
  const { links, names, linkManager, flavor, hub, interfaces } = record;
  const ordered = interfaces ? Object.fromEntries(routersOf(record).map((r) => [r, interfaces[r]])) : undefined;
  writeFileSync(p.topology, JSON.stringify({ links, names, ...(linkManager ? { linkManager } : {}), ...(flavor ? { flavor } : {}), ...(hub ? { hub } : {}), ...(ordered ? { interfaces: ordered } : {}) }, null, 2) + '\n');
}

