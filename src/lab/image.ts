// The base image: built once by scripts/lab/build-image.sh, rebuilt when that script changes.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { LabError } from '../errors.js';
import type { LabPaths } from './paths.js';
import { BUILD_TOOLS, requireTools } from './tools.js';

export function scriptHash(script: string): string {
  return createHash('sha256').update(readFileSync(script)).digest('hex');
}

/** The files that must exist for a boot; keys too, since the image holds copies of them. */
function requiredFiles(p: LabPaths): string[] {
  return [p.baseImage, p.kernel, p.initrd, p.key, p.operatorPassword, p.hostKeyPub('a'), p.hostKeyPub('b')];
}

/** Why the image must be (re)built, or undefined when it is current. */
export function staleReason(p: LabPaths, script: string): string | undefined {
  const missing = requiredFiles(p).find((f) => !existsSync(f));
  if (missing) return `${missing} is missing`;
  const stamp = existsSync(p.stamp) ? readFileSync(p.stamp, 'utf8').trim() : '';
  if (stamp !== scriptHash(script)) return `${script} changed since the image was built`;
  return undefined;
}

export async function buildImage(p: LabPaths, script: string, log: (line: string) => void): Promise<void> {
  if (process.getuid?.() !== 0) {
    throw new LabError(
      'building the lab image needs root (debootstrap)',
      'build it once as root: `sudo teqlctl lab up` (or `sudo TEQLCTL_LAB_DIR=... teqlctl lab up` to keep your lab dir)',
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
  log(`image built in ${((Date.now() - started) / 1000).toFixed(0)} s: ${p.baseImage}`);
}
