// A fake router for unit tests (as NAPALM's mock driver): a Transport that answers each script
// teqlctl sends with output recorded on the lab, chosen by the kind of script (facts, apply,
// verify, confirm, rollback). Pristine until an apply, converged after, pristine after a rollback.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeMarker, type CommandResult, type StagedRun, type Transport, type TransportStats } from '../../src/connect/transport.js';
import type { Router } from '../../src/lab/topology.js';
import { reply, type ScriptKind, type SimFacts, type SimState } from '../../bench/fleet/sim-host.js';

export function recording(router: Router, state: SimState): string {
  return readFileSync(join(import.meta.dirname, '../gather/fixtures', `lab-${router}-${state}.txt`), 'utf8');
}

export interface Answer {
  stdout: string;
  stderr?: string;
  code?: number;
  /** The router's state afterwards (default: the recorded answer's). */
  state?: SimState;
}

/** What a test puts in place of the recorded answer to one kind of script (it sees that answer). */
export type Override = (script: string, recorded: Answer) => Answer | undefined;

/** One router's recordings and state, shared by every connection to it (play opens a second one to confirm). */
export class RecordedRouter {
  state: SimState = 'pristine';
  /** Every script sent, with its kind, in order, over every connection. */
  readonly sent: Array<{ label: string; kind: ScriptKind; script: string }> = [];
  readonly overrides = new Map<ScriptKind, Override>();
  /** Answers keyed by the round trip's label (status, after-state, ...): scripts the recordings do not know. */
  readonly byLabel = new Map<string, (script: string) => Answer>();
  connections = 0;

  constructor(readonly router: Router, private readonly facts: SimFacts = { pristine: recording(router, 'pristine'), converged: recording(router, 'converged') }) {}

  connect(host: string): ReplayTransport {
    this.connections++;
    return new ReplayTransport(host, this);
  }

  answer(label: string, script: string): { stdout: string; stderr: string; code: number } {
    const labelled = this.byLabel.get(label);
    if (labelled) {
      this.sent.push({ label, kind: 'unknown', script });
      const o = labelled(script);
      this.state = o.state ?? this.state;
      return { stdout: o.stdout, stderr: o.stderr ?? '', code: o.code ?? 0 };
    }
    const r = reply(script, this.state, this.facts);
    this.sent.push({ label, kind: r.kind, script });
    const o = this.overrides.get(r.kind)?.(script, r) ?? r;
    this.state = o.state ?? r.state;
    return { stdout: o.stdout, stderr: o.stderr ?? '', code: o.code ?? 0 };
  }

  kinds(): ScriptKind[] {
    return this.sent.map((s) => s.kind);
  }

  labels(): string[] {
    return this.sent.map((s) => s.label);
  }
}

export class ReplayTransport implements Transport {
  readonly stats: TransportStats = { roundTrips: 0, bytesSent: 0, bytesReceived: 0 };
  closed = false;

  constructor(readonly host: string, private readonly router: RecordedRouter) {}

  async run(label: string, script: string): Promise<CommandResult> {
    if (this.closed) throw new Error(`${this.host}: connection closed`);
    const r = this.router.answer(label, script);
    this.stats.roundTrips++;
    this.stats.bytesSent += script.length;
    this.stats.bytesReceived += r.stdout.length + r.stderr.length;
    return { label, script, durationMs: 1, ...r };
  }

  /** As a router's shell does: the first part answered up to its barrier, the rest (the checks) when sent. */
  runStaged(label: string, first: string, marker: string): StagedRun {
    // As over SSH: the first part is the caller's (logged when sent), in no result.
    const head = this.run(label, first).then((r) => ({ ...r, script: '' }));
    const ended = (r: CommandResult) => beforeMarker(r.stdout, marker) === undefined;
    return {
      reached: head.then((r) => (ended(r) ? { stdout: r.stdout, ended: r } : { stdout: r.stdout })),
      finish: async (rest) => {
        const r = await head;
        if (!rest || ended(r)) return r;
        if (this.closed) throw new Error(`${this.host}: connection closed`);
        const t = this.router.answer('verify', rest);
        this.stats.bytesSent += rest.length;
        this.stats.bytesReceived += t.stdout.length + t.stderr.length;
        return { ...r, script: rest, stdout: r.stdout + t.stdout, stderr: r.stderr + t.stderr, code: t.code };
      },
    };
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
