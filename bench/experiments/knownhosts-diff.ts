// Differential test: teqlctl's host key check (connectSsh, the real connection code, with hosts
// resolved by `ssh -G` as when ssh is installed) against OpenSSH's `ssh` client, both connecting to
// in-process ssh2 servers on loopback (127.0.0.1 and ::1) that present host keys chosen per case, both reading the same
// random known_hosts files (UserKnownHostsFile, GlobalKnownHostsFile, the inventory's
// teqlctl_known_hosts_file, handed to ssh as one more global file). The servers refuse every login:
// "passed on to authentication" is the verdict "accepted". Prints each class of difference with one
// example; exit 1 on a class not explained by docs/ssh.md.
// Usage: npx tsx bench/experiments/knownhosts-diff.ts [count] [seed]
import { execFile } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { findSsh, type LocalSsh } from '../../src/connect/local-ssh.js';
import { connectSsh } from '../../src/connect/ssh-transport.js';
import { seededRandom } from './seeded-random.js';

const count = Number(process.argv[2] ?? 300);
const { rnd, pick, chance } = seededRandom(Number(process.argv[3] ?? 1));
const dir = mkdtempSync(join(tmpdir(), 'khdiff-'));
const home = join(dir, 'home');
const sshBin = findSsh();
if (!sshBin) throw new Error('no ssh client found');

// Host keys: two of each type, so that a line can name the host with the wrong key of the right type.
type Key = { type: string; private: string; blob: string };
function key(type: 'ed25519' | 'ecdsa' | 'rsa', bits?: number): Key {
  for (;;) {
    const pair = type === 'ed25519' ? ssh2.utils.generateKeyPairSync('ed25519') : ssh2.utils.generateKeyPairSync(type as 'rsa', { bits: bits! });
    const parsed = ssh2.utils.parseKey(pair.private);
    if (parsed instanceof Error) continue;
    const [t, b] = pair.public.split(' ');
    return { type: t!, private: pair.private, blob: b! };
  }
}
const KEYS = [key('ed25519'), key('ed25519'), key('ecdsa', 256), key('ecdsa', 256), key('ecdsa', 384), key('rsa', 2048), key('rsa', 2048)];
const login = key('ed25519');
writeFileSync(join(dir, 'login'), login.private, { mode: 0o600 });

// One server per host key set: most present one key, a few several (the client picks by its order).
const SETS = [[0], [1], [2], [4], [5], [0, 5], [2, 0], [5, 2]];
const servers = await Promise.all(SETS.map((set) => new Promise<{ port: number; keys: Key[]; close: () => void }>((resolve) => {
  const server = new ssh2.Server({ hostKeys: set.map((i) => KEYS[i]!.private) }, (client) => {
    client.on('error', () => undefined);
    client.on('authentication', (ctx) => ctx.reject(['publickey']));
  });
  server.listen(0, '::', () => resolve({ port: (server.address() as AddressInfo).port, keys: set.map((i) => KEYS[i]!), close: () => server.close() }));
})));

const hashed = (name: string) => {
  const salt = randomBytes(20);
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
};
const flipCase = (s: string) => [...s].map((c) => (chance(0.5) ? c.toUpperCase() : c.toLowerCase())).join('');

type Case = { config: string; files: Record<string, string>; user: string[]; global: string[]; inventory?: string; alias: string; strict: string; server: (typeof servers)[number] };

function genCase(i: number): Case {
  const server = pick(servers);
  const hostName = pick(['127.0.0.1', '127.0.0.1', 'localhost', 'LocalHost', '::1']);
  const alias = pick(['r1', 'R1', 'edge.example.com']);
  const keyAlias = chance(0.3) ? pick(['lab-key', 'Lab-Key', 'r1', '10.0.0.5', `[10.0.0.5]:2222`, 'LAB-KEY']) : undefined;
  const lookup = keyAlias ?? `[${hostName.toLowerCase()}]:${server.port}`;
  const names = [
    lookup, lookup, lookup, flipCase(lookup), `[127.0.0.1]:${server.port}`, `[localhost]:${server.port}`, '127.0.0.1', 'localhost', `[127.0.0.1]:22`,
    `[127.0.0.*]:${server.port}`, `[127.0.0.?]:${server.port}`, '*', `[127.0.0.1]:${server.port + 1}`, 'r1', 'lab-key', 'Lab-Key', '10.0.0.5', 'other', '::1', `[::1]:${server.port}`, 'lab-*', '*-key',
  ];
  const hostField = (): string => {
    if (chance(0.2)) return hashed(pick(names));
    const n = 1 + Math.floor(rnd() * 3);
    return Array.from({ length: n }, () => (chance(0.15) ? '!' : '') + pick(names)).join(',');
  };
  const keyField = (): string => {
    const k = chance(0.5) ? pick(server.keys) : pick(KEYS);
    const r = rnd();
    if (r < 0.04) return `${k.type} ${k.blob.slice(0, -4)}`; // bad base64 / truncated blob
    if (r < 0.08) return `${pick(KEYS.filter((o) => o.type !== k.type)).type} ${k.blob}`; // type field that is not the blob's
    if (r < 0.1) return `ssh-foo ${k.blob}`;
    if (r < 0.12) return k.type; // missing key
    if (r < 0.14) return `${k.type} ${k.blob}=`; // trailing junk
    return `${k.type} ${k.blob}`;
  };
  const line = (): string => {
    const marker = chance(0.1) ? '@revoked ' : chance(0.06) ? '@cert-authority ' : chance(0.02) ? pick(['@REVOKED ', '@bogus ']) : '';
    const sp = () => pick([' ', ' ', '\t', '  ']);
    let l = `${marker}${hostField()}${sp()}${keyField()}`;
    if (chance(0.1)) l += ` comment ${pick(['x', 'root@h'])}`;
    if (chance(0.05)) l += pick([' ', '\t']);
    if (chance(0.05)) l = pick([' ', '\t']) + l;
    return l;
  };
  const file = (): string => {
    const lines = Array.from({ length: Math.floor(rnd() * 6) }, line);
    if (chance(0.2)) lines.splice(Math.floor(rnd() * (lines.length + 1)), 0, pick(['# a comment', '', '   ']));
    const text = lines.join('\n') + (chance(0.8) ? '\n' : '');
    return chance(0.08) ? text.replace(/\n/g, '\r\n') : text;
  };
  const files: Record<string, string> = {};
  const path = (n: string) => join(dir, `c${i}-${n}`);
  const user = Array.from({ length: 1 + Math.floor(rnd() * 2) }, (_, j) => path(`user${j}`));
  const global = Array.from({ length: Math.floor(rnd() * 2) }, (_, j) => path(`global${j}`));
  for (const f of [...user, ...global]) if (chance(0.9)) files[f] = file();
  const inventory = chance(0.3) ? path('inventory') : undefined;
  if (inventory) files[inventory] = file();
  const strict = pick(['yes', 'yes', 'no', 'ask', 'accept-new', '']);
  const config = [
    `Host ${alias}`,
    `  HostName ${hostName}`,
    `  Port ${server.port}`,
    '  User u',
    `  IdentityFile ${join(dir, 'login')}`,
    '  IdentitiesOnly yes',
    `  UserKnownHostsFile ${user.join(' ')}`,
    `  GlobalKnownHostsFile ${global.length ? global.join(' ') : '/dev/null'}`,
    ...(keyAlias ? [`  HostKeyAlias ${keyAlias}`] : []),
    ...(strict ? [`  StrictHostKeyChecking ${strict}`] : []),
    ...(chance(0.2) ? [`  CheckHostIP ${pick(['yes', 'no'])}`] : []),
    ...(chance(0.15) ? [`  HostKeyAlgorithms ${pick(['ssh-ed25519', 'rsa-sha2-512,rsa-sha2-256', 'ecdsa-sha2-nistp256', '-ssh-ed25519', '+ssh-rsa', 'rsa-sha2-256,ssh-ed25519'])}`] : []),
    ...(chance(0.15) ? [`  HashKnownHosts ${pick(['yes', 'no'])}`] : []),
    '',
  ].join('\n');
  return { config, files, user, global, alias, strict, server, ...(inventory ? { inventory } : {}) };
}

type Verdict = 'accepted' | 'unknown' | 'changed' | 'revoked' | 'no kex' | string;

function sshVerdict(c: Case, cfg: string): Promise<{ v: Verdict; out: string }> {
  // The inventory's file is not ssh's: given to it as one more global file, as teqlctl reads it.
  const extra = c.inventory ? ['-o', `GlobalKnownHostsFile ${[...(c.global.length ? c.global : []), c.inventory].join(' ')}`] : [];
  return new Promise((resolve) => {
    execFile(sshBin!, ['-F', cfg, '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=5', ...(only !== undefined ? ['-vvv'] : []), ...extra, c.alias, 'true'], { env: { HOME: home, PATH: '/usr/bin:/bin', LANG: 'C', LC_ALL: 'C' }, timeout: 15_000 }, (_err, _o, stderr) => {
      const s = String(stderr);
      // Passed on to authentication: accepted, whatever ssh warned of first (StrictHostKeyChecking no).
      const v = /Permission denied/.test(s) ? 'accepted'
        : /REVOKED HOST KEY/.test(s) ? 'revoked'
        : /REMOTE HOST IDENTIFICATION HAS CHANGED/.test(s) ? 'changed'
        : /Host key verification failed|No \S+ host key is known/.test(s) ? 'unknown'
        : /no matching host key/.test(s) ? 'no kex'
        : `other: ${s.trim().split('\n').at(-1)}`;
      resolve({ v, out: s.trim() });
    });
  });
}

async function teqlVerdict(c: Case, cfg: string): Promise<{ v: Verdict; out: string }> {
  const local: LocalSsh = { env: { home, localUser: userInfo().username, exists: () => false }, config: [], ssh: sshBin!, configFile: cfg };
  // StrictHostKeyChecking no or accept-new: the like of teqlctl's --accept-new (yes, ask and unset: without).
  const acceptNew = c.strict === 'no' || c.strict === 'accept-new';
  try {
    const t = await connectSsh('r', { host: c.alias, become: false, becomeUser: 'root', ...(c.inventory ? { knownHostsFile: c.inventory } : {}) }, { local, readyTimeoutMs: 10_000, warn: () => undefined, ...(acceptNew ? { onUnknownHostKey: async () => true } : {}) });
    await t.close();
    return { v: 'accepted', out: 'logged in' };
  } catch (err) {
    const m = (err as Error).message;
    const v = /authentication as .* failed/.test(m) ? 'accepted'
      : /HOST KEY CHANGED/.test(m) ? 'changed'
      : /@revoked/.test(m) ? 'revoked'
      : /unknown host key|host key of a new type/.test(m) ? 'unknown'
      : /no matching/i.test(m) ? 'no kex'
      : `other: ${m.slice(0, 120)}`;
    return { v, out: m };
  }
}

// Differences docs/ssh.md explains (class b): teqlctl refuses with a clear message where ssh goes on.
function explained(c: Case, ossh: Verdict, own: Verdict, sshMsg: string): string | undefined {
  if (ossh === 'accepted' && own === 'changed' && c.strict === 'no') return 'b: StrictHostKeyChecking no: ssh connects despite a changed key, teqlctl refuses (docs/ssh.md "There is no option that turns checking off")';
  if (ossh === 'accepted' && own === 'revoked' && c.strict === 'no') return 'b: StrictHostKeyChecking no: ssh connects despite an @revoked key, teqlctl refuses (docs/ssh.md "There is no option that turns checking off")';
  if (ossh === 'accepted' && own === 'revoked' && c.strict === 'accept-new' && /marked as revoked/.test(sshMsg)) return 'b: a key @revoked under the bare host name only: ssh warns and, with accept-new, adds it; teqlctl refuses (docs/ssh.md: "an @revoked line there is refused (ssh only warns there, and with accept-new goes on)")';
  return undefined;
}

// KH_CASE=N: that case alone, with ssh's -vv output (to see why ssh decided as it did).
const only = process.env.KH_CASE === undefined ? undefined : Number(process.env.KH_CASE);
const classes = new Map<string, { n: number; example: string; explained: boolean }>();
const tally = { same: 0, b: 0, c: 0 };
const pairs = new Map<string, number>();
for (let i = 0; i < count; i++) {
  const c = genCase(i);
  if (only !== undefined && i !== only) continue;
  const cfg = join(dir, `c${i}.conf`);
  writeFileSync(cfg, c.config);
  const write = () => { for (const [f, t] of Object.entries(c.files)) writeFileSync(f, t); for (const f of [...c.user, ...c.global]) if (!(f in c.files)) rmSync(f, { force: true }); };
  write();
  const ossh = await sshVerdict(c, cfg);
  const afterSsh = Object.fromEntries(c.user.map((f) => [f, safeRead(f)]));
  write();
  const own = await teqlVerdict(c, cfg);
  const afterOwn = Object.fromEntries(c.user.map((f) => [f, safeRead(f)]));
  const pair = `ssh ${ossh.v.startsWith('other') ? 'other' : ossh.v} / teqlctl ${own.v.startsWith('other') ? 'other' : own.v}${c.strict ? ` (StrictHostKeyChecking ${c.strict})` : ''}`;
  pairs.set(pair, (pairs.get(pair) ?? 0) + 1);
  let cls: string | undefined;
  let isExplained = false;
  let recorded = '';
  if (ossh.v === own.v) {
    // Both accepted a new key: written to the same file, in the same form (hashed or not).
    const shape = (m: Record<string, string>) => JSON.stringify(Object.values(m).map((t) => t.replace(/\|1\|[^ ]+/g, '|1|H')));
    // teqlctl puts a key it records on a line of its own when the file's last line lacks its
    // newline; ssh 9.2 runs the two lines together (docs/ssh.md, --accept-new).
    const ownLikeSsh = Object.fromEntries(Object.entries(afterOwn).map(([f, t]) => {
      const was = c.files[f] ?? '';
      return [f, was !== '' && !was.endsWith('\n') && t.startsWith(`${was}\n`) ? was + t.slice(was.length + 1) : t];
    }));
    if (shape(afterSsh) !== shape(afterOwn) && shape(afterSsh) === shape(ownLikeSsh)) {
      cls = 'b: a key recorded where the last line lacks its newline: ssh runs the lines together, teqlctl adds the newline (docs/ssh.md: "on a line of its own even when the file\'s last line lacks its newline")';
      isExplained = true;
    } else if (shape(afterSsh) !== shape(afterOwn)) {
      cls = 'c: recorded a new key otherwise';
      recorded = `\n--- recorded by ssh: ${JSON.stringify(afterSsh)}\n--- recorded by teqlctl: ${JSON.stringify(afterOwn)}`;
    }
  } else {
    const b = explained(c, ossh.v, own.v, ossh.out);
    if (b) { cls = b; isExplained = true; }
    else cls = `c: ssh ${ossh.v}, teqlctl ${own.v}`;
  }
  if (only !== undefined) console.log(`${c.config}\n${JSON.stringify(c.files, null, 1)}\n${ossh.out}\n--- teqlctl: ${own.out}`);
  if (!cls) { tally.same++; continue; }
  tally[isExplained ? 'b' : 'c']++;
  const k = classes.get(cls) ?? { n: 0, example: '', explained: isExplained };
  if (k.n++ === 0) {
    const files = Object.entries(c.files).map(([f, t]) => `--- ${f.replace(dir + '/', '')}\n${t}`).join('');
    k.example = `--- server keys ${c.server.keys.map((x) => x.type + ' ' + x.blob.slice(-12)).join(', ')} port ${c.server.port}\n--- config\n${c.config}${files}--- ssh: ${ossh.out.split('\n').filter((l) => !/^@|^IT IS|^Someone|^It is|^The fingerprint|^Please contact|^Add correct|^Offending|^Host key for|^SHA256|^\s*$/.test(l)).join(' | ')}\n--- teqlctl: ${own.out}${recorded}`;
  }
  classes.set(cls, k);
}
function safeRead(f: string): string {
  try { return readFileSync(f, 'utf8'); } catch { return ''; }
}
for (const [cls, k] of [...classes].sort((a, b) => b[1].n - a[1].n)) console.log(`\n### ${k.n} x ${cls}\n${k.example.replaceAll(dir + '/', '')}`);
console.log(`\nverdicts: ${[...pairs].sort().map(([p, n]) => `${n} x ${p}`).join('; ')}`);
console.log(`\n${count} cases: ${tally.same} same verdict, ${tally.b} explained (b), ${tally.c} unexplained (c); ${classes.size} classes`);
for (const s of servers) s.close();
rmSync(dir, { recursive: true, force: true });
process.exit(tally.c > 0 ? 1 : 0);
