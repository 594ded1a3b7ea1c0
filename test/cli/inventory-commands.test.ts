// status, unlock and rollback against fake routers: a failing remote command is an error with its
// exit code, never an empty answer; rollback takes the lock and reads the router again after.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatStatus, readStatus, statusDocument } from '../../src/cli/status-command.js';
import { schemaErrors } from '../helpers/json-schema.js';
import { unlockAll } from '../../src/cli/unlock-command.js';
import { rollbackRun, type RollbackOptions } from '../../src/play/rollback-run.js';
import type { HostConnection } from '../../src/cli/inventory-hosts.js';
import type { CommandResult, Transport } from '../../src/connect/transport.js';
import { TeqlError } from '../../src/errors.js';
import { parseFacts } from '../../src/gather/parse-facts.js';
import { stateLines } from '../../src/rollback/compare.js';
import { inventoryConnectOptions } from '../../src/cli/inventory-hosts.js';

const FACTS = readFileSync('test/gather/fixtures/lab-a-pristine.txt', 'utf8');
const SUDO_WANTS_PASSWORD = { code: 1, stdout: '', stderr: 'sudo: a password is required\n' };

type Reply = { code: number; stdout: string; stderr: string };

/** A router that answers each script by its label; records the labels it was sent. */
function fakeRouter(host: string, replies: Record<string, Reply | ((n: number) => Reply)>): Transport & { labels: string[]; scripts: string[] } {
  const counts = new Map<string, number>();
  const labels: string[] = [];
  const scripts: string[] = [];
  return {
    host,
    labels,
    scripts,
    stats: { roundTrips: 0, bytesSent: 0, bytesReceived: 0 },
    async run(label: string, script: string): Promise<CommandResult> {
      labels.push(label);
      scripts.push(script);
      const n = counts.get(label) ?? 0;
      counts.set(label, n + 1);
      const r = replies[label];
      const reply = typeof r === 'function' ? r(n) : r ?? { code: 0, stdout: '', stderr: '' };
      return { label, script, durationMs: 1, ...reply };
    },
    async close() {},
  };
}

const ok = (stdout = ''): Reply => ({ code: 0, stdout, stderr: '' });
const runLine = (id: string, state: string) => `@@teqlctl-run\tid=${id}\tstate=${state}\tstarted=2026-01-01T00:00:00Z\tconfirmed=\treverted=\tarmed=0\towner=me@here\ttimeout=120\n`;

describe('status', () => {
  it('a read that fails (sudo wanting a password) is an error with its exit code, not "no timer armed; not locked"', async () => {
    const conns: HostConnection[] = [{ host: 'router_a', transport: fakeRouter('router_a', { status: SUDO_WANTS_PASSWORD }) }];
    const { hosts, exitCode } = await readStatus(conns);
    expect(exitCode).toBe(3);
    const text = formatStatus(hosts);
    expect(text).toContain("router_a: reading teqlctl's runs and lock failed (exit 1): sudo: a password is required");
    expect(text).not.toContain('not locked');
  });

  it('reads the runs and the lock when the script succeeds, and reports an unreachable host', async () => {
    const conns: HostConnection[] = [
      { host: 'router_a', transport: fakeRouter('router_a', { status: ok(runLine('r1', 'confirmed')) }) },
      { host: 'router_b', error: 'connection refused' },
    ];
    const { hosts, exitCode } = await readStatus(conns);
    expect(exitCode).toBe(3);
    expect(formatStatus(hosts)).toBe('router_a: no timer armed; not locked\n  run r1  started 2026-01-01T00:00:00Z  confirmed\nrouter_b: unreachable: connection refused\n');
  });

  it('names the other ends a run kept (a hub after a partial rollback: the spokes it still serves)', async () => {
    const line = runLine('r1', 'confirmed').replace('\n', '\tpeers=router_a,router_c\n');
    // A run rolled back keeps none of them, whatever its meta still names.
    const back = runLine('r2', 'rolled-back').replace('\n', '\tpeers=router_a\n');
    const conns: HostConnection[] = [{ host: 'hub', transport: fakeRouter('hub', { status: ok(line + runLine('r0', 'confirmed') + back) }) }];
    const { hosts } = await readStatus(conns);
    expect(formatStatus(hosts)).toBe('hub: no timer armed; not locked\n  run r1  started 2026-01-01T00:00:00Z  confirmed  with router_a, router_c\n  run r0  started 2026-01-01T00:00:00Z  confirmed\n  run r2  started 2026-01-01T00:00:00Z  rolled-back\n');
  });

  it('a run teqlctl rollback undid says so, with when, not that another host failed (a review)', async () => {
    const undone = runLine('r1', 'rolled-back').replace('confirmed=\t', 'confirmed=2026-01-01T00:01:00Z\t').replace('\n', '\trolled_back=2026-01-02T00:00:00Z\n');
    const partial = runLine('r2', 'rolled-back').replace('confirmed=\t', 'confirmed=2026-01-01T00:01:00Z\t');
    const { hosts } = await readStatus([{ host: 'router_a', transport: fakeRouter('router_a', { status: ok(undone + partial) }) }]);
    expect(formatStatus(hosts)).toBe('router_a: no timer armed; not locked\n  run r1  started 2026-01-01T00:00:00Z  rolled-back by teqlctl rollback at 2026-01-02T00:00:00Z (confirmed here at 2026-01-01T00:01:00Z)\n  run r2  started 2026-01-01T00:00:00Z  rolled-back (after it was confirmed here at 2026-01-01T00:01:00Z: another host failed)\n');
  });

  it('a run teqlctl rollback undid with a failed step says so, in the text and in --json (undoFailed)', async () => {
    const undone = runLine('r1', 'rolled-back').replace('confirmed=\t', 'confirmed=2026-01-01T00:01:00Z\t').replace('\n', '\trolled_back=2026-01-02T00:00:00Z\tundo_failed=2026-01-02T00:00:00Z\n');
    const { hosts } = await readStatus([{ host: 'router_a', transport: fakeRouter('router_a', { status: ok(undone) }) }]);
    expect(formatStatus(hosts)).toContain('run r1  started 2026-01-01T00:00:00Z  rolled-back by teqlctl rollback at 2026-01-02T00:00:00Z (confirmed here at 2026-01-01T00:01:00Z), a step of its undo failed');
    const doc = statusDocument(hosts);
    expect((doc.hosts.router_a as { runs: unknown[] }).runs[0]).toMatchObject({ undoFailed: '2026-01-02T00:00:00Z' });
    expect(schemaErrors('status', JSON.parse(JSON.stringify(doc)))).toEqual([]);
  });

  it('a run pending since before the router restarted says that nothing will end it and nothing of it is left (it read "pending, no timer armed"; a review)', async () => {
    const line = runLine('r1', 'pending').replace('\n', '\tearlier=1\n');
    const { hosts } = await readStatus([{ host: 'router_a', transport: fakeRouter('router_a', { status: ok(line) }) }]);
    expect(formatStatus(hosts)).toContain('run r1  started 2026-01-01T00:00:00Z  pending (armed before the router restarted: the restart dropped its changes, and nothing will revert or end it; the baseline entries it recorded stay: a teardown puts back the values from before it)');
  });

  it('a run whose pid timer fired and runs its revert is said as reverting, not as an armed timer (a review)', async () => {
    const line = runLine('r1', 'reverting').replace('armed=0', 'armed=1');
    expect(line).toContain('armed=1');
    const { hosts } = await readStatus([{ host: 'router_a', transport: fakeRouter('router_a', { status: ok(line + runLine('r2', 'pending').replace('armed=0', 'armed=1')) }) }]);
    expect(formatStatus(hosts)).toBe("router_a: DEAD-MAN ARMED for run r2; DEAD-MAN REVERTING run r1; not locked\n  run r1  started 2026-01-01T00:00:00Z  reverting (its dead-man's revert is running now)\n  run r2  started 2026-01-01T00:00:00Z  pending (timer armed)\n");
    const { hosts: alone } = await readStatus([{ host: 'router_a', transport: fakeRouter('router_a', { status: ok(line) }) }]);
    expect(formatStatus(alone)).toMatch(/^router_a: DEAD-MAN REVERTING run r1; not locked\n/);
  });

  it('says why a run is abandoned: the boot script found it cut by a restart, with a later run after it', async () => {
    const conns: HostConnection[] = [{ host: 'router_a', transport: fakeRouter('router_a', { status: ok(runLine('r1', 'abandoned') + runLine('r2', 'confirmed')) }) }];
    const { hosts } = await readStatus(conns);
    expect(formatStatus(hosts)).toContain('run r1  started 2026-01-01T00:00:00Z  abandoned: the router restarted before it was confirmed (the restart dropped its kernel changes), and a later run was made after it, so it was not reverted');
  });
});

describe('secrets', () => {
  it('honour the same sources as play, and a sudo that wants a password nobody gave fails the connection', () => {
    const before = process.env.TEQLCTL_BECOME_PASSWORD;
    process.env.TEQLCTL_BECOME_PASSWORD = 'from env';
    try {
      expect(inventoryConnectOptions({}, false)).toEqual({ becomePassword: 'from env', strictBecome: true });
    } finally {
      if (before === undefined) delete process.env.TEQLCTL_BECOME_PASSWORD;
      else process.env.TEQLCTL_BECOME_PASSWORD = before;
    }
    const asking = inventoryConnectOptions({}, true);
    expect(typeof asking.askBecomePassword).toBe('function');
    expect(typeof asking.askKeyPassphrase).toBe('function');
  });
});

describe('unlock', () => {
  it('tells a refusal (exit 8) from a failure (any other code, with the code)', async () => {
    const refused = await unlockAll([{ host: 'a', transport: fakeRouter('a', { unlock: { code: 8, stdout: 'unlock: refused: run r1 is still connected (pid 9)\n', stderr: '' } }) }], false);
    expect(refused).toEqual({ lines: ['a: refused: run r1 is still connected (pid 9)'], exitCode: 8 });
    const failed = await unlockAll([{ host: 'a', transport: fakeRouter('a', { unlock: SUDO_WANTS_PASSWORD }) }], false);
    expect(failed).toEqual({ lines: ['a: unlock failed (exit 1): sudo: a password is required'], exitCode: 3 });
  });
});

describe('rollback', () => {
  const said: string[] = [];
  const opts = (reconnect: RollbackOptions['reconnect'], force = false): RollbackOptions => ({ run: 'r1', lockId: 'rb-1', owner: 'me@here', timeoutSec: 60, force, reconnect, say: (l) => said.push(l) });
  const freshRouter = (state = 'rolled-back') => fakeRouter('router_a', { facts: ok(FACTS), status: ok(runLine('r1', state)), confirm: ok('@@teqlctl-confirm ok\n') });
  const confirmedRouter = (over: Record<string, Reply | ((n: number) => Reply)> = {}) =>
    fakeRouter('router_a', { status: ok(runLine('r1', 'confirmed')), lock: ok(), 'after-state': ok(''), facts: ok(FACTS), rollback: ok(), ...over });

  it('a failing read is an error with its exit code', async () => {
    const t = fakeRouter('router_a', { status: SUDO_WANTS_PASSWORD });
    const err = await rollbackRun([{ host: 'router_a', transport: t }], opts(async () => t)).catch((e: unknown) => e as TeqlError);
    expect(err).toBeInstanceOf(TeqlError);
    expect((err as TeqlError).message).toBe("router_a: reading teqlctl's runs failed (exit 1): sudo: a password is required");
    expect((err as TeqlError).exitCode).toBe(3);
  });

  it('refuses when another run holds the lock, and changes nothing', async () => {
    const t = confirmedRouter({ lock: { code: 3, stdout: '@@teqlctl-lock held\nrun=r9\nowner=x@y\n', stderr: '' } });
    const err = await rollbackRun([{ host: 'router_a', transport: t }], opts(async () => t)).catch((e: unknown) => e as TeqlError);
    expect((err as TeqlError).exitCode).toBe(8);
    expect((err as TeqlError).message).toContain('router_a is locked: run=r9 owner=x@y');
    expect(t.labels).not.toContain('rollback');
  });

  it('refuses a run no longer confirmed under the lock (a second operator\'s rollback ended between the read and the lock): nothing undone, no --force hinted (a review)', async () => {
    const t = confirmedRouter({ lock: { code: 3, stdout: '@@teqlctl-not-confirmed rolled-back\n', stderr: '' } });
    const err = await rollbackRun([{ host: 'router_a', transport: t }], opts(async () => t)).catch((e: unknown) => e as TeqlError);
    expect((err as TeqlError).exitCode).toBe(8);
    expect((err as TeqlError).message).toBe('router_a: run r1 is no longer confirmed there (rolled-back): another rollback, or a dead-man, decided it after it was read; nothing was rolled back');
    expect((err as TeqlError).hint).toBe('see `teqlctl status -i ...`');
    expect(t.labels).not.toContain('rollback');
    expect(t.labels).not.toContain('arm');
  });

  it('one router under two names (the same boot and links answered both) is refused before its lock is taken: nothing rolled back (exit 8)', async () => {
    const identity = `@@teqlctl-identity\tboot=b1\t${JSON.stringify([{ ifindex: 1, ifname: 'lo', address: '00:00:00:00:00:00' }])}\n`;
    const twin = () => confirmedRouter({ status: ok(runLine('r1', 'confirmed') + identity) });
    const [a, b] = [twin(), twin()];
    const err = await rollbackRun([{ host: 'router_a', transport: a }, { host: 'router_b', transport: b }], opts(async () => freshRouter())).catch((e: unknown) => e as TeqlError);
    expect((err as TeqlError).exitCode).toBe(8);
    expect((err as TeqlError).message).toBe('router_a and router_b are one router (one kernel boot and the same links answered both names): refused, so that it is not rolled back twice at once; nothing was rolled back');
    expect(a.labels).toEqual(['status']);
    expect(b.labels).toEqual(['status']);
    // The script asked for it (IDENTITY_LINE): the answer above is what a router prints then.
    expect(a.scripts[0]).toContain("printf '@@teqlctl-identity\\tboot=%s\\t'");
    // Another boot under the same links: two routers (the script asked for the identity line).
    const other = confirmedRouter({ status: ok(runLine('r1', 'confirmed') + identity.replace('boot=b1', 'boot=b2')) });
    const err2 = await rollbackRun([{ host: 'router_a', transport: twin() }, { host: 'router_b', transport: other }], opts(async () => freshRouter())).catch((e: unknown) => e as TeqlError);
    expect(String((err2 as TeqlError | undefined)?.message)).not.toContain('one router');
  });

  it('--run of a run another was armed and confirmed after on the router: refused before the lock, naming it; under --force said, and undone (a review: a later run\'s sysctl was undone, exit 0, nothing said)', async () => {
    const seq = (line: string, n: number) => line.replace('\n', `\tseq=${n}\n`);
    const runs = seq(runLine('r1', 'confirmed'), 4) + seq(runLine('r2', 'confirmed'), 5);
    const t = confirmedRouter({ status: ok(runs), 'after-state': ok([...stateOf(FACTS)].join('\n')) });
    const err = await rollbackRun([{ host: 'router_a', transport: t }], opts(async () => t)).catch((e: unknown) => e as TeqlError);
    expect((err as TeqlError).exitCode).toBe(8);
    expect((err as TeqlError).message).toBe('router_a: run r2 was armed and confirmed there after run r1; undoing r1 puts back the values from before it beneath it\n  nothing was rolled back');
    expect((err as TeqlError).hint).toBe('roll back the later run first (teqlctl rollback --run ID), or undo this one beneath it anyway with --force');
    expect(t.labels).toEqual(['status']);
    // Confirmed after the runs were read: found under the lock.
    const late = confirmedRouter({ lock: { code: 3, stdout: '@@teqlctl-later-run r3\n', stderr: '' } });
    const err2 = await rollbackRun([{ host: 'router_a', transport: late }], opts(async () => late)).catch((e: unknown) => e as TeqlError);
    expect((err2 as TeqlError).message).toBe('router_a: run r3 was armed and confirmed there after run r1; undoing r1 puts back the values from before it beneath it (confirmed after the runs were read)\n  nothing was rolled back');
    expect(late.labels).toEqual(['status', 'lock']);
    expect(late.scripts[1]).toContain('@@teqlctl-later-run');
    said.length = 0;
    const forced = confirmedRouter({ status: ok(runs), 'after-state': ok([...stateOf(FACTS)].join('\n')) });
    expect(await rollbackRun([{ host: 'router_a', transport: forced }], opts(async () => freshRouter(), true))).toBe(0);
    expect(said[0]).toBe('router_a: run r2 was armed and confirmed there after run r1; undoing r1 puts back the values from before it beneath it (--force)');
    expect(forced.scripts[1]).not.toContain('@@teqlctl-later-run');
  });

  it('a lock taken from the rollback before its arm (unlock --force, another run): refused at the arm, the holder named, nothing undone (a review)', async () => {
    const t = confirmedRouter({ 'after-state': ok([...stateOf(FACTS)].join('\n')), arm: { code: 3, stdout: '@@teqlctl-lock-lost r9\n', stderr: '' } });
    const err = await rollbackRun([{ host: 'router_a', transport: t }], opts(async () => t)).catch((e: unknown) => e as TeqlError);
    expect((err as TeqlError).exitCode).toBe(8);
    expect((err as TeqlError).message).toBe("router_a: the rollback's lock was removed meanwhile (teqlctl unlock --force?) and run r9 holds it now: nothing was rolled back there");
    expect(t.labels).not.toContain('rollback');
  });

  it('takes the lock before comparing, arms a dead-man before undoing, reads the router again and confirms over a fresh connection', async () => {
    const t = confirmedRouter({ 'after-state': ok([...stateOf(FACTS)].join('\n')) });
    const fresh = freshRouter();
    said.length = 0;
    expect(await rollbackRun([{ host: 'router_a', transport: t }], opts(async () => fresh))).toBe(0);
    expect(t.labels).toEqual(['status', 'lock', 'after-state', 'facts', 'arm', 'rollback', 'unlock']);
    expect(fresh.labels).toEqual(['facts', 'status', 'confirm']);
    expect(said).toEqual(['router_a: run r1 undone', 'router_a: verified over a fresh connection']);
  });

  it('takes the locks, reads and arms every router at once, each step settled on all before the next: a lock refused on one frees the others\', nothing armed', async () => {
    // Each reply waits for the other router's request of the same step: one router after another
    // would never get past the first lock (the rollback would time out the test).
    const events: string[] = [];
    const waiting = new Map<string, () => void>();
    const together = (host: string, label: string, reply: Reply) => async () => {
      events.push(`${host} ${label}`);
      const other = waiting.get(label);
      if (other) { waiting.delete(label); other(); } else await new Promise<void>((r) => waiting.set(label, r));
      return reply;
    };
    const router = (host: string, lock: Reply) => {
      const t = confirmedRouter({ 'after-state': ok([...stateOf(FACTS)].join('\n')) });
      const run = t.run.bind(t);
      t.run = async (label, script) => {
        if (label !== 'lock' && label !== 'arm') return run(label, script);
        await run(label, script);
        return { label, script, durationMs: 1, ...(await together(host, label, label === 'lock' ? lock : ok())()) };
      };
      return Object.assign(t, { host });
    };
    const a = router('router_a', ok());
    const b = router('router_b', { code: 3, stdout: '@@teqlctl-lock held\nrun=r9\nowner=x@y\n', stderr: '' });
    const err = await rollbackRun([{ host: 'router_a', transport: a }, { host: 'router_b', transport: b }], opts(async () => freshRouter())).catch((e: unknown) => e as TeqlError);
    expect((err as TeqlError).message).toContain('router_b is locked: run=r9 owner=x@y');
    expect(events).toEqual(['router_a lock', 'router_b lock']);
    expect(a.labels).toEqual(['status', 'lock', 'unlock']);
    expect(b.labels).toEqual(['status', 'lock']);
    // Both free: each step meets the other router's, the undo follows.
    const [c, d] = [router('router_a', ok()), router('router_b', ok())];
    events.length = 0;
    expect(await rollbackRun([{ host: 'router_a', transport: c }, { host: 'router_b', transport: d }], opts(async (h) => fakeRouter(h, { facts: ok(FACTS), status: ok(runLine('r1', 'rolled-back')), confirm: ok('@@teqlctl-confirm ok\n') })))).toBe(0);
    expect(events).toEqual(['router_a lock', 'router_b lock', 'router_a arm', 'router_b arm']);
    expect(c.labels).toEqual(['status', 'lock', 'after-state', 'facts', 'arm', 'rollback', 'unlock']);
  });

  it('both ends verified, one confirmation too late (its dead-man came first): the split is said, with what undoes it there (a review)', async () => {
    const withPeer = (peer: string) => runLine('r1', 'confirmed').replace('\n', `\tpeers=${peer}\n`);
    const a = confirmedRouter({ status: ok(withPeer('router_b')), 'after-state': ok([...stateOf(FACTS)].join('\n')) });
    const b = confirmedRouter({ status: ok(withPeer('router_a')), 'after-state': ok([...stateOf(FACTS)].join('\n')) });
    const fresh = (h: string) => fakeRouter(h, { facts: ok(FACTS), status: ok(runLine('r1', 'rolled-back')), confirm: ok(h === 'router_b' ? '@@teqlctl-confirm too-late\n' : '@@teqlctl-confirm ok\n') });
    said.length = 0;
    expect(await rollbackRun([{ host: 'router_a', transport: a }, { host: 'router_b', transport: b }], opts(async (h) => fresh(h)))).toBe(6);
    expect(said).toContain('router_a is rolled back and router_b\'s dead-man redoes run r1: a bundle of theirs is configured on router_b\'s end only; teqlctl rollback --run r1 -l router_b undoes it there once it answers');
  });

  it("a rollback's confirmation whose answer was lost is said as unknown, not as the dead-man redoing the run (it may have landed: a review)", async () => {
    const withPeer = (peer: string) => runLine('r1', 'confirmed').replace('\n', `\tpeers=${peer}\n`);
    const a = confirmedRouter({ status: ok(withPeer('router_b')), 'after-state': ok([...stateOf(FACTS)].join('\n')) });
    const b = confirmedRouter({ status: ok(withPeer('router_a')), 'after-state': ok([...stateOf(FACTS)].join('\n')) });
    const fresh = (h: string) => fakeRouter(h, { facts: ok(FACTS), status: ok(runLine('r1', 'rolled-back')), confirm: () => { if (h === 'router_b') throw new Error('connection lost: the SSH connection closed'); return ok('@@teqlctl-confirm ok\n'); } });
    said.length = 0;
    expect(await rollbackRun([{ host: 'router_a', transport: a }, { host: 'router_b', transport: b }], opts(async (h) => fresh(h)))).toBe(6);
    expect(said).toContain("router_b: the rollback's confirmation was sent and never answered (connection lost: the SSH connection closed): it may have been confirmed there (run r1 stays undone) or not (its dead-man redoes run r1 within 60 s, and `teqlctl rollback --run r1 -l router_b` undoes it there once it answers): `teqlctl status` says which");
    expect(said.join('\n')).not.toMatch(/router_b's dead-man redoes run r1: a bundle/);
  });

  it('a peer holding the run pending since before it restarted (no boot script decided it) does not hold the rollback off: nothing of the run is there (a review: refused, hinting at a dead-man that would never come)', async () => {
    const withPeer = (line: string, peer: string) => line.replace('\n', `\tpeers=${peer}\n`);
    const a = confirmedRouter({ status: ok(withPeer(runLine('r1', 'confirmed'), 'router_b')), 'after-state': ok([...stateOf(FACTS)].join('\n')) });
    const b = confirmedRouter({ status: ok(withPeer(runLine('r1', 'pending'), 'router_a').replace('\n', '\tearlier=1\n')) });
    said.length = 0;
    expect(await rollbackRun([{ host: 'router_a', transport: a }, { host: 'router_b', transport: b }], opts(async () => freshRouter()))).toBe(0);
    expect(a.labels).toContain('rollback');
    expect(b.labels).toEqual(['status']);
  });

  it('--run of a run no router that answers holds, with one that does not answer: exit 3 (it may hold it), not a refusal (a review)', async () => {
    const t = confirmedRouter({ status: ok(runLine('r0', 'confirmed')) });
    const err = await rollbackRun([{ host: 'router_a', transport: t }, { host: 'router_b', error: 'connection refused' }], opts(async () => t)).catch((e: unknown) => e as TeqlError);
    expect((err as TeqlError).exitCode).toBe(3);
    expect((err as TeqlError).message).toContain('run r1 is not a confirmed run on any router that answers; router_b may hold it (unreachable: router_b: connection refused); nothing was rolled back');
  });

  it('one router\'s arm refused after another was armed: the armed one is named, its dead-man frees its lock (a review)', async () => {
    const a = confirmedRouter({ 'after-state': ok([...stateOf(FACTS)].join('\n')) });
    const b = confirmedRouter({ 'after-state': ok([...stateOf(FACTS)].join('\n')), arm: { code: 3, stdout: '@@teqlctl-lock-lost r9\n', stderr: '' } });
    said.length = 0;
    const err = await rollbackRun([{ host: 'router_a', transport: a }, { host: 'router_b', transport: b }], opts(async () => freshRouter())).catch((e: unknown) => e as TeqlError);
    expect((err as TeqlError).exitCode).toBe(8);
    expect(said).toContain('router_a: armed before the rollback stopped: its dead-man frees the lock within 60 s, finding run r1 still there (nothing of it was undone)');
    expect(a.labels).not.toContain('rollback');
  });

  it('a signal before the undo stops the rollback (exit 130): the locks taken are freed, nothing undone; one that comes once the undo was sent lets it finish', async () => {
    // Signalled once the lock is taken (while comparing): no arm, no undo, the lock freed.
    let signalled = false;
    const t = confirmedRouter({ 'after-state': ok([...stateOf(FACTS)].join('\n')), facts: () => ((signalled = true), ok(FACTS)) });
    const err = await rollbackRun([{ host: 'router_a', transport: t }], { ...opts(async () => freshRouter()), interrupted: () => signalled }).catch((e: unknown) => e as TeqlError);
    expect((err as TeqlError).exitCode).toBe(130);
    expect((err as TeqlError).message).toBe('interrupted before the undo: nothing of run r1 was rolled back');
    expect(t.labels).toEqual(['status', 'lock', 'after-state', 'facts', 'unlock']);
    // Signalled while arming: the armed router keeps its lock for its dead-man, and is named.
    let armedYet = false;
    const u = confirmedRouter({ 'after-state': ok([...stateOf(FACTS)].join('\n')), arm: () => ((armedYet = true), ok()) });
    const err2 = await rollbackRun([{ host: 'router_a', transport: u }], { ...opts(async () => freshRouter()), interrupted: () => armedYet }).catch((e: unknown) => e as TeqlError);
    expect((err2 as TeqlError).message).toBe('interrupted before the undo: nothing of run r1 was rolled back (router_a armed: its dead-man frees the lock within 60 s, its redo finding run r1 still there)');
    expect(u.labels).toEqual(['status', 'lock', 'after-state', 'facts', 'arm']);
    // Signalled during the undo: it finishes, and is confirmed.
    let undoing = false;
    const v = confirmedRouter({ 'after-state': ok([...stateOf(FACTS)].join('\n')), rollback: () => ((undoing = true), ok()) });
    const fresh = freshRouter();
    expect(await rollbackRun([{ host: 'router_a', transport: v }], { ...opts(async () => fresh), interrupted: () => undoing })).toBe(0);
    expect(fresh.labels).toEqual(['facts', 'status', 'confirm']);
  });

  it('a bundle is confirmed on both ends or neither: a router joined by the run\'s bundles to one not verified is not confirmed either (its dead-man redoes the run too); a router apart is', async () => {
    const holder = (host: string, peers: string) => fakeRouter(host, { status: ok(runLine('r1', 'confirmed').replace('\n', `\tpeers=${peers}\n`)), lock: ok(), 'after-state': ok([...stateOf(FACTS)].join('\n')), facts: ok(FACTS), rollback: ok() });
    const undone = (host: string) => fakeRouter(host, { facts: ok(FACTS), status: ok(runLine('r1', 'rolled-back')), confirm: ok('@@teqlctl-confirm ok\n') });
    const fresh = { router_a: undone('router_a'), router_c: undone('router_c') };
    said.length = 0;
    const code = await rollbackRun(
      [{ host: 'router_a', transport: holder('router_a', 'router_b') }, { host: 'router_b', transport: holder('router_b', 'router_a') }, { host: 'router_c', transport: holder('router_c', 'router_d') }],
      opts(async (h) => { if (h === 'router_b') throw new Error('unreachable: timed out'); return fresh[h as keyof typeof fresh]; }),
    );
    expect(code).toBe(6);
    expect(fresh.router_a.labels, 'verified, not confirmed').toEqual(['facts', 'status']);
    expect(fresh.router_c.labels).toEqual(['facts', 'status', 'confirm']);
    expect(said).toContain('router_b: not verified after the rollback: unreachable: timed out; its dead-man redoes run r1 within 60 s');
    expect(said).toContain("router_a: not confirmed: it is joined to router_b through the bundles of run r1, and router_b was not verified; its dead-man redoes run r1 within 60 s, as router_b's does");
    expect(said).toContain('router_c: verified over a fresh connection');
  });

  it('a router whose verification hangs counts as not verified before the rollback\'s timers come due: the routers apart are confirmed in time', async () => {
    const holder = (host: string, peers: string) => fakeRouter(host, { status: ok(runLine('r1', 'confirmed').replace('\n', `\tpeers=${peers}\n`)), lock: ok(), 'after-state': ok([...stateOf(FACTS)].join('\n')), facts: ok(FACTS), rollback: ok() });
    const fresh = fakeRouter('router_c', { facts: ok(FACTS), status: ok(runLine('r1', 'rolled-back')), confirm: ok('@@teqlctl-confirm ok\n') });
    said.length = 0;
    const started = Date.now();
    // A 1 s dead-man: the wait for router_a ends 0.25 s before it (a quarter of it, at most 10 s).
    const code = await rollbackRun(
      [{ host: 'router_a', transport: holder('router_a', '') }, { host: 'router_c', transport: holder('router_c', '') }],
      { ...opts(async (h) => (h === 'router_a' ? new Promise<never>(() => undefined) : fresh)), timeoutSec: 1 },
    );
    expect(code).toBe(6);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(fresh.labels).toEqual(['facts', 'status', 'confirm']);
    expect(said).toContain("router_a: not verified after the rollback: no answer before the rollback's dead-man timers come due; its dead-man redoes run r1");
  });

  it('a router rolled back without a dead-man (--force, no redo scripts) is not held back: it stays rolled back, and a bundle left on one end is said', async () => {
    const holder = (host: string, peers: string, over: Record<string, Reply> = {}) => fakeRouter(host, { status: ok(runLine('r1', 'confirmed').replace('\n', `\tpeers=${peers}\n`)), lock: ok(), 'after-state': ok([...stateOf(FACTS)].join('\n')), facts: ok(FACTS), rollback: ok(), ...over });
    const freshB = fakeRouter('router_b', { facts: ok(FACTS), status: ok(runLine('r1', 'rolled-back')) });
    said.length = 0;
    const code = await rollbackRun(
      [{ host: 'router_a', transport: holder('router_a', 'router_b') }, { host: 'router_b', transport: holder('router_b', 'router_a', { 'after-state': ok(`${[...stateOf(FACTS)].join('\n')}\n\n@@teqlctl-no-redo\n`), arm: { code: 9, stdout: '@@teqlctl-no-redo\n', stderr: '' } }) }],
      opts(async (h) => { if (h === 'router_a') throw new Error('unreachable: timed out'); return freshB; }, true),
    );
    expect(code).toBe(6);
    expect(said).toContain('router_b: verified over a fresh connection');
    expect(said).toContain("router_b stays rolled back (no dead-man, --force) while router_a's dead-man redoes run r1: their bundle ends on router_a's end only; teqlctl rollback --run r1 -l router_a once it answers");
  });

  it('a run without redo scripts is refused (no dead-man possible) before any router is armed, unless --force', async () => {
    const noRedo = { 'after-state': ok(`${[...stateOf(FACTS)].join('\n')}\n\n@@teqlctl-no-redo\n`), arm: { code: 9, stdout: '@@teqlctl-no-redo\n', stderr: '' } };
    const t = confirmedRouter(noRedo);
    // Its peer has the redo scripts: armed first, it kept its lock until its dead-man fired (a review).
    const peer = fakeRouter('router_b', { status: ok(runLine('r1', 'confirmed').replace('\n', '\tpeers=router_a\n')), lock: ok(), 'after-state': ok([...stateOf(FACTS)].join('\n')), facts: ok(FACTS), rollback: ok() });
    const err = await rollbackRun([{ host: 'router_a', transport: t }, { host: 'router_b', transport: peer }], opts(async () => freshRouter())).catch((e: unknown) => e as TeqlError);
    expect((err as TeqlError).exitCode).toBe(8);
    expect((err as TeqlError).message).toBe("router_a: run r1 predates the redo scripts a rollback's dead-man needs; nothing was rolled back");
    expect(t.labels).toEqual(['status', 'lock', 'after-state', 'facts', 'unlock']);
    expect(peer.labels, 'nothing armed: the lock is freed at once').toEqual(['status', 'lock', 'after-state', 'facts', 'unlock']);
    const forced = confirmedRouter(noRedo);
    const fresh = freshRouter();
    expect(await rollbackRun([{ host: 'router_a', transport: forced }], opts(async () => fresh, true))).toBe(0);
    expect(fresh.labels, 'nothing armed, nothing to confirm').toEqual(['facts', 'status']);
  });

  it('a router that does not answer after the undo keeps its lock: its dead-man redoes the run and frees it', async () => {
    const t = confirmedRouter({ 'after-state': ok([...stateOf(FACTS)].join('\n')) });
    said.length = 0;
    expect(await rollbackRun([{ host: 'router_a', transport: t }], opts(async () => { throw new Error('unreachable: timed out'); }))).toBe(6);
    expect(t.labels).not.toContain('unlock');
    expect(said[1]).toBe('router_a: not verified after the rollback: unreachable: timed out; its dead-man redoes run r1 within 60 s');
  });

  it('an undo that exits non-zero, or a router that does not answer afterwards, is an incomplete rollback (exit 6)', async () => {
    const t = confirmedRouter({ 'after-state': ok([...stateOf(FACTS)].join('\n')), rollback: { code: 1, stdout: '', stderr: '' } });
    said.length = 0;
    expect(await rollbackRun([{ host: 'router_a', transport: t }], opts(async () => { throw new Error('unreachable: timed out'); }))).toBe(6);
    expect(said).toEqual(['router_a: run r1 undone with errors (exit 1)', 'router_a: not verified after the rollback: unreachable: timed out; its dead-man redoes run r1 within 60 s']);
  });

  it("an undo whose answer was lost (it cut its own session) and that recorded a failed step is an incomplete rollback, not verified and exit 0 (a review)", async () => {
    const t = confirmedRouter({ 'after-state': ok([...stateOf(FACTS)].join('\n')), rollback: () => { throw new Error('connection lost: the SSH connection closed'); } });
    const fresh = fakeRouter('router_a', { facts: ok(FACTS), status: ok(runLine('r1', 'rolled-back').replace('\n', '\tundo_failed=2026-01-02T00:00:00Z\n')), confirm: ok('@@teqlctl-confirm ok\n') });
    said.length = 0;
    let undone: string | undefined;
    expect(await rollbackRun([{ host: 'router_a', transport: t }], { ...opts(async () => fresh), undone: (id) => (undone = id) })).toBe(6);
    expect(said).toContain("router_a: run r1's undo recorded a failed step there (at 2026-01-02T00:00:00Z): not all of it is as before the run");
    // Confirmed as undone all the same, as when the undo's own answer says its errors: its dead-man off.
    expect(fresh.labels).toEqual(['facts', 'status', 'confirm']);
    expect(undone, 'not remembered as undone').toBeUndefined();
    // Without a recorded failure the same lost answer is a complete rollback.
    const clean = fakeRouter('router_a', { facts: ok(FACTS), status: ok(runLine('r1', 'rolled-back')), confirm: ok('@@teqlctl-confirm ok\n') });
    const t2 = confirmedRouter({ 'after-state': ok([...stateOf(FACTS)].join('\n')), rollback: () => { throw new Error('connection lost: the SSH connection closed'); } });
    expect(await rollbackRun([{ host: 'router_a', transport: t2 }], opts(async () => clean))).toBe(0);
  });

  it('without --run, a router that does not answer is refused before anything: the latest run may be on it (a review)', async () => {
    const t = confirmedRouter();
    const err = await rollbackRun([{ host: 'router_a', transport: t }, { host: 'router_d', error: 'connection refused' }], { ...opts(async () => t), run: undefined } as RollbackOptions).catch((e: unknown) => e as TeqlError);
    expect((err as TeqlError).exitCode).toBe(3);
    expect((err as TeqlError).message).toMatch(/which run is the latest cannot be told while router_d does not answer \(router_d: connection refused\); nothing was rolled back/);
    expect(t.labels).toEqual([]);
  });

  it('a router whose record of the run names no peers (a host without a bundle) is held up by any router that does not answer', async () => {
    const t = confirmedRouter({ status: ok(runLine('r1', 'confirmed').replace('\n', '\tpeers=?\n')) });
    const err = await rollbackRun([{ host: 'router_a', transport: t }, { host: 'router_d', error: 'timed out' }], opts(async () => t)).catch((e: unknown) => e as TeqlError);
    expect((err as TeqlError).exitCode).toBe(3);
    expect((err as TeqlError).message).toMatch(/router_a's record of run r1 does not say which routers share its bundles/);
    expect(t.labels).toEqual(['status']);
  });

  it('a peer that answers with no record of the run (it failed before arming, its hub undid that bundle) does not hold up its holder: said', async () => {
    const t = confirmedRouter({ status: ok(runLine('r1', 'confirmed').replace('\n', '\tpeers=router_b\n')), 'after-state': ok([...stateOf(FACTS)].join('\n')) });
    const peer = fakeRouter('router_b', { status: ok(runLine('r0', 'confirmed')) });
    said.length = 0;
    expect(await rollbackRun([{ host: 'router_a', transport: t }, { host: 'router_b', transport: peer }], opts(async () => freshRouter()))).toBe(0);
    expect(t.labels).toContain('rollback');
    // Its list (with the named run read whatever its age): nothing else.
    expect(peer.labels).toEqual(['status']);
    expect(said[0]).toBe('router_a shares a bundle of run r1 with router_b, which has no record of the run: nothing of it is undone there');
  });

  it('a peer that holds the run pending (its changes may still be there) refuses the rollback of its holders, nothing changed; --force goes on and says it', async () => {
    const holder = () => confirmedRouter({ status: ok(runLine('r1', 'confirmed').replace('\n', '\tpeers=router_b\n')), 'after-state': ok([...stateOf(FACTS)].join('\n')) });
    const t = holder();
    const err = await rollbackRun([{ host: 'router_a', transport: t }, { host: 'router_b', transport: fakeRouter('router_b', { status: ok(runLine('r1', 'pending')) }) }], opts(async () => t)).catch((e: unknown) => e as TeqlError);
    expect((err as TeqlError).exitCode).toBe(8);
    expect((err as TeqlError).message).toMatch(/router_a shares a bundle of run r1 with router_b, which holds it as pending/);
    expect(t.labels).toEqual(['status']);
    said.length = 0;
    const forced = holder();
    expect(await rollbackRun([{ host: 'router_a', transport: forced }, { host: 'router_b', transport: fakeRouter('router_b', { status: ok(runLine('r1', 'pending')) }) }], opts(async () => freshRouter(), true))).toBe(0);
    expect(said[0]).toBe('router_a shares a bundle of run r1 with router_b, which holds it as pending: not undone there (--force)');
    // Abandoned there (its restart dropped its changes, a later run came after): said, not refused.
    said.length = 0;
    const c = holder();
    expect(await rollbackRun([{ host: 'router_a', transport: c }, { host: 'router_b', transport: fakeRouter('router_b', { status: ok(runLine('r1', 'abandoned')) }) }], opts(async () => freshRouter()))).toBe(0);
    expect(said[0]).toBe('router_a shares a bundle of run r1 with router_b, which holds it as abandoned: nothing of it is undone there');
  });

  it('without --run, the latest run is read directly on a router whose 50 latest runs no longer list it: both ends are rolled back (a review)', async () => {
    const a = confirmedRouter({ status: ok(runLine('r1', 'confirmed').replace('\n', '\tpeers=router_b\n')), 'after-state': ok([...stateOf(FACTS)].join('\n')) });
    // router_b's list holds newer runs only; read by name, it holds r1 confirmed.
    const b = fakeRouter('router_b', { status: (n) => ok(n === 0 ? runLine('r0', 'rolled-back') : runLine('r1', 'confirmed').replace('\n', '\tpeers=router_a\n')), lock: ok(), 'after-state': ok([...stateOf(FACTS)].join('\n')), facts: ok(FACTS), rollback: ok() });
    said.length = 0;
    expect(await rollbackRun([{ host: 'router_a', transport: a }, { host: 'router_b', transport: b }], { ...opts(async () => freshRouter()), run: undefined } as RollbackOptions)).toBe(0);
    expect(a.labels).toContain('rollback');
    expect(b.labels).toContain('rollback');
  });
});

function stateOf(facts: string): Set<string> {
  return stateLines(parseFacts('router_a', facts));
}
