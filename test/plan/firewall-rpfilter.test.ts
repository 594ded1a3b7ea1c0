// A firewall's reverse-path match loaded in the kernel, under a run that equalizes links: said.
import { describe, expect, it } from 'vitest';
import { planHost } from '../../src/plan/plan-host.js';
import { identityFacts } from '../../src/gather/identity-facts.js';
import { pristineFacts, task } from '../helpers/facts.js';
import type { TaskCall } from '../../src/load/types.js';

const teql: TaskCall = { module: 'teql', args: { device: 'teql0', slaves: ['eth1', 'eth2'], state: 'present', replace: false } };
const warnings = (calls: TaskCall[], modules: string[] | undefined) => {
  const facts = { ...pristineFacts(), ...(modules ? { rpFilterModules: modules } : {}) };
  facts.teql = { loaded: false, available: true };
  return (planHost('a', calls.map((c) => task(c)), facts, { persistence: false }).plan.warnings ?? []).filter((w) => /reverse-path rule of the firewall/.test(w));
};

describe("a firewall's reverse-path filter", () => {
  it('is read from the modules loaded (the shell\'s own test), and said where the run equalizes links, naming the slaves', () => {
    expect(identityFacts('boot=x\nuid=0\nforward=1\nrpfilter-modules= nft_fib_ipv4\n', [])).toMatchObject({ rpFilterModules: ['nft_fib_ipv4'] });
    expect(identityFacts('boot=x\nuid=0\nforward=1\nrpfilter-modules=\n', [])).not.toHaveProperty('rpFilterModules');
    expect(warnings([teql], ['nft_fib_ipv4'])).toEqual(["nftables' fib expression (nft_fib_ipv4) is loaded: a reverse-path rule of the firewall (nftables' `fib saddr . iif oif missing drop`, firewalld's rpfilter, iptables' `-m rpfilter`) drops what comes back over a slave other than the one its route names, as rp_filter=1 does, whatever this run sets rp_filter to; check `nft list ruleset` or `iptables-save`, and exempt eth1, eth2 from it"]);
    expect(warnings([teql], ['nft_fib_ipv4', 'ipt_rpfilter'])[0]).toMatch(/^nftables' fib expression \(nft_fib_ipv4\) and iptables' rpfilter match \(ipt_rpfilter\) are loaded/);
  });

  it('not where none is loaded, nor for a run that equalizes nothing', () => {
    expect(warnings([teql], undefined)).toEqual([]);
    expect(warnings([{ module: 'link', args: { dev: 'eth1', state: 'up' } }], ['nft_fib_ipv4'])).toEqual([]);
  });
});
