// The boot configuration: which files, what they say, per way the router configures its links.
import { describe, expect, it } from 'vitest';
import { loadRun } from '../../../src/load/index.js';
import { planHost } from '../../../src/plan/plan-host.js';
import { simulateAll } from '../../../src/plan/simulate.js';
import { diffState } from '../../../src/rollback/compare.js';
import { deviceUnit, systemdEscape } from '../../../src/plan/persist/systemd-unit.js';
import { pristineFacts, task } from '../../helpers/facts.js';
import { bootModel } from '../../../src/plan/persist/boot-model.js';
import { bootScript } from '../../../src/plan/persist/boot-script.js';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { routeArgs } from '../../../src/load/module-schemas.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BootFileFact, Facts } from '../../../src/gather/facts.js';
import type { HostPlan } from '../../../src/plan/types.js';
import type { TaskInstance } from '../../../src/load/types.js';

const tasks = (extra: string[] = ['teql_persist=true']) => loadRun('inventories/example.yml', 'playbooks/teql.yml', { extraVars: extra }).plays[0]!.tasks.get('router_a')!;
const ops = (p: HostPlan) => p.phases.flatMap((ph) => ph.changes.flatMap((c) => c.steps.map((s) => s.op)));
const files = (f: Facts) => Object.fromEntries((f.boot?.files ?? []).map((b) => [b.path, b]));
const content = (f: Facts, path: string) => files(f)[path]?.content ?? '';

function converge(facts: Facts, t: TaskInstance[] = tasks()) {
  const { plan, expected } = planHost('router_a', t, facts);
  return { plan, expected, after: simulateAll(facts, ops(plan)) };
}

describe('persist: true', () => {
  it('writes the boot configuration in a last phase of its own, after every check', () => {
    const { plan } = converge(pristineFacts());
    const last = plan.phases[plan.phases.length - 1]!;
    expect(plan.phases.length).toBe(2);
    expect(plan.phases[0]!.checks.length).toBeGreaterThan(0);
    expect(last.checks).toEqual([]);
    expect(last.changes.map((c) => `${c.action} ${c.resource}`)).toEqual([
      // The script first, then what starts it: undone newest first, the script goes last.
      '+ boot file /etc/teqlctl/boot.sh',
      '+ boot file /etc/systemd/system/teqlctl-boot.service',
      '+ boot file /etc/systemd/system/multi-user.target.wants/teqlctl-boot.service',
    ]);
  });

  it('boots into what the run verified: module, sysctls (the all-rule included), links, equalizer, addresses, route', () => {
    const { after } = converge(pristineFacts());
    // The script's own, after its revert: no file that the init reads before the script runs.
    const sysctl = content(after, '/etc/teqlctl/boot.sh').split('\n').filter((l) => l.startsWith('run setsys '));
    expect(sysctl[0]).toBe('run setsys /proc/sys/net/ipv4/conf/all/rp_filter 0');
    expect(sysctl).toEqual(expect.arrayContaining(['run setsys /proc/sys/net/ipv4/conf/eth1/rp_filter 0', 'run setsys /proc/sys/net/ipv4/conf/eth2/rp_filter 0', 'run setsys /proc/sys/net/ipv4/conf/eth0/rp_filter 2', 'run setsys /proc/sys/net/ipv4/conf/lo/rp_filter 2']));
    const script = content(after, '/etc/teqlctl/boot.sh').split('\n').filter((l) => /^(run|retry|tq_join) /.test(l) && !l.startsWith('run setsys '));
    expect(script).toEqual([
      'run modprobe sch_teql',
      'run ip link set dev eth1 up',
      'run ip link set dev eth2 up',
      'tq_join eth1 teql0',
      'tq_join eth2 teql0',
      'retry ip link set dev teql0 up',
      'run ip address replace 10.0.0.0/31 dev eth1',
      'run ip address replace 10.0.0.2/31 dev eth2',
      'run ip address replace 10.0.0.4/31 dev teql0',
      'run ip route replace 198.51.100.0/24 via 10.0.0.5 dev teql0 metric 0',
    ]);
    expect(files(after)['/etc/teqlctl/boot.sh']!.executable).toBe(true);
    const unit = content(after, '/etc/systemd/system/teqlctl-boot.service');
    expect(unit).toContain('ExecStart=/etc/teqlctl/boot.sh');
    // Retried when a slave's qdisc comes late, but not forever.
    expect(unit).toMatch(/StartLimitIntervalSec=300\nStartLimitBurst=5\n[\s\S]*Restart=on-failure\nRestartSec=10\n/);
    expect(unit).toContain('After=network-pre.target systemd-modules-load.service systemd-sysctl.service sys-subsystem-net-devices-eth1.device sys-subsystem-net-devices-eth2.device');
    expect(files(after)['/etc/systemd/system/multi-user.target.wants/teqlctl-boot.service']!.symlink).toBe('/etc/systemd/system/teqlctl-boot.service');
  });

  it('changes nothing the second time, and its rollback removes every file', () => {
    const before = pristineFacts();
    const { plan, after } = converge(before);
    expect(planHost('router_a', tasks(), after).plan.phases.flatMap((p) => p.changes)).toEqual([]);
    const undo = plan.phases.flatMap((ph) => ph.changes.flatMap((c) => c.steps)).reverse().flatMap((s) => s.undo);
    expect(diffState(before, simulateAll(after, undo))).toEqual({ missing: [], extra: [] });
  });

  it('rewrites only the file that differs, shows its lines in --diff, and restores the edit on rollback', () => {
    const { after } = converge(pristineFacts());
    const edited = structuredClone(after);
    const script = edited.boot!.files.find((f) => f.path === '/etc/teqlctl/boot.sh')!;
    script.content = script.content!.replace('run ip link set dev eth2 up\n', '');
    const { plan } = planHost('router_a', tasks(), edited);
    const changes = plan.phases.flatMap((p) => p.changes);
    expect(changes.map((c) => `${c.action} ${c.resource}`)).toEqual(['~ boot file /etc/teqlctl/boot.sh']);
    expect(changes[0]!.detail).toEqual(['+ run ip link set dev eth2 up']);
    expect(changes[0]!.steps[0]!.undo).toEqual([{ kind: 'file-write', path: '/etc/teqlctl/boot.sh', content: script.content, executable: true }]);
  });

  it('leaves the boot files alone when the play does not persist', () => {
    const { after } = converge(pristineFacts());
    const { plan } = planHost('router_a', tasks([]), after);
    expect(plan.phases.flatMap((p) => p.changes)).toEqual([]);
  });

  it('hands interfaces that systemd-networkd manages to networkd, through drop-ins of their .network files', () => {
    const facts: Facts = { ...pristineFacts(), boot: { files: [], networkd: { eth1: '/run/systemd/network/30-eth1.network', eth2: '/etc/systemd/network/30-eth2.network' }, ifupdown: [] } };
    const { after, plan } = converge(facts);
    // The drop-ins last: networkd applies them at boot by itself, so the script that reverts an
    // unconfirmed run is there before them, and an undo cut half-way still finds it.
    expect(plan.phases[plan.phases.length - 1]!.changes.map((c) => c.resource.replace('boot file ', ''))).toEqual([
      '/etc/teqlctl/boot.sh',
      '/etc/systemd/system/teqlctl-boot.service',
      '/etc/systemd/system/multi-user.target.wants/teqlctl-boot.service',
      '/etc/systemd/network/30-eth1.network.d/60-teqlctl.conf',
      '/etc/systemd/network/30-eth2.network.d/60-teqlctl.conf',
    ]);
    const dropIn = content(after, '/etc/systemd/network/30-eth1.network.d/60-teqlctl.conf');
    expect(dropIn).toContain('[Network]\nAddress=10.0.0.0/31\n');
    expect(dropIn).toContain('[TrivialLinkEqualizer]\nId=0\n');
    expect(content(after, '/etc/systemd/network/30-eth2.network.d/60-teqlctl.conf')).toContain('Address=10.0.0.2/31');
    const script = content(after, '/etc/teqlctl/boot.sh');
    expect(script).not.toMatch(/dev eth[12]\b/);
    expect(script).toContain('retry ip link set dev teql0 up');
    expect(content(after, '/etc/systemd/system/teqlctl-boot.service')).toContain('systemd-networkd.service');
  });

  it("a networkd before 252 (Debian 11, Ubuntu 22.04) fails a link whose teql qdisc it sets before sch_teql is loaded: the boot script makes the slaves, the drop-ins keep the addresses", () => {
    const networkd = { eth1: '/run/systemd/network/30-eth1.network', eth2: '/etc/systemd/network/30-eth2.network' };
    const { after } = converge({ ...pristineFacts(), boot: { files: [], networkd, networkdVersion: 249, ifupdown: [] } });
    const dropIn = content(after, '/etc/systemd/network/30-eth1.network.d/60-teqlctl.conf');
    expect(dropIn).toContain('[Network]\nAddress=10.0.0.0/31\n');
    expect(dropIn).not.toContain('TrivialLinkEqualizer');
    const script = content(after, '/etc/teqlctl/boot.sh');
    expect(script).toMatch(/\ntq_join eth1 teql0\n/);
    expect(script).toMatch(/\ntq_join eth2 teql0\n/);
    expect(script).not.toMatch(/addr.* dev eth[12]\b/);
    // 252 and later wait for the equalizer themselves: as above.
    const { after: newer } = converge({ ...pristineFacts(), boot: { files: [], networkd, networkdVersion: 252, ifupdown: [] } });
    expect(content(newer, '/etc/systemd/network/30-eth1.network.d/60-teqlctl.conf')).toContain('[TrivialLinkEqualizer]\nId=0\n');
  });

  it('adds an if-up.d hook where ifupdown declares the links', () => {
    const facts: Facts = { ...pristineFacts(), boot: { files: [], networkd: {}, ifupdown: ['lo', 'eth0', 'eth1', 'eth2'] } };
    const { after } = converge(facts);
    const hook = files(after)['/etc/network/if-up.d/teqlctl'] as BootFileFact;
    expect(hook.executable).toBe(true);
    expect(hook.content).toContain('  eth1|eth2) /etc/teqlctl/boot.sh || echo "teqlctl: /etc/teqlctl/boot.sh failed (exit $?) for $IFACE: see above" >&2 ;;');
  });

  it('loads sch_teql with max_equalizers for several equalizers, over any number of links', () => {
    const facts = pristineFacts();
    for (const name of ['eth3', 'ens5']) {
      facts.links.push({ name, up: false, operstate: 'DOWN', mtu: 1500 });
      facts.rootQdiscs.push({ dev: name, kind: 'noop', handle: '0:', isDefault: true });
      facts.sysctls[`net.ipv4.conf.${name}.rp_filter`] = '2';
    }
    const t = [
      task({ module: 'teql', args: { device: 'teql0', slaves: ['eth1', 'eth2', 'eth3'], state: 'present', replace: false } }),
      task({ module: 'teql', args: { device: 'teql1', slaves: ['ens5'], state: 'present', replace: false } }),
      task({ module: 'address', args: { dev: 'teql1', address: '10.0.1.0/31', state: 'present' } }),
    ].map((x) => ({ ...x, persist: true }));
    const { plan, after } = converge(facts, t);
    expect(ops(plan)).toContainEqual({ kind: 'modprobe', module: 'sch_teql', maxEqualizers: 2 });
    expect(after.rootQdiscs.filter((q) => q.kind === 'teql0').map((q) => q.dev)).toEqual(['eth1', 'eth2', 'eth3']);
    expect(after.links.find((l) => l.name === 'teql1')!.up).toBe(true);
    expect(content(after, '/etc/teqlctl/boot.sh')).toContain('\nrun modprobe sch_teql max_equalizers=2\n');
    expect(content(after, '/etc/teqlctl/boot.sh')).toContain('retry ip link set dev teql1 up');
  });

  it('writes an interface name with a dot (a VLAN) in the slash form: its own /proc/sys path', () => {
    const facts = pristineFacts();
    facts.links.push({ name: 'eth1.100', up: false, operstate: 'DOWN', mtu: 1500 });
    facts.sysctls['net.ipv4.conf.eth1.100.rp_filter'] = '2';
    const t = [task({ module: 'sysctl', args: { name: 'net.ipv4.conf.eth1.100.rp_filter', value: '0', state: 'present' } })].map((x) => ({ ...x, persist: true }));
    expect(content(converge(facts, t).after, '/etc/teqlctl/boot.sh')).toContain('\nrun setsys /proc/sys/net/ipv4/conf/eth1.100/rp_filter 0\n');
  });

  it('refuses a networkd file shared with another interface: the drop-in would reach it too at boot', () => {
    const facts: Facts = { ...pristineFacts(), boot: { files: [], networkd: { eth0: '/etc/systemd/network/20-wired.network', eth1: '/etc/systemd/network/20-wired.network', eth2: '/etc/systemd/network/30-eth2.network' }, ifupdown: [] } };
    expect(() => planHost('router_a', tasks(), facts)).toThrow(/eth1 shares its systemd-networkd file \/etc\/systemd\/network\/20-wired.network with eth0/);
  });

  it('quotes interface names in the ifupdown hook: a name is never shell syntax', () => {
    const facts: Facts = { ...pristineFacts(), boot: { files: [], networkd: {}, ifupdown: ['e*)x;;'] } };
    facts.links.push({ name: 'e*)x;;', up: false, operstate: 'DOWN', mtu: 1500 });
    const t = [task({ module: 'link', args: { dev: 'e*)x;;', state: 'up' } })].map((x) => ({ ...x, persist: true }));
    expect(content(converge(facts, t).after, '/etc/network/if-up.d/teqlctl')).toContain("  'e*)x;;') /etc/teqlctl/boot.sh ||");
  });

  it('always has the script and its unit: at boot it reverts a run that was never confirmed, then starts over', () => {
    const t = [task({ module: 'sysctl', args: { name: 'net.ipv4.tcp_reordering', value: '30', state: 'present' } })].map((x) => ({ ...x, persist: true }));
    const facts = pristineFacts();
    facts.sysctls['net.ipv4.tcp_reordering'] = '3';
    const after = converge(facts, t).after;
    expect(Object.keys(files(after))).toEqual([
      '/etc/systemd/system/multi-user.target.wants/teqlctl-boot.service',
      '/etc/systemd/system/teqlctl-boot.service',
      '/etc/teqlctl/boot.sh',
    ]);
    const script = content(after, '/etc/teqlctl/boot.sh');
    expect(script).toContain("    pending|'')");
    expect(script).toContain('      /bin/sh "${s%/state}/revert.sh" boot;;');
    expect(script).toContain('      /bin/sh "${s%/state}/revert.sh" resume;;');
    // What the revert does at boot, run for real: test/plan/persist/boot-script.test.ts.
    expect(script.indexOf('reverted=1')).toBeLessThan(script.indexOf('exit $failed'));
    // Nothing of the run is set at boot before the revert: the module and sysctls follow it.
    expect(script.indexOf('reverted=1')).toBeLessThan(script.indexOf('run setsys /proc/sys/net/ipv4/tcp_reordering 30'));
  });

  it('removes the modules-load.d, modprobe.d and sysctl.d files of an earlier teqlctl: their values would be set at boot before a cut run is reverted', () => {
    const { after: current } = converge(pristineFacts(), tasks(['teql_persist=true']));
    const older = structuredClone(current);
    const header = '# Written by teqlctl. teqlctl rewrites or removes this file: change the playbook instead.\n';
    older.boot!.files.push(
      { path: '/etc/modules-load.d/teqlctl.conf', content: `${header}sch_teql\n`, executable: false },
      { path: '/etc/sysctl.d/99-teqlctl.conf', content: `${header}net/ipv4/conf/all/rp_filter = 0\n`, executable: false },
    );
    const { plan, after } = converge(older);
    expect(plan.phases.flatMap((p) => p.changes).map((c) => `${c.action} ${c.resource}`).sort()).toEqual([
      '- boot file /etc/modules-load.d/teqlctl.conf',
      '- boot file /etc/sysctl.d/99-teqlctl.conf',
    ]);
    expect(Object.keys(files(after)).filter((f) => !f.startsWith('/etc/teqlctl/') && !f.startsWith('/etc/systemd/'))).toEqual([]);
  });

  it('escapes interface names in device unit names as systemd-escape does', () => {
    expect(systemdEscape('enp0s3')).toBe('enp0s3');
    expect(systemdEscape('eth-1')).toBe('eth\\x2d1');
    // As `systemd-escape --path /sys/subsystem/net/devices/.lan` gives it: a leading dot kept inside a path.
    expect(deviceUnit('.lan')).toBe('sys-subsystem-net-devices-.lan.device');
    expect(deviceUnit('br-lan.5')).toBe('sys-subsystem-net-devices-br\\x2dlan.5.device');
  });

  it('writes no Restart= into the unit for a systemd before 244, which refuses the whole unit with it (Debian 10, RHEL 8: a review)', () => {
    const unit = (version?: number) => {
      const facts = pristineFacts();
      if (version !== undefined) facts.boot = { files: [], networkd: {}, ifupdown: [], ...facts.boot, networkdVersion: version };
      return content(converge(facts).after, '/etc/systemd/system/teqlctl-boot.service');
    };
    expect(unit(241)).toContain('Type=oneshot');
    expect(unit(241)).not.toMatch(/Restart=|StartLimit/);
    for (const v of [244, 252, undefined]) expect(unit(v)).toContain('Restart=on-failure\nRestartSec=10');
  });

  it('boots a route written 0.0.0.0/0 as one written default: over the device the run verified (a review)', () => {
    // As the loader reads a route task written `to: 0.0.0.0/0`.
    const zero = tasks().map((t) => (t.module === 'route' ? { ...t, args: routeArgs.parse({ ...t.args, to: '0.0.0.0/0' }) } : t));
    expect(zero.filter((t) => t.module === 'route').map((t) => t.args)).toContainEqual(expect.objectContaining({ to: 'default', via: '10.0.0.5' }));
    const script = content(converge(pristineFacts(), zero).after, '/etc/teqlctl/boot.sh');
    expect(script).toContain('\nrun ip route replace default via 10.0.0.5 dev teql0 metric 0\n');
  });

  it('joins a slave to an equalizer already up by taking the equalizer down first (the kernel refuses an unlike slave then), and leaves one joined alone (a review)', () => {
    const script = content(converge(pristineFacts()).after, '/etc/teqlctl/boot.sh').split('\n');
    const fns = script.filter((l) => /^(run|tq_join)\(\)/.test(l)).join('\n');
    const stubs = [
      'ip() { case "$*" in "link show dev teql0") echo "7: teql0: <POINTOPOINT,NOARP,UP,LOWER_UP> mtu 1500";; *) echo "ip $*";; esac; }',
      'tc() { case "$*" in "qdisc show dev eth1") echo "qdisc teql0 8001: root refcnt 2";; "qdisc show dev eth2") echo "qdisc pfifo_fast 0: root refcnt 2";; *) echo "tc $*";; esac; }',
    ].join('\n');
    for (const shell of [['dash'], ['busybox', 'sh']]) {
      const out = execFileSync(shell[0]!, [...shell.slice(1), '-c', `failed=0\n${fns}\n${stubs}\ntq_join eth1 teql0; tq_join eth2 teql0; echo failed=$failed`], { encoding: 'utf8' });
      expect(out.split('\n')).toEqual(['tc qdisc replace dev eth1 root teql0', 'ip link set dev teql0 down', 'tc qdisc replace dev eth2 root teql0', 'failed=0', '']);
    }
  });

  it("an ifupdown hook whose boot script failed (a slave not there yet) does not fail ifup of its interface (a review)", () => {
    const facts = { ...pristineFacts(), boot: { files: [], networkd: {}, ifupdown: ['eth1', 'eth2'], init: 'none' as const, ifupBoot: true, runParts: true } };
    const hook = content(converge(facts).after, '/etc/network/if-up.d/teqlctl');
    const dir = mkdtempSync(join(tmpdir(), 'teqlctl-hook-'));
    writeFileSync(join(dir, 'boot.sh'), '#!/bin/sh\necho "teqlctl boot: failed: ip link set dev eth2 up" >&2\nexit 1\n', { mode: 0o755 });
    const r = spawnSync('dash', ['-c', hook.replaceAll('/etc/teqlctl/boot.sh', join(dir, 'boot.sh'))], { encoding: 'utf8', env: { ...process.env, IFACE: 'eth1' } });
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(`teqlctl: ${join(dir, 'boot.sh')} failed (exit 1) for eth1: see above`);
  });

  it("writes a sysctl's value at boot as it is, backslashes too (dash's echo cut a core_pattern at \\c: a review)", () => {
    const dir = mkdtempSync(join(tmpdir(), 'teqlctl-setsys-'));
    const setsys = bootScript(bootModel('a', [{ ...task({ module: 'sysctl', args: { name: 'kernel.core_pattern', value: 'x', state: 'present' } }), persist: true }], pristineFacts()), new Set()).split('\n').find((l) => l.startsWith('setsys()'))!;
    const value = '/var/crash/%e\\c.%p\\t\\\\';
    writeFileSync(join(dir, 'v'), '');
    execFileSync('dash', ['-c', `${setsys}\nsetsys "$1" "$2"`, 'sh', join(dir, 'v'), value]);
    expect(readFileSync(join(dir, 'v'), 'utf8')).toBe(`${value}\n`);
  });
});
