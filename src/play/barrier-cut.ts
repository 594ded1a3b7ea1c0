// The apply's barrier with a cut (laggard-cut.ts decides when and whom): the routers of a phase
// that are not at their barrier when it comes fail, those still applying as "stalled" (settle.ts
// rolls them back without holding the run: their rollback first stops the apply, up to 10 s, and
// may wait on what held it), those not started yet without starting. Past the cut time, each
// router judged checks again: a unit whose last router just arrived may be the one saved. The
// checks that follow are cut the same way (verify-phase.ts): a link lost after the apply held
// every router at its pings, then at its rollback, until their windows closed.
import type { ProgressItem } from '../ui/progress.js';
import type { RunState } from './run-state.js';
import { cutAt, MIN_APPLY_SEC, reserveSec, unitsSaved } from './laggard-cut.js';
import { runNow, timerMs } from './run-clock.js';

/** How a stage's cut is said, and when it comes after the run's cut (laggard-cut.ts). */
export interface CutWords {
  /** The stage, in the run log's note ("cut at the barrier"). */
  at: string;
  /** What a router cut while running failed. */
  late: string;
  /** What a router cut before starting was not. */
  skipped: string;
  /** What becomes of a router cut. */
  fate: string;
  /** Of the reserve, the share that comes before this stage's cut (the checks': half, the confirmation keeps the rest). */
  reserveShare?: number;
}

const APPLY_WORDS: CutWords = {
  at: 'the barrier', late: 'did not reach its barrier in time (its apply still running)', skipped: 'not applied',
  fate: 'it is stopped there and rolled back beside the run, its bundles failed on their other ends',
};

/** A failure that fails some of a router's bundles only (a hub's failed ping): `units`. */
export type UnitsError = Error & { units?: readonly string[] };

export class BarrierCut {
  private readonly behind: Set<string>;
  /** Applies sent in this phase, not yet answered: the ones a cut leaves running. */
  private readonly inFlight = new Set<string>();
  /** Units that routers already judged fail in this phase: they save nothing. */
  private readonly lost = new Set<string>();
  private readonly startedAt = runNow();
  private timer: NodeJS.Timeout | undefined;
  private due = false;
  private reason: string | undefined;
  private readonly cut: Promise<never>;
  private fire!: (err: Error) => void;

  /**
   * `hosts`: the routers this phase applies (or verifies), none at its barrier yet. `words`: what a
   * router cut while running is said to have failed, and what one cut before starting was not.
   */
  constructor(private readonly run: RunState, hosts: readonly string[], private readonly words: CutWords = APPLY_WORDS) {
    this.behind = new Set(hosts);
    this.cut = new Promise<never>((_, reject) => (this.fire = reject));
    this.cut.catch(() => undefined);
  }

  /** Why a router not started yet starts nothing: the cut came. */
  get tooLate(): string | undefined {
    return this.reason && `${this.words.skipped}: ${this.reason}`;
  }

  /**
   * `item`'s run, watched: the router counts as arrived once its result is judged (a failed one
   * saves none of its bundles: `lost`, the bundles it lost, or all of its own if it throws).
   */
  watch(host: string, item: (setTitle: (t: string) => void) => Promise<readonly string[]>): ProgressItem['run'] {
    return async (setTitle) => {
      try {
        this.arrived(host, await item(setTitle));
      } catch (err) {
        this.arrived(host, (err as UnitsError).units ?? this.run.domains.unitsOf(host));
        throw err;
      }
    };
  }

  /** The apply just sent (its dead-man armed), or the cut's failure if the cut comes first. */
  until<T>(host: string, applied: Promise<T>): Promise<T> {
    this.inFlight.add(host);
    this.schedule();
    return Promise.race([applied.finally(() => this.inFlight.delete(host)), this.cut]);
  }

  /**
   * The cut's time is known once a router armed: the run's (laggard-cut.ts), but never sooner than
   * MIN_APPLY_SEC after this phase started (a phase, or a later play, begun past the run's cut:
   * its routers were applied and then cut at once, never slow).
   */
  private schedule(): void {
    if (this.timer || this.due || this.reason) return;
    const windowSec = this.run.opts.confirmTimeoutSec;
    const run = cutAt([...this.run.sessions.values()].filter((s) => s.armedAt !== undefined && this.run.domains.alive(s.host)).map((s) => s.armedAt!), windowSec);
    if (run === undefined) return;
    const at = run + (this.words.reserveShare ?? 0) * reserveSec(windowSec) * 1000;
    this.timer = setTimeout(() => {
      this.due = true;
      this.check();
    }, timerMs(Math.max(at - runNow(), this.startedAt + MIN_APPLY_SEC * 1000 - runNow())));
  }

  private arrived(host: string, lost: readonly string[]): void {
    this.behind.delete(host);
    for (const u of lost) this.lost.add(u);
    if (this.behind.size === 0) this.dispose();
    else this.check();
  }

  private check(): void {
    if (!this.due || this.reason) return;
    const { run } = this;
    const failed = new Set([...run.domains.failed, ...this.lost]);
    const saved = unitsSaved(run.domains.units, failed, this.behind, (h) => run.sessions.get(h)?.armedAt !== undefined && !this.behind.has(h));
    if (saved.length === 0) return;
    const windowSec = run.opts.confirmTimeoutSec;
    const names = [...this.behind].join(', ');
    const left = Math.round(reserveSec(windowSec) * (1 - (this.words.reserveShare ?? 0)));
    this.reason = `the routers already applied would have had under ${left} s of their dead-man windows (${windowSec} s) left for ${saved.length} bundle(s) had the run waited longer for ${names}`;
    // Rolled back beside the run: those still running, and those queued that changed in an earlier phase.
    for (const h of this.behind) if (this.inFlight.has(h) || run.sessions.get(h)?.armed) run.stalled.add(h);
    run.opts.log.note(`cut at ${this.words.at}: ${names} not there: ${this.reason}`);
    this.fire(new Error(`${this.words.late}: ${this.reason}; ${this.words.fate}`));
    this.dispose();
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
