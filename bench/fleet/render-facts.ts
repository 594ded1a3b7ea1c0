// Pure: facts as a router's facts script prints them (the inverse of src/gather/parse-facts.ts), so a
// SIMULATED router can answer with any state teqlctl's planner computes, not only the lab's recordings.
// Only what the parser reads is written; a round-trip test keeps the two in step.
import type { Facts, RouteFact } from '../../src/gather/facts.js';
import { sysctlPath } from '../../src/router/sysctl-path.js';
import { SECTION_MARKER as SECTION } from '../../src/router/markers.js';

export function renderFacts(f: Facts): string {
  const links = f.links.map((l) => ({ ifname: l.name, flags: l.up ? ['UP'] : [], mtu: l.mtu, operstate: l.operstate, ...(l.kind ? { linkinfo: { info_kind: l.kind } } : {}), ...(l.lower ? { link: l.lower } : {}), ...(l.txqlen !== undefined ? { txqlen: l.txqlen } : {}), ...(l.altnames ? { altnames: l.altnames } : {}) }));
  const byDev = new Map<string, object[]>();
  for (const a of f.addresses) {
    const [local, len] = a.cidr.split('/');
    const info = {
      family: 'inet', local: local!, prefixlen: Number(len),
      ...(a.peer !== undefined ? { address: a.peer } : {}),
      ...(a.broadcast !== undefined ? { broadcast: a.broadcast } : {}),
      ...(a.scope !== undefined ? { scope: a.scope } : {}),
      ...(a.label !== undefined ? { label: a.label } : {}),
      ...(a.metric !== undefined ? { metric: a.metric } : {}),
      ...(a.protocol !== undefined ? { protocol: a.protocol } : {}),
      ...(a.secondary ? { secondary: true } : {}),
      ...Object.fromEntries((a.flags ?? []).map((flag) => [flag, true])),
      ...(a.lifetimes ? { valid_life_time: a.lifetimes.valid, preferred_life_time: a.lifetimes.preferred } : {}),
    };
    byDev.set(a.dev, [...(byDev.get(a.dev) ?? []), info]);
  }
  const addresses = [...byDev].map(([ifname, addr_info]) => ({ ifname, addr_info }));
  // A route teqlctl could not restore (unrestorable) is not simulated: its raw form is not kept.
  const route = (r: RouteFact) => ({
    ...(r.type ? { type: r.type } : {}),
    dst: r.family === 'inet6' ? r.to : r.to.endsWith('/32') ? r.to.slice(0, -3) : r.to,
    ...(r.from ? { from: r.from } : {}),
    ...(r.via ? { gateway: r.via } : {}),
    ...(r.dev ? { dev: r.dev } : {}),
    ...(r.nexthopDevs ? { nexthops: r.nexthopDevs.map((dev) => ({ dev })) } : {}),
    ...(r.table ? { table: r.table } : {}),
    ...(r.metric ? { metric: r.metric } : {}),
    ...(r.protocol ? { protocol: r.protocol } : {}),
    ...(r.scope ? { scope: r.scope } : {}),
    ...(r.src ? { prefsrc: r.src } : {}),
    flags: r.onlink ? ['onlink'] : [],
    ...(r.family === 'inet6' ? { pref: r.pref ?? 'medium' } : {}),
  });
  // The other tables' routes, the permanent neighbours and the IPv6 routes (gather/script.ts: the
  // batch's third and fourth arrays): what a flush would take, read for undos.
  const fl = f.flushable;
  const otherTables = (fl?.routes ?? []).filter((r) => r.family !== 'inet6').map(route);
  const routes6 = (fl?.routes ?? []).filter((r) => r.family === 'inet6').map(route);
  const neighbours = (fl?.neighbours ?? []).map((n) => ({ dst: n.address, dev: n.dev, lladdr: n.lladdr, ...(n.router ? { router: null } : {}), ...(n.protocol ? { protocol: n.protocol } : {}), state: ['PERMANENT'] }));
  const routes = f.routes.map(route);
  const qdiscs = f.rootQdiscs.map((q) => ({ kind: q.kind, handle: q.handle, root: true, dev: q.dev, ...(q.options ? { options: q.options } : {}) }));
  const details = f.rootQdiscs.filter((q) => q.detail).flatMap((q) => [`@@dev ${q.dev}`, ...q.detail!.qdiscs, '@@class', ...q.detail!.classes, '@@filter', ...q.detail!.filters]);
  const teql = [`loaded=${f.teql.loaded ? 1 : 0}`, `available=${f.teql.available ? 1 : 0}`, ...(f.teql.maxEqualizers !== undefined ? [`max=${f.teql.maxEqualizers}`] : [])];
  const m = f.management;
  const management = m ? [`client=${m.clientIp}${m.clientPort ? ` port=${m.clientPort}` : ''}${m.serverIp ? ` server=${m.serverIp}` : ''}`, JSON.stringify([{ dst: m.clientIp, dev: m.dev, ...(m.via ? { gateway: m.via } : {}) }])] : [];
  const b = f.boot;
  const boot = b ? [
    ...b.files.map((x) => (x.symlink !== undefined ? `symlink\t${x.path}\t${x.symlink}` : `file\t${x.path}\t${x.executable ? 'x' : '-'}\t${Buffer.byteLength(x.content ?? '')}\t${Buffer.from(x.content ?? '').toString('base64')}`)),
    ...Object.entries(b.networkd).map(([k, v]) => `networkd\t${k}\t${v}`),
    ...(b.sysctlFiles ?? []).map((x) => `sysctl-file\t${x.at}:${x.exclude ? `-${x.key}` : `${x.key} = ${x.value}`}`),
    ...(b.networkManager ?? []).map((d) => `nm\t${d}`),
    ...(b.networkdVersion !== undefined ? [`networkd-version\t${b.networkdVersion}`] : []),
    ...b.ifupdown.flatMap((i) => [`ifupdown\t${i}`, `ifupdown-auto\t${i}`]),
    ...(b.ifupdownStatic ?? []).map((i) => `ifupdown-static\t${i}`),
    ...(b.ifupdownDhcp ?? []).map((i) => `ifupdown-dhcp\t${i}`),
    ...(b.init ? [`init\t${b.init}`] : []),
    ...(b.openrcLocal !== undefined ? [`openrc-local\t${b.openrcLocal ? 'yes' : 'no'}`] : []),
    ...(b.busybox !== undefined ? [`userland\t${b.busybox ? 'busybox' : 'gnu'}`] : []),
  ] : [];
  const section = (name: string, lines: string[]) => `${SECTION} ${name}\n${lines.map((l) => `${l}\n`).join('')}`;
  return [
    section('links', [JSON.stringify(links)]),
    // One `ip` batch: addresses, then routes (gather/script.ts).
    section('ip', [...(fl?.ipv6 ? ['ipv6'] : []), JSON.stringify(addresses), JSON.stringify([...routes, ...otherTables]), ...(fl ? [JSON.stringify(neighbours)] : []), ...(fl?.ipv6 ? [JSON.stringify(routes6)] : [])]),
    section('qdiscs', [JSON.stringify(qdiscs)]),
    section('qdisc_detail', details),
    section('teql', teql),
    section('management', management),
    ...(b ? [section('boot', boot)] : []),
    ...(f.baseline ? [section('baseline', Object.entries(f.baseline).map(([k, v]) => `${k}\t${v}`))] : []),
    section('lock', []),
    ...(f.uid !== undefined ? [section('identity', [`uid=${f.uid}`, ...(f.ipForward !== undefined ? [`forward=${f.ipForward}`] : []), `rpfilter-modules=${(f.rpFilterModules ?? []).join(' ')}`])] : []),
    section('sysctls', Object.entries(f.sysctls).map(([k, v]) => `${sysctlPath(k)}\t${v}`)),
    // As the router prints it: empty without md5sum, absent from a re-read after changes.
    ...(f.fingerprint !== undefined ? [section('fingerprint', [f.fingerprint])] : []),
    section('end', []),
  ].join('');
}
