// For an interface systemd-networkd manages: a drop-in for the .network file it already uses,
// so networkd itself sets the TEQL qdisc ([TrivialLinkEqualizer]), the addresses and the MTU, and
// does not drop them as foreign configuration when it starts.
import type { BootModel } from './boot-model.js';

/** `withQdisc` false: networkd before 252, which fails a link whose teql qdisc it sets before sch_teql is loaded: the boot script sets it. */
export function networkdDropIn(model: BootModel, dev: string, withQdisc = true): string {
  const link: string[] = [];
  const network: string[] = [];
  const teql: string[] = [];
  const routes: string[] = [];
  for (const s of model.steps) {
    if (s.kind === 'link' && s.dev === dev) {
      if (s.mtu !== undefined) link.push(`MTUBytes=${s.mtu}`);
      if (s.up === false) link.push('ActivationPolicy=down');
    } else if (s.kind === 'address' && s.dev === dev) {
      network.push(`Address=${s.cidr}`);
    } else if (s.kind === 'slave' && s.dev === dev && withQdisc) {
      teql.push(`Id=${s.teql.slice(4)}`);
    } else if (s.kind === 'route' && s.dev === dev) {
      routes.push('', '[Route]', `Destination=${s.route.to === 'default' ? '0.0.0.0/0' : s.route.to}`, ...(s.route.via ? [`Gateway=${s.route.via}`] : []), `Metric=${s.route.metric}`);
    }
  }
  return [
    `# Written by teqlctl: ${dev}'s part of the TEQL configuration. teqlctl rewrites or removes this file.`,
    ...(link.length ? ['[Link]', ...link, ''] : []),
    ...(network.length ? ['[Network]', ...network, ''] : []),
    ...(teql.length ? ['[TrivialLinkEqualizer]', ...teql, ''] : []),
    ...routes.slice(1),
    ...(routes.length ? [''] : []),
  ].join('\n');
}
