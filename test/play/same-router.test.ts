// One router reached under two names in one run (run-play.ts, same-router.ts): both names refused
// after the facts, before anything changes; routers that only share a kernel (containers) are not.
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/errors.js';
import { sameRouterGroups, sameRouterMessage } from '../../src/play/same-router.js';
import { replayedLab } from './helpers.js';
import { RecordedRouter, recording } from '../helpers/replay-transport.js';

/** A recorded facts answer with the identity section the facts script prints (boot id `boot`). */
const withBoot = (stdout: string, boot: string) => stdout.replace('@@teqlctl-section end', `@@teqlctl-section identity\nboot=${boot}\n@@teqlctl-section end`);

describe('sameRouterGroups', () => {
  it('groups hosts with one identity, in the order given; hosts without one never match', () => {
    expect(sameRouterGroups([['a', 'x'], ['b', 'y'], ['c', 'x'], ['d', undefined], ['e', undefined], ['f', 'x']])).toEqual([['a', 'c', 'f']]);
    expect(sameRouterGroups([['a', 'x'], ['b', 'y']])).toEqual([]);
  });
});

describe('sameRouterMessage', () => {
  it('names every host of the group', () => {
    expect(sameRouterMessage(['r1', 'r2', 'r3'])).toBe('r1, r2 and r3 are one router (one kernel boot and the same links answered all names): refused, so that it is not planned and changed 3 times at once');
  });
});

describe('one router under two names in a run', () => {
  it('is refused under both names after the facts, nothing applied (exit 8), and the user is told which names and what to do', async () => {
    const lab = replayedLab();
    // router_b's name leads to router a: the same recorded router answers both.
    const a = new RecordedRouter('a');
    a.overrides.set('facts', (_, recorded) => ({ ...recorded, stdout: withBoot(recorded.stdout, '0f5c6a1e-5d1c-4a7b-9d3e-2b6f1c0a9e11') }));
    const r = await lab.run({ connect: async (host) => a.connect(host), connectFresh: async (host) => a.connect(host) });
    expect(r.exitCode, r.summary).toBe(ExitCode.refused);
    expect(r.summary).toBe('router_a and router_b are one router (one kernel boot and the same links answered both names): refused, so that it is not planned and changed twice at once\n' +
      '  hint: give each router one name in the inventory: fix the address, port or ssh_config alias of the name that was meant for another router; nothing was changed');
    expect(r.hosts.map((h) => [h.host, h.status])).toEqual([['router_a', 'refused'], ['router_b', 'refused']]);
    expect(r.hosts[0]!.error).toContain('hint: give each router one name in the inventory');
    // Both names are the ends of one bundle: -l one of them would add the other back.
    expect(r.summary).not.toContain('-l');
    expect(a.kinds()).toEqual(['facts', 'facts']);
    expect(a.state).toBe('pristine');
  });

  it('in check mode too: the plan of one router planned twice is not shown as two routers\' (exit 8)', async () => {
    const lab = replayedLab();
    const a = new RecordedRouter('a');
    a.overrides.set('facts', (_, recorded) => ({ ...recorded, stdout: withBoot(recorded.stdout, 'b00t') }));
    const shown: string[][] = [];
    const r = await lab.run({ check: true, connect: async (host) => a.connect(host), showPlan: (plans) => shown.push(plans.map((p) => p.host)) });
    expect(r.exitCode, r.summary).toBe(ExitCode.refused);
    expect(r.summary).toMatch(/^router_a and router_b are one router/);
    expect(shown).toEqual([]);
  });

  it('two routers under one kernel (containers: one boot id, links of their own) are two routers: the run converges', async () => {
    const lab = replayedLab();
    for (const router of Object.values(lab.routers)) router.overrides.set('facts', (_, recorded) => ({ ...recorded, stdout: withBoot(recorded.stdout, 'shared-kernel') }));
    const r = await lab.run();
    expect(r.exitCode, r.summary).toBe(ExitCode.ok);
    expect(r.hosts.map((h) => h.status)).toEqual(['changed', 'changed']);
  });

  it('a router whose kernel gives no boot id is not compared (no identity): each name is planned, as before', async () => {
    expect(recording('a', 'pristine')).not.toContain('@@teqlctl-section identity');
    const lab = replayedLab();
    const a = new RecordedRouter('a');
    const r = await lab.run({ check: true, connect: async (host) => a.connect(host) });
    // router_b's tasks planned on router a's facts: its route clashes with a's own LAN.
    expect(r.summary).toContain('192.0.2.0/24 is the connected route of lan0');
    expect(r.summary).not.toContain('the same router');
  });
});
