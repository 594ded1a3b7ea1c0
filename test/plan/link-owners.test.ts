// A link's own manager (systemd-networkd, NetworkManager, a DHCP client) undoes a confirmed run at
// its next reload, reapply or lease: said with the plan and in the recap, naming what to do (a
// review of routers' own managers). Links the run leaves alone, and persisted links networkd sets
// from teqlctl's drop-in, are not warned about.
import { describe, expect, it } from 'vitest';
import { planHost } from '../../src/plan/plan-host.js';
import { formatPlan } from '../../src/report/print-plan.js';
import { chapterTasks, pristineFacts } from '../helpers/facts.js';
import type { Facts } from '../../src/gather/facts.js';

const withBoot = (boot: Partial<NonNullable<Facts['boot']>>, f: Facts = pristineFacts()): Facts => ({ ...f, boot: { files: [], networkd: {}, ifupdown: [], ...boot } });

describe('warnings about the managers of the links a run configures', () => {
  it('networkd managing a slave: warned without persist, naming its file and the ways out; not with persist (its drop-in)', () => {
    const facts = withBoot({ networkd: { eth1: '/etc/systemd/network/10-eth1.network', eth0: '/etc/systemd/network/10-eth0.network' }, init: 'systemd' });
    const { plan } = planHost('router_a', chapterTasks(), facts);
    expect(plan.warnings).toEqual([expect.stringContaining('eth1 is managed by systemd-networkd (/etc/systemd/network/10-eth1.network): its next reload, reconfigure or restart drops the addresses and routes it did not set')]);
    expect(plan.warnings![0]).toContain('persist the bundle (persist: true');
    expect(formatPlan([plan], false)).toContain('router_a: ');
    expect(formatPlan([plan], false).split('\n')[1]).toBe(`  ! WARNING: ${plan.warnings![0]}`);
    const persisted = planHost('router_a', chapterTasks().map((t) => ({ ...t, persist: true })), facts).plan;
    expect(persisted.warnings).toBeUndefined();
  });

  it('NetworkManager managing a slave or the equalizer: warned, persisted or not', () => {
    const facts = withBoot({ networkManager: ['eth2', 'teql0', 'eth0'] });
    const { plan } = planHost('router_a', chapterTasks().map((t) => ({ ...t, persist: true })), facts);
    expect(plan.warnings?.map((w) => w.split(':')[0])).toEqual(['eth2 is managed by NetworkManager', 'teql0 is managed by NetworkManager']);
    expect(plan.warnings![0]).toContain('match-device=interface-name:eth2 and managed=0');
  });

  it('an address with a lifetime (a DHCP lease) on a configured link is warned about; one on a link left alone is not', () => {
    const f = pristineFacts();
    const leased: Facts = { ...f, addresses: [...f.addresses, { dev: 'eth1', cidr: '192.168.7.20/24', lifetimes: { valid: 3600, preferred: 3600 } }, { dev: 'eth0', cidr: '10.0.2.16/24', lifetimes: { valid: 86000, preferred: 86000 } }] };
    const { plan } = planHost('router_a', chapterTasks(), leased);
    expect(plan.warnings).toEqual([expect.stringMatching(/^eth1 holds 192\.168\.7\.20\/24 \(valid 3600 s\), an address with a lifetime, as a DHCP client sets: .*stop the DHCP client on eth1/)]);
  });

  it("an ifupdown `inet dhcp` stanza on a link the run addresses: warned without persist (its next ifup's DHCP client flushes the address); none for the management link", () => {
    const facts = withBoot({ ifupdownDhcp: ['eth2', 'eth0'] });
    const { plan } = planHost('router_a', chapterTasks(), facts);
    expect(plan.warnings).toEqual(["/etc/network/interfaces declares `iface eth2 inet dhcp`: its next ifup (a reboot, `ifup eth2`, a restart of networking) starts a DHCP client that flushes eth2's addresses, this run's with them; declare it `inet manual`"]);
  });

  it('a router where nothing else manages the links: no warning', () => {
    expect(planHost('router_a', chapterTasks(), withBoot({ networkd: { eth0: '/etc/systemd/network/10-eth0.network' }, networkManager: ['eth0'] })).plan.warnings).toBeUndefined();
  });
});
