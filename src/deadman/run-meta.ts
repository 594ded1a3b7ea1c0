// The run's meta file: who, when, how long the timer, what, and the boot it was armed in
// (router/boot-id.ts says why that matters).
import { assertSafeRunId, runDir } from '../router/paths.js';
import { readBootId } from '../router/boot-id.js';
import { ROUTER_NOW, safeOwner } from '../router/lock.js';

/**
 * The run's meta file (who, when, how long the timer, what, and the boot it was armed in: see
 * router/boot-id.ts), values reduced to safe characters. One command list whose last command writes the
 * file, so that `metaLine(...) || fail` fails on that write.
 */
export function metaLine(runId: string, owner: string, timeoutSec: number, summary: string, now = ROUTER_NOW): string {
  return `${readBootId('tq_mb')}; printf 'run=%s\\nowner=%s\\nstarted=%s\\ntimeout=%s\\nsummary=%s\\nboot=%s\\n' ${assertSafeRunId(runId)} '${safeOwner(owner)}' ${now} ${timeoutSec} '${summary.replace(/[^A-Za-z0-9 ,.:/_-]/g, '_')}' "$tq_mb" > ${runDir(runId)}/meta`;
}
