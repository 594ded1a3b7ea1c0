// The progress UI lives behind this one module: listr2 on a terminal, plain lines otherwise,
// nothing at all for --json. The host name is in every title because the plain renderer drops parents.
import { terminalText } from './terminal.js';

export interface ProgressItem {
  title: string;
  /** The host the item works on: errors it throws are reported with its name. */
  host?: string;
  run: (setTitle: (title: string) => void) => Promise<void>;
}

export type ProgressMode = 'tty' | 'plain' | 'silent';

export function progressMode(json: boolean): ProgressMode {
  if (json) return 'silent';
  // A dumb terminal (Emacs's shell, some CI logs) cannot move its cursor: plain lines there (a review).
  return process.stdout.isTTY && process.env.TERM !== undefined && process.env.TERM !== 'dumb' ? 'tty' : 'plain';
}

/**
 * Runs the items concurrently (at most `concurrency`) and returns the errors they threw, in item
 * order: an item that throws shows as failed, and the caller decides what the failure means.
 */
export async function runWithProgress(mode: ProgressMode, items: ProgressItem[], concurrency: number): Promise<Error[]> {
  const errors: Array<Error | undefined> = items.map(() => undefined);
  const failed = (item: ProgressItem, i: number, err: unknown): string => {
    const message = err instanceof Error ? err.message : String(err);
    errors[i] = new Error(item.host && !message.startsWith(`${item.host}:`) ? `${item.host}: ${message}` : message);
    return message;
  };
  if (mode === 'silent') {
    // --json and the tests: nothing is drawn, so listr2 is not even loaded; the same bounded concurrency.
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < items.length; i = next++) {
        await items[i]!.run(() => undefined).catch((err: unknown) => failed(items[i]!, i, err));
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
    return errors.filter((e): e is Error => e !== undefined);
  }
  const { Listr } = await import('listr2');
  const list = new Listr(
    items.map((item, i) => ({
      title: terminalText(item.title),
      task: async (_ctx: unknown, task: { title: string }) => {
        try {
          await item.run((t) => { task.title = terminalText(t); });
        } catch (err) {
          const message = failed(item, i, err);
          // listr2 prints the message: escaped, as it may hold what the router said.
          throw new Error(terminalText(message));
        }
      },
    })),
    {
      concurrent: concurrency,
      exitOnError: false,
      registerSignalListeners: false,
      renderer: mode === 'tty' ? 'default' : 'simple',
      fallbackRenderer: 'simple',
      rendererOptions: { collapseErrors: false },
    } as never,
  );
  await list.run();
  return errors.filter((e): e is Error => e !== undefined);
}
