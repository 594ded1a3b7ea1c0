// The apply's barrier with a cut (laggard-cut.ts decides when and whom): the routers of a phase
// that are not at their barrier when it comes fail, those still applying as "stalled" (settle.ts
// rolls them back without holding the run: their rollback first stops the apply, up to 10 s, and
// may wait on what held it), those not started yet without starting. Past the cut time, each
// arrival checks again: a unit whose last router just arrived may be the one saved.
import type { RunState } from './run-state.js';
import { cutAt, reserveSec, unitsSaved } from './laggard-cut.js';

export class BarrierCut {
  private readonly behind: Set<string>;
  private timer: NodeJS.Timeout | undefined;
  private due = false;
  private reason: string | undefined;
  private readonly cut: Promise<never>;
  private fire!: (err: Error) => void;

  /** `hosts`: the routers this phase applies, none at its barrier yet. */
  constructor(private readonly run: RunState, hosts: readonly string[]) {
    this.behind = new Set(hosts);
    this.cut = new Promise<never>((_, reject) => (this.fire = reject));
    this.cut.catch(() => undefined);
  }

  /** Why a router not started yet starts nothing: the cut came. */
  get tooLate(): string | undefined {
    return this.reason && `not applied: ${this.reason}`;
  }

  /** A router's apply was sent (its dead-man armed): the cut's time is known from the first. */
  started(): void {
    if (this.timer || this.due || this.reason) return;
    const windowSec = this.run.opts.confirmTimeoutSec;
    const at = cutAt([...this.run.sessions.values()].filter((s) => s.armedAt !== undefined && this.run.domains.alive(s.host)).map((s) => s.armedAt!), windowSec);
    if (at === undefined) return;
    this.timer = setTimeout(() => {
      this.due = true;
      this.check();
    }, Math.max(0, at - Date.now()));
  }

  /** `applied`, or the cut's failure if it comes first. */
  until<T>(host: string, applied: Promise<T>): Promise<T> {
    return Promise.race([applied, this.cut]).finally(() => this.arrived(host));
  }

  private arrived(host: string): void {
    this.behind.delete(host);
    if (this.behind.size === 0) this.dispose();
    else this.check();
  }

  private check(): void {
    if (!this.due || this.reason) return;
    const { run } = this;
    const saved = unitsSaved(run.domains.units, run.domains.failed, this.behind, (h) => run.sessions.get(h)?.armedAt !== undefined && !this.behind.has(h));
    if (saved.length === 0) return;
    const windowSec = run.opts.confirmTimeoutSec;
    this.reason = `the routers already applied would have had under ${reserveSec(windowSec)} s of their dead-man windows (${windowSec} s) left to verify and confirm ${saved.length} bundle(s) had the run waited longer for ${[...this.behind].join(', ')}`;
    for (const h of this.behind) if (run.sessions.get(h)?.armedAt !== undefined) run.stalled.add(h);
    run.opts.log.note(`cut at the barrier: ${[...this.behind].join(', ')} not there: ${this.reason}`);
    this.fire(new Error(`did not reach its barrier in time (its apply still running): ${this.reason}; it is stopped there and rolled back, its bundles alone`));
    this.dispose();
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
