// Host programs the lab needs, each with the Debian package that provides it.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { LabError } from '../errors.js';

export const TOOL_PACKAGES = {
  'qemu-system-x86_64': 'qemu-system-x86',
  'qemu-img': 'qemu-utils',
  debootstrap: 'debootstrap',
  mke2fs: 'e2fsprogs',
  'ssh-keygen': 'openssh-client',
  ssh: 'openssh-client',
} as const;
export type Tool = keyof typeof TOOL_PACKAGES;

export const RUN_TOOLS: Tool[] = ['qemu-system-x86_64', 'qemu-img', 'ssh'];
export const BUILD_TOOLS: Tool[] = ['debootstrap', 'mke2fs', 'ssh-keygen'];

/** Full path of `tool`; sbin folders are searched too, since a non-root PATH often lacks them. */
export function findTool(tool: string, path: string = process.env.PATH ?? ''): string | undefined {
  const dirs = [...path.split(delimiter), '/usr/local/sbin', '/usr/sbin', '/sbin'].filter((d) => d !== '');
  for (const dir of dirs) {
    const candidate = join(dir, tool);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

export function requireTools(tools: Tool[], path: string = process.env.PATH ?? ''): void {
  const missing = tools.filter((t) => findTool(t, path) === undefined);
  if (missing.length === 0) return;
  const packages = [...new Set(missing.map((t) => TOOL_PACKAGES[t]))];
  throw new LabError(
    `the lab needs ${missing.join(', ')}, not found on PATH`,
    `install with: sudo apt-get install ${packages.join(' ')}`,
  );
}
