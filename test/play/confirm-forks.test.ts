// A wave's confirmations go out at once, not --forks at a time: queued behind --forks, a hub with
// many spokes was confirmed after its dead-man window closed, every bundle of it lost (a review).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/errors.js';
import { loadRun } from '../../src/load/index.js';
import { runPlay } from '../../src/play/run-play.js';
import { RunLog } from '../../src/play/run-log.js';
import { hubHostName, renderHubInventory, SPOKES } from '../../bench/fleet/hub-fleet.js';
import { hubFacts, HUB_PLAYBOOK } from '../../bench/fleet/hub-facts.js';
import { RecordedRouter } from '../helpers/replay-transport.js';

describe('confirmation waves under a small --forks', () => {
  it('a hub and its spokes at --forks 1, every round trip slow: the spokes confirm at once, the hub within its window', async () => {
    const RTT_MS = 400;
    const WINDOW_SEC = 8;
    const hosts = Array.from({ length: SPOKES + 1 }, (_, i) => ({ ...hubHostName(i), port: 40000 + i }));
    const dir = mkdtempSync(join(tmpdir(), 'teqlctl-confirm-forks-'));
    writeFileSync(join(dir, 'hub.yml'), renderHubInventory(hosts, join(dir, 'id')));
    const loaded = loadRun(join(dir, 'hub.yml'), HUB_PLAYBOOK, {});
    const facts = hubFacts(join(dir, 'hub.yml'), hosts, [], HUB_PLAYBOOK);
    const routers = new Map(hosts.map((h) => [h.name, new RecordedRouter('a', facts.facts(h.name, []))]));
    const t0 = Date.now();
    const armedAt = new Map<string, number>();
    const confirmedAt = new Map<string, number>();
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const slow = (h: string) => {
      const t = routers.get(h)!.connect(h);
      const run = t.run.bind(t);
      t.run = async (label, script) => {
        if (label === 'apply' && !armedAt.has(h)) armedAt.set(h, Date.now() - t0);
        if (label === 'confirm') confirmedAt.set(h, Date.now() - t0);
        await sleep(RTT_MS);
        return run(label, script);
      };
      return t;
    };
    const r = await runPlay(loaded, {
      runId: 'forks-1', confirmTimeoutSec: WINDOW_SEC, owner: 't@t', check: false, forks: 1, mode: 'silent', log: new RunLog(undefined, []),
      connect: async (h) => slow(h), connectFresh: async (h) => (await sleep(RTT_MS), slow(h)),
      showPlan: () => undefined, approve: async () => true, interrupted: () => false,
    });
    expect(r.exitCode, r.summary).toBe(ExitCode.ok);
    const hub = hubHostName(0).name;
    const spokes = hosts.map((h) => h.name).filter((h) => h !== hub);
    const sent = spokes.map((h) => confirmedAt.get(h)!);
    // One round trip for every spoke's confirmation, not one after another (--forks 1 took 5).
    expect(Math.max(...sent) - Math.min(...sent)).toBeLessThan(RTT_MS);
    // The hub's confirmation arrives (sent + one round trip) before its dead-man fires.
    expect(confirmedAt.get(hub)! + RTT_MS).toBeLessThan(armedAt.get(hub)! + WINDOW_SEC * 1000);
  }, 60_000);
});
