// `lab reboot [ROUTER]`: the guest OS reboots in place. Same QEMU, same overlay: unlike `lab reset`,
// what the router wrote to its disk survives, as on a real router that restarts.
import { LabError } from '../errors.js';
import { consoleTail } from './console-log.js';
import { consoleSilenceMs, silenceTracker } from './console-silence.js';
import { log, seconds } from './log.js';
import { monitorCommand } from './monitor.js';
import { labPaths } from './paths.js';
import { runningPid } from './pidfile.js';
import { sshTarget, waitRouter } from './router.js';
import { runSsh } from './run-ssh.js';
import { requireTools } from './tools.js';
import { bootTimeoutMs, type LabRouter } from './topology.js';
import type { LabPaths } from './paths.js';

const BOOT_ID = 'cat /proc/sys/kernel/random/boot_id';
const REBOOT = 'if command -v systemctl >/dev/null 2>&1; then systemctl reboot --no-block; else reboot; fi';
// sshd answers before every boot job is done (teqlctl-boot.service, a oneshot, may still be putting
// the router back): "rebooted" is the boot finished, or 90 s, whichever first. BusyBox has no systemd.
const BOOTED = 'if command -v systemctl >/dev/null 2>&1; then timeout 90 systemctl is-system-running --wait; fi; true';

/**
 * Seconds a reboot may take before the lab resets the machine, as a router's hardware watchdog
 * would ($TEQLCTL_LAB_REBOOT_WATCHDOG, default 120; a reboot takes 25-50 s here). Under software
 * emulation a guest was seen to stop dead in its shutdown, mid-line on its console, and never
 * restart (CI, 2026-11-29, twice): a power cycle of a router that teqlctl's boot files and journal
 * must survive anyway, and never silent: it is logged with the console's last line.
 */
export function rebootWatchdogMs(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.TEQLCTL_LAB_REBOOT_WATCHDOG;
  return (raw && /^\d+$/.test(raw) ? Number(raw) : 120) * 1000;
}

const NEW_BOOT = (oldId: string) => ({ command: BOOT_ID, accept: (out: string) => out.trim() !== '' && out.trim() !== oldId, what: 'with a new boot id' });

/**
 * Waits for the new boot; past the watchdog, or once the console has been silent too long (a
 * frozen guest, see console-silence.ts), resets the machine through QEMU once and waits again.
 */
async function waitNewBoot(p: LabPaths, r: LabRouter, oldId: string): Promise<string> {
  const watchdog = Math.min(rebootWatchdogMs(), bootTimeoutMs());
  const silence = silenceTracker(p.consoleLog(r));
  const limit = consoleSilenceMs();
  const frozen = () => (silence() >= limit ? `its console silent for ${limit / 1000} s` : undefined);
  try {
    return await waitRouter(p, r, NEW_BOOT(oldId), watchdog, frozen);
  } catch (err) {
    if (!(err instanceof LabError) || runningPid(p.pidfile(r)) === undefined) throw err;
    const last = consoleTail(p.consoleLog(r), 1).trim();
    const why = frozen() ?? `no new boot ${watchdog / 1000} s after the reboot was asked`;
    log(`router ${r}: ${why} (console stops at: ${last || 'nothing'}); resetting it through QEMU (system_reset), as a hardware watchdog would`);
    await monitorCommand(p.monitor(r), 'system_reset');
    return waitRouter(p, r, NEW_BOOT(oldId));
  }
}

/** `powerCut`: the machine is reset through QEMU at once, as a power cut would: no shutdown runs. */
export async function labReboot(routers: LabRouter[], o: { powerCut?: boolean } = {}): Promise<void> {
  requireTools(['ssh']);
  const p = labPaths();
  const stopped = routers.filter((r) => runningPid(p.pidfile(r)) === undefined);
  if (stopped.length > 0) {
    const who = stopped.length === 1 ? `router ${stopped[0]} is` : `routers ${stopped.join(' and ')} are`;
    throw new LabError(`${who} not running: there is nothing to reboot`, 'start the lab with `teqlctl lab up`');
  }
  await Promise.all(
    routers.map(async (r) => {
      const started = Date.now();
      const before = await runSsh(sshTarget(p, r), [BOOT_ID], { timeoutMs: 30_000 });
      const oldId = before.stdout.trim();
      if (before.code !== 0 || oldId === '') {
        throw new LabError(`router ${r}: could not read its boot id: ${before.stderr.trim()}`, `is it reachable? \`teqlctl lab ssh ${r} true\``);
      }
      if (o.powerCut) {
        await monitorCommand(p.monitor(r), 'system_reset');
        log(`router ${r}: power cut (system_reset; boot id ${oldId})`);
      } else {
        // --no-block: systemctl returns once the job is queued, so the SSH session ends cleanly
        // before sshd stops (a session cut by the shutdown exits 255, also accepted).
        // BusyBox's reboot signals the busybox flavour's /init, which restarts the guest.
        const asked = await runSsh(sshTarget(p, r), [REBOOT], { timeoutMs: 30_000 });
        if (asked.code !== 0 && asked.code !== 255) {
          throw new LabError(`router ${r}: \`systemctl reboot\` failed (exit ${asked.code}): ${asked.stderr.trim()}`, `try \`teqlctl lab ssh ${r} reboot\``);
        }
        log(`router ${r}: rebooting (boot id ${oldId})`);
      }
      const newId = await waitNewBoot(p, r, oldId);
      const booted = await runSsh(sshTarget(p, r), [BOOTED], { timeoutMs: 200_000 });
      log(`router ${r}: rebooted, accepting SSH and booted (${booted.stdout.trim() || 'no systemd'}) after ${seconds(started)} (boot id ${newId.trim()})`);
    }),
  );
}
