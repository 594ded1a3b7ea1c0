// `teqlctl wizard` driven as an operator drives it: in a real terminal (tmux), keys typed, screen read,
// against the lab's routers. HOME is a fresh folder, so both host keys are unknown and must be trusted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { labPaths } from '../../src/lab/paths.js';
import { currentSshPort } from '../../src/lab/router.js';
import { loadRun } from '../../src/load/index.js';
import { operatorSudoPassword, resetRouters, sshRun } from './lab.js';
import { laneCommandPrefix } from './lanes.js';
import { readState } from './router-state.js';
import { ROOT, teqlctl } from './teqlctl.js';
import { knownHostsLineNames } from './known-hosts-line.js';

const lab = labPaths();
const work = mkdtempSync(join(tmpdir(), 'teqlctl-wizard-e2e-'));
const sessions: string[] = [];

function tmux(...args: string[]): string {
  return execFileSync('tmux', args, { encoding: 'utf8' });
}

function fingerprintOf(pub: string): string {
  return execFileSync('ssh-keygen', ['-lf', pub], { encoding: 'utf8' }).split(' ')[1]!;
}

/** One `teqlctl wizard` in its own 200x50 terminal, with its own empty HOME and output folder. */
class Terminal {
  readonly session: string;
  readonly home: string;
  readonly out: string;

  constructor(label: string, sshConfig?: string) {
    this.session = `teqlctl-wizard-${process.pid}-${label}`;
    this.home = join(work, label, 'home');
    this.out = join(work, label, 'out');
    mkdirSync(this.home, { recursive: true });
    mkdirSync(this.out, { recursive: true });
    if (sshConfig !== undefined) {
      mkdirSync(join(this.home, '.ssh'), { recursive: true, mode: 0o700 });
      writeFileSync(join(this.home, '.ssh', 'config'), sshConfig, { mode: 0o600 });
    }
    const cli = resolve(ROOT, 'dist/cli/main.js');
    sessions.push(this.session);
    tmux('new-session', '-d', '-s', this.session, '-x', '200', '-y', '50',
      `cd ${this.out} && ${laneCommandPrefix()}env -u SSH_AUTH_SOCK HOME=${this.home} TEQLCTL_LAB_DIR=${lab.dir} node ${cli} wizard --dir ${this.out}; echo WIZARD-EXIT=$?; sleep 3600`);
  }

  /** The whole pane, scrollback included, wrapped lines joined. */
  screen(): string {
    return tmux('capture-pane', '-p', '-J', '-t', this.session, '-S', '-5000');
  }

  async waitFor(pattern: RegExp, timeoutMs = 60_000): Promise<RegExpMatchArray> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const m = this.screen().match(pattern);
      if (m) return m;
      if (Date.now() > until) throw new Error(`timed out waiting for ${pattern} on the wizard's screen:\n${this.screen()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** Waits for a prompt, then types the answer (literally) and presses Enter. */
  async answer(prompt: RegExp, text = ''): Promise<void> {
    await this.waitFor(prompt);
    await new Promise((r) => setTimeout(r, 150)); // let inquirer finish drawing before keys arrive
    if (text) tmux('send-keys', '-t', this.session, '-l', text);
    tmux('send-keys', '-t', this.session, 'Enter');
  }

  keys(...keys: string[]): void {
    tmux('send-keys', '-t', this.session, ...keys);
  }

  /**
   * Every question up to the plan, answered as an operator of the lab would: as root, or on router a
   * as `operator`, whose sudo asks for a password there. `bAlias`: router B typed as that
   * ~/.ssh/config alias, whose HostName, port, user and key (and ProxyJump) are taken as offered.
   */
  async answerUpToThePlan(loginA: 'root' | 'operator' = 'root', bAlias?: { name: string; jumpPort: number }): Promise<void> {
    for (const [side, router] of [['A', 'a'], ['B', 'b']] as const) {
      const port = currentSshPort(lab, router);
      if (side === 'B' && bAlias) {
        await this.answer(/Router B: host/, bAlias.name);
        await this.waitFor(new RegExp(`from ssh_config: HostName 127\\.0\\.0\\.1, (User root, )?IdentityFile \\S+, ProxyJump root@127\\.0\\.0\\.1:${bAlias.jumpPort}`));
        for (const q of ['SSH port', 'SSH user', 'private key file', 'run the commands through sudo']) await this.answer(new RegExp(`Router B: ${q}`));
        await this.waitFor(new RegExp(`connecting to root@${bAlias.name}:22 through root@127\\.0\\.0\\.1:${bAlias.jumpPort} \\.\\.\\.`));
        // The jump host first, said as such, then the router behind it: both router b's key here.
        const jumpKey = await this.waitFor(new RegExp(`Unknown host key for \\[127\\.0\\.0\\.1\\]:${bAlias.jumpPort}: (SHA256:\\S+)\\. Is that the jump host's key`));
        expect(jumpKey[1]).toBe(fingerprintOf(lab.hostKeyPub('b')));
        await this.answer(/Is that the jump host's key .*\(y\/N\)/, 'y');
        const own = await this.waitFor(/Unknown host key for 127\.0\.0\.1: (SHA256:\S+)\. Is that the router's key/);
        expect(own[1]).toBe(fingerprintOf(lab.hostKeyPub('b')));
        await this.answer(/Unknown host key for 127\.0\.0\.1: .*\(y\/N\)/, 'y');
        await this.waitFor(/connected to router_b\./);
        continue;
      }
      const sudo = side === 'A' && loginA === 'operator';
      await this.answer(new RegExp(`Router ${side}: host`), '127.0.0.1');
      await this.answer(new RegExp(`Router ${side}: SSH port`), String(port));
      await this.answer(new RegExp(`Router ${side}: SSH user`), sudo ? 'operator' : 'root');
      await this.answer(new RegExp(`Router ${side}: private key file`), lab.key);
      await this.answer(new RegExp(`Router ${side}: run the commands through sudo`), sudo ? 'y' : 'n');
      // HOME is empty: the key is unknown, and the fingerprint shown is the router's real one.
      const shown = await this.waitFor(new RegExp(`Unknown host key for \\[127\\.0\\.0\\.1\\]:${port}: (SHA256:\\S+)\\.`));
      expect(shown[1]).toBe(fingerprintOf(lab.hostKeyPub(router)));
      await this.answer(new RegExp(`Unknown host key for \\[127\\.0\\.0\\.1\\]:${port}: .*\\(y/N\\)`), 'y');
      if (sudo) await this.answer(/router_a: sudo asks for the password of operator/, operatorSudoPassword());
      await this.waitFor(new RegExp(`connected to router_${router}\\.`));
    }
    // The management interface is shown, never offered; eth1 and eth2 are picked already.
    const linksA = await this.waitFor(/Router A: links to bundle[\s\S]*submit/);
    expect(linksA[0]).toMatch(/- eth0 +up, carrier UP, mtu 1500, 10\.0\.2\.15\/24 \(not offered: carries this SSH session\)/);
    expect(linksA[0]).toMatch(/◉ eth1 /);
    expect(linksA[0]).toMatch(/◉ eth2 /);
    await this.answer(/Router A: links to bundle/);
    await this.answer(/Router B: links to bundle/);
    await this.answer(/Is each link of A wired to the link of B shown beside it\?/);
    await this.waitFor(/net\.ipv4\.conf\.all\.rp_filter is 2/);
    await this.answer(/Addresses of the links and of teql0/);
    await this.answer(/Block to carve the \/31s from .*\(10\.0\.0\.0\/29\)/);
    await this.answer(/What is behind the routers\?/);
    await this.answer(/Network 1, behind A: prefix \(192\.0\.2\.0\/24\)/);
    // Through the jump (router b itself here), b's eth0 carries no session of the wizard's, and its
    // network is offered first: the operator types lan0's.
    if (bAlias) await this.answer(/Network 2, behind B: prefix \(10\.0\.2\.0\/24\)/, '198.51.100.0/24');
    else await this.answer(/Network 2, behind B: prefix \(198\.51\.100\.0\/24\)/);
    // The picture and the plan `play --check` would print, before anything is written.
    await this.waitFor(/Plan: \d+ change\(s\) on 2 of 2 host\(s\)\./);
    expect(this.screen()).toContain('|     |== eth1 10.0.0.0/31 ==== 10.0.0.1/31 eth1 ==|     |');
    expect(this.screen()).toContain('+ address 10.0.0.4 on teql0: 10.0.0.4/31');
  }
}


describe('teqlctl wizard on the lab, through a terminal', () => {
  beforeAll(async () => {
    await resetRouters('a', 'b');
  });

  afterAll(async () => {
    for (const session of sessions) {
      try {
        tmux('kill-session', '-t', session);
      } catch {
        // already gone
      }
    }
    await resetRouters('a', 'b');
    rmSync(work, { recursive: true, force: true });
  });

  it('without a terminal it refuses (exit 2) and points to teqlctl play', async () => {
    const r = await teqlctl(['wizard', '--dir', work]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('teqlctl wizard asks questions and needs a terminal');
    expect(r.stderr).toContain('teqlctl play -i <inventory> <playbook> --yes');
  });

  it('as operator with sudo on a, then Ctrl-C at the last question before writing: no file, both routers as they were', async () => {
    const before = { a: await readState('a'), b: await readState('b') };
    const t = new Terminal('interrupt');
    await t.answerUpToThePlan('operator');
    await t.answer(/Name for the files/, 'lab-wizard');
    await t.waitFor(/Write inventories\/lab-wizard\.yml and playbooks\/lab-wizard\.yml\?/);
    t.keys('C-c');
    expect((await t.waitFor(/WIZARD-EXIT=(\d+)/))[1]).toBe('130');
    // The host keys trusted at their questions are in known_hosts: said, not "nothing was written" (a review).
    const [portA, portB] = [currentSshPort(lab, 'a'), currentSshPort(lab, 'b')];
    expect(t.screen()).toContain(`wizard interrupted: the host key of [127.0.0.1]:${portA} (to known_hosts) and the host key of [127.0.0.1]:${portB} (to known_hosts) were written; no router was changed`);
    expect(readdirSync(t.out)).toEqual([]);
    expect({ a: await readState('a'), b: await readState('b') }).toEqual(before);
  });

  it('as operator without sudo on a: refused once the routers are read, before any question about links (exit 8); no file, both routers as they were', async () => {
    const before = { a: await readState('a'), b: await readState('b') };
    const t = new Terminal('not-root');
    for (const [side, router] of [['A', 'a'], ['B', 'b']] as const) {
      const port = currentSshPort(lab, router);
      await t.answer(new RegExp(`Router ${side}: host`), '127.0.0.1');
      await t.answer(new RegExp(`Router ${side}: SSH port`), String(port));
      await t.answer(new RegExp(`Router ${side}: SSH user`), side === 'A' ? 'operator' : 'root');
      await t.answer(new RegExp(`Router ${side}: private key file`), lab.key);
      await t.answer(new RegExp(`Router ${side}: run the commands through sudo`), 'n');
      await t.answer(new RegExp(`Unknown host key for \\[127\\.0\\.0\\.1\\]:${port}: .*\\(y/N\\)`), 'y');
      await t.waitFor(new RegExp(`connected to router_${router}\\.`));
    }
    await t.waitFor(/WIZARD-EXIT=8/);
    expect(t.screen()).toMatch(/router_a: the session on the router runs as uid [1-9]\d*, not root: .*; nothing was changed/);
    expect(t.screen()).toMatch(/answer yes to "run the commands through sudo \(become root\)\?"/);
    expect(t.screen()).not.toMatch(/links to bundle/);
    expect(readdirSync(t.out)).toEqual([]);
    expect({ a: await readState('a'), b: await readState('b') }).toEqual(before);
  });

  it('asks, trusts both host keys, writes the files, applies and verifies; play then finds nothing to change; router B typed as an ssh_config alias behind a ProxyJump', async () => {
    // B behind a jump host: router b itself stands in for the bastion (its forwarded port), and the
    // router behind it is b's own sshd at 127.0.0.1:22, which the controller cannot reach directly.
    const jumpPort = currentSshPort(lab, 'b');
    const t = new Terminal('run', [
      'Host lab-b-bastion', '  HostName 127.0.0.1', `  Port ${jumpPort}`, '  User root', `  IdentityFile ${lab.key}`,
      'Host lab-b', '  HostName 127.0.0.1', '  Port 22', '  User root', `  IdentityFile ${lab.key}`, '  ProxyJump lab-b-bastion', ''].join('\n'));
    await t.answerUpToThePlan('root', { name: 'lab-b', jumpPort });
    expect(readdirSync(t.out)).toEqual([]);
    await t.answer(/Name for the files/, 'lab-wizard');
    await t.answer(/Write inventories\/lab-wizard\.yml and playbooks\/lab-wizard\.yml\?/);
    await t.answer(/Apply it now to router_a and router_b\?/, 'y');
    const exit = await t.waitFor(/WIZARD-EXIT=(\d+)/, 240_000);
    if (process.env.TEQLCTL_WIZARD_TRANSCRIPT) writeFileSync(process.env.TEQLCTL_WIZARD_TRANSCRIPT, t.screen());
    expect(exit[1], t.screen()).toBe('0');
    expect(t.screen()).toContain('converged and verified');

    // The files: whole, no temporaries left, loadable by teqlctl play.
    const inventory = join(t.out, 'inventories', 'lab-wizard.yml');
    const playbook = join(t.out, 'playbooks', 'lab-wizard.yml');
    expect(readdirSync(join(t.out, 'inventories'))).toEqual(['lab-wizard.yml']);
    expect(readdirSync(join(t.out, 'playbooks'))).toEqual(['lab-wizard.yml']);
    expect(loadRun(inventory, playbook).plays[0]!.hosts).toEqual(['router_a', 'router_b']);
    const [portA, portB] = [currentSshPort(lab, 'a'), currentSshPort(lab, 'b')];
    // As ssh writes them: hashed where the system's ssh_config says HashKnownHosts yes (Debian's does;
    // with the terminal's own HOME, ssh -G reads that HOME's config, then the system's).
    // B's two: the jump host's (b's forwarded port) and the router's behind it (127.0.0.1, port 22).
    const known = readFileSync(join(t.home, '.ssh', 'known_hosts'), 'utf8').trimEnd().split('\n');
    expect(known).toHaveLength(3);
    known.forEach((line, i) => expect(knownHostsLineNames(line, [`[127.0.0.1]:${portA}`, `[127.0.0.1]:${portB}`, '127.0.0.1'][i]!), line).toBe(true));
    // The inventory names the alias, so play goes through its jump host as the wizard did.
    expect(readFileSync(inventory, 'utf8')).toMatch(/^ +ansible_host: lab-b$/m);

    // The routers, read directly: teql0 holds the addresses, is the links' root qdisc, and carries traffic.
    const a = await sshRun('a', 'ip -br addr show dev teql0; tc qdisc show dev eth1; ping -c 2 -W 2 10.0.0.5 >/dev/null && echo ping-ok');
    expect(a.stdout).toMatch(/^teql0 +\S+ +10\.0\.0\.4\/31/m);
    expect(a.stdout).toContain('qdisc teql0');
    expect(a.stdout).toContain('ping-ok');
    const b = await sshRun('b', 'ip -br addr show dev teql0');
    expect(b.stdout).toMatch(/^teql0 +\S+ +10\.0\.0\.5\/31/m);

    // The written files, run again with teqlctl play: nothing left to change on either host.
    const log = join(t.out, 'again.log');
    const again = await teqlctl(['play', '-i', inventory, playbook, '--yes', '--json', '--log', log], { HOME: t.home, TEQLCTL_LAB_DIR: lab.dir });
    expect(again.code, again.stderr).toBe(0);
    const json = JSON.parse(again.stdout);
    for (const host of ['router_a', 'router_b']) expect(json.hosts[host].changes).toEqual([]);
    // b's session came from 127.0.0.1, through the jump (straight through QEMU it comes from 10.0.2.2).
    expect(readFileSync(log, 'utf8')).toMatch(/client=127\.0\.0\.1 port=\d+ server=127\.0\.0\.1/);
  });
});
