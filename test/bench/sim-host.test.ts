import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSteps, stepsScript } from '../../src/apply/script.js';
import { factsScript } from '../../src/gather/script.js';
import { parseFacts } from '../../src/gather/parse-facts.js';
import { checksScript, parseChecks } from '../../src/verify/ping-script.js';
import { confirmScript } from '../../src/deadman/confirm-script.js';
import { CONFIRM_MARKER } from '../../src/router/markers.js';
import type { Op } from '../../src/plan/ops.js';
import type { Check } from '../../src/plan/types.js';
import { answerFacts, classify, ownIdentity, pairPrefix, reply, requestedSections, rewriteForPair } from '../../bench/fleet/sim-host.js';
import { renderFleetInventory, simHostName } from '../../bench/fleet/inventory.js';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, '../../bench/fixtures', `${name}.txt`), 'utf8');
const facts = { pristine: fixture('a-pristine'), converged: fixture('a-converged') };
const sysctls = ['net.ipv4.conf.eth1.rp_filter', 'net.ipv4.conf.eth2.rp_filter'];
const ops = [{ kind: 'link', dev: 'eth1', up: true }, { kind: 'link', dev: 'eth2', up: true }] as unknown as Op[];
const checks: Check[] = [{ to: '10.0.0.1', count: 3, timeout: 2 }, { to: '198.51.100.1', from: '192.0.2.1', count: 3, timeout: 2 }] as Check[];

describe('simulated host: recognising the scripts teqlctl sends', () => {
  it('tells facts, verify and unknown scripts apart', () => {
    expect(classify(factsScript(sysctls))).toBe('facts');
    expect(classify(checksScript(checks))).toBe('verify');
    expect(classify('uname -a\n')).toBe('unknown');
  });

  it('answers the facts script with the recording, which teqlctl parses', () => {
    const r = reply(factsScript(sysctls), 'pristine', facts);
    expect(r.code).toBe(0);
    expect(r.state).toBe('pristine');
    const f = parseFacts('h', r.stdout);
    expect(f.teql.loaded).toBe(false);
    expect(f.links.find((l) => l.name === 'eth1')!.up).toBe(false);
  });

  it('gives each simulated host its own identity, so that two hosts of one recording are two routers to teqlctl', () => {
    const read = (name: string) => parseFacts(name, reply(factsScript(sysctls), 'converged', ownIdentity(facts, name)).stdout);
    const [one, other] = [read('pair0000_a'), read('pair0001_a')];
    expect(one.identity).toBeDefined();
    expect(other.identity).toBeDefined();
    expect(one.identity).not.toBe(other.identity);
    expect(read('pair0000_a').identity).toBe(one.identity);
    expect(one.links.map((l) => l.name)).toEqual(other.links.map((l) => l.name));
  });

  it('answers every section asked for, empty (and named) when the recording lacks it', () => {
    const script = factsScript(sysctls).replace("echo '@@teqlctl-section end'", "echo '@@teqlctl-section newthing'\nfoo\necho '@@teqlctl-section end'");
    expect(requestedSections(script).slice(-2)).toEqual(['newthing', 'end']);
    const a = answerFacts(script, facts.pristine);
    expect(a.missing).toContain('newthing');
    expect(a.stdout).toContain('@@teqlctl-section newthing\n@@teqlctl-section end');
  });

  it('reports every apply step as passed, then the converged facts, and stays converged', () => {
    // As teqlctl sends it: the steps, then the facts script in the same round trip.
    const script = stepsScript(ops).replace(/exit \$failed\n$/, factsScript(sysctls) + 'exit $failed\n');
    expect(script).toContain("'@@teqlctl-section links'");
    expect(classify(script)).toBe('apply');
    const r = reply(script, 'pristine', facts);
    expect(r.state).toBe('converged');
    expect(parseSteps(ops, r.stdout).map((s) => [s.index, s.code])).toEqual([[0, 0], [1, 0]]);
    expect(parseFacts('h', r.stdout).teql.loaded).toBe(true);
  });

  it('reports each ping check as passed on the first attempt', () => {
    const r = reply(checksScript(checks), 'converged', facts);
    const results = parseChecks(checks, r.stdout);
    expect(results.map((c) => [c.ok, c.attempts])).toEqual([[true, 1], [true, 1]]);
  });

  it('confirms a run (the dead-man is disarmed over a new connection)', () => {
    const r = reply(confirmScript('20261127T000000-abcd1234', 'state'), 'converged', facts);
    expect(r).toMatchObject({ kind: 'confirm', code: 0, state: 'converged' });
    expect(r.stdout).toContain(`${CONFIRM_MARKER} ok`);
  });

  it('refuses a script it does not know with exit 127', () => {
    expect(reply('rm -rf /\n', 'pristine', facts)).toMatchObject({ kind: 'unknown', code: 127 });
  });
});

describe('simulated fleet addressing', () => {
  it('gives each pair its own /29 and rewrites only the lab /29 in recorded facts', () => {
    expect(pairPrefix(0)).toBe('10.0.0');
    expect(pairPrefix(1)).toBe('10.0.1');
    // Never the recorded routers' management network, 10.0.2.0/24 (the controller is 10.0.2.2 there).
    expect(pairPrefix(2)).toBe('10.255.255');
    expect(pairPrefix(3)).toBe('10.0.3');
    expect(pairPrefix(257)).toBe('10.1.1');
    expect(pairPrefix(65534)).toBe('10.255.254');
    expect(() => pairPrefix(65535)).toThrow();
    const text = '"local":"10.0.0.4","dst":"10.0.0.0/31","gateway":"10.0.2.2","x":"110.0.0.1","y":"10.0.0.45"';
    expect(rewriteForPair(text, 258)).toBe('"local":"10.1.2.4","dst":"10.1.2.0/31","gateway":"10.0.2.2","x":"110.0.0.1","y":"10.0.0.45"');
  });

  it('names hosts by pair and role, and renders an inventory with the ports and files', () => {
    expect(simHostName(0)).toEqual({ name: 'pair0000_a', pair: 0, router: 'a' });
    expect(simHostName(5)).toEqual({ name: 'pair0002_b', pair: 2, router: 'b' });
    const inv = renderFleetInventory([{ ...simHostName(2), port: 40001 }, { ...simHostName(3), port: 40002 }], '/k/id', '/k/known_hosts');
    expect(inv).toContain('SIMULATED');
    expect(inv).toContain('pair0001_a:\n          ansible_port: 40001');
    expect(inv).toContain('- { dev: eth1, address: 10.0.1.0/31 }');
    expect(inv).toContain('peer_addresses: [10.0.1.0, 10.0.1.2, 10.0.1.4]');
    expect(inv).toContain('teqlctl_known_hosts_file: "/k/known_hosts"');
  });
});

describe('the simulated fleet\'s three faults', () => {
  it('picks three pairs far apart, one per kind, and expects exactly their bundles to fail', async () => {
    const { faultPlan } = await import('../../bench/fleet/run-fleet.js');
    expect(faultPlan(6)).toBeUndefined();
    const plan = faultPlan(500)!;
    expect(plan.spec).toBe('unreachable=pair0062_a,apply=pair0125_b,ping=pair0187_a');
    expect(plan.expected).toEqual([
      { name: 'pair0062_a:teql0<->pair0062_b:teql0', status: 'failed' },
      { name: 'pair0125_a:teql0<->pair0125_b:teql0', status: 'rolled back' },
      { name: 'pair0187_a:teql0<->pair0187_b:teql0', status: 'rolled back' },
    ]);
  });
});

describe('facts rendered for a simulated router', () => {
  it.each(['a-pristine', 'a-converged', 'b-pristine', 'b-converged'])('read back as the lab\'s recording %s reads', async (name) => {
    const { renderFacts } = await import('../../bench/fleet/render-facts.js');
    // The identity (a hash of the boot id and the links' MACs) is each router's own, not rendered:
    // a simulated router is given its own boot id (ownIdentity).
    const { identity, ...facts } = parseFacts('r', fixture(name));
    expect(identity).toBeDefined();
    expect(parseFacts('r', renderFacts(facts))).toEqual(facts);
  });
});

describe('the simulated hub fleet', () => {
  it('writes an inventory teqlctl loads as 5 bundles per hub, each hub and its spokes one site', async () => {
    const { hubHostName, renderHubInventory } = await import('../../bench/fleet/hub-fleet.js');
    const { loadRun } = await import('../../src/load/index.js');
    const { sitesOf } = await import('../../src/play/sites.js');
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'teqlctl-hubs-'));
    const hosts = Array.from({ length: 12 }, (_, i) => ({ ...hubHostName(i), port: 40000 + i }));
    writeFileSync(join(dir, 'inv.yml'), renderHubInventory(hosts, '/k/id'));
    const loaded = loadRun(join(dir, 'inv.yml'), join(import.meta.dirname, '../../playbooks/teql-bundles.yml'));
    expect(loaded.bundles).toHaveLength(10);
    expect(loaded.bundles[6]!.name).toBe('hub001:teql1<->hub001_spoke1:teql0');
    expect(sitesOf(loaded.bundles, hosts.map((h) => h.name)).map((s) => s.length)).toEqual([6, 6]);
  });

  it('plans faults on spokes of three different hubs', async () => {
    const { hubFaultPlan } = await import('../../bench/fleet/run-fleet.js');
    expect(hubFaultPlan(20)!.spec).toBe('unreachable=hub005_spoke0,apply=hub010_spoke1,ping=hub015_spoke2');
    expect(hubFaultPlan(20)!.expected.map((e) => e.status)).toEqual(['failed', 'rolled back', 'rolled back']);
  });
});
