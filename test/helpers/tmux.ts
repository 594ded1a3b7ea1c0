// A real terminal for tests: tmux, a command in a session of its own, and its screen read until a
// pattern shows (interactive play on the lab, Ctrl-C at a question).
import { execFileSync } from 'node:child_process';

export const tmux = (...args: string[]): string => execFileSync('tmux', args, { encoding: 'utf8' });

/** The session's screen (its last 3000 lines) once `pattern` is on it; fails after `ms`. */
export async function screenUntil(session: string, pattern: RegExp, ms = 120_000): Promise<string> {
  const end = Date.now() + ms;
  for (;;) {
    const screen = tmux('capture-pane', '-p', '-J', '-t', session, '-S', '-3000');
    if (pattern.test(screen)) return screen;
    if (Date.now() > end) throw new Error(`timed out waiting for ${pattern}:\n${screen}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
