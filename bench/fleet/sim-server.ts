// SIMULATED fleet: one in-process ssh2 Server per host, each on its own 127.0.0.1 port with its own
// host key, answering teqlctl's scripts from the facts recorded on the lab (sim-host.ts). Runs as a
// child process of the bench so that the CPU and memory measured in the engine are teqlctl's alone.
//
//   tsx bench/fleet/sim-server.ts <hosts> <dir> [delay-ms] [shared|per-host] [pairs|hubs]
// (per-host: one known_hosts file per host instead of one for the fleet; hubs: hubs with 5 spokes
// each (hub-fleet.ts), whose facts come from teqlctl's own planner instead of the recordings.)
// Prints one JSON line {"ready":...} when listening; then reads lines on stdin:
//   stats  -> one JSON line: connections and scripts per host, unexpected scripts
//   reset  -> every host back to pristine, counters to zero; answers {"reset":true}
//   zero   -> counters to zero, hosts left as they are; answers {"zero":true}
//   faults KIND=HOST,... -> from now on HOST fails as KIND says (unreachable: the connection is
//             dropped at once; apply: the first step fails; ping: every ping is lost); `faults`
//             alone clears them; answers {"faults":N}
// and exits when stdin closes.
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { timingSafeEqual } from 'node:crypto';
import ssh2 from 'ssh2';
import { renderFleetInventory, simHostName, type SimHost } from './inventory.js';
import { hubHostName, renderHubInventory, type HubHost } from './hub-fleet.js';
import { hubFacts } from './hub-facts.js';
import { hasBarrier, ownIdentity, reply, rewriteForPair, type SimFacts, type SimState } from './sim-host.js';
import { CHECK_MARKER as CHECK, STEP_MARKER as STEP } from '../../src/router/markers.js';

const [hostsArg, dir, delayArg, knownHostsMode = 'shared', topology = 'pairs'] = process.argv.slice(2);
const hubs = topology === 'hubs';
const count = Number(hostsArg);
if (!Number.isInteger(count) || count < 1 || !dir) throw new Error('usage: sim-server.ts <hosts> <dir> [delay-ms]');
const delayMs = Number(delayArg ?? 0);
const fixtures = join(import.meta.dirname, '..', 'fixtures');
const fixture = (name: string) => readFileSync(join(fixtures, `${name}.txt`), 'utf8');
const FACTS = { a: { pristine: fixture('a-pristine'), converged: fixture('a-converged') }, b: { pristine: fixture('b-pristine'), converged: fixture('b-converged') } };

interface HostRuntime {
  spec: SimHost | HubHost;
  facts: SimFacts;
  state: SimState;
  connections: number;
  scripts: Record<string, number>;
}

/** ssh2's ed25519 keygen drops a leading zero byte about once in 250 keys, which its parser then refuses: retry. */
function keyPair(): { private: string; public: string } {
  for (;;) {
    const k = ssh2.utils.generateKeyPairSync('ed25519');
    if (!(ssh2.utils.parseKey(k.private) instanceof Error) && !(ssh2.utils.parseKey(k.public) instanceof Error)) return k;
  }
}

const clientKey = keyPair();
const clientPub = ssh2.utils.parseKey(clientKey.public);
if (clientPub instanceof Error) throw clientPub;
const keyFile = join(dir, 'id_ed25519');
writeFileSync(keyFile, clientKey.private);
chmodSync(keyFile, 0o600);
let unexpected: string[] = [];
let missingSections = new Set<string>();

function authenticate(ctx: ssh2.AuthContext): void {
  if (ctx.method !== 'publickey') return ctx.reject(['publickey']);
  const pub = clientPub as ssh2.ParsedKey;
  const want = pub.getPublicSSH();
  const same = ctx.key.algo === pub.type && ctx.key.data.length === want.length && timingSafeEqual(ctx.key.data, want);
  if (!same || (ctx.signature && pub.verify(ctx.blob!, ctx.signature, ctx.hashAlgo) !== true)) return ctx.reject();
  ctx.accept();
}

type Fault = 'unreachable' | 'apply' | 'ping';
let faults = new Map<string, Fault>();

/** A failed first step, as the apply script prints it, with no facts and no barrier (it stopped). */
function failedApply(): { stdout: string; code: number } {
  return { stdout: `${STEP} 0 2\nRTNETLINK answers: Operation not permitted (SIMULATED fault)\n`, code: 2 };
}

function serve(host: HostRuntime, client: ssh2.Connection): void {
  host.connections++;
  if (faults.get(host.spec.name) === 'unreachable') {
    client.on('error', () => undefined);
    client.end();
    return;
  }
  // A real router answers as fast as it can: no Nagle stalls on the simulated side of the link.
  (client as unknown as { setNoDelay(on: boolean): void }).setNoDelay(true);
  client.on('error', () => undefined);
  client.on('authentication', authenticate);
  client.on('ready', () => {
    client.on('session', (acceptSession) => {
      const session = acceptSession();
      session.on('exec', (accept, rejectExec, info) => {
        if (info.command === 'true') {
          const done = accept();
          done.exit(0);
          return done.end();
        }
        if (!/(^|[\s/])sh -s$/.test(info.command)) return rejectExec(); // bare or as bounded() wraps it
        const stream = accept();
        const chunks: Buffer[] = [];
        // A staged apply is answered up to its barrier while its channel stays open; the rest
        // (the checks, or nothing) when stdin ends, as a router's waiting shell does.
        let headLength = 0;
        let ended = false;
        const answer = (script: string, end: boolean) => {
          const fault = faults.get(host.spec.name);
          let r = reply(script, host.state, host.facts);
          if (fault === 'apply' && r.kind === 'apply') {
            r = { ...r, ...failedApply(), state: host.state };
            end = true;
          }
          if (fault === 'ping' && r.kind === 'verify') r = { ...r, stdout: r.stdout.replace(/3 received, 0% packet loss/g, '0 received, 100% packet loss').replace(new RegExp(`^(${CHECK} \\d+) 0 1$`, 'gm'), '$1 1 3') };
          host.state = r.state;
          host.scripts[r.kind] = (host.scripts[r.kind] ?? 0) + 1;
          if (r.kind === 'unknown') unexpected.push(`${host.spec.name}: ${script.slice(0, 120)}`);
          for (const m of r.missing) missingSections.add(m);
          const send = () => {
            if (r.stdout) stream.write(r.stdout);
            if (r.stderr) stream.stderr.write(r.stderr);
            if (!end || ended) return;
            ended = true;
            stream.exit(r.code);
            stream.end();
          };
          if (delayMs > 0) setTimeout(send, delayMs);
          else send();
        };
        stream.on('data', (d: Buffer) => {
          chunks.push(d);
          const script = Buffer.concat(chunks).toString('utf8');
          if (headLength === 0 && hasBarrier(script)) {
            headLength = script.length;
            answer(script, false);
          }
        });
        stream.on('end', () => {
          const script = Buffer.concat(chunks).toString('utf8');
          const rest = script.slice(headLength);
          if (ended) return;
          if (headLength > 0 && !rest.trim()) {
            ended = true;
            stream.exit(0);
            return stream.end();
          }
          answer(rest, true);
        });
      });
    });
  });
}

const runtimes: HostRuntime[] = [];
const knownHosts: string[] = [];
for (let i = 0; i < count; i++) {
  const { name, pair, router } = simHostName(i);
  const hostKey = keyPair();
  const runtime: HostRuntime = {
    // A hub fleet's facts are planned once the inventory is written (hubFacts below).
    spec: hubs ? { ...hubHostName(i), port: 0 } : { name, pair, router, port: 0 },
    facts: hubs ? { pristine: '', converged: '' } : ownIdentity({ pristine: rewriteForPair(FACTS[router].pristine, pair), converged: rewriteForPair(FACTS[router].converged, pair) }, name),
    state: 'pristine',
    connections: 0,
    scripts: {},
  };
  const server = new ssh2.Server({ hostKeys: [hostKey.private] }, (client) => serve(runtime, client));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  runtime.spec.port = (server.address() as { port: number }).port;
  const [type, blob] = hostKey.public.split(' ');
  knownHosts.push(`[127.0.0.1]:${runtime.spec.port} ${type} ${blob}`);
  runtimes.push(runtime);
}
const knownHostsFile = join(dir, 'known_hosts');
writeFileSync(knownHostsFile, knownHosts.join('\n') + '\n');
if (knownHostsMode === 'per-host') {
  mkdirSync(join(dir, 'known_hosts.d'));
  runtimes.forEach((r, i) => {
    r.spec.knownHostsFile = join(dir, 'known_hosts.d', r.spec.name);
    writeFileSync(r.spec.knownHostsFile, knownHosts[i] + '\n');
  });
}
const inventory = join(dir, 'inventory.yml');
const sharedKnownHosts = knownHostsMode === 'per-host' ? undefined : knownHostsFile;
writeFileSync(inventory, hubs ? renderHubInventory(runtimes.map((r) => r.spec as HubHost), keyFile, sharedKnownHosts) : renderFleetInventory(runtimes.map((r) => r.spec as SimHost), keyFile, sharedKnownHosts));
const planned = hubs ? hubFacts(inventory, runtimes.map((r) => r.spec as HubHost)) : undefined;
if (planned) for (const r of runtimes) r.facts = ownIdentity(planned.facts(r.spec.name), r.spec.name);
process.stdout.write(JSON.stringify({ ready: true, hosts: count, inventory, firstPort: runtimes[0]!.spec.port, keyFile, knownHostsFile }) + '\n');

const rl = createInterface({ input: process.stdin });
rl.on('line', (line) => {
  if (line === 'stats') {
    const hosts = Object.fromEntries(runtimes.map((r) => [r.spec.name, { connections: r.connections, scripts: r.scripts, state: r.state }]));
    process.stdout.write(JSON.stringify({ hosts, unexpected, missingSections: [...missingSections] }) + '\n');
  } else if (line === 'reset') {
    for (const r of runtimes) Object.assign(r, { state: 'pristine', connections: 0, scripts: {} });
    unexpected = [];
    missingSections = new Set();
    process.stdout.write(JSON.stringify({ reset: true }) + '\n');
  } else if (line === 'faults' || line.startsWith('faults ')) {
    faults = new Map(line.slice('faults'.length).trim().split(',').filter(Boolean).map((kv) => {
      const [kind, name] = kv.split('=') as [Fault, string];
      return [name, kind];
    }));
    // A hub whose spoke fails keeps its other bundles: what its partial rollback leaves.
    if (planned) for (const r of runtimes) r.facts = ownIdentity(planned.facts(r.spec.name, [...faults.keys()]), r.spec.name);
    process.stdout.write(JSON.stringify({ faults: faults.size }) + '\n');
  } else if (line === 'zero') {
    for (const r of runtimes) Object.assign(r, { connections: 0, scripts: {} });
    process.stdout.write(JSON.stringify({ zero: true }) + '\n');
  }
});
rl.on('close', () => process.exit(0));
