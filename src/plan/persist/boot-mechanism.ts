// Pure: what will run teqlctl's boot script on this router, read off its facts. Persisting where
// nothing runs at boot would be a promise that is silently broken at the next reboot: refused.
import type { Facts } from '../../gather/facts.js';
import { RUNS_DIR } from '../../router/paths.js';

export type BootMechanism =
  /** A oneshot unit runs the script (which loads the module and sets the sysctls after its revert, as on every init). */
  | { kind: 'systemd' }
  /** /etc/local.d/teqlctl.start (OpenRC's `local` service) runs the script. */
  | { kind: 'openrc' }
  /** No init system teqlctl knows: ifupdown's (or BusyBox ifup's) if-up.d hook runs the script. */
  | { kind: 'ifupdown'; devices: string[] };

export type NoBootMechanism = { kind: 'none'; why: string; hint: string };

export function bootMechanism(facts: Facts, devices: readonly string[]): BootMechanism | NoBootMechanism {
  const runner = bootRunner(facts, devices);
  // Boot files in a folder a reboot empties are not there at boot; run records that are not are
  // worse: the boot script finds no unconfirmed run to revert, and applies its configuration.
  // Said with what else stands in the way, so that one fix is not followed by another refusal.
  const gone = Object.entries(facts.boot?.volatile ?? {});
  if (gone.length === 0) return runner;
  const why = `${gone.map(([p, t]) => `${p} is on ${t}`).join(' and ')}, which a reboot empties: ${gone.some(([p]) => p === RUNS_DIR) ? 'the boot script would not find an unconfirmed run to revert, and would apply its configuration' : 'the boot files would be gone at boot'}`;
  const hint = `keep ${gone.map(([p]) => p).join(' and ')} on persistent storage (a diskless Alpine: lbu include and commit), or leave persist off for this host`;
  return runner.kind === 'none' ? { kind: 'none', why: `${why}; and ${runner.why}`, hint: `${hint}; and ${runner.hint}` } : { kind: 'none', why, hint };
}

/** What would run the boot script at boot, whatever the file systems. */
function bootRunner(facts: Facts, devices: readonly string[]): BootMechanism | NoBootMechanism {
  const boot = facts.boot;
  const init = boot?.init ?? 'systemd';
  if (init === 'systemd') return { kind: 'systemd' };
  if (init === 'openrc') {
    if (boot?.openrcLocal) return { kind: 'openrc' };
    return {
      kind: 'none',
      why: "OpenRC's `local` service is not in the default runlevel, so /etc/local.d/teqlctl.start would never run",
      hint: 'enable it with `rc-update add local default`, then run again; or leave persist off for this host',
    };
  }
  const declared = devices.filter((d) => boot?.ifupdown.includes(d));
  // An auto line is a promise only if something at boot runs `ifup -a` (a custom rcS may not, a
  // disabled networking service does not): else the hook never runs, and a cut run stays pending.
  if (declared.length > 0 && boot?.ifupAtBoot === false) {
    return {
      kind: 'none',
      why: `the router runs neither systemd nor OpenRC, and no boot script runs \`ifup -a\` (none of /etc/inittab, /etc/init.d/rcS, /etc/init.d/S*, /etc/rcS.d/S*, /etc/rc2.d/S*, /etc/rc.local does), so ifupdown's hook for ${declared.join(', ')} would never run at boot`,
      hint: 'have the boot run `ifup -a` (a line in /etc/init.d/rcS, or the networking service enabled), or leave persist off for this host (its configuration then ends with the next reboot)',
    };
  }
  // ifupdown runs its hooks through run-parts: without it, none runs (a BusyBox built without it).
  if (declared.length > 0 && boot?.runParts === false) {
    return {
      kind: 'none',
      why: `the router runs neither systemd nor OpenRC, and ifupdown runs its if-up.d hooks through run-parts, which the router lacks: teqlctl's hook for ${declared.join(', ')} would never run at boot`,
      hint: 'install run-parts (debianutils, or a BusyBox built with it), or leave persist off for this host (its configuration then ends with the next reboot)',
    };
  }
  if (declared.length > 0) return { kind: 'ifupdown', devices: declared };
  return {
    kind: 'none',
    why: `the router runs neither systemd nor OpenRC, and ifupdown brings up none of ${devices.length > 0 ? devices.join(', ') : 'its interfaces'} at boot (an iface stanza named by an auto line in /etc/network/interfaces): nothing would run teqlctl's boot script, so the configuration would not come back after a reboot`,
    hint: 'declare the slave links in /etc/network/interfaces with an auto line and an iface stanza (ifupdown, or BusyBox ifup with its if-up.d hooks), or leave persist off for this host (its configuration then ends with the next reboot)',
  };
}
