// The facts round trip, the one way every caller reads a router: send the script, check the exit
// code, parse. `record` sees the raw result first (the run log keeps every command sent).
import type { CommandResult, Transport } from '../connect/transport.js';
import { FactError } from '../errors.js';
import type { Facts } from './facts.js';
import { parseFacts } from './parse-facts.js';
import { factsScript } from './script.js';

export interface ReadFactsOptions {
  /** The round trip's name in logs and stats. */
  label?: string;
  record?: (res: CommandResult) => void;
  /** The routes the host's tasks need listed whoever keeps them (factsScript). */
  held?: readonly string[];
}

export async function readFacts(transport: Transport, host: string, sysctls: readonly string[], opts: ReadFactsOptions = {}): Promise<Facts> {
  const res = await transport.run(opts.label ?? 'facts', factsScript(sysctls, { held: opts.held ?? [] }));
  opts.record?.(res);
  return factsFrom(host, res);
}

/** The facts a finished facts round trip printed, or why there are none. */
export function factsFrom(host: string, res: CommandResult): Facts {
  if (res.code !== 0) throw new FactError(host, `reading facts failed (exit ${res.code}): ${res.stderr.trim() || res.stdout.trim().slice(-300)}`);
  return parseFacts(host, res.stdout);
}
