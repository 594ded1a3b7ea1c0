// Where the lab keeps its image, keys and run state, and where the project's own files are.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LabRouter, Router } from './topology.js';

export interface LabPaths {
  dir: string;
  imageDir: string;
  baseImage: string;
  kernel: string;
  initrd: string;
  /** The busybox flavour's whole root filesystem, as an initramfs. */
  busyboxInitrd: string;
  stamp: string;
  keysDir: string;
  key: string;
  operatorPassword: string;
  runDir: string;
  /** Saved pristine routers, one folder per snapshot key (image, QEMU and its command line). */
  snapshotsDir: string;
  knownHosts: string;
  /** The running lab's link count, name scheme and the interface names read from the routers. */
  topology: string;
  hostKeyPub(router: LabRouter): string;
  overlay(router: LabRouter): string;
  pidfile(router: LabRouter): string;
  consoleLog(router: LabRouter): string;
  state(router: LabRouter): string;
  monitor(router: LabRouter): string;
}

/** $TEQLCTL_LAB_DIR, else the lab in the XDG cache ($XDG_CACHE_HOME when absolute, as the spec says, else ~/.cache). */
export function labDir(env: NodeJS.ProcessEnv = process.env, home = homedir()): string {
  const fromEnv = env.TEQLCTL_LAB_DIR;
  if (fromEnv && fromEnv !== '') return resolve(fromEnv);
  const cache = env.XDG_CACHE_HOME;
  return join(cache && isAbsolute(cache) ? cache : join(home, '.cache'), 'teqlctl', 'lab');
}

export function labPaths(dir: string = labDir()): LabPaths {
  const imageDir = join(dir, 'image');
  const keysDir = join(dir, 'keys');
  const runDir = join(dir, 'run');
  return {
    dir,
    imageDir,
    baseImage: join(imageDir, 'base.img'),
    kernel: join(imageDir, 'vmlinuz'),
    initrd: join(imageDir, 'initrd.img'),
    busyboxInitrd: join(imageDir, 'busybox-initrd.img'),
    stamp: join(imageDir, 'stamp'),
    keysDir,
    key: join(keysDir, 'id_ed25519'),
    operatorPassword: join(keysDir, 'operator-sudo-password'),
    runDir,
    snapshotsDir: join(dir, 'snapshots'),
    knownHosts: join(dir, 'known_hosts'),
    topology: join(runDir, 'topology.json'),
    hostKeyPub: (r) => join(keysDir, `host_${r}.pub`),
    overlay: (r) => join(runDir, `${r}.qcow2`),
    pidfile: (r) => join(runDir, `${r}.pid`),
    consoleLog: (r) => join(runDir, `${r}.console.log`),
    state: (r) => join(runDir, `${r}.json`),
    monitor: (r) => join(runDir, `${r}.monitor`),
  };
}

/** The folder that holds teqlctl's package.json, found from this file (works from src/ and dist/src/). */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'teqlctl') return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('teqlctl: package.json not found above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

export function buildScript(): string {
  return join(projectRoot(), 'scripts', 'lab', 'build-image.sh');
}

/**
 * Where `lab up` writes the lab's inventory and `demo` reads it: `--inventory-out`, else
 * $TEQLCTL_LAB_INVENTORY, else the current folder: inventories/lab.yml where it has an inventories/
 * folder (a clone of teqlctl, or a project laid out as Ansible's), lab.yml otherwise. Never the
 * installed package's folder, which may not be writable and is replaced by the next install.
 */
export function inventoryPath(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd(), out?: string): string {
  if (out !== undefined && out !== '') return resolve(cwd, out);
  const fromEnv = env.TEQLCTL_LAB_INVENTORY;
  if (fromEnv && fromEnv !== '') return resolve(cwd, fromEnv);
  const folder = join(cwd, 'inventories');
  return existsSync(folder) && statSync(folder).isDirectory() ? join(folder, 'lab.yml') : join(cwd, 'lab.yml');
}
