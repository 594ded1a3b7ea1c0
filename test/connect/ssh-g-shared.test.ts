// One `ssh -G` per group of hosts ssh_config cannot tell apart: every derived answer must be what
// ssh itself answers for that host. Checked against this machine's real ssh, for configurations
// that group hosts (Host patterns, negations, tokens of the name and port, Include) and ones that
// must not (Match, a hash of the name, canonicalization).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findSsh, sshConfigFiles } from '../../src/connect/local-ssh.js';
import { hostLineKey, readHostLines } from '../../src/connect/ssh-config-hosts.js';
import { runSshG, sshGArgs, type RunSshG, type SshGQuery } from '../../src/connect/ssh-g.js';
import { deriveAnswer, sharedSshG } from '../../src/connect/ssh-g-shared.js';

const ssh = findSsh();
if (!ssh) throw new Error('these tests compare with OpenSSH\'s own ssh -G: install openssh-client');
const dir = mkdtempSync(join(tmpdir(), 'teqlctl-sshg-shared-'));
const home = join(dir, 'home');
mkdirSync(join(home, '.ssh'), { recursive: true });

/** ssh -G as ssh answers it, each question asked once across the tests (they are slow to ask). */
const real = new Map<string, ReturnType<RunSshG>>();
const askSsh: RunSshG = (args) => {
  const key = JSON.stringify(args);
  if (!real.has(key)) real.set(key, runSshG(ssh)(args));
  return real.get(key)!;
};

// Each compare() starts up to 42 ssh processes: seconds on a busy 2-core machine, past vitest's 5 s.
const SLOW = { timeout: 60_000 };

const ALIASES = ['r1', 'r2', 'r10', 'r11', 'r3', 'router-1', 'router-2', 'router-3', 'router-9', '10.0.0.1', '10.0.0.10', 'fe80::1', 'Mixed', 'admin@r3'];
const PORTS = [undefined, 2201, 22];

/** Every alias and port, asked through sharedSshG at once; returns its answers, ssh's own, and how many it asked ssh. */
async function compare(configText: string, extra: Partial<SshGQuery> = {}) {
  const config = join(dir, `config-${real.size}-${Math.random().toString(36).slice(2)}`);
  writeFileSync(config, configText);
  const queries = ALIASES.flatMap((alias) => PORTS.map((port) => sshGArgs({ alias, ...(port !== undefined ? { port } : {}), configFile: config, ...extra })));
  let spawned = 0;
  const shared = sharedSshG((args) => ((spawned += 1), askSsh(args)), (rest) => readHostLines(sshConfigFiles(rest, home), home));
  const derived = await Promise.all(queries.map((q) => shared(q)));
  const own = await Promise.all(queries.map((q) => askSsh(q)));
  return { derived: derived.map((r) => [r.code, r.stdout]), own: own.map((r) => [r.code, r.stdout]), spawned, asked: queries.length };
}

describe('ssh -G shared by hosts that ssh_config cannot tell apart', SLOW, () => {
  it('no configuration: a group per kind of name (host name, IPv4, IPv6) and port given or not, every answer ssh\'s own', async () => {
    const r = await compare('');
    expect(r.derived).toEqual(r.own);
    // 3 kinds x (no port, a port): each group its first host, one check by name, one by port, one by both at most.
    expect(r.spawned).toBeLessThan(r.asked);
  });

  it('Host patterns, negations, and tokens of the name and port in the values: grouped by the Host lines each name matches', async () => {
    const r = await compare([
      'Host r1*',
      '  Port 2200',
      '  User first',
      'Host router-* !router-9',
      '  ProxyJump jump.example',
      '  IdentityFile ~/.ssh/id_%h',
      'Host *',
      '  HostName %h.corp.example',
      '  UserKnownHostsFile ~/.ssh/known-%h-%p ~/.ssh/known-%n',
      '  User ops',
    ].join('\n'));
    expect(r.derived).toEqual(r.own);
    expect(r.spawned).toBeLessThan(r.asked);
  });

  it('a Host block in an included file groups as one in the file itself', async () => {
    const inc = join(dir, 'included.conf');
    writeFileSync(inc, 'Host r2\n  Port 2299\n');
    const r = await compare(`Include ${inc}\nHost *\n  User ops\n`);
    expect(r.derived).toEqual(r.own);
    expect(r.derived[ALIASES.indexOf('r2') * PORTS.length]).toEqual(r.own[ALIASES.indexOf('r2') * PORTS.length]);
    expect(r.own[ALIASES.indexOf('r2') * PORTS.length]![1]).toContain('port 2299');
  });

  it('the same user or jump host for every host: grouped; another user is another group', async () => {
    const r = await compare('Host *\n  ServerAliveInterval 5\n', { user: 'backup', proxyJump: 'bastion.example:2222' });
    expect(r.derived).toEqual(r.own);
    expect(r.spawned).toBeLessThan(r.asked);
  });

  it('a hash of the name and port (%C) cannot be derived: the check fails, and every host is asked for itself', async () => {
    const r = await compare('Host *\n  ControlMaster auto\n  ControlPath /tmp/cm-%C\n');
    expect(r.derived).toEqual(r.own);
    expect(r.spawned).toBe(r.asked);
  });

  it('Match, or canonicalization: not grouped at all, every host asked for itself', async () => {
    for (const text of ['Match host r1\n  Port 2200\n', 'CanonicalizeHostname yes\nCanonicalDomains example.com\n', `Include ${join(dir, 'with-match.conf')}\n`]) {
      writeFileSync(join(dir, 'with-match.conf'), 'Match exec "true"\n  User other\n');
      const r = await compare(text);
      expect(r.derived).toEqual(r.own);
      expect(r.spawned).toBe(r.asked);
    }
  });
});

/** The queries in this order, one after another (the first asked, the next checks, the last derived), against ssh's own answers. */
async function inOrder(configText: string, queries: Array<Omit<SshGQuery, 'configFile'>>) {
  const config = join(dir, `order-${Math.random().toString(36).slice(2)}`);
  writeFileSync(config, configText);
  const args = queries.map((q) => sshGArgs({ ...q, configFile: config }));
  const shared = sharedSshG(askSsh, (rest) => readHostLines(sshConfigFiles(rest, home), home));
  const derived: Array<[number | null, string]> = [];
  for (const a of args) derived.push(await shared(a).then((r) => [r.code, r.code === 0 ? r.stdout : '']));
  const own = await Promise.all(args.map((a) => askSsh(a).then((r): [number | null, string] => [r.code, r.code === 0 ? r.stdout : ''])));
  return { derived, own };
}

describe('what a review found deriving wrongly (each against ssh\'s own answer)', SLOW, () => {
  it('a name holding the first host\'s port: the name and port put in at once (sw-22 stayed sw-2200)', async () => {
    const r = await inOrder('', [{ alias: 'sw-1', port: 22 }, { alias: 'sw-2', port: 2222 }, { alias: 'sw-22', port: 2200 }, { alias: '10.0.0.1', port: 22 }, { alias: '10.0.0.2', port: 2200 }, { alias: '10.0.22.5', port: 222 }]);
    expect(r.derived).toEqual(r.own);
  });

  it('addresses ssh prints in another spelling (IPv6, 10.1, 0x0a000001) are asked for themselves', async () => {
    const r = await inOrder('', [{ alias: '2001:db8::1' }, { alias: '2001:db8::2' }, { alias: '2001:0db8::0003' }, { alias: 'host-a' }, { alias: 'host-b' }, { alias: '0x0a000001' }, { alias: '10.1' }]);
    expect(r.derived).toEqual(r.own);
  });

  it('a host that is its own jump host: ssh refuses it (jumphost loop), so does the derivation', async () => {
    const r = await inOrder('Host *\n  ProxyJump bastion\n', [{ alias: 'r1' }, { alias: 'r2' }, { alias: 'bastion' }]);
    expect(r.derived).toEqual(r.own);
    expect(r.own[2]![0]).not.toBe(0);
  });

  it('CanonicalizePermittedCNAMEs, single quotes in Host or Include, Include ~user/: not grouped', async () => {
    const inc = join(dir, 'quoted.conf');
    writeFileSync(inc, 'Host r1\n  Port 2201\n');
    for (const text of ['CanonicalizePermittedCNAMEs *:*\n', "Host 'r1'\n  Port 2201\n", 'Host r"1"\n  Port 2201\n', `Include '${inc}'\n`, `Include ~root/../${inc}\n`]) {
      const r = await inOrder(text, [{ alias: 'r2' }, { alias: 'r3' }, { alias: 'r1' }]);
      expect(r.derived, text).toEqual(r.own);
    }
  });

  it('a check that passes by chance (HostName gw-%h, names gw-gw and gw) proves nothing', async () => {
    const r = await inOrder('Host *\n  HostName gw-%h\n', [{ alias: 'gw-gw' }, { alias: 'gw' }, { alias: 'r1' }]);
    expect(r.derived).toEqual(r.own);
  });
});

describe('the Host lines of the files ssh reads', () => {
  it('follows Include, relative to ~/.ssh (and /etc/ssh: more is safe) and with wildcards in the file name', () => {
    mkdirSync(join(home, '.ssh', 'conf.d'), { recursive: true });
    writeFileSync(join(home, '.ssh', 'conf.d', 'a.conf'), 'Host a*\n');
    writeFileSync(join(home, '.ssh', 'conf.d', 'b.conf'), 'Host b*\nInclude ~/.ssh/more\n');
    writeFileSync(join(home, '.ssh', 'more'), 'Host c* !c1\n');
    writeFileSync(join(home, '.ssh', 'config'), 'Include conf.d/*.conf\nHost *\n');
    expect(readHostLines([join(home, '.ssh', 'config')], home)).toEqual([['a*'], ['b*'], ['c*', '!c1'], ['*']]);
  });

  it('follows ~ and relative Includes in $HOME too where it is not the account\'s home (ssh expands an Include by glob(3), from $HOME: a review)', () => {
    const other = join(dir, 'other-home');
    mkdirSync(join(other, '.ssh', 'config.d'), { recursive: true });
    writeFileSync(join(other, '.ssh', 'config.d', 'lab'), 'Host r3\n  Port 2003\n');
    writeFileSync(join(other, '.ssh', 'more-other'), 'Host r4\n');
    const cfg = join(other, '.ssh', 'config');
    writeFileSync(cfg, 'Include config.d/*\nInclude ~/.ssh/more-other\n');
    expect(readHostLines([cfg], home)).toEqual([]);
    expect(readHostLines([cfg], [home, other])).toEqual([['r3'], ['r4']]);
  });

  it('gives up where it cannot read as ssh does: Match anywhere, a token or a variable in Include, a wildcard in a folder, a line it cannot parse', () => {
    const cases = ['Include ~/.ssh/%h.conf\n', 'Include ${HOME}/x\n', 'Include /etc/*/x.conf\n', 'Host a\n  = oops\n', 'Host a\nMatch all\n'];
    for (const text of cases) {
      const f = join(dir, 'give-up.conf');
      writeFileSync(f, text);
      expect(readHostLines([f], home), text).toBeUndefined();
    }
    // A missing file is read as empty, as ssh skips it.
    expect(readHostLines([join(dir, 'missing')], home)).toEqual([]);
    // A named pipe included is never read (the read would wait forever): every host asked for itself.
    execFileSync('mkfifo', [join(dir, 'pipe.conf')]);
    writeFileSync(join(dir, 'with-pipe.conf'), `Host a*\nInclude ${join(dir, 'pipe.conf')}\n`);
    expect(readHostLines([join(dir, 'with-pipe.conf')], home)).toBeUndefined();
    expect(readHostLines(['/dev/null'], home)).toEqual([]);
  });

  it('a name matching a line case-insensitively only is told apart from one matching neither', () => {
    expect(hostLineKey([['R*']], 'r1')).not.toBe(hostLineKey([['R*']], 'x1'));
    expect(hostLineKey([['r*', '!r9']], 'r9')).toBe(hostLineKey([['r*', '!r9']], 'x1'));
  });

  it('derives only whole names and numbers: 10.0.0.1 is not changed inside 10.0.0.10, port 22 not inside 2222', () => {
    const first = { alias: '10.0.0.1', port: '22', rest: [] };
    const a = { code: 0, stdout: 'hostname 10.0.0.1\nport 22\nother 10.0.0.10 2222\n', stderr: '' };
    expect(deriveAnswer(first, a, { alias: '10.0.0.7', port: '2201', rest: [] }).stdout).toBe('hostname 10.0.0.7\nport 2201\nother 10.0.0.10 2222\n');
  });
});
