// What the local machine brings to a connection, read once: home, user name, ~/.ssh/config, ssh-agent.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { LocalEnv } from './resolve-target.js';
import { parseSshConfig, type SshConfigBlock } from './ssh-config.js';

export interface LocalSsh {
  env: LocalEnv;
  config: SshConfigBlock[];
  /** SSH_AUTH_SOCK, when it names a socket that exists (a stale one would fail the whole login). */
  agent?: string;
}

function localUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'root';
  }
}

export async function readLocalSsh(): Promise<LocalSsh> {
  const home = homedir();
  const file = join(home, '.ssh', 'config');
  let text = '';
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const sock = process.env.SSH_AUTH_SOCK;
  return {
    env: { home, localUser: localUser(), exists: (p) => existsSync(p) },
    config: parseSshConfig(text, file),
    ...(sock && existsSync(sock) ? { agent: sock } : {}),
  };
}
