// persist on routers that are not systemd: OpenRC, ifupdown alone (BusyBox ifup too), and none.
import { describe, expect, it } from 'vitest';
import { loadRun } from '../../../src/load/index.js';
import { planHost } from '../../../src/plan/plan-host.js';
import { simulateAll } from '../../../src/plan/simulate.js';
import { RefusedError } from '../../../src/errors.js';
import { pristineFacts } from '../../helpers/facts.js';
import type { BootFact, Facts } from '../../../src/gather/facts.js';
import type { HostPlan } from '../../../src/plan/types.js';

const tasks = (extra: string[] = ['teql_persist=true']) => loadRun('inventories/example.yml', 'playbooks/teql.yml', { extraVars: extra }).plays[0]!.tasks.get('router_a')!;
const ops = (p: HostPlan) => p.phases.flatMap((ph) => ph.changes.flatMap((c) => c.steps.map((s) => s.op)));
const files = (f: Facts) => Object.fromEntries((f.boot?.files ?? []).map((b) => [b.path, b]));

function on(boot: Partial<BootFact>): Facts {
  return { ...pristineFacts(), boot: { files: [], networkd: {}, ifupdown: [], ...boot } };
}

function converge(facts: Facts, extra?: string[]) {
  const { plan } = planHost('router_a', tasks(extra), facts);
  return simulateAll(facts, ops(plan));
}

describe('persist where the router runs OpenRC', () => {
  it('writes the script and /etc/local.d/teqlctl.start, and no systemd unit nor any file OpenRC reads before the script', () => {
    const after = converge(on({ init: 'openrc', openrcLocal: true, busybox: true }));
    expect(Object.keys(files(after)).sort()).toEqual([
      '/etc/local.d/teqlctl.start',
      '/etc/teqlctl/boot.sh',
    ]);
    const start = files(after)['/etc/local.d/teqlctl.start']!;
    expect(start.executable).toBe(true);
    expect(start.content).toMatch(/^#!\/bin\/sh\n/);
    expect(start.content).toContain('\nexec /etc/teqlctl/boot.sh\n');
  });

  it('refuses, before any change, when the local service would never run the start file', () => {
    expect(() => planHost('router_a', tasks(), on({ init: 'openrc', openrcLocal: false }))).toThrow(RefusedError);
    expect(() => planHost('router_a', tasks(), on({ init: 'openrc', openrcLocal: false }))).toThrow(/persist: OpenRC's `local` service is not in the default runlevel/);
  });
});

describe('persist where neither systemd nor OpenRC runs the boot', () => {
  it('with ifupdown declaring the slaves: its if-up.d hook runs a script that loads the module and sets the sysctls itself', () => {
    const after = converge(on({ init: 'none', ifupdown: ['eth1', 'eth2'], busybox: true }));
    expect(Object.keys(files(after)).sort()).toEqual(['/etc/network/if-up.d/teqlctl', '/etc/teqlctl/boot.sh']);
    const script = files(after)['/etc/teqlctl/boot.sh']!.content!.split('\n');
    const run = script.filter((l) => /^(run|retry|tq_join) /.test(l));
    expect(run[0]).toBe('run modprobe sch_teql');
    expect(run[1]).toBe('run setsys /proc/sys/net/ipv4/conf/all/rp_filter 0');
    expect(run).toEqual(expect.arrayContaining(['run setsys /proc/sys/net/ipv4/conf/eth1/rp_filter 0', 'tq_join eth1 teql0']));
    // The sysctls come before the links they concern are configured.
    expect(run.findIndex((l) => l.includes('setsys'))).toBeLessThan(run.findIndex((l) => l.startsWith('run ip ')));
    expect(files(after)['/etc/network/if-up.d/teqlctl']!.content).toContain('eth1|eth2) /etc/teqlctl/boot.sh || echo');
  });

  it("refuses, before any change, an address the boot script would set on an interface ifupdown declares `inet static` (its ip addr add then fails that ifup at every boot: a review) or `inet dhcp` (its client flushes it)", () => {
    const facts = on({ init: 'none', ifupdown: ['eth1', 'eth2'], ifupdownStatic: ['eth2'], ifupAtBoot: true, runParts: true, busybox: true });
    expect(() => planHost('router_a', tasks(), facts)).toThrow(RefusedError);
    expect(() => planHost('router_a', tasks(), facts)).toThrow(/\/etc\/network\/interfaces declares `iface eth2 inet static`, and the boot script sets its address too: at boot ifupdown's `ip addr add` would meet it \(File exists\)/);
    // inet dhcp: its DHCP client flushes the address the script set at eth1's ifup.
    const dhcp = on({ init: 'none', ifupdown: ['eth1', 'eth2'], ifupdownDhcp: ['eth2', 'eth9'], ifupAtBoot: true, runParts: true, busybox: true });
    expect(() => planHost('router_a', tasks(), dhcp)).toThrow(/\/etc\/network\/interfaces declares `iface eth2 inet dhcp`, and the boot script sets its address: at boot the DHCP client ifup starts there flushes the interface's addresses/);
    // inet manual (not listed as static): the boot script sets it.
    expect(() => converge(on({ init: 'none', ifupdown: ['eth1', 'eth2'], ifupAtBoot: true, runParts: true, busybox: true }))).not.toThrow();
  });

  it('with nothing that runs at boot: refused before any change, saying why and what to do', () => {
    const facts = on({ init: 'none', busybox: true });
    let err: unknown;
    try {
      planHost('router_a', tasks(), facts);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RefusedError);
    expect((err as RefusedError).message).toMatch(/^router_a: .*teql\.yml:\d+:\d+: task ".*": persist: the router runs neither systemd nor OpenRC, and ifupdown brings up none of .* at boot \(an iface stanza named by an auto line in \/etc\/network\/interfaces\)/);
    expect((err as RefusedError).hint).toMatch(/leave persist off/);
  });

  it('with auto lines but no boot script that runs `ifup -a`: refused before any change, the hook would never run', () => {
    const refused = (() => { try { planHost('router_a', tasks(), on({ init: 'none', ifupdown: ['eth1', 'eth2'], ifupAtBoot: false, busybox: true })); } catch (e) { return e as RefusedError; } return undefined; })();
    expect(refused).toBeInstanceOf(RefusedError);
    expect(refused!.message).toMatch(/persist: the router runs neither systemd nor OpenRC, and no boot script runs `ifup -a` \(none of \/etc\/inittab, .*\), so ifupdown's hook for eth1, eth2 would never run at boot/);
    expect(refused!.hint).toMatch(/^have the boot run `ifup -a`/);
    // Found, or not known (facts of an older teqlctl): the hook, as before.
    for (const ifupAtBoot of [true, undefined]) {
      expect(Object.keys(files(converge(on({ init: 'none', ifupdown: ['eth1', 'eth2'], busybox: true, ...(ifupAtBoot === undefined ? {} : { ifupAtBoot }) }))))).toContain('/etc/network/if-up.d/teqlctl');
    }
  });

  it('with auto lines and ifup -a at boot but no run-parts (a BusyBox built without it): refused before any change, ifupdown runs no hook (a review)', () => {
    const refused = (() => { try { planHost('router_a', tasks(), on({ init: 'none', ifupdown: ['eth1', 'eth2'], ifupAtBoot: true, runParts: false, busybox: true })); } catch (e) { return e as RefusedError; } return undefined; })();
    expect(refused).toBeInstanceOf(RefusedError);
    expect(refused!.message).toMatch(/persist: the router runs neither systemd nor OpenRC, and ifupdown runs its if-up.d hooks through run-parts, which the router lacks: teqlctl's hook for eth1, eth2 would never run at boot/);
    expect(refused!.hint).toMatch(/^install run-parts/);
    for (const runParts of [true, undefined]) {
      expect(Object.keys(files(converge(on({ init: 'none', ifupdown: ['eth1', 'eth2'], ifupAtBoot: true, busybox: true, ...(runParts === undefined ? {} : { runParts }) }))))).toContain('/etc/network/if-up.d/teqlctl');
    }
  });

  it('with the run records on a tmpfs (systemd or not): refused before any change, as the boot script would apply an unconfirmed run', () => {
    for (const boot of [{ init: 'systemd' as const }, { init: 'none' as const, ifupdown: ['eth1', 'eth2'] }]) {
      const err = (() => {
        try {
          planHost('router_a', tasks(), on({ ...boot, volatile: { '/var/lib/teqlctl/runs': 'tmpfs' } }));
        } catch (e) {
          return e as RefusedError;
        }
        return undefined;
      })();
      expect(err).toBeInstanceOf(RefusedError);
      expect(err!.message).toMatch(/persist: \/var\/lib\/teqlctl\/runs is on tmpfs, which a reboot empties: the boot script would not find an unconfirmed run to revert, and would apply its configuration/);
      expect(err!.hint).toMatch(/^keep \/var\/lib\/teqlctl\/runs on persistent storage .* or leave persist off for this host$/);
    }
    expect(() => planHost('router_a', tasks([]), on({ init: 'systemd', volatile: { '/var/lib/teqlctl/runs': 'tmpfs' } }))).not.toThrow();
    // With nothing to run the boot script either: both said, so that one fix is not followed by another refusal.
    const both = (() => { try { planHost('router_a', tasks(), on({ init: 'none', volatile: { '/var/lib/teqlctl/runs': 'rootfs' } })); } catch (e) { return e as RefusedError; } return undefined; })();
    expect(both!.message).toMatch(/persist: \/var\/lib\/teqlctl\/runs is on rootfs, which a reboot empties: .*; and the router runs neither systemd nor OpenRC/);
  });

  it('without persist, the same router plans as any other', () => {
    expect(() => planHost('router_a', tasks([]), on({ init: 'none', busybox: true }))).not.toThrow();
  });
});
