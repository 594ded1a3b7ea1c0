// The files of a host's boot configuration: modules, sysctls, the boot script and its unit, plus
// an ifupdown hook and networkd drop-ins where those manage the interfaces. Empty model, no files.
import type { BootFileFact, Facts } from '../../gather/facts.js';
import {
  BOOT_SCRIPT, BOOT_UNIT, BOOT_UNIT_WANTS, IFUP_HOOK, OPENRC_LOCAL_START, networkdDropIn as dropInPath,
} from '../../router/paths.js';
import { bootDevices, type BootModel } from './boot-model.js';
import { bootScript, ifupHook } from './boot-script.js';
import { bootUnit } from './systemd-unit.js';
import { networkdDropIn } from './networkd-dropin.js';
import type { BootMechanism } from './boot-mechanism.js';

const HEADER = '# Written by teqlctl. teqlctl rewrites or removes this file: change the playbook instead.';

/**
 * The order the files are written in: the boot script, then what starts it, then what the network
 * manager applies at boot by itself (networkd's drop-ins). Undone newest first, the script goes
 * last. Sorted by path, a first persisting run wrote the drop-ins first and the script last, and
 * its undo removed the script first: a restart in between booted the run's drop-ins with no script
 * to revert them, the run pending for good (a review).
 */
const RANK = new Map<string, number>([[BOOT_SCRIPT, 0], [OPENRC_LOCAL_START, 1], [BOOT_UNIT, 1], [BOOT_UNIT_WANTS, 2], [IFUP_HOOK, 3]]);
const inWriteOrder = (files: BootFileFact[]): BootFileFact[] => files.sort((a, b) => (RANK.get(a.path) ?? 4) - (RANK.get(b.path) ?? 4) || a.path.localeCompare(b.path));

/** What the host's boot files are written for; `none` is refused by planPersist before this runs. */
export function bootFiles(model: BootModel, facts: Facts, mechanism: BootMechanism): BootFileFact[] {
  if (model.steps.length === 0 && model.sysctls.length === 0 && !model.teql) return [];
  const files: BootFileFact[] = [];
  // The module and the sysctls are the script's own, after its revert of a run a reboot cut, for
  // every init: written to modules-load.d and sysctl.d, an unconfirmed run's values were applied
  // at boot before the script reverted the run (the revert then removed the files, not what the
  // kernel already held), and a confirmed run's values that the revert wrote back came too late
  // for that boot (a review). An earlier teqlctl's files there are removed by the next run.
  if (mechanism.kind === 'ifupdown') {
    files.push({ path: BOOT_SCRIPT, content: bootScript(model, new Set()), executable: true });
    files.push({ path: IFUP_HOOK, content: ifupHook(mechanism.devices), executable: true });
    return inWriteOrder(files);
  }

  const devices = bootDevices(model);
  const networkd = facts.boot?.networkd ?? {};
  const managed = devices.filter((d) => networkd[d] !== undefined);
  // networkd before 252 sets a [TrivialLinkEqualizer] qdisc as soon as the link appears, fails the
  // link while sch_teql is not loaded (the boot script loads it, after networkd) and never tries
  // again: there the boot script makes the slaves itself, and the drop-ins keep the rest.
  const oldNetworkd = facts.boot?.networkdVersion !== undefined && facts.boot.networkdVersion < 252;
  for (const dev of managed) files.push({ path: dropInPath(networkd[dev]!), content: networkdDropIn(model, dev, !oldNetworkd), executable: false });

  // Always, even for sysctls alone: the script is also what reverts an unconfirmed run at boot.
  {
    files.push({ path: BOOT_SCRIPT, content: bootScript(model, new Set(managed), oldNetworkd ? new Set(managed) : undefined), executable: true });
    if (mechanism.kind === 'openrc') {
      files.push({ path: OPENRC_LOCAL_START, content: ['#!/bin/sh', HEADER, `exec ${BOOT_SCRIPT}`, ''].join('\n'), executable: true });
    } else {
      const teqls = [...new Set(model.steps.flatMap((s) => (s.kind === 'teql-up' ? [s.dev] : [])))];
      const summary = teqls.length > 0 ? `TEQL load sharing (${teqls.join(', ')})` : 'interface configuration';
      const systemd = facts.boot?.networkdVersion;
      files.push({ path: BOOT_UNIT, content: bootUnit(summary, devices, managed.length > 0, systemd === undefined || systemd >= 244), executable: false });
      files.push({ path: BOOT_UNIT_WANTS, symlink: BOOT_UNIT });
    }
    const ifupdown = devices.filter((d) => facts.boot?.ifupdown.includes(d) && !managed.includes(d));
    if (ifupdown.length > 0) files.push({ path: IFUP_HOOK, content: ifupHook(ifupdown), executable: true });
  }
  return inWriteOrder(files);
}
