// The rows of the fault matrix: one fault injected into a cold apply of playbooks/teql.yml, and
// the end the safety net promises for each router. Points are held with `--debug-hold` (router
// side: inside a step, in the rollback; controller side: approval, verify, between confirmations).
import { labCli, sshRun } from '../lab.js';
import { DECIDED_HOLD_PID_FILE } from '../../../src/deadman/confirm-script.js';
import { sleep } from '../wait.js';
import { routerUntil, type Controller, type End } from './harness.js';

export const TIMEOUT = 15; // --confirm-timeout of a row: the dead-man fires 15 s after arming
// Rows held in the boot files (the second apply batch, after the first and its pings): the timer,
// armed at the first batch, must outlast the way there and the controller's reaction to a signal.
// At 15 s, on a machine running at about half its speed, router a's dead-man fired first in the
// clean-clone CI of 3583ab0 (its rollback never began; the row wants it rolled back by teqlctl).
export const TIMEOUT_PERSIST_STEP = 30;
export const PERSIST = ['-e', 'teql_persist=true'];
const RUNS = '/var/lib/teqlctl/runs';

export interface Row {
  fault: string;
  persist: boolean;
  args: string[];
  inject: (c: Controller) => Promise<void>;
  want: { a: End; b: End };
  /** The controller's exit: a code, or the signal that killed it. */
  exit: number[] | 'SIGKILL';
  /** What `teqlctl status` says of the run on each router. */
  status: { a: RegExp; b: RegExp };
  /** The lock each router holds at the end (held: a run killed after confirming a, before freeing). */
  locks?: { a: 'free' | 'held'; b: 'free' | 'held' };
  /** Its --confirm-timeout, when not TIMEOUT. */
  timeout?: number;
}

const begun = (batch: number, step: number) => async () => {
  await Promise.all((['a', 'b'] as const).map((r) => routerUntil(r, `grep -qx ${step} ${RUNS}/*/begun-${batch}`)));
};
// Each router marks its own rollback: both are waited for, since they run side by side.
const rollingBack = async () => {
  await Promise.all((['a', 'b'] as const).map((r) => routerUntil(r, `grep -qx rolling-back ${RUNS}/*/state`)));
};
const kill = (signal: NodeJS.Signals) => (c: Controller) => void c.child.kill(signal);
// Both routers' confirmations held right after their decision (`--debug-hold decided:S`), and then
// killed there as the OOM killer kills: SIGKILL, no trap runs. Stopped first, so the shell cannot go
// on to its records when its sleep dies.
const decidedHeld = async () => {
  await Promise.all((['a', 'b'] as const).map((r) => routerUntil(r, `test -s ${DECIDED_HOLD_PID_FILE}`)));
};
const killConfirmations = async () => {
  await Promise.all((['a', 'b'] as const).map(async (r) => {
    const res = await sshRun(r, `p=$(cat ${DECIDED_HOLD_PID_FILE}) && kill -STOP $p && for c in $(pgrep -P $p); do kill -KILL $c; done; kill -KILL $p && rm -f ${DECIDED_HOLD_PID_FILE}`);
    if (res.code !== 0) throw new Error(`router ${r}: the held confirmation could not be killed: ${res.stdout}${res.stderr}`);
  }));
};
const then = (...fs: Array<(c: Controller) => unknown>) => async (c: Controller) => { for (const f of fs) await f(c); };
const held = (point: string) => (c: Controller) => c.waitFor(new RegExp(`holding at ${point}`));

const DEADMAN = /reverted, reverted by the dead-man at/;
const ROLLED_BACK = /rolled-back(?!.*confirmed here)/;
// b while teqlctl waits on a's lost connection: its own timer may fire before teqlctl gives up on a.
const EITHER = /reverted, reverted by the dead-man at|rolled-back(?!.*confirmed here)/;
// b when a's confirmation hangs on the cut link: b may have confirmed first, then be rolled back.
const ANY_UNDONE = /reverted, reverted by the dead-man at|rolled-back/;

/**
 * A signal inside a step, on both routers (their journals say the step began): step 3 of the first
 * apply, step 1 of the second (the boot files of persist), or step 0 (right after arming).
 */
function inStep(signal: NodeJS.Signals, persist: boolean, first = false): Row {
  const [batch, step] = persist ? [1, 1] : first ? [0, 0] : [0, 3];
  const killed = signal === 'SIGKILL';
  return {
    fault: first ? `${signal} of the controller right after arming (inside step 0)` : `${signal} of the controller inside step ${step} of apply batch ${batch}${persist ? ' (the boot files)' : ''}`,
    persist,
    args: ['--debug-hold', `step-${batch}.${step}:600`],
    inject: then(begun(batch, step), kill(signal)),
    ...(persist ? { timeout: TIMEOUT_PERSIST_STEP } : {}),
    want: { a: 'pristine', b: 'pristine' },
    exit: killed ? 'SIGKILL' : [130],
    status: killed ? { a: DEADMAN, b: DEADMAN } : { a: ROLLED_BACK, b: ROLLED_BACK },
  };
}

export const ROWS: Row[] = [
  inStep('SIGKILL', false, true),
  inStep('SIGTERM', false, true),
  inStep('SIGHUP', false, true),
  inStep('SIGKILL', false),
  inStep('SIGKILL', true),
  inStep('SIGTERM', false),
  inStep('SIGHUP', false),
  inStep('SIGINT', true),
  {
    fault: 'SIGKILL of the controller between apply and verify', persist: false, args: ['--debug-hold', 'verify:600'],
    inject: then(held('verify'), kill('SIGKILL')), want: { a: 'pristine', b: 'pristine' }, exit: 'SIGKILL', status: { a: DEADMAN, b: DEADMAN },
  },
  {
    fault: 'SIGTERM of the controller between apply and verify', persist: true, args: ['--debug-hold', 'verify:600'],
    inject: then(held('verify'), kill('SIGTERM')), want: { a: 'pristine', b: 'pristine' }, exit: [130], status: { a: ROLLED_BACK, b: ROLLED_BACK },
  },
  {
    fault: 'SIGHUP of the controller between apply and verify', persist: false, args: ['--debug-hold', 'verify:600'],
    inject: then(held('verify'), kill('SIGHUP')), want: { a: 'pristine', b: 'pristine' }, exit: [130], status: { a: ROLLED_BACK, b: ROLLED_BACK },
  },
  {
    // The one window two routers cannot close without talking to each other: a is confirmed (and
    // keeps the run's lock, freed only once every host confirmed), b's dead-man reverts b.
    fault: 'SIGKILL of the controller between confirming a and b', persist: false, args: ['--debug-hold', 'between-confirms:600'],
    inject: then(held('between-confirms'), kill('SIGKILL')), want: { a: 'converged', b: 'pristine' }, exit: 'SIGKILL',
    status: { a: /confirmed, confirmed at/, b: DEADMAN }, locks: { a: 'held', b: 'free' },
  },
  {
    fault: 'SIGHUP of the controller between confirming a and b', persist: false, args: ['--debug-hold', 'between-confirms:600'],
    inject: then(held('between-confirms'), kill('SIGHUP')), want: { a: 'pristine', b: 'pristine' }, exit: [130],
    status: { a: /rolled-back \(after it was confirmed here/, b: ROLLED_BACK },
  },
  {
    fault: 'SIGTERM of the controller between confirming a and b', persist: true, args: ['--debug-hold', 'between-confirms:600'],
    inject: then(held('between-confirms'), kill('SIGTERM')), want: { a: 'pristine', b: 'pristine' }, exit: [130],
    status: { a: /rolled-back \(after it was confirmed here/, b: ROLLED_BACK },
  },
  {
    // The controller gone first (nothing left to roll back), then each router's confirmation killed
    // between its decision and its records: the timer, stopped only after the records, still fires,
    // and its revert takes the run over (decided by the confirmation, never recorded).
    fault: 'SIGKILL of the controller, then of both confirmations between their decision and their records', persist: false, args: ['--debug-hold', 'decided:600'],
    inject: then(decidedHeld, kill('SIGKILL'), killConfirmations), want: { a: 'pristine', b: 'pristine' }, exit: 'SIGKILL', status: { a: DEADMAN, b: DEADMAN },
  },
  {
    fault: "SIGKILL of the controller during its own rollback (after SIGTERM)", persist: false, args: ['--debug-hold', 'step-0.3:600', '--debug-hold', 'rollback:6'],
    inject: then(begun(0, 3), kill('SIGTERM'), rollingBack, kill('SIGKILL')),
    want: { a: 'pristine', b: 'pristine' }, exit: 'SIGKILL', status: { a: ROLLED_BACK, b: ROLLED_BACK },
  },
  {
    fault: 'SIGHUP during the rollback that a SIGTERM started', persist: true, args: ['--debug-hold', 'step-1.1:600', '--debug-hold', 'rollback:4'],
    inject: then(begun(1, 1), kill('SIGTERM'), rollingBack, kill('SIGHUP')), timeout: TIMEOUT_PERSIST_STEP,
    want: { a: 'pristine', b: 'pristine' }, exit: [130], status: { a: ROLLED_BACK, b: ROLLED_BACK },
  },
  {
    fault: 'SIGTERM during the rollback that a SIGINT started', persist: false, args: ['--debug-hold', 'step-0.3:600', '--debug-hold', 'rollback:4'],
    inject: then(begun(0, 3), kill('SIGINT'), rollingBack, kill('SIGTERM')),
    want: { a: 'pristine', b: 'pristine' }, exit: [130], status: { a: ROLLED_BACK, b: ROLLED_BACK },
  },
  {
    fault: "router a's management link cut during apply (restored after its dead-man fired)", persist: false, args: ['--debug-hold', 'step-0.3:8'],
    inject: then(begun(0, 3), () => labCli(['cut', 'a']), () => sleep((TIMEOUT + 8) * 1000), () => labCli(['restore', 'a'])),
    want: { a: 'pristine', b: 'pristine' }, exit: [4, 6], status: { a: DEADMAN, b: EITHER },
  },
  {
    fault: "router a's management link cut during confirmation (restored after its dead-man fired)", persist: false, args: ['--debug-hold', 'confirm:2'],
    inject: then(held('confirm'), () => labCli(['cut', 'a']), () => sleep((TIMEOUT + 8) * 1000), () => labCli(['restore', 'a'])),
    want: { a: 'pristine', b: 'pristine' }, exit: [5, 6], status: { a: DEADMAN, b: ANY_UNDONE },
  },
];

/** Reads `teqlctl status` output: the line of each router's most recent run. */
export function runLines(status: string): { a: string; b: string } {
  const section = (host: string) => {
    const start = status.indexOf(`${host}:`);
    const rest = status.slice(start).split('\n').slice(1);
    const runs = [];
    for (const l of rest) { if (!l.startsWith('  ')) break; runs.push(l); }
    return runs.at(-1) ?? '';
  };
  return { a: section('router_a'), b: section('router_b') };
}

export async function lockOf(r: 'a' | 'b'): Promise<'free' | 'held'> {
  return (await sshRun(r, 'test -e /run/teqlctl.lock')).code === 0 ? 'held' : 'free';
}
