// Pure: the round trips recorded in a teqlctl run log, one `### <time> <host> <label>: exit N in M ms`
// header per round trip (src/play/run-log.ts writes them).

export interface RoundTrip {
  host: string;
  label: string;
  code: number;
  ms: number;
}

const HEADER = /^### \S+ (\S+) (.+): exit (-?\d+) in (\d+) ms$/;

export function parseRunLog(text: string): RoundTrip[] {
  const out: RoundTrip[] = [];
  for (const line of text.split('\n')) {
    const m = HEADER.exec(line);
    if (m) out.push({ host: m[1]!, label: m[2]!, code: Number(m[3]), ms: Number(m[4]) });
  }
  return out;
}

/** Per host, the labels of its round trips in order, e.g. { router_a: ['facts', 'apply', 'verify'] }. */
export function tripsByHost(trips: readonly RoundTrip[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const t of trips) (out[t.host] ??= []).push(t.label);
  return out;
}
