// Differential test: teqlctl's own ssh_config reader (resolveTarget) against OpenSSH's `ssh -G`
// (through resolveWithOpenSsh, the path teqlctl takes when ssh is installed, so the comparison is
// like-for-like). Random but realistic configs; prints each discrepancy class with one example.
// Usage: npx tsx bench/experiments/sshcfg-diff.ts [count] [seed]
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { resolveWithOpenSsh } from '../../src/connect/resolve-openssh.js';
import { resolveTarget, type Hop, type LocalEnv, type Target } from '../../src/connect/resolve-target.js';
import { parseSshConfig } from '../../src/connect/ssh-config.js';
import { tcpServicePort } from '../../src/load/tcp-services.js';
import type { RunSshG } from '../../src/connect/ssh-g.js';
import type { ConnectionSpec } from '../../src/load/types.js';
import { seededRandom } from './seeded-random.js';

const count = Number(process.argv[2] ?? 2000);
const { rnd, pick, chance } = seededRandom(Number(process.argv[3] ?? 1));

const home = mkdtempSync(join(tmpdir(), 'sshcfg-home-'));
const dir = mkdtempSync(join(tmpdir(), 'sshcfg-cfg-'));
const env: LocalEnv = { home, localUser: userInfo().username, exists: () => false, vars: { HOME: home, KEYDIR: '/keys' }, uid: process.getuid!(), localHost: hostname(), servicePort: (n) => tcpServicePort(n) };

const NAMES = ['r1', 'r2', 'R1', 'router-a', 'lab-a', 'lab-b', 'bastion', 'jump1', '10.0.0.5', 'edge.example.com', 'Edge.Example.com', 'core1'];
const PATTERNS = [...NAMES, '*', 'r?', 'lab-*', '!bastion', '!r2', '10.0.0.*', '*.example.com', 'R*', 'jump*', '!lab-b', '*-a'];
const VALUES: Record<string, string[]> = {
  HostName: ['10.1.1.1', '%h.lab.example', '%h', 'Router.Example', '%%h.x', '%r.x', '2001:db8::1', 'r1', 'bastion.example'],
  User: ['admin', 'root', '"ops user"', '%u', 'op-%h', 'Admin'],
  Port: ['22', '2222', '2201', '0', '70000', 'ssh', '+22', '022', 'abc', '22 33', '"2222"', '65535', '-1', ' 2222'],
  IdentityFile: ['~/.ssh/id_lab', '~/.ssh/%h', '~/.ssh/%r@%h', '%d/.ssh/k_%u', '${KEYDIR}/k', '${UNSET}/k', 'none', '"~/my keys/k"', '/keys/%n-%p', '/keys/%C', '/keys/%x', '~/.ssh/id_lab'],
  ProxyJump: ['bastion', 'jump1', 'u@bastion:2222', 'u@bastion:2222,jump1', 'none', 'NONE', 'ssh://jump1:2200', 'jump1:99999', 'a@@b', '[2001:db8::9]:22', 'lab-a,lab-b', 'bastion,jump1'],
  ProxyCommand: ['nc %h %p', 'none', 'ssh -W %h:%p bastion'],
  StrictHostKeyChecking: ['yes', 'no', 'accept-new', 'ask', 'off', 'true', 'YES', 'bogus'],
  ConnectTimeout: ['5', '0', 'none', 'abc', '30', '-3'],
  AddressFamily: ['inet', 'inet6', 'any', 'bogus', 'INET'],
  IdentitiesOnly: ['yes', 'no', 'true', 'maybe', 'Yes'],
  HostKeyAlias: ['lab-key', 'R1-key'],
  HashKnownHosts: ['yes', 'no'],
  Ciphers: ['aes128-ctr,aes256-ctr', '+aes128-cbc', 'aes256-gcm@openssh.com'],
  Compression: ['yes', 'no'],
  ServerAliveInterval: ['30', 'x'],
  ForwardAgent: ['yes', 'no'],
};
const RARE = ['Match host r1', 'Include other.conf', 'Prot 22', 'UserKnownHostsFile /dev/null', 'BindAddress 10.9.9.9', 'Host', 'HostName', 'CanonicalizeHostname yes', 'RemoteCommand uptime'];
const KEYS = Object.keys(VALUES);

function keyword(k: string): string {
  return pick([k, k, k.toLowerCase(), k.toUpperCase()]);
}
function sep(): string {
  return pick([' ', ' ', '\t', '=', ' = ', '  ']);
}
function line(k: string, v: string): string {
  const indent = pick(['  ', '\t', '', '    ']);
  const comment = chance(0.05) ? ' # note' : '';
  const value = chance(0.1) && !v.includes('"') && !v.includes(' ') ? `"${v}"` : v;
  return `${indent}${keyword(k)}${sep()}${value}${comment}`;
}

function genConfig(): string {
  const out: string[] = [];
  if (chance(0.2)) out.push('# generated');
  if (chance(0.15)) out.push(line(pick(KEYS), ''), ...[]);
  if (chance(0.2)) { const k = pick(KEYS); out.push(line(k, pick(VALUES[k]!))); }
  const blocks = 1 + Math.floor(rnd() * 5);
  for (let b = 0; b < blocks; b++) {
    const pats = Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => pick(PATTERNS));
    out.push(`${keyword('Host')}${sep()}${pats.join(' ')}`);
    const n = 1 + Math.floor(rnd() * 5);
    for (let i = 0; i < n; i++) {
      if (chance(0.04)) { out.push(`  ${pick(RARE)}`); continue; }
      const k = pick(KEYS);
      out.push(line(k, pick(VALUES[k]!)));
    }
    if (chance(0.1)) out.push('');
  }
  if (chance(0.3)) out.push(`Host *\n  ${keyword('User')} ${pick(['fallback', 'root'])}`);
  const text = out.filter((l) => l.trim() !== '' || chance(0.5)).join('\n') + '\n';
  return chance(0.1) ? text.replace(/\n/g, '\r\n') : text;
}

function genSpec(file: string): ConnectionSpec {
  return {
    host: pick(NAMES),
    become: false,
    becomeUser: 'root',
    sshConfigFile: file,
    ...(chance(0.15) ? { port: pick([22, 2200, 2222]) } : {}),
    ...(chance(0.15) ? { user: pick(['ansible', 'root']) } : {}),
    ...(chance(0.15) ? { privateKeyFile: '/keys/inv' } : {}),
    ...(chance(0.05) ? { proxyJump: pick(['bastion', 'none', 'u@jump1:2222']) } : {}),
    ...(chance(0.05) ? { identitiesOnly: pick([true, false]) } : {}),
  };
}

const runSsh: RunSshG = (args) => new Promise((resolve) => {
  execFile('/usr/bin/ssh', args, { env: { HOME: home, PATH: '/usr/bin:/bin', LANG: 'C', LC_ALL: 'C' } }, (err, stdout, stderr) => {
    resolve({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr });
  });
});

const hopView = (h: Hop) => ({
  host: h.host, port: h.port, user: h.user, identityFiles: h.identityFiles, defaultIdentities: h.defaultIdentities, hostKeyName: h.hostKeyName,
  strict: h.strictHostKeys ?? false, only: h.identitiesOnly ?? false, hash: h.hashKnownHosts ?? false, timeout: h.connectTimeoutMs, af: h.addressFamily, alg: h.algorithms,
});
const view = (t: Target) => ({ ...hopView(t), jumps: t.jumps.map(hopView) });

type Outcome = { ok: true; v: ReturnType<typeof view> } | { ok: false; msg: string };
async function outcome(f: () => Promise<Target> | Target): Promise<Outcome> {
  try {
    return { ok: true, v: view(await f()) };
  } catch (err) {
    return { ok: false, msg: (err as Error).message };
  }
}

function diffKeys(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  return Object.keys({ ...a, ...b }).filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
}

const classes = new Map<string, { n: number; example: string }>();
for (let i = 0; i < count; i++) {
  const text = genConfig();
  const file = join(dir, `c${i % 4}`);
  writeFileSync(file, text);
  const spec = genSpec(file);
  const ossh = await outcome(() => resolveWithOpenSsh('inv', spec, runSsh, env));
  const { sshConfigFile: _f, ...plain } = spec;
  const own = await outcome(() => resolveTarget('inv', plain, parseSshConfig(text, file), env));
  let cls: string | undefined;
  if (ossh.ok && own.ok) {
    const d = diffKeys(ossh.v, own.v).filter((k) => k !== 'alg' || own.v.alg !== undefined);
    // Jump hosts: the same comparison, per hop (algorithms only where teqlctl read some).
    if (d.includes('jumps') && ossh.v.jumps.length === own.v.jumps.length && ossh.v.jumps.every((h, j) => diffKeys(h, own.v.jumps[j]!).every((k) => k === 'alg' && own.v.jumps[j]!.alg === undefined))) d.splice(d.indexOf('jumps'), 1);
    if (d.length > 0) cls = `differ: ${d.join(',')}`;
  } else if (!ossh.ok && own.ok) cls = `ssh refuses, teqlctl accepts: ${ossh.msg.replace(/.*failed \(exit \d+\): /, '').replaceAll(dir, '').replace(/\/c\d:? line \d+:?/, '').replace(/ \/ .*/, '').replace(/'[^']*'|"[^"]*"/g, 'X').slice(0, 90)}`;
  else if (ossh.ok && !own.ok) cls = `teqlctl refuses: ${/[a-z]+ [a-z]+/i.exec(own.msg.replace(/^.*?: /, ''))?.[0]} ${/file:?\d*|c\d:\d+/.test(own.msg) ? 'with file:line' : 'NO file:line'}`;
  if (!cls) continue;
  const c = classes.get(cls) ?? { n: 0, example: '' };
  if (c.n++ === 0) c.example = `--- host ${spec.host} spec ${JSON.stringify(plain)}\n${text}--- ssh: ${JSON.stringify(ossh)}\n--- own: ${JSON.stringify(own)}`;
  classes.set(cls, c);
}
for (const [cls, c] of [...classes].sort((a, b) => b[1].n - a[1].n)) console.log(`\n### ${c.n} x ${cls}\n${c.example}`);
console.log(`\n${count} cases, ${classes.size} classes`);
