// Ctrl-C at a question on a real terminal (tmux): a key's passphrase asked for the first host stops
// the whole command, exit 130, and no other host is connected. It went on connecting the next hosts
// (a run with --yes would have applied their bundles) and ended with exit 3 (a review).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, countingServer } from '../helpers/cli.js';
import { screenUntil as screenOf, tmux } from '../helpers/tmux.js';

const session = `teqlctl-prompt-${process.pid}`;
afterAll(() => {
  try { tmux('kill-session', '-t', session); } catch { /* already gone */ }
});

const screenUntil = (pattern: RegExp) => screenOf(session, pattern, 30_000);

describe('Ctrl-C at a passphrase question', () => {
  it('stops play before any other host is connected: exit 130, nothing changed', async () => {
    const server = await countingServer();
    try {
      const dir = mkdtempSync(join(tmpdir(), 'teqlctl-prompt-'));
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'secretpass', '-f', join(dir, 'locked')]);
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'plain')]);
      writeFileSync(join(dir, 'known_hosts'), '');
      const host = (port: number, key: string) => `{ ansible_host: 127.0.0.1, ansible_port: ${port}, ansible_user: root, ansible_ssh_private_key_file: ${join(dir, key)}, teqlctl_known_hosts_file: ${join(dir, 'known_hosts')} }`;
      writeFileSync(join(dir, 'inv.yml'), `all:\n  hosts:\n    router_a: ${host(9, 'locked')}\n    router_b: ${host(server.port, 'plain')}\n`);
      writeFileSync(join(dir, 'pb.yml'), '- hosts: all\n  tasks:\n    - ping: { to: 192.0.2.1 }\n');
      const env = `HOME=${dir} XDG_CACHE_HOME=${dir}/cache XDG_STATE_HOME=${dir}/state TERM=xterm`;
      tmux('new-session', '-d', '-s', session, '-x', '200', '-y', '50', `cd ${dir} && env ${env} node ${CLI} play -i inv.yml pb.yml --check -f 1; echo PLAY-EXIT=$?; sleep 600`);
      await screenUntil(/passphrase for .*locked:/);
      tmux('send-keys', '-t', session, 'C-c');
      const screen = await screenUntil(/PLAY-EXIT=\d+/);
      expect(screen).toMatch(/PLAY-EXIT=130/);
      expect(screen).toContain('interrupted while connecting (Ctrl-C at a question, or a signal): nothing was changed');
      expect(server.connections(), 'router_b was connected after the Ctrl-C').toBe(0);
    } finally {
      await server.close();
    }
  }, 60_000);
});
