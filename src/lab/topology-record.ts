// run/topology.json: the shape of the last `lab up` and the names the routers' kernels gave the
// NICs. `lab reset`, `status`, `cut` and `restore` follow it; the next `lab up` replaces it.
import { readFileSync, writeFileSync } from 'node:fs';
import { ethInterfaces, type RouterInterfaces } from './interfaces.js';
import type { LabPaths } from './paths.js';
import { DEFAULT_TOPOLOGY, FLAVORS, LINK_MANAGERS, linkPortBase, MAX_LINKS, MIN_LINKS, NAME_SCHEMES, routersOf, type LabTopology, type LabRouter } from './topology.js';

export interface TopologyRecord extends LabTopology {
  /** Filled in once the routers answer SSH; absent while they boot. */
  interfaces?: Partial<Record<LabRouter, RouterInterfaces>>;
  /**
   * The first UDP link port the routers were booted with: a router booted again later (`lab reset`
   * of a stopped one, `lab up` of a missing one) must listen where its running peer sends, whatever
   * $TEQLCTL_LAB_LINK_PORT_BASE says by then. Absent (records older than the variable): the variable's.
   */
  linkPortBase?: number;
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
    if (!isTopology(record)) return undefined;
    // A base no lab could have used (a hand-edited record) is dropped alone: the shape still holds.
    const { linkPortBase: base, ...rest } = record as TopologyRecord;
    return Number.isInteger(base) && base! >= 1024 && base! <= 65495 ? (record as TopologyRecord) : rest;
  } catch {
    return undefined;
  }
}

/** The running lab's topology; routers booted before topologies were recorded have the default one. */
export function currentTopology(p: LabPaths): TopologyRecord {
  return readTopologyRecord(p) ?? { ...DEFAULT_TOPOLOGY };
}

/** The link port base the running lab was booted with, else the configured one (a lab about to boot). */
export function recordedLinkPortBase(p: LabPaths): number {
  return readTopologyRecord(p)?.linkPortBase ?? linkPortBase();
}

/** A router's interface names as recorded, else the names of a router booted with net.ifnames=0. */
export function recordedInterfaces(p: LabPaths, router: LabRouter): RouterInterfaces | undefined {
  const record = currentTopology(p);
  if (record.interfaces) return record.interfaces[router];
  return record.names === 'eth' ? ethInterfaces(record, router) : undefined;
}

export function writeTopologyRecord(p: LabPaths, record: TopologyRecord): void {
  const { links, names, linkManager, flavor, hub, interfaces, linkPortBase } = record;
  const ordered = interfaces ? Object.fromEntries(routersOf(record).map((r) => [r, interfaces[r]])) : undefined;
  writeFileSync(p.topology, JSON.stringify({ links, names, ...(linkManager ? { linkManager } : {}), ...(flavor ? { flavor } : {}), ...(hub ? { hub } : {}), ...(linkPortBase !== undefined ? { linkPortBase } : {}), ...(ordered ? { interfaces: ordered } : {}) }, null, 2) + '\n');
}

