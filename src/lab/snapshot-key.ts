// Pure: which saved pristine router a boot may start from, and which saved ones to forget.
import { createHash } from 'node:crypto';

/**
 * A snapshot holds RAM and device state, so it fits only the exact machine it was taken of: the
 * same base image, the same QEMU and the same command line (NICs, kernel, memory). Any change gives
 * another key, and so a cold boot that saves a new snapshot, as a changed build script rebuilds the image.
 */
export function snapshotKey(qemuArgsWithoutLoadvm: string[], imageStamp: string, qemuVersion: string): string {
  const text = JSON.stringify({ args: qemuArgsWithoutLoadvm, image: imageStamp.trim(), qemu: qemuVersion.trim() });
  return createHash('sha256').update(text).digest('hex').slice(0, 20);
}

export interface SavedSnapshot {
  key: string;
  lastUsedMs: number;
}

/** The keys to delete so that only the `keep` most recently used snapshots stay (each is ~200 MB a router). */
export function snapshotsToForget(saved: SavedSnapshot[], keep: number): string[] {
  return [...saved]
    .sort((x, y) => y.lastUsedMs - x.lastUsedMs || x.key.localeCompare(y.key))
    .slice(Math.max(keep, 0))
    .map((s) => s.key);
}
