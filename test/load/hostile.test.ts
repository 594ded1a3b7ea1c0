// Hostile inventories and playbooks (test/load/hostile/), each run through the real CLI:
//   NN-name.playbook.yml   runs with hostile/shared/inventory.yml
//   NN-name.inventory.yml  runs with hostile/shared/playbook.yml
//   GENERATED: shapes that cost time or memory (chained variables, group lattices, globs, loops,
//   nesting), written by a generator here; a case may bring its own inventory.
// Every run must end in exit 2 naming the file (file:line:col), make no connection to router_a (a TCP
// server of this test on 127.0.0.1), stay under 300 MB and, for the generated shapes, under 5 s (the largest: a file at the token
// budget parsed whole, and a run at the task budget, both sized for a fleet of 5000 routers). The CLI runs under python3, which reads the
// child's peak memory with getrusage. The file over the size limit is generated here, never committed.
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MAX_FILE_BYTES, MAX_TASK_INSTANCES, MAX_TOKENS } from '../../src/load/limits.js';

const HOSTILE = fileURLToPath(new URL('./hostile/', import.meta.url));
const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const MAX_RSS_KB = 300 * 1024;
const HUGE_BYTES = MAX_FILE_BYTES + 2 * 1024 * 1024;

// Prints the child's exit code, its stderr, its peak memory (ru_maxrss, kB on Linux) and its wall time as JSON;
// a child still running after 30 s is killed (code -9).
const MEASURE = `
import json, resource, subprocess, sys, time
t = time.monotonic()
try:
    r = subprocess.run(sys.argv[1:], capture_output=True, timeout=30)
    code, err = r.returncode, r.stderr
except subprocess.TimeoutExpired as e:
    code, err = -9, (e.stderr or b"") + b"(killed after 30 s)"
print(json.dumps({"code": code, "stderr": err.decode("utf-8", "replace"), "maxrss_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, "wall_ms": int((time.monotonic() - t) * 1000)}))
`;

// [case, line:col of the first problem ('' = no position), message fragment]
const CASES: [string, string, string][] = [
  ['01-semicolon-interface.playbook.yml', '4:20', "link.dev: interface name 'eth1; reboot' contains whitespace (U+0020)"],
  ['02-command-substitution-sysctl.playbook.yml', '4:23', "sysctl.name: 'net.ipv4.$(reboot)' is not a sysctl name"],
  ['03-backticks-address.playbook.yml', '4:38', "'10.0.0.1`reboot`' in '10.0.0.1`reboot`/24' is not an IPv4 address"],
  ['04-newline-dev.playbook.yml', '4:20', "interface name 'eth1\\nreboot' contains whitespace (U+000A)"],
  ['05-cyrillic-lookalike.playbook.yml', '4:20', "contains the non-ASCII character 'е' (U+0435); interface names are ASCII"],
  ['06-zero-width-space.playbook.yml', '4:20', "interface name 'eth\\u200b1' contains an invisible character (U+200B)"],
  ['07-long-interface.playbook.yml', '4:20', '(102400 characters) is 102400 bytes long; Linux allows at most 15'],
  ['08-sixteen-byte-name.playbook.yml', '4:20', "interface name 'abcdefghijklmnop' is 16 bytes long; Linux allows at most 15"],
  ['09-leading-zero-address.playbook.yml', '4:19', "ping.to: '010.1.1.1' is not an IPv4 address"],
  ['10-alias-bomb.playbook.yml', '8:67', 'aliases expand to more than 100000 nodes'],
  ['11-huge-file.playbook.yml', '', `cannot read playbook '@DIR@/11-huge-file.playbook.yml': it is ${HUGE_BYTES} bytes, more than the limit of ${MAX_FILE_BYTES} bytes (8 MiB)`],
  ['12-ansible-host-newline.inventory.yml', '7:7', "ansible_host of host router_a: '127.0.0.1\\n-oProxyCommand=reboot' contains whitespace"],
  ['13-ansible-user-proxycommand.inventory.yml', '8:7', "ansible_user of host router_a: 'root -oProxyCommand=reboot' contains whitespace"],
  ['14-become-user.inventory.yml', '9:7', "ansible_become_user of host router_a: 'root; reboot' is not a user name"],
  ['15-alias-count.playbook.yml', '7:14', "*dev is used too often here (more than the yaml parser's maxAliasCount of 1000"],
  ['16-recursive-alias.playbook.yml', '4:28', 'alias *slaves refers to a node that contains it'],
  ['17-deep-nesting.playbook.yml', '4:75', '[ ] and { } nested more than 64 levels deep'],
  ['18-sysctl-value-newline.playbook.yml', '4:51', "sysctl.value: the value '1\\nreboot' contains a control or invisible character (U+000A)"],
  ['19-host-name-zero-width.inventory.yml', '4:5', "invalid host name 'router\\u200b_a'"],
  ['20-key-file-newline.inventory.yml', '7:7', 'ansible_ssh_private_key_file of host router_a: '],
  ['21-ansible-host-leading-zero.inventory.yml', '7:7', "ansible_host of host router_a: '127.000.000.001' is not an IPv4 address"],
  ['22-long-address.playbook.yml', '4:19', "ping.to: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa…' (102400 characters) is not an IPv4 address"],
  ['23-sysctl-backticks.playbook.yml', '4:23', "'net.ipv4.`reboot`' is not a sysctl name"],
  ['24-become-user-substitution.inventory.yml', '9:7', "ansible_become_user of host router_a: '$(reboot)' is not a user name"],
];

const ROUTER_A = '    router_a:\n      ansible_host: 127.0.0.1\n      ansible_port: __PORT__\n      ansible_user: tester\n      ansible_ssh_private_key_file: __KEY__\n';
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
const chain = (n: number, step: (prev: string) => string): string => range(n).map((i) => `    v${i + 1}: "${step(`v${i}`)}"\n`).join('');
const MAX_WALL_MS = 5000;

/** [case, its files, line:col of the first problem, message fragment]; the case file is the one named. */
const GENERATED: [string, () => { playbook?: string; inventory?: string }, string, string][] = [
  // Each variable reads the previous one twice: 2^60 lookups without memoisation.
  ['25-chained-variables.playbook.yml', () => ({ playbook: `- hosts: all\n  vars:\n    v0: true\n${chain(60, (v) => `{{ ${v} and ${v} }}`)}  tasks:\n    - ping: { to: "{{ v60 }}" }\n` }), '65:19', 'ping.to: expected a string, got the boolean true'],
  // Each level's two groups both have the next level's two groups as children (2^40 paths), and the last level closes a cycle.
  ['26-group-lattice.inventory.yml', () => {
    const levels = range(40).map((l) => `    l${l}a:\n      children:\n        ${l < 39 ? `l${l + 1}a: {}\n        l${l + 1}b: {}` : 'l0a: {}'}\n    l${l}b:\n      children:\n        ${l < 39 ? `l${l + 1}a: {}\n        l${l + 1}b: {}` : 'l0b: {}'}\n`).join('');
    return { inventory: `all:\n  hosts:\n${ROUTER_A}  children:\n${levels}` };
  }, '323:9', "group 'l0a' is its own ancestor: all -> l0a -> l1a"], // at l39a's entry l0a, which closes the loop
  // As a regular expression, ^.*a.*a…c$ against a long name of a's backtracks through C(250, 24) ways.
  ['27-glob-backtracking.playbook.yml', () => ({
    inventory: `all:\n  hosts:\n${ROUTER_A}    ${'a'.repeat(250)}:\n`,
    playbook: `- hosts: "${'*a'.repeat(24)}*c"\n  tasks:\n    - ping: { to: 192.0.2.1 }\n`,
  }), '1:10', `host pattern '${'*a'.repeat(24)}*c' matches no host or group`],
  // 300 loops over 10 000 items: 3 million tasks if the budget is checked only after a host is done.
  ['28-loop-budget.playbook.yml', () => ({
    playbook: `- hosts: all\n  vars:\n    devs: [${range(10_000).map(() => 'e').join(',')}]\n  tasks:\n${range(300).map(() => '    - link: { dev: "{{ item }}", state: up }\n      loop: "{{ devs }}"\n').join('')}`,
  }), `${6 + 2 * Math.floor(MAX_TASK_INSTANCES / 10_000)}:13`, `the run has more than ${MAX_TASK_INSTANCES} tasks`],
  ['29-nested-parentheses.playbook.yml', () => ({ playbook: `- hosts: all\n  tasks:\n    - ping: { to: 192.0.2.1 }\n      when: "${'('.repeat(20_000)}true${')'.repeat(20_000)}"\n` }), '4:13', 'nested more than'],
  ['30-many-nots.playbook.yml', () => ({ playbook: `- hosts: all\n  tasks:\n    - ping: { to: 192.0.2.1 }\n      when: "${'not '.repeat(50_000)}true"\n` }), '4:13', 'nested more than'],
  ['31-long-and-chain.playbook.yml', () => ({ playbook: `- hosts: all\n  tasks:\n    - ping: { to: 192.0.2.1 }\n      when: "true${' and true'.repeat(50_000)}"\n` }), '4:13', 'nested more than'],
  // A string that doubles per variable: 2^50 characters.
  ['32-doubling-string.playbook.yml', () => ({ playbook: `- hosts: all\n  vars:\n    v0: ab\n${chain(50, (v) => `{{ ${v} }}{{ ${v} }}`)}  tasks:\n    - ping: { to: "{{ v50 }}" }\n` }), '55:19', 'ping.to: the template gives more than 1048576 characters'],
  // A list that doubles per variable (items shared, so cheap to build, 2^50 to walk).
  ['33-doubling-list.playbook.yml', () => ({ playbook: `- hosts: all\n  vars:\n    v0: [e]\n${chain(50, (v) => `{{ [${v}, ${v}] }}`)}  tasks:\n    - link: { dev: "{{ item }}", state: up }\n      loop: "{{ v50 }}"\n` }), '56:13', 'loop: a templated value has more than 100000 values'],
  // A file just under the token budget, parsed whole (the parser's memory at its largest), with a bad value after it.
  ['34-token-budget.playbook.yml', () => ({ playbook: `- hosts: all\n  vars:\n    big: [${Array.from({ length: (MAX_TOKENS - 100) / 2 }, () => '1').join(',')}]\n  tasks:\n    - link: { dev: "eth1; reboot", state: up }\n` }), '5:20', "interface name 'eth1; reboot' contains whitespace"],
];

interface Run {
  code: number;
  wallMs: number;
  stderr: string;
  maxrssKb: number;
}

/** A TCP server standing in for router_a: it counts connections and closes each at once. */
async function fakeRouter(): Promise<{ server: Server; port: number; connections: () => number }> {
  let count = 0;
  const server = createServer((socket) => {
    count++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, connections: () => count };
}

function runCli(dir: string, inventory: string, playbook: string): Promise<Run> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (\`npm test\` builds before testing)`);
  // A home of its own: no ~/.ssh/config, known_hosts or agent of the person running the tests.
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: join(dir, 'home'), LANG: 'C.UTF-8' };
  const argv = ['-c', MEASURE, process.execPath, CLI, 'play', '-i', join(dir, inventory), join(dir, playbook), '--check'];
  return new Promise((resolve, reject) => {
    execFile('python3', argv, { env, maxBuffer: 16 * 1024 * 1024 }, (err, stdout) => {
      if (err) return reject(err);
      const r = JSON.parse(stdout) as { code: number; stderr: string; maxrss_kb: number; wall_ms: number };
      resolve({ code: r.code, stderr: r.stderr, maxrssKb: r.maxrss_kb, wallMs: r.wall_ms });
    });
  });
}

let keyText: string | undefined;

/** Copies the case (none: only the shared files) into a new folder, with the placeholders filled in. */
function prepare(name: string | undefined, port: number): { dir: string; inventory: string; playbook: string } {
  const dir = mkdtempSync(join(tmpdir(), 'teqlctl-hostile-'));
  // A real key, so that a run the loader let through would really open a connection.
  keyText ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const key = join(dir, 'id_rsa');
  writeFileSync(key, keyText, { mode: 0o600 });
  const fill = (text: string) => text.replaceAll('__PORT__', String(port)).replaceAll('__KEY__', key).replaceAll('__LONG_100K__', 'a'.repeat(100 * 1024));
  const copy = (from: string, to: string) => writeFileSync(join(dir, to), fill(readFileSync(join(HOSTILE, from), 'utf8')));
  copy('shared/inventory.yml', 'inventory.yml');
  copy('shared/playbook.yml', 'playbook.yml');
  if (name === undefined) return { dir, inventory: 'inventory.yml', playbook: 'playbook.yml' };
  const generated = GENERATED.find(([c]) => c === name);
  if (generated) {
    const files = generated[1]();
    writeFileSync(join(dir, name), fill(name.endsWith('.inventory.yml') ? files.inventory! : files.playbook!));
    const other = name.endsWith('.inventory.yml') ? 'playbook.yml' : 'inventory.yml';
    const otherText = name.endsWith('.inventory.yml') ? files.playbook : files.inventory;
    if (otherText !== undefined) writeFileSync(join(dir, other), fill(otherText));
  } else if (name === '11-huge-file.playbook.yml') {
    const line = '- { hosts: all, tasks: [] }\n';
    writeFileSync(join(dir, name), line.repeat(Math.ceil(HUGE_BYTES / line.length)).slice(0, HUGE_BYTES));
  } else {
    copy(name, name);
  }
  return name.endsWith('.inventory.yml') ? { dir, inventory: name, playbook: 'playbook.yml' } : { dir, inventory: 'inventory.yml', playbook: name };
}

describe('hostile inventories and playbooks', () => {
  it('covers every file of the corpus', () => {
    const files = readdirSync(HOSTILE).filter((f) => statSync(join(HOSTILE, f)).isFile());
    expect(files.sort()).toEqual(CASES.map(([c]) => c).filter((c) => !c.startsWith('11-')).sort());
  });

  it('the fake router sees the connection of a valid run (so zero connections below means something)', async () => {
    const router = await fakeRouter();
    try {
      const { dir, inventory, playbook } = prepare(undefined, router.port);
      const run = await runCli(dir, inventory, playbook);
      expect(run.code, run.stderr).toBe(3);
      expect(router.connections()).toBeGreaterThan(0);
    } finally {
      router.server.close();
    }
  }, 30_000);

  /** Runs one case and checks what every hostile input must give: exit 2 at its place, a short message, no connection, under 300 MB. */
  async function refused(name: string, place: string, fragment: string): Promise<Run> {
    const router = await fakeRouter();
    try {
      const { dir, inventory, playbook } = prepare(name, router.port);
      const run = await runCli(dir, inventory, playbook);
      const file = join(dir, name);
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toContain(place ? `${file}:${place}: ` : file);
      expect(run.stderr).toContain(fragment.replace('@DIR@', dir));
      expect(run.stderr.length, 'a short message, whatever the value').toBeLessThan(2000);
      expect(router.connections()).toBe(0);
      expect(run.maxrssKb).toBeLessThan(MAX_RSS_KB);
      return run;
    } finally {
      router.server.close();
    }
  }

  it.concurrent.each(CASES)('%s ends in exit 2 at %s, connecting to nothing', async (name, place, fragment) => {
    await refused(name, place, fragment);
  }, 30_000);

  // One at a time, so that the wall time measures the case, not its neighbours.
  it.each(GENERATED.map(([c, , place, fragment]) => [c, place, fragment]))('%s ends in exit 2 at %s within 5 s and 300 MB', async (name, place, fragment) => {
    const run = await refused(name, place, fragment);
    expect(run.wallMs).toBeLessThan(MAX_WALL_MS);
  }, 90_000);
});
