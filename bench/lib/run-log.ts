// Pure: the round trips recorded in a teqlctl run log, one `### <time> <host> <label>: exit N in M ms`
// header per round trip (src/play/run-log.ts writes them).

export interface RoundTrip {
  /** When the round trip ended (the log writes its block then), epoch ms. */
  at: number;
  host: string;
  label: string;
  code: number;
  ms: number;
}

const HEADER = /^### (\S+) (\S+) (.+): exit (-?\d+) in (\d+) ms$/;

export function parseRunLog(text: string): RoundTrip[] {
  const out: RoundTrip[] = [];
  for (const line of text.split('\n')) {
    const m = HEADER.exec(line);
    if (m) out.push({ at: Date.parse(m[1]!), host: m[2]!, label: m[3]!, code: Number(m[4]), ms: Number(m[5]) });
  }
  return out;
}

/**
 * Per round trip, the time since the host's previous round trip ended and before this one began:
 * local work, waiting for other hosts, or opening a new connection. NaN for a host's first.
 */
export function gapsBefore(trips: readonly RoundTrip[]): number[] {
  const lastEnd = new Map<string, number>();
  return trips.map((t) => {
    const prev = lastEnd.get(t.host);
    lastEnd.set(t.host, t.at);
    return prev === undefined ? NaN : Math.max(0, t.at - t.ms - prev);
  });
}

/** Per host, the labels of its round trips in order, e.g. { router_a: ['facts', 'apply', 'verify'] }. */
export function tripsByHost(trips: readonly RoundTrip[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const t of trips) (out[t.host] ??= []).push(t.label);
  return out;
}
