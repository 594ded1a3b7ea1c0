// The fault matrix (issue 11): one fault per row injected into a cold apply of playbooks/teql.yml,
// with and without persist, and BOTH routers checked at the end: converged and confirmed, or equal
// to their state before the run, within --confirm-timeout + 30 s; plus what `teqlctl status` says,
// the exit code, and the lock. The table of results is written to $TMPDIR/teqlctl-fault-matrix.md
// and printed; docs/deadman.md carries the one of the last full run. Reboots and a full /var are
// rows of persist-teardown.test.ts and arming.test.ts; the timer racing confirmation is in
// fault-collision.test.ts.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labCli, resetRouters } from './lab.js';
import { CHAPTER, LAB_INVENTORY, playJson, teqlctl } from './teqlctl.js';
import { classify, routersNow, settle, startPlay, tableRow, TABLE_FILE, type End, type States } from './fault-matrix/harness.js';
import { PERSIST, ROWS, runLines, TIMEOUT } from './fault-matrix/rows.js';

const refs: Record<'plain' | 'persist', Record<End, States>> = {} as never;

beforeAll(async () => {
  await resetRouters('a', 'b');
  const pristine = await routersNow();
  for (const [mode, extra] of [['plain', []], ['persist', PERSIST]] as const) {
    const r = await playJson(CHAPTER, [...extra]);
    expect(r.code, r.stderr).toBe(0);
    refs[mode] = { pristine, converged: await routersNow() };
    await resetRouters('a', 'b');
  }
  expect(refs.plain.converged.a).not.toBe(pristine.a);
  expect(refs.persist.converged.a).not.toBe(refs.plain.converged.a);
});

afterAll(async () => {
  await labCli(['restore', 'a']).catch(() => undefined);
  await resetRouters('a', 'b');
  process.stdout.write(`\nfault matrix (${TABLE_FILE}):\n${readFileSync(TABLE_FILE, 'utf8')}\n`);
});

describe('fault matrix: every router ends converged and confirmed, or exactly as it was', () => {
  it.each(ROWS.map((row) => [row.fault + (row.persist ? ', with persist' : ''), row] as const))('%s', async (_name, row) => {
    await resetRouters('a', 'b');
    const ref = refs[row.persist ? 'persist' : 'plain'];
    const timeout = row.timeout ?? TIMEOUT;
    const controller = startPlay(['--confirm-timeout', String(timeout), ...(row.persist ? PERSIST : []), ...row.args]);
    try {
      await row.inject(controller);
    } catch (err) {
      controller.child.kill('SIGKILL');
      throw err;
    }
    const ended = await controller.done;
    const { ms: settled, seen } = await settle(ref, row.want, (timeout + 30) * 1000, row.locks);
    const { locks, ...end } = await classify(ref, seen);
    const status = await teqlctl(['status', '-i', LAB_INVENTORY]);
    const lines = runLines(status.stdout);
    const exit = ended.signal ?? String(ended.code);
    tableRow([row.fault, row.persist ? 'yes' : 'no', end.a, end.b, exit, `a: ${lines.a.replace(/^\s*run \S+\s+started \S+\s+/, '')}; b: ${lines.b.replace(/^\s*run \S+\s+started \S+\s+/, '')}`, settled < 0 ? 'NEVER' : `${Math.round(settled / 1000)} s`]);
    expect(end, controller.stderr()).toEqual(row.want);
    expect(settled).toBeGreaterThanOrEqual(0);
    if (row.exit === 'SIGKILL') expect(ended.signal).toBe('SIGKILL');
    else expect(row.exit, `exit ${ended.code}\n${controller.stderr()}\n${ended.stdout}`).toContain(ended.code);
    expect(lines.a, status.stdout).toMatch(row.status.a);
    expect(lines.b, status.stdout).toMatch(row.status.b);
    expect(locks).toEqual(row.locks ?? { a: 'free', b: 'free' });
    if (row.locks?.a === 'held') {
      // Held by a run that is over: status names it, and unlock frees it without --force.
      expect(status.stdout).toMatch(/router_a: no timer armed; locked by run \S+ .*\(holder gone\)/);
      const unlock = await teqlctl(['unlock', '-i', LAB_INVENTORY]);
      expect(unlock.stdout).toMatch(/router_a: removed the lock of run/);
    }
  });
});
