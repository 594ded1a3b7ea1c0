// How `play` shows its progress: redrawn by listr2 on a terminal that can move its cursor, plain
// lines on a dumb one (TERM=dumb: Emacs's shell, some CI logs), which got cursor movements (a review).
import { afterEach, describe, expect, it } from 'vitest';
import { progressMode } from '../../src/ui/progress.js';

const tty = process.stdout.isTTY;
const term = process.env.TERM;
afterEach(() => {
  Object.defineProperty(process.stdout, 'isTTY', { value: tty, configurable: true });
  if (term === undefined) delete process.env.TERM;
  else process.env.TERM = term;
});

const on = (isTTY: boolean, TERM: string | undefined) => {
  Object.defineProperty(process.stdout, 'isTTY', { value: isTTY, configurable: true });
  if (TERM === undefined) delete process.env.TERM;
  else process.env.TERM = TERM;
  return { json: progressMode(true), text: progressMode(false) };
};

describe('progressMode', () => {
  it.each([
    [true, 'xterm-256color', 'tty'],
    [true, 'screen', 'tty'],
    [true, 'dumb', 'plain'],
    [true, undefined, 'plain'],
    [false, 'xterm-256color', 'plain'],
  ] as const)('a terminal %s with TERM=%s: %s; --json: silent', (isTTY, TERM, mode) => {
    expect(on(isTTY, TERM)).toEqual({ json: 'silent', text: mode });
  });
});
