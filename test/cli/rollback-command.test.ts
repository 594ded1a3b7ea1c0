// `teqlctl rollback` and `teqlctl status` against replayed routers: the SSH transport is replaced by
// recorded ones, everything else (loading the inventory, the command, its output) is the real thing.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { renderInventory } from '../../src/lab/inventory.js';
import { parseFacts } from '../../src/gather/parse-facts.js';
import { stateLines } from '../../src/rollback/compare.js';
import { RecordedRouter, recording } from '../helpers/replay-transport.js';
import { schemaErrors } from '../helpers/json-schema.js';
import { recordPlaybookDir, recordRunOutcome, rememberedPlaybookDir } from '../../src/cli/remembered-playbook-dir.js';

const routers = new Map<string, RecordedRouter>();
/** How each host was asked to be connected to, the last time. */
const specs = new Map<string, { host: string; port?: number; user?: string }>();
vi.mock('../../src/connect/ssh-transport.js', () => ({
  connectSsh: async (host: string, spec: { host: string; port?: number; user?: string }) => (specs.set(host, spec), routers.get(host)!.connect(host)),
}));
const { buildProgram, describeError } = await import('../../src/cli/program.js');

const dir = mkdtempSync(join(tmpdir(), 'teqlctl-cli-test-'));
const inventory = join(dir, 'lab.yml');
writeFileSync(inventory, renderInventory({ sshPorts: { a: 2201, b: 2202 }, privateKeyFile: join(dir, 'id'), knownHostsFile: join(dir, 'known_hosts') }));
writeFileSync(join(dir, 'known_hosts'), ''); // a missing one is refused before connecting

const RUN = '20260101T000000-abc';
const runLine = (id: string, state: string) => `@@teqlctl-run\tid=${id}\tstate=${state}\tstarted=2026-01-01T00:00:00Z\tconfirmed=\treverted=\tarmed=0\towner=op@host\ttimeout=120\n`;
/** What confirmation recorded on router `r`: the state lines of its converged facts. */
const afterState = (r: 'a' | 'b') => [...stateLines(parseFacts(r, recording(r, 'converged')))].sort().join('\n') + '\n';

let out: string;
beforeEach(() => {
  out = '';
  process.exitCode = undefined;
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((out += String(chunk)), true));
  for (const r of ['a', 'b'] as const) {
    const router = new RecordedRouter(r);
    router.state = 'converged';
    // The run reads as rolled-back once undone (the fresh connection's re-read checks it).
    let undone = false;
    router.byLabel.set('status', () => ({ stdout: runLine(RUN, undone ? 'rolled-back' : 'confirmed') }));
    router.byLabel.set('after-state', () => ({ stdout: afterState(r) }));
    router.byLabel.set('lock', () => ({ stdout: '' }));
    router.byLabel.set('arm', () => ({ stdout: '' }));
    router.byLabel.set('rollback', () => ((undone = true), { stdout: '', state: 'pristine' }));
    router.byLabel.set('confirm', () => ({ stdout: '@@teqlctl-confirm ok\n' }));
    router.byLabel.set('unlock', () => ({ stdout: '' }));
    routers.set(`router_${r}`, router);
  }
});
afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

const cli = (...args: string[]) => buildProgram().parseAsync(['node', 'teqlctl', ...args]);

describe('-e on status, rollback and unlock', () => {
  it('sets the connection as play\'s -e does: a play run with -e ansible_user=admin is rolled back logging in as admin (a review)', async () => {
    for (const command of ['status', 'unlock', 'rollback']) {
      specs.clear();
      await cli(command, '-i', inventory, '-e', 'ansible_user=admin', '-e', 'ansible_port=2299');
      expect(specs.get('router_a'), command).toMatchObject({ host: '127.0.0.1', port: 2299, user: 'admin' });
      expect(specs.get('router_b'), command).toMatchObject({ port: 2299, user: 'admin' });
    }
    specs.clear();
    await cli('status', '-i', inventory);
    expect(specs.get('router_a')).toMatchObject({ port: 2201, user: 'root' });
  });

  it('a run played with -e ansible_user (recorded by name): rollback and unlock without it are refused before any router is contacted (exit 2), naming it; status says so and goes on; given again, with any value, they go on (a review)', async () => {
    const state = mkdtempSync(join(tmpdir(), 'teqlctl-state-'));
    vi.stubEnv('XDG_STATE_HOME', state);
    let err = '';
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((err += String(chunk)), true));
    try {
      recordPlaybookDir([inventory], join(dir, 'teql.yml'), RUN, undefined, ['ansible_port', 'ansible_user']);
      recordRunOutcome([inventory], RUN, true);
      for (const command of ['rollback', 'unlock']) {
        specs.clear();
        const refused = await cli(command, '-i', inventory, '-e', 'ansible_port=2299').catch((e: unknown) => e);
        expect(describeError(refused), command).toEqual({ code: 2, message: `run ${RUN} was played with -e ansible_user, which set how it logged in; this command was not given it and reads the inventory alone\n  hint: give -e ansible_user=... again, as the run was given it (teqlctl records the names, never the values, which may be secrets); any value is taken as yours` });
        expect(specs.size, command).toBe(0);
      }
      specs.clear();
      await cli('status', '-i', inventory);
      expect(err).toContain(`note: run ${RUN} was played with -e ansible_port, -e ansible_user, which set how it logged in; this command was not given them and reads the inventory alone: give -e ansible_port=... -e ansible_user=... as the run was given them to log in as it did`);
      expect(specs.get('router_a')).toMatchObject({ port: 2201, user: 'root' });
      await cli('rollback', '-i', inventory, '-e', 'ansible_user=root', '-e', 'ansible_port=2201');
      expect(out).toContain(`router_a: run ${RUN} undone`);
      expect(process.exitCode).toBeUndefined();
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('only the run acted for is checked (a --run not recorded here is not held to the latest run\'s -e); an older name counts as the current one; --force says it and goes on (a review)', async () => {
    const state = mkdtempSync(join(tmpdir(), 'teqlctl-state-'));
    vi.stubEnv('XDG_STATE_HOME', state);
    let err = '';
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((err += String(chunk)), true));
    try {
      recordPlaybookDir([inventory], join(dir, 'teql.yml'), '20251231T000000-old', undefined, ['ansible_user']);
      recordRunOutcome([inventory], '20251231T000000-old', true);
      // The routers' run, RUN, is not recorded here: the other run's -e says nothing of it.
      await cli('rollback', '-i', inventory, '--run', RUN);
      expect(out).toContain(`router_a: run ${RUN} undone`);
      recordPlaybookDir([inventory], join(dir, 'teql.yml'), RUN, undefined, ['ansible_ssh_user']);
      recordRunOutcome([inventory], RUN, true);
      specs.clear();
      await cli('unlock', '-i', inventory, '-e', 'ansible_user=root');
      expect(specs.get('router_a')).toMatchObject({ user: 'root' });
      specs.clear();
      await cli('unlock', '-i', inventory, '--force');
      expect(specs.get('router_a')).toMatchObject({ user: 'root' });
      expect(err).toContain(`note: run ${RUN} was played with -e ansible_ssh_user, which set how it logged in`);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('a bad -e stops the command before any router is contacted (exit 2)', async () => {
    specs.clear();
    const err = await cli('rollback', '-i', inventory, '-e', 'bad').catch((e: unknown) => e as Error);
    expect(describeError(err)).toMatchObject({ code: 2 });
    expect(specs.size).toBe(0);
  });
});

describe('teqlctl rollback', () => {
  it('undoes the latest confirmed run on every router that has it, when nothing moved since', async () => {
    await cli('rollback', '-i', inventory);
    expect(out).toBe(`router_a: run ${RUN} undone\nrouter_b: run ${RUN} undone\nrouter_a: verified over a fresh connection\nrouter_b: verified over a fresh connection\n`);
    // Locked before the comparison, armed before the undo, read again and confirmed over a fresh connection.
    expect(routers.get('router_a')!.labels()).toEqual(['status', 'lock', 'after-state', 'facts', 'arm', 'rollback', 'facts', 'status', 'confirm', 'unlock']);
    expect(routers.get('router_a')!.sent.find((x) => x.label === 'rollback')!.script).toContain(`/var/lib/teqlctl/runs/${RUN}/undo-`);
    expect(process.exitCode).toBeUndefined();
  });

  it('refuses when a router moved since that run, naming what moved (exit 8), and undoes nothing', async () => {
    routers.get('router_b')!.state = 'pristine';
    const err = await cli('rollback', '-i', inventory).catch((e: unknown) => e);
    const { code, message } = describeError(err);
    expect(code).toBe(8);
    expect(message).toContain(`the routers changed since run ${RUN}`);
    expect(message).toContain('router_b: no longer holds module sch_teql loaded');
    expect(message).not.toContain('router_a:');
    expect(message).toContain('hint: undo anyway with --force');
    for (const r of routers.values()) expect(r.labels()).not.toContain('rollback');
  });

  it('undoes anyway with --force', async () => {
    routers.get('router_b')!.state = 'pristine';
    await cli('rollback', '-i', inventory, '--force');
    expect(out).toContain(`router_b: run ${RUN} undone`);
  });

  it('refuses when no router has a confirmed run (exit 8)', async () => {
    for (const r of routers.values()) r.byLabel.set('status', () => ({ stdout: runLine(RUN, 'reverted') }));
    const err = await cli('rollback', '-i', inventory).catch((e: unknown) => e);
    expect(describeError(err)).toEqual({ code: 8, message: 'error: no confirmed run to roll back on these routers\n  hint: see `teqlctl status -i ...`' });
  });

  it('without --run, refuses a run that read another playbook folder than the one it logged in with, and names it; with --run, undoes it as it logged in, and forgets it was confirmed', async () => {
    const state = mkdtempSync(join(tmpdir(), 'teqlctl-state-'));
    vi.stubEnv('XDG_STATE_HOME', state);
    try {
      const [first, later] = ['first', 'later'].map((d) => join(dir, d));
      for (const d of [first!, later!]) mkdirSync(join(d, 'host_vars'), { recursive: true });
      // RUN read `first`; a later run from `later` was confirmed on other routers of this inventory.
      recordPlaybookDir([inventory], join(first!, 'teql.yml'), RUN);
      recordRunOutcome([inventory], RUN, true);
      recordPlaybookDir([inventory], join(later!, 'teql.yml'), '20260102T000000-def');
      recordRunOutcome([inventory], '20260102T000000-def', true);
      const err = await cli('rollback', '-i', inventory).catch((e: unknown) => e);
      expect(describeError(err)).toEqual({ code: 8, message: `error: run ${RUN} is the routers' latest confirmed run; it logged in with the group_vars/ and host_vars/ in ${first}, and this rollback with the group_vars/ and host_vars/ in ${later}: nothing was rolled back\n  hint: name it, to log in as it did: teqlctl rollback -i ... --run ${RUN} (or choose with --playbook-dir)` });
      for (const r of routers.values()) expect(r.labels()).toEqual(['status']);
      await cli('rollback', '-i', inventory, '--run', RUN);
      expect(out).toContain(`router_b: run ${RUN} undone`);
      expect(process.exitCode).toBeUndefined();
      // Undone: no longer the latest confirmed run whose folder a rollback reads.
      expect(rememberedPlaybookDir([inventory], 'latest-confirmed')?.runId).toBe('20260102T000000-def');
      recordRunOutcome([inventory], '20260102T000000-def', false);
      expect(rememberedPlaybookDir([inventory], 'latest-confirmed')).toMatchObject({ runId: '20260102T000000-def', confirmed: false });
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('a run the routers name that is not recorded here, while another run\'s folder was read: refused, naming --playbook-dir (a review)', async () => {
    const state = mkdtempSync(join(tmpdir(), 'teqlctl-state-'));
    vi.stubEnv('XDG_STATE_HOME', state);
    try {
      const first = join(dir, 'first-only');
      mkdirSync(join(first, 'group_vars'), { recursive: true });
      recordPlaybookDir([inventory], join(first, 'teql.yml'), '20251231T000000-old');
      recordRunOutcome([inventory], '20251231T000000-old', true);
      const err = await cli('rollback', '-i', inventory, '-l', 'all').catch((e: unknown) => e);
      expect(describeError(err)).toEqual({ code: 8, message: `error: run ${RUN} is the routers' latest confirmed run, and how it logged in is not recorded here (another controller's run, the inventory given otherwise, or an old one); this rollback read the group_vars/ and host_vars/ in ${first}, as another run did: nothing was rolled back\n  hint: give the folder of the playbook run ${RUN} ran: teqlctl rollback -i ... -l 'all' --playbook-dir DIR (--playbook-dir ${first} if it logged in as that one did)` });
      for (const r of routers.values()) expect(r.labels()).toEqual(['status']);
      // Given the folder, it goes on.
      await cli('rollback', '-i', inventory, '--playbook-dir', first);
      expect(out).toContain(`router_a: run ${RUN} undone`);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('a rollback of some hosts (-l) leaves the run recorded confirmed: the others still hold it (a review)', async () => {
    const state = mkdtempSync(join(tmpdir(), 'teqlctl-state-'));
    vi.stubEnv('XDG_STATE_HOME', state);
    try {
      const folder = join(dir, 'limited');
      mkdirSync(join(folder, 'group_vars'), { recursive: true });
      recordPlaybookDir([inventory], join(folder, 'teql.yml'), RUN);
      recordRunOutcome([inventory], RUN, true);
      await cli('rollback', '-i', inventory, '-l', 'router_a');
      expect(out).toContain(`router_a: run ${RUN} undone`);
      expect(rememberedPlaybookDir([inventory], 'latest-confirmed')).toMatchObject({ runId: RUN, confirmed: true });
      // Both: undone everywhere, no longer confirmed.
      await cli('rollback', '-i', inventory, '--run', RUN);
      expect(rememberedPlaybookDir([inventory], 'latest-confirmed')).toMatchObject({ runId: RUN, confirmed: false });
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('reports an undo that wrote errors as an incomplete rollback (exit 6)', async () => {
    routers.get('router_a')!.byLabel.set('rollback', () => ({ stdout: '', stderr: 'RTNETLINK answers: Cannot find device "teql0"\n' }));
    await cli('rollback', '-i', inventory);
    expect(out).toContain(`router_a: run ${RUN} undone with errors (exit 0): RTNETLINK answers: Cannot find device "teql0"`);
    expect(process.exitCode).toBe(6);
  });
});

describe('teqlctl status', () => {
  it('shows each router\'s runs and lock as JSON', async () => {
    routers.get('router_a')!.byLabel.set('status', () => ({ stdout: runLine(RUN, 'pending').replace('armed=0', 'armed=1') + '@@teqlctl-lock\trun=' + RUN + '\towner=op@host\tstarted=s\tpid=1\talive=1\t\n' }));
    await cli('status', '-i', inventory, '--json');
    const json = JSON.parse(out);
    expect(json).toMatchObject({ schemaVersion: 1, kind: 'status' });
    expect(json.hosts.router_a.lock).toEqual({ run: RUN, owner: 'op@host', started: 's', alive: true });
    expect(json.hosts.router_a.runs[0]).toMatchObject({ id: RUN, state: 'pending', armed: true });
    expect(json.hosts.router_b.lock).toBeUndefined();
    expect(schemaErrors('status', json)).toEqual([]);
  });
});
