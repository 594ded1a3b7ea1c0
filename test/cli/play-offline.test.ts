// --syntax-check, --list-hosts and --list-tasks through the built CLI: they load and validate as a
// run does and connect to nothing (both routers point at a server of this test that counts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { countingServer, labInventory, runCli } from '../helpers/cli.js';
import { schemaErrors } from '../helpers/json-schema.js';

const PLAYBOOK = 'playbooks/teql.yml';
let server: Awaited<ReturnType<typeof countingServer>>;
let inventory: string;

beforeAll(async () => {
  server = await countingServer();
  inventory = labInventory(server.port);
});
afterAll(() => server.close());

describe('play, offline', () => {
  it('--syntax-check prints the playbook as ansible-playbook does and exits 0', async () => {
    const r = await runCli(['play', '-i', inventory, PLAYBOOK, '--syntax-check']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`\nplaybook: ${PLAYBOOK}\n`);
  });

  it('--list-hosts lists each play\'s hosts, --limit applied, a bundle\'s other end added with a note', async () => {
    const r = await runCli(['play', '-i', inventory, PLAYBOOK, '--list-hosts', '-l', 'router_b']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('  play #1: Load sharing over multiple interfaces (LARTC chapter 10)\n    hosts (2):\n      router_a\n      router_b\n');
    expect(r.stderr).toBe('note: --limit: router_a added, the other end of bundle router_a:teql0<->router_b:teql0 (a bundle is changed on both of its ends or not at all)\n');
    expect(r.stdout).not.toContain('tasks:');
  });

  it('--list-tasks lists each host\'s tasks, loops expanded, with their module and line', async () => {
    const r = await runCli(['play', '-i', inventory, PLAYBOOK, '--list-tasks']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('    tasks:\n      router_a:\n        links up (eth1)  [link, line 16]\n        links up (eth2)  [link, line 16]\n');
    expect(r.stdout).toContain('        verify over each link and the equalizer (10.0.0.4)  [ping, line 41]');
  });

  it('a bad playbook is exit 2 at its file:line:column, as in a run', async () => {
    const bad = join(dirname(inventory), 'bad.yml');
    writeFileSync(bad, '- hosts: routers\n  tasks:\n    - link: { dev: eth1, state: sideways }\n');
    const r = await runCli(['play', '-i', inventory, bad, '--syntax-check']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${bad}:3:`);
    expect(r.stdout).toBe('');
  });

  it('--json with an offline look is refused (exit 2) with an error document', async () => {
    const r = await runCli(['play', '-i', inventory, PLAYBOOK, '--list-hosts', '--json']);
    expect(r.code).toBe(2);
    const doc = JSON.parse(r.stdout) as { errors: Array<{ message: string }> };
    expect(doc.errors[0]!.message).toContain('--json does not combine with --syntax-check, --list-hosts or --list-tasks');
    expect(schemaErrors('error', doc)).toEqual([]);
  });

  it('none of them connected to the routers, where a --check run does connect', async () => {
    expect(server.connections()).toBe(0);
    const r = await runCli(['play', '-i', inventory, PLAYBOOK, '--check']);
    expect(r.code).toBe(3);
    expect(server.connections()).toBeGreaterThan(0);
  });
});
