// The boot configuration's changes: wanted files against the files on the router, each write or
// removal with its inverse (the old content back, or the file gone), like every other change.
import type { BootFileFact, Facts } from '../../gather/facts.js';
import type { TaskInstance } from '../../load/types.js';
import { BOOT_SCRIPT, BOOT_UNIT } from '../../router/paths.js';
import type { Op, PlannedStep } from '../ops.js';
import { simulateAll } from '../simulate.js';
import type { Change } from '../types.js';
import { bootDevices, bootModel, type BootModel } from './boot-model.js';
import { RefusedError } from '../../errors.js';
import { bootFiles } from './boot-files.js';
import { bootMechanism, type BootMechanism } from './boot-mechanism.js';
import { fileDiff } from './file-diff.js';
import { isRetiring, retiringScript, startersOf } from './retiring-script.js';

function writeOp(f: BootFileFact): Op {
  return f.symlink !== undefined
    ? { kind: 'symlink', path: f.path, target: f.symlink }
    : { kind: 'file-write', path: f.path, content: f.content ?? '', executable: f.executable ?? false };
}

function same(a: BootFileFact, b: BootFileFact): boolean {
  return a.symlink === b.symlink && a.content === b.content && (a.symlink !== undefined || (a.executable ?? false) === (b.executable ?? false));
}

function describe(f: BootFileFact | undefined): string | null {
  if (!f) return null;
  if (f.symlink !== undefined) return `symlink to ${f.symlink}`;
  const lines = (f.content ?? '').split('\n').filter(Boolean).length;
  return `${lines} line(s)${f.executable ? ', executable' : ''}`;
}

/**
 * Plans the boot configuration when any task of the play persists (teardown's `state: absent`
 * tasks included: then nothing is wanted and teqlctl's files are removed). `expected` are the facts
 * once the run-time changes are applied.
 */
export function planPersist(host: string, tasks: readonly TaskInstance[], expected: Facts, task: { name: string; pos: TaskInstance['pos'] }): { changes: Change[]; facts: Facts } {
  if (!tasks.some((t) => t.persist)) return { changes: [], facts: expected };
  const model = bootModel(host, tasks, expected);
  refuseSharedNetworkFiles(host, model, expected, task);
  refuseStaticStanzas(host, model, expected, task);
  const wanted = bootFiles(model, expected, chooseMechanism(host, model, expected, task));
  const have = expected.boot?.files ?? [];
  const changes: Change[] = [];
  const step = (op: Op, undo: Op[]): PlannedStep => ({ op, undo });
  const reloadAfter = (path: string, steps: PlannedStep[]): PlannedStep[] =>
    path === BOOT_UNIT ? [...steps.map((s) => ({ ...s, undo: [...s.undo, { kind: 'systemd-reload' as const }] })), step({ kind: 'systemd-reload' }, [])] : steps;
  // A teardown keeps the boot script (reduced to reverting pending runs) and what starts it until
  // its run is confirmed (retiring-script.ts); planned again after its apply, they are its own.
  const kept = wanted.length === 0 ? keptUntilConfirmed(host, have, task) : { changes: [], paths: [] };
  changes.push(...kept.changes);

  for (const want of wanted) {
    const old = have.find((f) => f.path === want.path);
    if (old && same(old, want)) continue;
    const undo: Op[] = old ? [writeOp(old)] : [{ kind: 'file-remove', path: want.path }];
    changes.push({
      action: old ? '~' : '+',
      resource: `boot file ${want.path}`,
      before: describe(old),
      after: describe(want),
      steps: reloadAfter(want.path, [step(writeOp(want), undo)]),
      detail: fileDiff(old, want),
      task: task.name,
      pos: task.pos,
    });
  }
  // Removed in reverse path order (the script, the unit and its reload, then the enablement link).
  for (const old of [...have].reverse()) {
    if (wanted.some((f) => f.path === old.path) || kept.paths.includes(old.path)) continue;
    changes.push({
      action: '-',
      resource: `boot file ${old.path}`,
      before: describe(old),
      after: null,
      steps: reloadAfter(old.path, [step({ kind: 'file-remove', path: old.path }, [writeOp(old)])]),
      detail: fileDiff(old, undefined),
      task: task.name,
      pos: task.pos,
    });
  }
  return { changes, facts: simulateAll(expected, changes.flatMap((c) => c.steps.map((s) => s.op))) };
}

/**
 * A teardown's boot script and its starters: each planned as removed (its undo writes it back),
 * applied as the retiring script and the starters as they are, removed by the confirmation.
 */
function keptUntilConfirmed(host: string, have: readonly BootFileFact[], task: { name: string; pos: TaskInstance['pos'] }): { changes: Change[]; paths: string[] } {
  const script = have.find((f) => f.path === BOOT_SCRIPT);
  if (!script) return { changes: [], paths: [] };
  const starters = startersOf(have);
  const paths = [BOOT_SCRIPT, ...starters];
  // Already retiring (this run's apply, read again): nothing more to do before the confirmation.
  if (isRetiring(script)) return { changes: [], paths };
  const note = 'removed once the run is confirmed: until then, a restart runs the boot script, which reverts this run';
  const changes = paths.map((path): Change => {
    const old = have.find((f) => f.path === path)!;
    const now: BootFileFact = path === BOOT_SCRIPT ? { path, content: retiringScript(host, starters), executable: true } : old;
    return {
      action: '-',
      resource: `boot file ${path}`,
      before: describe(old),
      after: null,
      // No reload in the undo: a starter is written back as it is (the boot reads it fresh), and
      // a reload from a revert at boot, inside the boot unit, could hold the boot up (a review).
      steps: [{ op: writeOp(now), undo: [writeOp(old)] }],
      detail: [...fileDiff(old, undefined), `(${note})`],
      task: task.name,
      pos: task.pos,
    };
  });
  return { changes, paths };
}

/** Where the boot files go; refused, before any change, where nothing would run them at boot. */
function chooseMechanism(host: string, model: BootModel, facts: Facts, task: { name: string; pos: TaskInstance['pos'] }): BootMechanism {
  const empty = model.steps.length === 0 && model.sysctls.length === 0 && !model.teql;
  const mechanism = bootMechanism(facts, bootDevices(model));
  if (mechanism.kind !== 'none') return mechanism;
  // Teardown wants nothing at boot: removing teqlctl's files needs no boot mechanism.
  if (empty) return { kind: 'systemd' };
  throw new RefusedError(`${host}: ${task.pos.file}:${task.pos.line}:${task.pos.col}: task "${task.name}": persist: ${mechanism.why}`, mechanism.hint);
}

/**
 * An address the boot script sets on an interface ifupdown declares `inet static`: the hook runs the
 * script at the first interface's ifup, and a later one's `ip addr add` then meets its address
 * (File exists), which fails that ifup, its `up` lines and hooks, and networking.service at every
 * boot (or adds a second address where the stanza's differs: a review, 2026-12-07). On one declared
 * `inet dhcp`, its ifup starts a DHCP client that flushes the link's addresses, the script's set at
 * the first interface's ifup (udhcpc's deconfig at its start, dhclient's FAIL where no server
 * answers on a link between two routers): the bundle lost them at every boot. Refused before
 * anything changes. networkd's interfaces are left to their drop-ins.
 */
function refuseStaticStanzas(host: string, model: BootModel, facts: Facts, task: { name: string; pos: TaskInstance['pos'] }): void {
  const networkd = facts.boot?.networkd ?? {};
  const addressed = new Set(model.steps.flatMap((s) => (s.kind === 'address' && networkd[s.dev] === undefined ? [s.dev] : [])));
  const where = (method: string, devs: readonly string[] = []) => [...new Set(devs)].filter((d) => addressed.has(d)).map((d) => `\`iface ${d} inet ${method}\``);
  const statics = where('static', facts.boot?.ifupdownStatic);
  const dhcp = where('dhcp', facts.boot?.ifupdownDhcp);
  const n = statics.length + dhcp.length;
  if (n === 0) return;
  const its = (k: number) => (k === 1 ? 'its address' : 'their addresses');
  const what = [
    ...(statics.length > 0 ? [`${statics.join(', ')}, and the boot script sets ${its(statics.length)} too: at boot ifupdown's \`ip addr add\` would meet it (File exists) and fail that interface's ifup`] : []),
    ...(dhcp.length > 0 ? [`${dhcp.join(', ')}, and the boot script sets ${its(dhcp.length)}: at boot the DHCP client ifup starts there flushes the interface's addresses (udhcpc's deconfig; dhclient's failure where no server answers), the boot script's with them`] : []),
  ];
  throw new RefusedError(
    `${host}: ${task.pos.file}:${task.pos.line}:${task.pos.col}: task "${task.name}": /etc/network/interfaces declares ${what.join('; it declares ')}`,
    `declare ${n === 1 ? 'it' : 'them'} \`inet manual\` (teqlctl's boot script sets the address), or leave persist off for this host`,
  );
}

/**
 * A drop-in applies to every interface its .network file matches: on a file shared with another
 * interface (Name=eth*), the TEQL settings would reach that one too at the next boot, perhaps the
 * management interface. Refused before anything changes.
 */
function refuseSharedNetworkFiles(host: string, model: BootModel, facts: Facts, task: { name: string; pos: TaskInstance['pos'] }): void {
  const networkd = facts.boot?.networkd ?? {};
  for (const dev of bootDevices(model)) {
    const file = networkd[dev];
    if (file === undefined) continue;
    const others = Object.keys(networkd).filter((d) => d !== dev && networkd[d] === file);
    if (others.length > 0) {
      throw new RefusedError(
        `${host}: ${task.pos.file}:${task.pos.line}:${task.pos.col}: task "${task.name}": ${dev} shares its systemd-networkd file ${file} with ${others.join(', ')}: a drop-in for ${dev}'s TEQL settings would apply to ${others.length === 1 ? 'it' : 'them'} too at the next boot`,
        `give ${dev} a .network file of its own ([Match] Name=${dev}), or leave persist off for this host`,
      );
    }
  }
}
