// `lab up --links 3 --names predictable`: the chapter's playbook on three links with the names
// real routers have (ens4...), not eth1/eth2, then teardown.yml back to the state before. Leaves
// the default lab running for the other files.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { macAddress, ROUTERS, type Router } from '../../src/lab/topology.js';
import { labCli, sshRun } from './lab.js';
import { readState, txPackets } from './router-state.js';
import { CHAPTER, LAB_INVENTORY, playJson, ROOT, teqlctl } from './teqlctl.js';

const TEARDOWN = resolve(ROOT, 'playbooks/teardown.yml');

/** The three link NICs of a router, found by the MACs the lab gave them (link 1 first). */
async function linkNames(router: Router): Promise<string[]> {
  const r = await sshRun(router, 'ip -j link show');
  expect(r.code, r.stderr).toBe(0);
  const links = JSON.parse(r.stdout) as { ifname: string; address?: string }[];
  return [1, 2, 3].map((k) => links.find((l) => l.address === macAddress(router, k))?.ifname ?? `(no NIC with ${macAddress(router, k)})`);
}

const ADDRESSES: Record<Router, string[]> = {
  a: ['10.0.0.0', '10.0.0.2', '10.0.0.4', '10.0.0.6'],
  b: ['10.0.0.1', '10.0.0.3', '10.0.0.5', '10.0.0.7'],
};

describe('a three-link lab with predictable interface names', () => {
  const names = {} as Record<Router, string[]>;
  const pristine = {} as Record<Router, string>;

  beforeAll(async () => {
    await labCli(['down']);
    await labCli(['up', '--links', '3', '--names', 'predictable']);
    for (const r of ROUTERS) {
      names[r] = await linkNames(r);
      pristine[r] = await readState(r);
    }
  });

  afterAll(async () => {
    // The other e2e files expect the default lab: eth1 and eth2.
    await labCli(['down']);
    await labCli(['up']);
  });

  it.each(ROUTERS)('router %s has three links with predictable names, and the inventory uses them', async (r) => {
    expect(names[r]).toHaveLength(3);
    for (const name of names[r]) expect(name).toMatch(/^en[sp]/);
    const all = (await sshRun(r, 'ls /sys/class/net')).stdout.split('\n');
    expect(all.filter((n) => n.startsWith('eth'))).toEqual([]);
    const host = parse(readFileSync(LAB_INVENTORY, 'utf8')).all.children.routers.hosts[`router_${r}`];
    expect(host.teql_slaves).toEqual(names[r]);
    expect(host.link_addresses.map((l: { dev: string }) => l.dev)).toEqual(names[r]);
  });

  it('the chapter converges on all three links, shares the load over them, and a rerun changes nothing', async () => {
    const r = await teqlctl(['play', '-i', LAB_INVENTORY, CHAPTER, '--yes']);
    expect(r.code, r.stdout + r.stderr).toBe(0);

    for (const router of ROUTERS) {
      const state = await readState(router);
      for (const dev of names[router]) expect(state).toContain(`\n${dev} teql0\n`);
      // The whole address line (its attributes since 2026-12-05): a /31 has no broadcast.
      names[router].forEach((dev, i) => expect(state).toContain(`\n${dev} ${ADDRESSES[router][i]}/31 scope global ${dev}\n`));
      expect(state).toContain(`\nteql0 ${ADDRESSES[router][3]}/31 scope global teql0\n`);
    }
    // Read directly: each end pings the other's three link addresses and its teql0.
    for (const to of ADDRESSES.b) expect((await sshRun('a', `ping -c 2 -W 2 ${to}`)).code, `a -> ${to}`).toBe(0);
    for (const to of ADDRESSES.a) expect((await sshRun('b', `ping -c 2 -W 2 ${to}`)).code, `b -> ${to}`).toBe(0);

    // teql0 sends packet by packet round the slaves: a flood over it leaves on every link.
    const before = await Promise.all(names.a.map((dev) => txPackets('a', dev)));
    const flood = await sshRun('a', 'ping -q -f -c 300 -W 2 10.0.0.7');
    expect(flood.code, flood.stdout + flood.stderr).toBe(0);
    const after = await Promise.all(names.a.map((dev) => txPackets('a', dev)));
    const sent = after.map((n, i) => n - before[i]!);
    for (const d of sent) expect(d, `TX per link: ${sent.join(', ')}`).toBeGreaterThanOrEqual(50);

    const again = await playJson(CHAPTER);
    expect(again.json.exitCode, again.stderr).toBe(0);
    for (const host of ['router_a', 'router_b']) {
      expect(again.json.hosts[host].changes).toEqual([]);
      expect(again.json.hosts[host].status).toBe('ok');
    }
  });

  it('teardown returns both routers to the state read before the first play; a second teardown changes nothing', async () => {
    const r = await teqlctl(['play', '-i', LAB_INVENTORY, TEARDOWN, '--yes']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    for (const router of ROUTERS) expect(await readState(router)).toBe(pristine[router]);
    const again = await playJson(TEARDOWN);
    expect(again.json.exitCode, again.stderr).toBe(0);
    for (const host of ['router_a', 'router_b']) expect(again.json.hosts[host].changes).toEqual([]);
  });
});
