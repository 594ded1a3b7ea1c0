// The transport is a tiny interface: run a script, close. SSH implements it; tests replay recordings.

export interface CommandResult {
  /** A short label of what ran (facts, apply, verify, ...), for logs. */
  label: string;
  script: string;
  code: number;
  stdout: string;
  stderr: string;
  durationMs: number;
}

export interface TransportStats {
  roundTrips: number;
  bytesSent: number;
  bytesReceived: number;
}

/**
 * One round trip in two parts with a barrier between them: the router's shell runs `first`, prints
 * the marker, and waits for the rest of its script (it reads its script from stdin, so the wait is
 * the shell's own read). The controller decides what comes next after every host reached its
 * barrier. A controller that dies closes the channel: the shell reads the end of its input and
 * ends without running anything more.
 */
export interface StagedRun {
  /** Resolves with the output so far once the marker line shows, or with `ended` set when the script ended before it. */
  readonly reached: Promise<{ stdout: string; ended?: CommandResult }>;
  /**
   * Sends the rest of the script ('' ends the shell) and resolves with the whole round trip, whose
   * `script` is that rest alone: the first part is the caller's (it logs it when sending, RunLog.sent),
   * never kept here while the shell waits (a fleet's apply scripts, ~60 KB each, waited together).
   */
  finish(rest: string): Promise<CommandResult>;
}

export interface Transport {
  readonly host: string;
  /** Where it connected, as ssh_config and the inventory resolved it (`alias (user@host:port)`), for messages. */
  readonly target?: string;
  /** Runs a POSIX sh script on the router (as root: become is the transport's business). */
  run(label: string, script: string, timeoutSec?: number): Promise<CommandResult>;
  /** A staged round trip (see StagedRun). Transports without it get two round trips (stagedOverRun). */
  runStaged?(label: string, first: string, marker: string, timeoutSec?: number): StagedRun;
  close(): Promise<void>;
  readonly stats: TransportStats;
}

/** Does `stdout` hold `marker` as a line of its own? Returns the output before it. */
export function beforeMarker(stdout: string, marker: string): string | undefined {
  const at = stdout.startsWith(marker + '\n') ? 0 : stdout.indexOf('\n' + marker + '\n');
  return at < 0 ? undefined : stdout.slice(0, at === 0 ? 0 : at + 1);
}

/**
 * The staged round trip for a transport that only runs whole scripts: `first` as one round trip,
 * the rest as another. The same answers, one more round trip, and no barrier on the router.
 */
export function stagedOverRun(t: Transport, label: string, first: string, marker: string, timeoutSec?: number): StagedRun {
  if (t.runStaged) return t.runStaged(label, first, marker, timeoutSec);
  // As a staged run's: the first part is the caller's, not in the results.
  const head = t.run(label, first, timeoutSec).then((r) => ({ ...r, script: '' }));
  const reached = head.then((r) => (beforeMarker(r.stdout, marker) !== undefined ? { stdout: r.stdout } : { stdout: r.stdout, ended: r }));
  return {
    reached,
    finish: async (rest) => {
      const r = await head;
      if (!rest || beforeMarker(r.stdout, marker) === undefined) return r;
      const tail = await t.run(label, rest, timeoutSec);
      return { ...tail, stdout: r.stdout + tail.stdout, stderr: r.stderr + tail.stderr, durationMs: r.durationMs + tail.durationMs };
    },
  };
}
