// Connecting as OpenSSH would, against the lab: strict host keys (changed, unknown, --accept-new),
// ~/.ssh/config aliases, ssh-agent, an encrypted key, and ProxyJump through router a to router b.
// Every run has its own HOME, so nothing of the machine's own ~/.ssh takes part.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { labPaths } from '../../src/lab/paths.js';
import { currentSshPort } from '../../src/lab/router.js';
import { resetRouters, routerFacts, sshRun } from './lab.js';
import { CHAPTER, LAB_INVENTORY, teqlctl } from './teqlctl.js';
import { knownHostsLineNames } from './known-hosts-line.js';
import { parse, stringify } from 'yaml';

const lab = labPaths();
const portA = currentSshPort(lab, 'a');
const tmp = mkdtempSync(join(tmpdir(), 'teqlctl-e2e-connect-'));

/** What `ssh-keygen -lf` prints as the fingerprint of a public key file. */
const fingerprintOf = (pub: string) => execFileSync('ssh-keygen', ['-lf', pub], { encoding: 'utf8' }).split(' ')[1]!;
const keyOf = (pub: string) => readFileSync(pub, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');

let n = 0;
/** A fresh HOME, optionally with ~/.ssh/config and ~/.ssh/known_hosts. */
function home(files: { config?: string; knownHosts?: string } = {}): string {
  const dir = join(tmp, `home-${++n}`);
  mkdirSync(dir);
  if (files.config !== undefined || files.knownHosts !== undefined) {
    mkdirSync(join(dir, '.ssh'), { mode: 0o700 });
    if (files.config !== undefined) writeFileSync(join(dir, '.ssh', 'config'), files.config, { mode: 0o600 });
    if (files.knownHosts !== undefined) writeFileSync(join(dir, '.ssh', 'known_hosts'), files.knownHosts);
  }
  return dir;
}

/** An inventory of one host (JSON is YAML). */
function inventory(host: string, vars: Record<string, unknown>): string {
  const file = join(tmp, `inventory-${++n}.yml`);
  writeFileSync(file, JSON.stringify({ all: { hosts: { [host]: vars } } }, null, 2));
  return file;
}

function playbook(dev: string): string {
  const file = join(tmp, `link-${dev}.yml`);
  writeFileSync(file, `- name: one link\n  hosts: all\n  tasks:\n    - link: { dev: ${dev}, state: up }\n`);
  return file;
}

const direct = (extra: Record<string, unknown> = {}) => ({ ansible_host: '127.0.0.1', ansible_port: portA, ansible_user: 'root', ...extra });
/** No agent unless a test starts one. */
const envFor = (h: string, extra: NodeJS.ProcessEnv = {}) => ({ HOME: h, SSH_AUTH_SOCK: '', TEQLCTL_SSH_PASSPHRASE: '', ...extra });

describe('host keys', () => {
  it('a changed key is refused (exit 3), loudly, with both fingerprints, even with --accept-new; the router is untouched', async () => {
    const wrong = join(tmp, 'wrong_known_hosts');
    writeFileSync(wrong, `[127.0.0.1]:${portA} ${keyOf(lab.hostKeyPub('b'))}\n`);
    const inv = inventory('router_a', direct({ ansible_ssh_private_key_file: lab.key, teqlctl_known_hosts_file: wrong }));
    const before = await routerFacts('a');
    for (const extra of [[], ['--accept-new']]) {
      const r = await teqlctl(['play', '-i', inv, playbook('eth1'), '--yes', ...extra], envFor(home()));
      const out = r.stdout + r.stderr;
      expect(r.code, out).toBe(3);
      expect(out).toContain(`HOST KEY CHANGED for [127.0.0.1]:${portA}`);
      expect(out).toContain(fingerprintOf(lab.hostKeyPub('a')));
      expect(out).toContain(fingerprintOf(lab.hostKeyPub('b')));
    }
    expect(readFileSync(wrong, 'utf8')).toBe(`[127.0.0.1]:${portA} ${keyOf(lab.hostKeyPub('b'))}\n`);
    expect(await routerFacts('a')).toEqual(before);
  });

  it('an unknown host is refused (exit 3) with its fingerprint and the command that accepts it; --accept-new records it', async () => {
    const h = home();
    const inv = inventory('router_a', direct({ ansible_ssh_private_key_file: lab.key }));
    const pb = playbook('eth1');
    const refused = await teqlctl(['play', '-i', inv, pb, '--check'], envFor(h));
    const out = refused.stdout + refused.stderr;
    expect(refused.code, out).toBe(3);
    expect(out).toContain(`unknown host key for [127.0.0.1]:${portA}: ssh-ed25519 ${fingerprintOf(lab.hostKeyPub('a'))}`);
    expect(out).toContain(`teqlctl play -i ${inv} ${pb} --check --accept-new`);

    const accepted = await teqlctl(['play', '-i', inv, pb, '--check', '--accept-new'], envFor(h));
    expect(accepted.code, accepted.stdout + accepted.stderr).toBe(0);
    expect(accepted.stdout).toContain('check mode: nothing was changed');
    expect(statSync(join(h, '.ssh')).mode & 0o777).toBe(0o700);
    // As ssh writes it here: hashed where the system's ssh_config says HashKnownHosts yes.
    const known = readFileSync(join(h, '.ssh', 'known_hosts'), 'utf8');
    expect(known.endsWith('\n') && known.trimEnd().split('\n').length === 1, known).toBe(true);
    expect(knownHostsLineNames(known.trimEnd(), `[127.0.0.1]:${portA}`, keyOf(lab.hostKeyPub('a'))), known).toBe(true);

    // Known now: no flag needed any more.
    expect((await teqlctl(['play', '-i', inv, pb, '--check'], envFor(h))).code).toBe(0);
  });
});

describe('an IPv6 address as the host name', () => {
  it('an INI host [::1]:PORT is reached at that address and port; its key is recorded as [::1]:PORT; --limit names it', async () => {
    // Router a's SSH, also on the IPv6 loopback: the lab forwards 127.0.0.1 only.
    const proxy = createServer((c) => {
      const up = createConnection(portA, '127.0.0.1');
      c.pipe(up).pipe(c);
      up.on('error', () => c.destroy());
      c.on('error', () => up.destroy());
    });
    await new Promise<void>((done) => proxy.listen(0, '::1', done));
    const port = (proxy.address() as AddressInfo).port;
    try {
      const h = home();
      const inv = join(tmp, `inventory-${++n}.ini`);
      writeFileSync(inv, `[routers]\n[::1]:${port} ansible_user=root ansible_ssh_private_key_file=${lab.key}\n`);
      const pb = playbook('eth1');
      const refused = await teqlctl(['play', '-i', inv, pb, '--check'], envFor(h));
      expect(refused.code, refused.stdout + refused.stderr).toBe(3);
      expect(refused.stdout + refused.stderr).toContain(`unknown host key for [::1]:${port}: ssh-ed25519 ${fingerprintOf(lab.hostKeyPub('a'))}`);
      const accepted = await teqlctl(['play', '-i', inv, pb, '--check', '--accept-new', '-l', '::1'], envFor(h));
      expect(accepted.code, accepted.stdout + accepted.stderr).toBe(0);
      expect(accepted.stdout).toMatch(/::1: 1 change\(s\)/);
      const known = readFileSync(join(h, '.ssh', 'known_hosts'), 'utf8');
      expect(known.endsWith('\n') && known.trimEnd().split('\n').length === 1, known).toBe(true);
      expect(knownHostsLineNames(known.trimEnd(), `[::1]:${port}`, keyOf(lab.hostKeyPub('a'))), known).toBe(true);
    } finally {
      proxy.close();
    }
  });
});

describe('OpenSSH habits', () => {
  const labKnownHosts = () => readFileSync(lab.knownHosts, 'utf8');

  it('a ~/.ssh/config alias as the inventory host, with no ansible_* variables', async () => {
    const h = home({
      config: `Host lab-*\n  User root\n\nHost lab-a\n  HostName 127.0.0.1\n  Port ${portA}\n  IdentityFile ${lab.key}\n`,
      knownHosts: labKnownHosts(),
    });
    const r = await teqlctl(['play', '-i', inventory('lab-a', {}), playbook('eth1'), '--check'], envFor(h));
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/lab-a: 1 change\(s\)/);
    expect(r.stdout).toMatch(/link eth1/);
  });

  it('one router under two names (its address, and an ssh_config alias that leads to it): both refused after the facts, the router untouched (exit 8)', async () => {
    const h = home({ config: `Host lab-twin\n  HostName 127.0.0.1\n  Port ${portA}\n` });
    // The lab's inventory, router_b's entry pointed at the alias: the inventory check sees two places.
    const twin = readFileSync(LAB_INVENTORY, 'utf8').replace(/(router_b:\n(\s+))ansible_host: 127\.0\.0\.1\n\s+ansible_port: \d+/, '$1ansible_host: lab-twin');
    expect(twin).toContain('ansible_host: lab-twin');
    const inv = join(tmp, `inventory-${++n}.yml`);
    writeFileSync(inv, twin);
    const before = await routerFacts('a');
    const r = await teqlctl(['play', '-i', inv, CHAPTER, '--yes'], envFor(h));
    const out = r.stdout + r.stderr;
    expect(r.code, out).toBe(8);
    expect(out).toContain('router_a and router_b are one router (one kernel boot and the same links answered both names)');
    expect(out).toContain('nothing was changed');
    // rollback reads the same from its first round trip, before any lock is taken.
    const rb = await teqlctl(['rollback', '-i', inv, '--run', '20260101T000000-0000-twinrun'], envFor(h));
    expect(rb.code, rb.stdout + rb.stderr).toBe(8);
    expect(rb.stdout + rb.stderr).toContain('router_a and router_b are one router (one kernel boot and the same links answered both names): refused, so that it is not rolled back twice at once; nothing was rolled back');
    expect(await routerFacts('a')).toEqual(before);
  });

  it('ssh-agent: a host without any key file logs in with the agent', async () => {
    const started = spawnSync('ssh-agent', ['-s'], { encoding: 'utf8' });
    const sock = /SSH_AUTH_SOCK=([^;]+);/.exec(started.stdout)![1]!;
    const pid = Number(/SSH_AGENT_PID=(\d+);/.exec(started.stdout)![1]);
    try {
      const added = spawnSync('ssh-add', [lab.key], { encoding: 'utf8', env: { ...process.env, SSH_AUTH_SOCK: sock } });
      expect(added.status, added.stderr).toBe(0);
      const inv = inventory('router_a', direct({ teqlctl_known_hosts_file: lab.knownHosts }));
      const withAgent = await teqlctl(['play', '-i', inv, playbook('eth1'), '--check'], envFor(home(), { SSH_AUTH_SOCK: sock }));
      expect(withAgent.code, withAgent.stdout + withAgent.stderr).toBe(0);
      // The same inventory without the agent has nothing to log in with.
      const without = await teqlctl(['play', '-i', inv, playbook('eth1'), '--check'], envFor(home()));
      expect(without.code).toBe(3);
      expect(without.stdout + without.stderr).toMatch(/no key file is named, none of ~\/\.ssh\/id_rsa, id_ecdsa, id_ed25519 exists, and no ssh-agent runs/);
    } finally {
      process.kill(pid);
    }
  });

  it("IdentitiesOnly yes: an agent with 6 other keys first still logs in (sshd's MaxAuthTries is 6); without it, the agent's key of the file named goes first, as in ssh; with no file named, refused", async () => {
    const started = spawnSync('ssh-agent', ['-s'], { encoding: 'utf8' });
    const sock = /SSH_AUTH_SOCK=([^;]+);/.exec(started.stdout)![1]!;
    const pid = Number(/SSH_AGENT_PID=(\d+);/.exec(started.stdout)![1]);
    try {
      const agentEnv = { ...process.env, SSH_AUTH_SOCK: sock };
      for (let i = 0; i < 6; i++) {
        const other = join(tmp, `other-key-${i}`);
        execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other]);
        execFileSync('ssh-add', ['-q', other], { env: agentEnv });
      }
      execFileSync('ssh-add', ['-q', lab.key], { env: agentEnv });
      // The lab key's file, encrypted (no passphrase given to teqlctl), its .pub beside it.
      const key = join(tmp, 'agent_only_key');
      copyFileSync(lab.key, key);
      chmodSync(key, 0o600);
      execFileSync('ssh-keygen', ['-q', '-p', '-P', '', '-N', 'secretpass', '-f', key]);
      copyFileSync(`${lab.key}.pub`, `${key}.pub`);
      const config = (only: string, file = true) => `Host lab-a\n  HostName 127.0.0.1\n  Port ${portA}\n  User root\n${file ? `  IdentityFile ${key}\n` : ''}${only}`;
      const pb = playbook('eth1');
      // No file named: the agent's keys in its order, the lab's seventh, past MaxAuthTries.
      const refused = await teqlctl(['play', '-i', inventory('lab-a', {}), pb, '--check'], envFor(home({ config: config('', false), knownHosts: labKnownHosts() }), { SSH_AUTH_SOCK: sock }));
      expect(refused.code, refused.stdout + refused.stderr).toBe(3);
      expect(refused.stdout + refused.stderr).toMatch(/authentication as root to lab-a \(root@127\.0\.0\.1:\d+\) failed: the server hung up after too many keys \(its MaxAuthTries\) \(offered: ssh-agent\).*\(hint: set IdentitiesOnly yes for this host/);
      // The file named, without IdentitiesOnly: the agent's key of that file is offered first, as
      // ssh's pubkey_prepare orders them (until 2026-12-06 the agent's keys went in its own order:
      // refused; a review).
      const named = await teqlctl(['play', '-i', inventory('lab-a', {}), pb, '--check'], envFor(home({ config: config(''), knownHosts: labKnownHosts() }), { SSH_AUTH_SOCK: sock }));
      expect(named.code, named.stdout + named.stderr).toBe(0);
      const only = await teqlctl(['play', '-i', inventory('lab-a', {}), pb, '--check'], envFor(home({ config: config('  IdentitiesOnly yes\n'), knownHosts: labKnownHosts() }), { SSH_AUTH_SOCK: sock }));
      expect(only.code, only.stdout + only.stderr).toBe(0);
      // The same from the inventory, as an Ansible user writes it.
      const viaArgs = await teqlctl(['play', '-i', inventory('lab-a', { ansible_ssh_common_args: '-o IdentitiesOnly=yes' }), pb, '--check'], envFor(home({ config: config(''), knownHosts: labKnownHosts() }), { SSH_AUTH_SOCK: sock }));
      expect(viaArgs.code, viaArgs.stdout + viaArgs.stderr).toBe(0);
    } finally {
      process.kill(pid);
    }
  });

  it('without a key file or agent, the default identities in ~/.ssh are tried', async () => {
    const h = home({ knownHosts: labKnownHosts() });
    copyFileSync(lab.key, join(h, '.ssh', 'id_ed25519'));
    chmodSync(join(h, '.ssh', 'id_ed25519'), 0o600);
    const r = await teqlctl(['play', '-i', inventory('router_a', direct()), playbook('eth1'), '--check'], envFor(h));
    expect(r.code, r.stdout + r.stderr).toBe(0);
  });

  it('an encrypted key: TEQLCTL_SSH_PASSPHRASE or --key-passphrase-file; without either, exit 3 naming both', async () => {
    const key = join(tmp, 'encrypted_key');
    copyFileSync(lab.key, key);
    chmodSync(key, 0o600);
    execFileSync('ssh-keygen', ['-q', '-p', '-P', '', '-N', 'secretpass', '-f', key]);
    const inv = inventory('router_a', direct({ ansible_ssh_private_key_file: key, teqlctl_known_hosts_file: lab.knownHosts }));
    const pb = playbook('eth1');

    const none = await teqlctl(['play', '-i', inv, pb, '--check'], envFor(home()));
    expect(none.code).toBe(3);
    expect(none.stdout + none.stderr).toContain(`${key} is encrypted and no passphrase was given`);
    expect(none.stdout + none.stderr).toMatch(/TEQLCTL_SSH_PASSPHRASE.*--key-passphrase-file FILE/);

    const fromEnv = await teqlctl(['play', '-i', inv, pb, '--check'], envFor(home(), { TEQLCTL_SSH_PASSPHRASE: 'secretpass' }));
    expect(fromEnv.code, fromEnv.stdout + fromEnv.stderr).toBe(0);
    expect(fromEnv.stdout + fromEnv.stderr).not.toContain('secretpass');

    const file = join(tmp, 'passphrase');
    writeFileSync(file, 'secretpass\n', { mode: 0o600 });
    const fromFile = await teqlctl(['play', '-i', inv, pb, '--check', '--key-passphrase-file', file], envFor(home()));
    expect(fromFile.code, fromFile.stdout + fromFile.stderr).toBe(0);

    const wrong = await teqlctl(['play', '-i', inv, pb, '--check'], envFor(home(), { TEQLCTL_SSH_PASSPHRASE: 'not it' }));
    expect(wrong.code).toBe(3);
    expect(wrong.stdout + wrong.stderr).toMatch(/the passphrase given does not unlock it/);
  });
});

describe('ProxyJump', () => {
  beforeAll(async () => {
    // eth1 between a and b, set by hand: router b is then reachable at 10.0.0.1, but only through a.
    for (const [r, addr] of [['a', '10.0.0.0/31'], ['b', '10.0.0.1/31']] as const) {
      const res = await sshRun(r, `ip link set eth1 up && ip addr add ${addr} dev eth1`);
      expect(res.code, res.stderr).toBe(0);
    }
  });
  afterAll(() => resetRouters('a', 'b'));

  it('one hop: router b reached through router a, with strict host keys on both', async () => {
    const h = home({
      config: [
        'Host lab-a',
        '  HostName 127.0.0.1',
        `  Port ${portA}`,
        '  User root',
        `  IdentityFile ${lab.key}`,
        'Host lab-b-via-a',
        '  HostName 10.0.0.1',
        '  Port 22',
        '  User root',
        `  IdentityFile ${lab.key}`,
        '  ProxyJump lab-a',
        '',
      ].join('\n'),
      knownHosts: `${readFileSync(lab.knownHosts, 'utf8')}10.0.0.1 ${keyOf(lab.hostKeyPub('b'))}\n`,
    });
    const log = join(tmp, 'proxyjump.log');
    // eth1 carries this SSH session on b now; the task touches eth2.
    const r = await teqlctl(['play', '-i', inventory('lab-b-via-a', {}), playbook('eth2'), '--check', '--log', log], envFor(h));
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/lab-b-via-a: 1 change\(s\)/);
    const facts = readFileSync(log, 'utf8');
    expect(facts).toContain('198.51.100.1'); // b's lan0 ("network 2")
    expect(facts).toContain('52:54:00:7e:02'); // b's MACs
    expect(facts).toContain('client=10.0.0.0'); // the session arrives from a, over eth1

    // b's key unknown under 10.0.0.1: refused, with b's fingerprint.
    const strict = home({ config: readFileSync(join(h, '.ssh', 'config'), 'utf8'), knownHosts: readFileSync(lab.knownHosts, 'utf8') });
    const refused = await teqlctl(['play', '-i', inventory('lab-b-via-a', {}), playbook('eth2'), '--check'], envFor(strict));
    expect(refused.code).toBe(3);
    expect(refused.stdout + refused.stderr).toContain(`unknown host key for 10.0.0.1 (lab-b-via-a): ssh-ed25519 ${fingerprintOf(lab.hostKeyPub('b'))}`);
  });

  it("the chapter with router b managed through router a over eth1, a link it bundles: converged and confirmed on both, a rerun changes nothing (a slave carries its own traffic; refused until 2026-12-07)", async () => {
    const known = join(tmp, 'known_hosts_via_a');
    writeFileSync(known, `${readFileSync(lab.knownHosts, 'utf8')}10.0.0.1 ${keyOf(lab.hostKeyPub('b'))}\n`);
    const h = home({
      config: ['Host lab-a', '  HostName 127.0.0.1', `  Port ${portA}`, '  User root', `  IdentityFile ${lab.key}`,
        'Host lab-b-via-a', '  HostName 10.0.0.1', '  Port 22', '  User root', `  IdentityFile ${lab.key}`, '  ProxyJump lab-a', ''].join('\n'),
      knownHosts: readFileSync(known, 'utf8'),
    });
    const inv = parse(readFileSync(LAB_INVENTORY, 'utf8'));
    const b = inv.all.children.routers.hosts.router_b;
    b.ansible_host = 'lab-b-via-a';
    delete b.ansible_port;
    inv.all.children.routers.vars.teqlctl_known_hosts_file = known;
    const file = join(tmp, 'inventory-b-via-a.yml');
    writeFileSync(file, stringify(inv));
    const r = await teqlctl(['play', '-i', file, CHAPTER, '--yes', '--json'], envFor(h));
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.hosts.router_b.status).toBe('changed');
    expect(json.hosts.router_b.verification.length).toBeGreaterThan(0);
    expect(json.hosts.router_b.verification.every((v: { ok: boolean }) => v.ok)).toBe(true);
    for (const r of ['a', 'b'] as const) expect((await sshRun(r, `cat /var/lib/teqlctl/runs/${json.runId}/state`)).stdout.trim()).toBe('confirmed');
    // b's eth1 is a slave of teql0, and the session that came over it is the one that confirmed.
    expect((await sshRun('b', 'tc qdisc show dev eth1')).stdout).toMatch(/qdisc teql0 /);
    const again = await teqlctl(['play', '-i', file, CHAPTER, '--yes', '--json'], envFor(h));
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(JSON.parse(again.stdout).hosts.router_b.changes).toEqual([]);
  });
});
