// The --json documents, made by the code's own builders from runs against the replayed lab, a
// status read from fake routers and real loader errors, must match the schemas that ship in
// docs/json-schema/, and the schemas must refuse what is not such a document.
import { CommanderError } from 'commander';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runOutput, detailedExit } from '../../src/cli/play-output.js';
import { statusDocument, readStatus } from '../../src/cli/status-command.js';
import { errorDocument } from '../../src/cli/json-error.js';
import { loadRun } from '../../src/load/index.js';
import { ExitCode } from '../../src/errors.js';
import { SCHEMA_VERSION } from '../../src/report/json.js';
import type { RunReport } from '../../src/play/report.js';
import type { Transport } from '../../src/connect/transport.js';
import { CHECK_MARKER } from '../../src/router/markers.js';
import { replayedLab } from '../play/helpers.js';
import { schemaErrors } from '../helpers/json-schema.js';

/** The document exactly as `play --json` prints it. */
const printed = (r: RunReport): unknown => JSON.parse(runOutput(r, true, (t) => t));

const checkIndices = (script: string) => [...script.matchAll(new RegExp(`${CHECK_MARKER} (\\d+)`, 'g'))].map((m) => Number(m[1]));

describe('run.schema.json', () => {
  it('matches a converged run, with changes, checks, journal and transport figures', async () => {
    const r = await replayedLab().run();
    expect(r.exitCode, r.summary).toBe(ExitCode.ok);
    const doc = printed(r) as { schemaVersion: number; hosts: Record<string, { journal: unknown[] }> };
    expect(doc.schemaVersion).toBe(SCHEMA_VERSION);
    expect(doc.hosts.router_a!.journal.length).toBeGreaterThan(0);
    expect(schemaErrors('run', doc)).toEqual([]);
  });

  it('matches a --check --detailed-exitcode run with changes pending (exit 9)', async () => {
    const r = detailedExit(await replayedLab().run({ check: true }));
    expect(r.exitCode).toBe(ExitCode.changesPending);
    expect(schemaErrors('run', printed(r))).toEqual([]);
  });

  it('matches a run rolled back after a failed ping (exit 5), with its rollback record', async () => {
    const lab = replayedLab();
    lab.routers.router_b.overrides.set('verify', (script, recorded) => ({
      ...recorded,
      stdout: checkIndices(script).map((i) => `100% packet loss\n${CHECK_MARKER} ${i} 1 3\n`).join(''),
    }));
    const r = await lab.run();
    expect(r.exitCode).toBe(ExitCode.verifyFailed);
    const doc = printed(r) as { hosts: Record<string, { rollback: unknown }> };
    expect(doc.hosts.router_b!.rollback).not.toBeNull();
    expect(schemaErrors('run', doc)).toEqual([]);
  });

  it('matches an unreachable run (exit 3), whose hosts have no transport figures', async () => {
    const lab = replayedLab();
    const r = await lab.run({ connect: async () => { throw new Error('connection refused'); } });
    expect(r.exitCode).toBe(ExitCode.unreachable);
    expect(schemaErrors('run', printed(r))).toEqual([]);
  });

  it('refuses a document without schemaVersion, or with an unknown host status', async () => {
    const doc = printed(await replayedLab().run({ check: true })) as Record<string, unknown> & { hosts: Record<string, Record<string, unknown>> };
    const { schemaVersion: _, ...unversioned } = doc;
    expect(schemaErrors('run', unversioned).join('\n')).toContain('schemaVersion');
    doc.hosts.router_a!.status = 'fine';
    expect(schemaErrors('run', doc).join('\n')).toContain('/hosts/router_a/status');
  });
});

describe('status.schema.json', () => {
  const router = (stdout: string): Transport => ({
    host: 'router_a',
    stats: { roundTrips: 0, bytesSent: 0, bytesReceived: 0 },
    run: async (label, script) => ({ label, script, code: 0, stdout, stderr: '', durationMs: 1 }),
    close: async () => undefined,
  });

  it('matches a status read from routers: runs, a lock, and an unreachable router', async () => {
    const runs = '@@teqlctl-run\tid=r1\tstate=confirmed\tstarted=2026-01-01T00:00:00Z\tconfirmed=2026-01-01T00:01:00Z\treverted=\tarmed=0\towner=me@here\ttimeout=120\tpeers=router_b\tseq=3\n' +
      '@@teqlctl-lock\trun=r2\towner=you@there\tstarted=2026-01-02T00:00:00Z\talive=1\n';
    const { hosts } = await readStatus([{ host: 'router_a', transport: router(runs) }, { host: 'router_b', error: 'connection refused' }]);
    const doc = JSON.parse(JSON.stringify(statusDocument(hosts))) as { hosts: Record<string, { lock?: unknown }> };
    expect(doc.hosts.router_a!.lock).toEqual({ run: 'r2', owner: 'you@there', started: '2026-01-02T00:00:00Z', alive: true });
    // What a run records beside (the other ends of its bundles, the router's count) is in the document too.
    expect((doc.hosts.router_a as unknown as { runs: unknown[] }).runs[0]).toMatchObject({ peers: ['router_b'], seq: 3 });
    expect(schemaErrors('status', doc)).toEqual([]);
  });

  it('refuses the bare host map that status --json printed before it had a version', () => {
    expect(schemaErrors('status', { router_a: { runs: [] } })).not.toEqual([]);
  });
});

describe('error.schema.json', () => {
  it('matches the loader\'s errors, each with its file, line and column', () => {
    const dir = mkdtempSync(join(tmpdir(), 'teqlctl-schema-'));
    const inventory = join(dir, 'inventory.yml');
    writeFileSync(inventory, 'all:\n  hosts:\n    r1:\n      ansible_port: nope\n');
    let thrown: unknown;
    try {
      writeFileSync(join(dir, 'play.yml'), '- hosts: all\n  tasks:\n    - ping: { to: 192.0.2.1 }\n');
      loadRun(inventory, join(dir, 'play.yml'));
    } catch (err) {
      thrown = err;
    }
    const doc = JSON.parse(JSON.stringify(errorDocument(thrown))) as { errors: Array<{ file: string; line: number; column: number }> };
    expect(doc.errors[0]).toMatchObject({ file: inventory, line: 4, column: 7 });
    expect(schemaErrors('error', doc)).toEqual([]);
  });

  it('matches a command-line error, which has no position', () => {
    const doc = errorDocument(new CommanderError(1, 'commander.unknownOption', "error: unknown option '--bogus'"));
    expect(doc.errors).toEqual([{ file: null, line: null, column: null, message: "unknown option '--bogus'", hint: null }]);
    expect(schemaErrors('error', doc)).toEqual([]);
  });

  it('refuses an error document without problems', () => {
    expect(schemaErrors('error', { schemaVersion: 1, kind: 'error', exitCode: 2, errors: [] })).not.toEqual([]);
  });
});
