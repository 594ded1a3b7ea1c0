// The files of a host's boot configuration: modules, sysctls, the boot script and its unit, plus
// an ifupdown hook and networkd drop-ins where those manage the interfaces. Empty model, no files.
import type { BootFileFact, Facts } from '../../gather/facts.js';
import {
  BOOT_SCRIPT, BOOT_UNIT, BOOT_UNIT_WANTS, IFUP_HOOK, MODPROBE_OPTIONS, MODULES_LOAD, OPENRC_LOCAL_START, SYSCTL_FILE, networkdDropIn as dropInPath,
} from '../../router/paths.js';
import { bootDevices, type BootModel } from './boot-model.js';
import { sysctlPath } from '../../router/sysctl-path.js';
import { bootScript, ifupHook } from './boot-script.js';
import { bootUnit } from './systemd-unit.js';
import { networkdDropIn } from './networkd-dropin.js';
import type { BootMechanism } from './boot-mechanism.js';

const HEADER = '# Written by teqlctl. teqlctl rewrites or removes this file: change the playbook instead.';

function file(path: string, lines: string[], executable = false): BootFileFact {
  return { path, content: [HEADER, ...lines, ''].join('\n'), executable };
}

/** What the host's boot files are written for; `none` is refused by planPersist before this runs. */
export function bootFiles(model: BootModel, facts: Facts, mechanism: BootMechanism): BootFileFact[] {
  if (model.steps.length === 0 && model.sysctls.length === 0 && !model.teql) return [];
  const files: BootFileFact[] = [];
  if (mechanism.kind === 'ifupdown') {
    // No systemd or OpenRC reads modules-load.d or sysctl.d here: the script does it itself.
    files.push({ path: BOOT_SCRIPT, content: bootScript(model, new Set(), { inline: true }), executable: true });
    files.push({ path: IFUP_HOOK, content: ifupHook(mechanism.devices), executable: true });
    return files.sort((a, b) => a.path.localeCompare(b.path));
  }
  if (model.teql) {
    files.push(file(MODULES_LOAD, ['sch_teql']));
    if (model.teql.maxEqualizers > 1) files.push(file(MODPROBE_OPTIONS, [`options sch_teql max_equalizers=${model.teql.maxEqualizers}`]));
  }
  // The slash form: in sysctl.d a dot is a separator, so an interface named eth0.100 needs it.
  if (model.sysctls.length > 0) files.push(file(SYSCTL_FILE, model.sysctls.map(([k, v]) => `${sysctlPath(k).slice('/proc/sys/'.length)} = ${v}`)));

  const devices = bootDevices(model);
  const networkd = facts.boot?.networkd ?? {};
  const managed = devices.filter((d) => networkd[d] !== undefined);
  for (const dev of managed) files.push({ path: dropInPath(networkd[dev]!), content: networkdDropIn(model, dev), executable: false });

  // Always, even for sysctls alone: the script is also what reverts an unconfirmed run at boot.
  {
    files.push({ path: BOOT_SCRIPT, content: bootScript(model, new Set(managed)), executable: true });
    if (mechanism.kind === 'openrc') {
      files.push({ path: OPENRC_LOCAL_START, content: ['#!/bin/sh', HEADER, `exec ${BOOT_SCRIPT}`, ''].join('\n'), executable: true });
    } else {
      const teqls = [...new Set(model.steps.flatMap((s) => (s.kind === 'teql-up' ? [s.dev] : [])))];
      const summary = teqls.length > 0 ? `TEQL load sharing (${teqls.join(', ')})` : 'interface configuration';
      files.push({ path: BOOT_UNIT, content: bootUnit(summary, devices, managed.length > 0), executable: false });
      files.push({ path: BOOT_UNIT_WANTS, symlink: BOOT_UNIT });
    }
    const ifupdown = devices.filter((d) => facts.boot?.ifupdown.includes(d) && !managed.includes(d));
    if (ifupdown.length > 0) files.push({ path: IFUP_HOOK, content: ifupHook(ifupdown), executable: true });
  }
  return files.sort((a, b) => a.path.localeCompare(b.path));
}
