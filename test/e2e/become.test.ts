// become on the lab: the chapter playbook run as `operator` with sudo on both routers (a password on
// a, NOPASSWD on b). The password must reach sudo and nothing else: not argv, logs, JSON or files.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { labPaths } from '../../src/lab/paths.js';
import type { Router } from '../../src/lab/topology.js';
import { operatorSudoPassword, resetRouters, routerFacts, sshRun } from './lab.js';
import { readState } from './router-state.js';
import { CHAPTER, LAB_INVENTORY, teqlctl } from './teqlctl.js';

const tmp = mkdtempSync(join(tmpdir(), 'teqlctl-e2e-become-'));
const password = operatorSudoPassword();

/** The lab's inventory, logging in as operator with become on every router. */
function operatorInventory(): string {
  const inv = parse(readFileSync(LAB_INVENTORY, 'utf8'));
  Object.assign(inv.all.children.routers.vars, { ansible_user: 'operator', ansible_become: true });
  const file = join(tmp, 'operator.yml');
  writeFileSync(file, JSON.stringify(inv, null, 2));
  return file;
}

function filesUnder(dir: string): string[] {
  let out: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of names) {
    const p = join(dir, name);
    out = statSync(p).isDirectory() ? [...out, ...filesUnder(p)] : [...out, p];
  }
  return out;
}

/**
 * Files on the router that hold the password, and how many journal lines do. The password arrives
 * on stdin and reaches grep through builtins and a pattern file, so not even grep's argv has it.
 */
async function routerFilesWithPassword(r: Router): Promise<string> {
  const script = [
    'IFS= read -r pw; pat=$(mktemp); printf "%s\\n" "$pw" > "$pat"',
    'for d in /var/lib/teqlctl /run/teqlctl.lock; do [ -e "$d" ] && grep -rlF -f "$pat" "$d"; done',
    'echo "journal=$(journalctl -q --no-pager 2>/dev/null | grep -cF -f "$pat")"',
    'rm -f "$pat"',
  ].join('\n');
  const res = await sshRun(r, script, { input: password + '\n' });
  return res.stdout.trim();
}

describe('become: operator with sudo', () => {
  let inv: string;
  let home: string;
  let passwordFile: string;
  const env = () => ({ HOME: home, SSH_AUTH_SOCK: '', TEQLCTL_BECOME_PASSWORD: '', XDG_CACHE_HOME: '', XDG_STATE_HOME: '' });

  beforeAll(async () => {
    await resetRouters('a', 'b');
    inv = operatorInventory();
    home = join(tmp, 'home');
    mkdirSync(home);
    passwordFile = join(tmp, 'sudo-password');
    writeFileSync(passwordFile, password + '\n', { mode: 0o600 });
  });
  afterAll(() => resetRouters('a', 'b'));

  it('sudo that wants a password and gets none: exit 3 at connect time, naming the ways to give it', async () => {
    const before = await routerFacts('a');
    const started = Date.now();
    const r = await teqlctl(['play', '-i', inv, CHAPTER, '--yes'], env());
    expect(r.code, r.stdout + r.stderr).toBe(3);
    expect(r.stdout + r.stderr).toMatch(/router_a: become: sudo on .* asks for a password, and none was given/);
    expect(r.stdout + r.stderr).toMatch(/TEQLCTL_BECOME_PASSWORD or pass --become-password-file FILE/);
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(await routerFacts('a')).toEqual(before);
  });

  it('operator without become: refused before any change (exit 8), saying how to become root, not to free space in /run; a --check only reads, and goes on', async () => {
    const inv = parse(readFileSync(LAB_INVENTORY, 'utf8'));
    Object.assign(inv.all.children.routers.vars, { ansible_user: 'operator' });
    const plain = join(tmp, 'operator-plain.yml');
    writeFileSync(plain, JSON.stringify(inv, null, 2));
    const before = { a: await routerFacts('a'), b: await routerFacts('b') };
    const r = await teqlctl(['play', '-i', plain, CHAPTER, '--yes'], env());
    expect(r.code, r.stdout + r.stderr).toBe(8);
    expect(r.stdout + r.stderr).toMatch(/router_a: the session on the router runs as uid [1-9]\d*, not root: teqlctl changes links, qdiscs and sysctls and keeps its lock and records, which needs root; nothing was changed/);
    expect(r.stdout + r.stderr).toMatch(/ansible_become: true/);
    expect(r.stdout + r.stderr).not.toMatch(/free space in \/run/);
    expect({ a: await routerFacts('a'), b: await routerFacts('b') }).toEqual(before);
    const check = await teqlctl(['play', '-i', plain, CHAPTER, '--check'], env());
    expect(check.code, check.stdout + check.stderr).toBe(0);
    expect(check.stdout + check.stderr).toMatch(/router_a: \d+ to change \(a run would be refused: the session on the router runs as uid [1-9]\d*, not root/);
    expect({ a: await routerFacts('a'), b: await routerFacts('b') }).toEqual(before);
    // status and rollback: teqlctl's records (0700) read as none as operator; said, not "no run".
    const status = await teqlctl(['status', '-i', plain], env());
    expect(status.code, status.stdout + status.stderr).toBe(3);
    expect(status.stdout).toMatch(/router_a: the session on the router runs as uid [1-9]\d*, not root/);
    expect(status.stdout).not.toMatch(/no teqlctl run recorded/);
    const rollback = await teqlctl(['rollback', '-i', plain], env());
    expect(rollback.code, rollback.stdout + rollback.stderr).toBe(8);
    expect(rollback.stdout + rollback.stderr).toMatch(/router_a: the session on the router runs as uid [1-9]\d*, not root: .*; nothing was rolled back/);
  });

  it('a wrong password: exit 3, and the wrong password is not repeated', async () => {
    const r = await teqlctl(['play', '-i', inv, CHAPTER, '--yes'], { ...env(), TEQLCTL_BECOME_PASSWORD: 'not-the-password' });
    expect(r.code, r.stdout + r.stderr).toBe(3);
    expect(r.stdout + r.stderr).toMatch(/router_a: become: sudo on .* rejected the become password/);
    expect(r.stdout + r.stderr).not.toContain('not-the-password');
  });

  it('the chapter playbook converges both routers, and the password appears nowhere', async () => {
    const log = join(tmp, 'run.log');
    const r = await teqlctl(['play', '-i', inv, CHAPTER, '--yes', '--json', '--log', log, '--become-password-file', passwordFile], env());
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.exitCode).toBe(0);
    for (const host of ['router_a', 'router_b']) {
      expect(json.hosts[host].status).toBe('changed');
      expect(json.hosts[host].verification.every((v: { ok: boolean }) => v.ok)).toBe(true);
    }

    // Converged, read directly over OpenSSH as root.
    const a = await readState('a');
    expect(a).toMatch(/eth1 teql0\neth2 teql0/);
    expect(a).toContain('teql0 10.0.0.4/31');
    expect(a).toContain('198.51.100.0/24 via 10.0.0.5 dev teql0');
    const b = await readState('b');
    expect(b).toContain('teql0 10.0.0.5/31');
    expect(b).toContain('192.0.2.0/24 via 10.0.0.4 dev teql0');
    expect((await sshRun('a', 'ping -c 2 -W 2 -I 192.0.2.1 198.51.100.1')).code).toBe(0);

    // The password: not in stdout, stderr, the log, or anything the run wrote under its HOME ...
    expect(r.stdout).not.toContain(password);
    expect(r.stderr).not.toContain(password);
    const written = [log, ...filesUnder(join(home, '.cache', 'teqlctl')), ...filesUnder(join(home, '.local', 'state', 'teqlctl'))];
    expect(filesUnder(join(home, '.local', 'state', 'teqlctl', 'runs')).length, 'the run journal is there').toBeGreaterThan(0);
    for (const file of written) expect(statSync(file).mode & 0o077, `${file} is its owner's only`).toBe(0);
    expect(readFileSync(log, 'utf8')).toMatch(/apply: exit 0/);
    for (const file of written) expect(readFileSync(file, 'utf8'), file).not.toContain(password);
    // ... nor on the routers, in teqlctl's files or the journal.
    for (const router of ['a', 'b'] as const) expect(await routerFilesWithPassword(router), router).toBe('journal=0');
  });

  it('status, unlock and rollback: no password is exit 3 naming it (not "no timer armed; not locked"); the password file works as for play', async () => {
    for (const cmd of [['status'], ['unlock'], ['rollback']]) {
      const r = await teqlctl([...cmd, '-i', inv], env());
      expect(r.code, `${cmd[0]}: ${r.stdout}${r.stderr}`).toBe(3);
      expect(r.stdout + r.stderr).toMatch(/router_a: .*become: sudo on .* asks for a password, and none was given/);
      // router_a could not be read: it must not be reported as free (router_b, NOPASSWD, is read as usual).
      expect(r.stdout).not.toMatch(/router_a: no timer armed; not locked/);
    }
    const status = await teqlctl(['status', '-i', inv, '--become-password-file', passwordFile], env());
    expect(status.code, status.stdout + status.stderr).toBe(0);
    expect(status.stdout).toMatch(/router_a: no timer armed; not locked/);
    expect(status.stdout + status.stderr).not.toContain(password);
  });
});

describe('become: operator with doas (as on Alpine)', () => {
  /** The lab's inventory with operator and doas on the routers named, root elsewhere. */
  function doasInventory(routers: Array<'router_a' | 'router_b'>): string {
    const inv = parse(readFileSync(LAB_INVENTORY, 'utf8'));
    for (const r of routers) Object.assign(inv.all.children.routers.hosts[r], { ansible_user: 'operator', ansible_become: true, ansible_become_method: 'doas' });
    const file = join(tmp, `doas-${routers.join('-')}.yml`);
    writeFileSync(file, JSON.stringify(inv, null, 2));
    return file;
  }

  beforeAll(() => resetRouters('a', 'b'));
  afterAll(() => resetRouters('a', 'b'));

  it('doas that asks for a password (router a): exit 3 at connect time, what to do, nothing changed anywhere', async () => {
    const before = { a: await readState('a'), b: await readState('b') };
    const r = await teqlctl(['play', '-i', doasInventory(['router_a', 'router_b']), CHAPTER, '--yes'], { TEQLCTL_BECOME_PASSWORD: password });
    expect(r.code, r.stdout + r.stderr).toBe(3);
    expect(r.stdout + r.stderr).toMatch(/router_a: become: doas on .* asks for a password; doas reads it from a terminal only/);
    expect(r.stdout + r.stderr).toMatch(/permit nopass/);
    expect(r.stdout + r.stderr).not.toContain(password);
    expect({ a: await readState('a'), b: await readState('b') }).toEqual(before);
  });

  it('doas with a nopass rule (router b): the chapter converges through doas', async () => {
    const log = join(tmp, 'doas.log');
    const r = await teqlctl(['play', '-i', doasInventory(['router_b']), CHAPTER, '--yes', '--json', '--log', log]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).hosts.router_b.status).toBe('changed');
    // doas itself logged it on the router (OpenDoas logs every command it runs to syslog).
    const logged = await sshRun('b', 'journalctl -q --no-pager -t doas');
    expect(logged.stdout).toMatch(/operator ran command env SSH_CONNECTION=.* as root/);
    expect(await readState('b')).toContain('teql0 10.0.0.5/31');
    expect((await sshRun('b', 'ping -c 2 -W 2 10.0.0.4')).code).toBe(0);
  });
});
