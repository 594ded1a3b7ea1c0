// The run's meta file: who, when, how long the timer, what, the boot it was armed in
// (router/boot-id.ts says why that matters) and its place among the runs armed on the router
// (router/arm-order.ts).
import { assertSafeRunId, runDir } from '../router/paths.js';
import { readBootId } from '../router/boot-id.js';
import { ROUTER_NOW, safeOwner } from '../router/lock.js';
import { nextArmSeq } from '../router/arm-order.js';

export { ARM_SEQ_FILE } from '../router/arm-order.js';

/**
 * The run's meta file (who, when, how long the timer, what, and the boot it was armed in: see
 * router/boot-id.ts), values reduced to safe characters. One command list whose last command writes the
 * file, so that `metaLine(...) || fail` fails on that write, or on the run's number not recorded
 * (router/arm-order.ts).
 */
export function metaLine(runId: string, owner: string, timeoutSec: number, summary: string, now = ROUTER_NOW, peers?: readonly string[]): string {
  const peerLine = peers === undefined ? '' : `peers=${peersValue(peers)}\\n`;
  return `${readBootId('tq_mb')}; ${nextArmSeq('tq_ms')} && printf 'run=%s\\nowner=%s\\nstarted=%s\\ntimeout=%s\\nsummary=%s\\nboot=%s\\nseq=%s\\n${peerLine}' ${assertSafeRunId(runId)} '${safeOwner(owner)}' ${now} ${timeoutSec} '${summary.replace(/[^A-Za-z0-9 ,.:/_-]/g, '_')}' "$tq_mb" "$tq_ms" > ${runDir(runId)}/meta`;
}

/** A name as it may stand in the meta file (and in printf's format): else the peers are unknown. */
const SAFE_NAME = /^[A-Za-z0-9._:[\]@-]+$/;

/**
 * The inventory names of the hosts that share a bundle of the run with this one, comma-separated:
 * `teqlctl rollback` knows from them which bundles a router it cannot reach would split. `?` where
 * a name cannot be written safely (then the peers count as unknown, as for an older run).
 */
export function peersValue(peers: readonly string[]): string {
  return peers.every((p) => SAFE_NAME.test(p)) ? [...peers].sort().join(',') : '?';
}

/** The peers a meta file's `peers=` value names; undefined when unknown (no line, or `?`). */
export function parsePeers(value: string | undefined): string[] | undefined {
  if (value === undefined || value === '?') return undefined;
  return value.split(',').filter(Boolean);
}
