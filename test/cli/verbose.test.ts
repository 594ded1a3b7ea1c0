// play -v through the built CLI: the run log's lines reach stderr as they are written; stdout keeps
// the recap (or the JSON document) alone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countingServer, labInventory, runCli } from '../helpers/cli.js';

let server: Awaited<ReturnType<typeof countingServer>>;
let inventory: string;

beforeAll(async () => {
  server = await countingServer();
  inventory = labInventory(server.port);
});
afterAll(() => server.close());

describe('play -v', () => {
  it('streams the log to stderr, and nothing of it to stdout', async () => {
    const r = await runCli(['play', '-i', inventory, 'playbooks/teql.yml', '--check', '-v', '--json']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^# \S+ run \S+ started: playbooks\/teql\.yml on router_a, router_b \(check mode\)$/m);
    expect(JSON.parse(r.stdout)).toMatchObject({ kind: 'run', exitCode: 3 });
  });

  it('without -v, stderr carries none of the log', async () => {
    const r = await runCli(['play', '-i', inventory, 'playbooks/teql.yml', '--check', '--json']);
    expect(r.code).toBe(3);
    expect(r.stderr).not.toMatch(/^# \S+ run /m);
  });
});
