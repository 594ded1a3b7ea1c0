// Sites: the hosts that a run must batch together. Bundles that share a host (a hub and its
// spokes) are one site: a hub's bundles are applied and confirmed in one go, never split across
// batches. A host in no bundle is a site of its own.
import type { Bundle } from '../load/bundle-types.js';
import { batchSize, type Serial } from '../load/serial.js';

/** `hosts`: the run's hosts in its plays' order (Ansible's); each site's hosts in that order, sites by their first host. */
export function sitesOf(bundles: readonly Bundle[], hosts: readonly string[], looseGroups: (loose: string[]) => string[][] = (loose) => loose.map((h) => [h])): string[][] {
  const inRun = new Set(hosts);
  const parent = new Map(hosts.map((h) => [h, h]));
  const find = (h: string): string => {
    let r = h;
    while (parent.get(r) !== r) r = parent.get(r)!;
    parent.set(h, r);
    return r;
  };
  const bundled = new Set<string>();
  for (const b of bundles) {
    const ends = b.ends.map((e) => e.host).filter((h) => inRun.has(h));
    for (const h of ends) bundled.add(h);
    for (const h of ends.slice(1)) parent.set(find(h), find(ends[0]!));
  }
  // A host in no bundle is a site of its own: `serial: 1` over six such routers is six batches, as
  // in Ansible (one site for all of them was one batch, the rolling change made at once). Hosts
  // whose tasks configure two ends of one link (loose-units.ts) are one site: in two batches, the
  // first one's check of the link could never pass (a review).
  const looseSite = new Map<string, string>();
  for (const group of looseGroups(hosts.filter((h) => !bundled.has(h)))) for (const h of group) looseSite.set(h, `\u0000${group[0]!}`);
  const sites = new Map<string, string[]>();
  for (const h of hosts) {
    const key = bundled.has(h) ? find(h) : looseSite.get(h)!;
    sites.set(key, [...(sites.get(key) ?? []), h]);
  }
  return [...sites.values()];
}

/** The sites in batches of `serial`, in order. */
export function batchesOf(sites: readonly string[][], serial: Serial): string[][][] {
  const size = batchSize(serial, sites.length);
  const out: string[][][] = [];
  for (let i = 0; i < sites.length; i += size) out.push(sites.slice(i, i + size));
  return out;
}

/**
 * What `serial` will do, said before the run where it differs from what an Ansible user reads in
 * it: batches are of sites, and a hub with its spokes is one site (its bundles are never split).
 */
export function serialNote(bundles: readonly Bundle[], plays: ReadonlyArray<{ hosts: readonly string[]; serial?: Serial }>): string | undefined {
  const play = plays.find((p) => p.serial);
  if (!play) return undefined;
  const hosts = [...new Set(plays.flatMap((p) => p.hosts))];
  const sites = sitesOf(bundles, hosts);
  const hubs = sites.filter((s) => s.length > 2 && bundles.some((b) => b.ends.some((e) => s.includes(e.host))));
  if (hubs.length === 0) return undefined;
  const batches = batchesOf(sites, play.serial!).length;
  const ends = (h: string) => bundles.filter((b) => b.ends.some((e) => e.host === h)).length;
  const hubOf = (site: readonly string[]) => [...site].sort((a, b) => ends(b) - ends(a))[0]!;
  return `serial batches sites, not hosts: ${hubs.map((s) => `${hubOf(s)} and ${s.length - 1} other host(s)`).join(', ')} ${hubs.length > 1 ? 'are sites' : 'is one site'} (a hub's bundles are applied and confirmed together), so this run has ${batches} batch(es)`;
}
