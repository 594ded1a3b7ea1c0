// Hostile inventories and playbooks (test/load/hostile/), each run through the real CLI:
//   NN-name.playbook.yml   runs with hostile/shared/inventory.yml
//   NN-name.inventory.yml  runs with hostile/shared/playbook.yml
// Every run must end in exit 2 naming the file (file:line:col), make no connection to router_a (a TCP
// server of this test on 127.0.0.1) and stay under 200 MB. The CLI runs under python3, which reads the
// child's peak memory with getrusage. The 10 MB file is generated here, never committed.
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const HOSTILE = fileURLToPath(new URL('./hostile/', import.meta.url));
const CLI = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url));
const MAX_RSS_KB = 200 * 1024;
const HUGE_BYTES = 10 * 1024 * 1024;

// Prints the child's exit code, its stderr and its peak memory (ru_maxrss, kB on Linux) as JSON.
const MEASURE = `
import json, resource, subprocess, sys
r = subprocess.run(sys.argv[1:], capture_output=True)
print(json.dumps({"code": r.returncode, "stderr": r.stderr.decode("utf-8", "replace"), "maxrss_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
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
  ['11-huge-file.playbook.yml', '', `cannot read playbook '@DIR@/11-huge-file.playbook.yml': it is ${HUGE_BYTES} bytes, more than the limit of 1048576 bytes`],
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

interface Run {
  code: number;
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
      const r = JSON.parse(stdout) as { code: number; stderr: string; maxrss_kb: number };
      resolve({ code: r.code, stderr: r.stderr, maxrssKb: r.maxrss_kb });
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
  if (name === '11-huge-file.playbook.yml') {
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

  it.concurrent.each(CASES)('%s ends in exit 2 at %s, connecting to nothing', async (name, place, fragment) => {
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
    } finally {
      router.server.close();
    }
  }, 30_000);
});
