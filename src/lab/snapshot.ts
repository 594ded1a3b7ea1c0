// Saved pristine routers: `savevm` once after a cold boot, `loadvm` for every `lab reset`, and a
// copy of the saved overlay for a warm `lab up`. Booting under TCG takes ~17 s; a restore ~0.3 s.
import { execFile } from 'node:child_process';
import { constants, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { syncGuestClock } from './guest-clock.js';
import { log } from './log.js';
import { monitorCommand } from './monitor.js';
import type { LabPaths } from './paths.js';
import { QEMU_BINARY } from './qemu-args.js';
import { runSsh } from './run-ssh.js';
import type { SshTarget } from './ssh-args.js';
import { snapshotsToForget } from './snapshot-key.js';
import { MAX_LINKS, type Router, type LabRouter } from './topology.js';

const run = promisify(execFile);

/** The internal snapshot's tag inside each router's qcow2 overlay. */
export const PRISTINE = 'pristine';
/** Saved routers kept on disk (a key is one router's machine): both routers of the default lab and of the two other topologies the e2e suite uses. */
const KEEP_SNAPSHOTS = 6;

let versionCache: Promise<string> | undefined;
export function qemuVersion(): Promise<string> {
  versionCache ??= run(QEMU_BINARY, ['--version']).then((r) => r.stdout.split('\n')[0] ?? '');
  return versionCache;
}

export function imageStamp(p: LabPaths): string {
  return existsSync(p.stamp) ? readFileSync(p.stamp, 'utf8') : '';
}

export function templatePath(p: LabPaths, key: string, router: LabRouter): string {
  return join(p.snapshotsDir, key, `${router}.qcow2`);
}

/** The saved overlay to start from, marked as just used, or undefined when there is none. */
export function usableTemplate(p: LabPaths, key: string, router: LabRouter): string | undefined {
  const file = templatePath(p, key, router);
  if (!existsSync(file)) return undefined;
  const now = new Date();
  utimesSync(join(p.snapshotsDir, key), now, now);
  return file;
}

export function forgetTemplate(p: LabPaths, key: string, router: LabRouter): void {
  rmSync(templatePath(p, key, router), { force: true });
}

/** The monitor answers these commands with nothing when they worked, with the reason otherwise. */
async function monitorOk(p: LabPaths, router: LabRouter, command: string, timeoutMs = 10_000): Promise<string | undefined> {
  const answer = await monitorCommand(p.monitor(router), command, timeoutMs);
  return answer === '' ? undefined : answer;
}

/**
 * Saves the booted router as pristine: inside its own overlay (for `lab reset`) and as a copy
 * under `snapshots/<key>/` (for the next `lab up`). A failure only costs speed: it is logged, and
 * reset and up then boot as before.
 */
export async function savePristine(p: LabPaths, router: LabRouter, key: string, target: SshTarget): Promise<boolean> {
  const started = Date.now();
  // Saved once boot has finished, so that every restore starts from the same settled router.
  await runSsh(target, ['command -v systemctl >/dev/null 2>&1 && systemctl is-system-running --wait >/dev/null 2>&1; true'], { timeoutMs: 90_000 });
  const stopFailed = await monitorOk(p, router, 'stop');
  if (stopFailed) {
    log(`router ${router}: warning: could not pause it to save a snapshot (${stopFailed}); \`lab reset\` will boot it instead`);
    return false;
  }
  try {
    const failed = await monitorOk(p, router, `savevm ${PRISTINE}`, 180_000);
    if (failed) {
      log(`router ${router}: warning: savevm failed (${failed}); \`lab reset\` will boot it instead`);
      return false;
    }
    // Paused, so QEMU has written its qcow2 metadata out and nothing writes while we copy.
    const file = templatePath(p, key, router);
    mkdirSync(join(p.snapshotsDir, key), { recursive: true });
    copyFileSync(p.overlay(router), `${file}.tmp`, constants.COPYFILE_FICLONE);
    renameSync(`${file}.tmp`, file);
  } finally {
    await monitorOk(p, router, 'cont');
  }
  await syncGuestClock(target, router);
  forgetOldTemplates(p);
  log(`router ${router}: saved as pristine in ${((Date.now() - started) / 1000).toFixed(1)} s (\`lab reset\` restores it)`);
  return true;
}

/** `loadvm` of the pristine snapshot in the running router's overlay: RAM, devices and disk go back. */
export async function restorePristine(p: LabPaths, router: LabRouter): Promise<string | undefined> {
  const failed = await monitorOk(p, router, `loadvm ${PRISTINE}`, 60_000);
  if (failed) return failed;
  // A router paused by a failed save, or a link cut by `lab cut` (its management link, or one of
  // its links with --link): pristine is running and plugged in. A link the topology lacks answers
  // "not found", which changes nothing.
  await monitorOk(p, router, 'cont');
  for (let k = 0; k <= MAX_LINKS; k++) await monitorOk(p, router, `set_link n${k} on`);
  return undefined;
}

function forgetOldTemplates(p: LabPaths): void {
  if (!existsSync(p.snapshotsDir)) return;
  const saved = readdirSync(p.snapshotsDir).map((key) => ({ key, lastUsedMs: statSync(join(p.snapshotsDir, key)).mtimeMs }));
  for (const key of snapshotsToForget(saved, KEEP_SNAPSHOTS)) rmSync(join(p.snapshotsDir, key), { recursive: true, force: true });
}
