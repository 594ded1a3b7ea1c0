// `lab reboot [ROUTER]`: the guest OS reboots in place. Same QEMU, same overlay: unlike `lab reset`,
// what the router wrote to its disk survives, as on a real router that restarts.
import { LabError } from '../errors.js';
import { log, seconds } from './log.js';
import { labPaths } from './paths.js';
import { runningPid } from './pidfile.js';
import { sshTarget, waitRouter } from './router.js';
import { runSsh } from './run-ssh.js';
import { requireTools } from './tools.js';
import type { LabRouter, Router } from './topology.js';

const BOOT_ID = 'cat /proc/sys/kernel/random/boot_id';
const REBOOT = 'if command -v systemctl >/dev/null 2>&1; then systemctl reboot --no-block; else reboot; fi';
// sshd answers before every boot job is done (teqlctl-boot.service, a oneshot, may still be putting
// the router back): "rebooted" is the boot finished, or 90 s, whichever first. BusyBox has no systemd.
const BOOTED = 'if command -v systemctl >/dev/null 2>&1; then timeout 90 systemctl is-system-running --wait; fi; true';

export async function labReboot(routers: LabRouter[]): Promise<void> {
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
      // --no-block: systemctl returns once the job is queued, so the SSH session ends cleanly
      // before sshd stops (a session cut by the shutdown exits 255, also accepted).
      // BusyBox's reboot signals the busybox flavour's /init, which restarts the guest.
      const asked = await runSsh(sshTarget(p, r), [REBOOT], { timeoutMs: 30_000 });
      if (asked.code !== 0 && asked.code !== 255) {
        throw new LabError(`router ${r}: \`systemctl reboot\` failed (exit ${asked.code}): ${asked.stderr.trim()}`, `try \`teqlctl lab ssh ${r} reboot\``);
      }
      log(`router ${r}: rebooting (boot id ${oldId})`);
      const newId = await waitRouter(p, r, {
        command: BOOT_ID,
        accept: (out) => out.trim() !== '' && out.trim() !== oldId,
        what: 'with a new boot id',
      });
      const booted = await runSsh(sshTarget(p, r), [BOOTED], { timeoutMs: 200_000 });
      log(`router ${r}: rebooted, accepting SSH and booted (${booted.stdout.trim() || 'no systemd'}) after ${seconds(started)} (boot id ${newId.trim()})`);
    }),
  );
}
