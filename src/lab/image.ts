// The base image: built once by scripts/lab/build-image.sh, rebuilt when that script changes.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { LabError } from '../errors.js';
import type { LabPaths } from './paths.js';
import { BUILD_TOOLS, requireTools } from './tools.js';

/** The build script and the scripts beside it that it runs (the busybox flavour's initramfs). */
export function scriptHash(script: string): string {
  const dir = dirname(script);
  const hash = createHash('sha256').update(readFileSync(script));
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.sh') && f !== basename(script)).sort()) hash.update(f).update(readFileSync(join(dir, f)));
  return hash.digest('hex');
}

/** The files that must exist for a boot; keys too, since the image holds copies of them. */
function requiredFiles(p: LabPaths): string[] {
  return [p.baseImage, p.kernel, p.initrd, p.busyboxInitrd, p.key, p.operatorPassword, p.hostKeyPub('a'), p.hostKeyPub('b'), p.hostKeyPub('h')];
}

/** Why the image must be (re)built, or undefined when it is current. */
export function staleReason(p: LabPaths, script: string): string | undefined {
  const missing = requiredFiles(p).find((f) => !existsSync(f));
  if (missing) return `${missing} is missing`;
  const stamp = existsSync(p.stamp) ? readFileSync(p.stamp, 'utf8').trim() : '';
  if (stamp !== scriptHash(script)) return `${script} (or a script beside it) changed since the image was built`;
  return undefined;
}

/** Under sudo, hand the lab dir back to the invoking user, who then runs the lab without root. */
async function giveBackToSudoUser(p: LabPaths): Promise<void> {
  const { SUDO_UID: uid, SUDO_GID: gid } = process.env;
  if (!uid || !gid || uid === '0') return;
  await new Promise<void>((resolve, reject) => {
    const child = spawn('chown', ['-R', `${uid}:${gid}`, p.dir], { stdio: 'inherit' });
    child.on('error', reject);
    child.on('close', () => resolve());
  });
}

export async function buildImage(p: LabPaths, script: string, log: (line: string) => void): Promise<void> {
  if (process.getuid?.() !== 0) {
    // sudo resets HOME and most env vars: name the lab dir so the root build lands where this user looks.
    const self = [process.execPath, process.argv[1] ?? 'teqlctl'].join(' ');
    throw new LabError(
      'building the lab image needs root (debootstrap)',
      `build it once as root, then use the lab as yourself: sudo TEQLCTL_LAB_DIR=${p.dir} ${self} lab up`,
    );
  }
  requireTools(BUILD_TOOLS);
  rmSync(p.stamp, { force: true });
  const hash = scriptHash(script);
  const started = Date.now();
  const code = await new Promise<number>((resolve, reject) => {
    const child = spawn('bash', [script, p.imageDir, p.keysDir], { stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('close', (c) => resolve(c ?? 1));
  });
  if (code !== 0) {
    throw new LabError(`${script} failed (exit ${code})`, 'read its output above; it needs Debian mirror access and root');
  }
  writeFileSync(p.stamp, hash + '\n');
  await giveBackToSudoUser(p);
  log(`image built in ${((Date.now() - started) / 1000).toFixed(0)} s: ${p.baseImage}`);
}
