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

export interface Transport {
  readonly host: string;
  /** Runs a POSIX sh script on the router (as root: become is the transport's business). */
  run(label: string, script: string, timeoutSec?: number): Promise<CommandResult>;
  close(): Promise<void>;
  readonly stats: TransportStats;
}
