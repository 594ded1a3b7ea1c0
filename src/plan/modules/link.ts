// link: an interface's administrative state and MTU; `absent` puts back what it was before teqlctl.
import type { LinkArgs } from '../../load/types.js';
import type { Facts, LinkFact } from '../../gather/facts.js';
import { forgetStep, linkBaselineValue, linkKey, parseLinkBaseline } from '../baseline.js';
import { guardSessionSubnet } from '../session-subnet.js';
import { vlansOn } from '../simulate-routes.js';
import { conflict, guardManagement, guardSessionAddress, linkDownUndo, requireLink, type ModuleResult, type PlanContext } from '../context.js';
import { simulateAll } from '../simulate.js';
import type { Change } from '../types.js';
import type { PlannedStep } from '../ops.js';
import { ipv6MtuName } from '../facts-needed.js';
import { stackedMtuAfter } from '../stacked-mtu.js';
import { sysctlCommandName } from '../../router/sysctl-path.js';

export function planLink(args: LinkArgs, facts: Facts, ctx: PlanContext): ModuleResult {
  if (args.state === 'absent') return planAbsent(args.dev, facts, ctx);
  const link = requireLink(ctx, facts, args.dev);
  const wantUp = args.state === undefined ? undefined : args.state === 'up';
  const change = linkChange(link, facts, ctx, wantUp, args.mtu);
  return change ? { changes: [change], facts: simulateAll(facts, change.steps.map((s) => s.op)) } : { changes: [], facts };
}

/** Back to the state and MTU recorded before teqlctl first changed the link, and the record forgotten. */
function planAbsent(dev: string, facts: Facts, ctx: PlanContext): ModuleResult {
  const original = facts.baseline?.[linkKey(dev)];
  const link = facts.links.find((l) => l.name === dev);
  const was = original === undefined ? undefined : parseLinkBaseline(original);
  if (original === undefined || !was || !link) return { changes: [], facts };
  const restore = linkChange(link, facts, ctx, was.up, was.mtu, true);
  const forget = forgetStep(linkKey(dev), original);
  const change: Change = {
    action: '~',
    resource: `link ${dev}`,
    before: restore?.before ?? linkBaselineValue(link),
    after: `${restore?.after ?? original} (as before teqlctl)`,
    steps: [...(restore?.steps ?? []), forget],
    task: ctx.task,
    pos: ctx.pos,
  };
  return { changes: [change], facts: simulateAll(facts, change.steps.map((s) => s.op)) };
}

/** `restoring`: back to the MTU before teqlctl (below 1280, the link had no IPv6 then either). */
function linkChange(link: LinkFact, facts: Facts, ctx: PlanContext, wantUp: boolean | undefined, mtu: number | undefined, restoring = false): Change | undefined {
  const dev = link.name;
  const steps: PlannedStep[] = [];
  const before: string[] = [];
  const after: string[] = [];
  if (mtu !== undefined && link.mtu !== mtu) {
    // Below 1280 the kernel takes IPv6 off the link (addrconf_ifdown): its addresses, routes and
    // every net.ipv6.conf setting, which come back as defaults when the MTU rises again.
    if (!restoring && mtu < 1280 && link.mtu >= 1280 && facts.sysctls[ipv6MtuName(dev)] !== undefined) {
      throw conflict(ctx, `an MTU of ${mtu} on ${dev} takes IPv6 off the link: the kernel drops its IPv6 addresses and settings below 1280, and no rollback could put them back`, `use an MTU of 1280 or more on ${dev}, or boot the router with IPv6 off (ipv6.disable=1) if the link must carry smaller frames`);
    }
    // The devices stacked on it (VLANs, macvlans, ipvlans) whose MTU the kernel changes with it:
    // the undo puts theirs back once the link's own is back (a review, 2026-12-05).
    const lowered = facts.links.filter((l) => l.lower === dev && stackedMtuAfter(l, mtu) !== l.mtu).map((l) => ({ kind: 'link' as const, dev: l.name, mtu: l.mtu }));
    steps.push({ op: { kind: 'link', dev, mtu }, undo: [{ kind: 'link', dev, mtu: link.mtu }, ...lowered] });
    before.push(`mtu ${link.mtu}`);
    after.push(`mtu ${mtu}`);
  }
  if (wantUp !== undefined && link.up !== wantUp) {
    // Down, its global IPv6 addresses (and its VLANs') are added back at once (keepAddresses): the
    // kernel deletes them (keep_addr_on_down 0), and the undo, which brings the link up, could not
    // put back what teqlctl does not read (a review: lost for good by a rollback). As
    // keep_addr_on_down 1 leaves them: inactive on a down link, in use again once it is up.
    steps.push({ op: wantUp ? { kind: 'link', dev, up: true } : { kind: 'link', dev, up: false, keepAddresses: true }, undo: wantUp ? [{ kind: 'link', dev, up: false, keepAddresses: true }] : linkDownUndo(facts, dev, ctx) });
    before.push(link.up ? 'up' : 'down');
    after.push(wantUp ? 'up' : 'down');
  }
  if (steps.length === 0) return undefined;
  guardManagement(ctx, facts, dev, `setting link ${after.join(', ')}`, true);
  // Down, what the client sends to the session's own address there no longer arrives by it (where it
  // comes by that link, as the session's address on it says it usually does).
  if (wantUp === false && link.up) guardSessionAddress(ctx, facts, dev, `setting link ${after.join(', ')}`);
  // Up, its addresses' connected routes come back: one whose subnet holds the session's client would
  // take its replies, as an address added would (a review: teql.yml brings links up before it
  // addresses them, and an address there already was never weighed).
  if (wantUp === true && !link.up) {
    // Its VLANs come up with it (vlansOn), their addresses' routes too.
    for (const d of [dev, ...vlansOn(facts, dev).map((v) => v.name)]) {
      for (const a of facts.addresses.filter((x) => x.dev === d && !x.cidr.includes(':'))) guardSessionSubnet(ctx, facts, d, a.cidr, `bringing ${dev} up${d === dev ? '' : `, and ${d} with it,`} with ${a.cidr}`);
    }
  }
  // The kernel gives the link's IPv6 MTU its MTU when that changes or the link comes up: the
  // undo's first step (the last to run) puts back the one read before (an operator's, maybe lower).
  const mtu6 = facts.sysctls[ipv6MtuName(dev)];
  // The kernel takes an IPv6 MTU up to the link's only (an equalizer's, which sch_teql lowers
  // without telling IPv6, can be above it).
  if (mtu6 !== undefined && Number(mtu6) > link.mtu) {
    throw conflict(ctx, `${dev}'s IPv6 MTU is ${mtu6}, above its MTU ${link.mtu}: setting the link ${after.join(', ')} sets it to the MTU, and a rollback could not put ${mtu6} back`, link.mtu >= 1280 ? `sysctl -w ${sysctlCommandName('ipv6', dev, 'mtu')}=${link.mtu} and run again` : `give ${dev} an MTU of ${mtu6} again (ip link set ...) and run again`);
  }
  if (mtu6 !== undefined) steps[0] = { ...steps[0]!, undo: [...steps[0]!.undo, { kind: 'sysctl', name: ipv6MtuName(dev), value: mtu6 }] };
  return { action: '~', resource: `link ${dev}`, before: before.join(', '), after: after.join(', '), steps, task: ctx.task, pos: ctx.pos };
}
