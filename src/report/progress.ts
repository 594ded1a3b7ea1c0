// The progress UI lives behind this one module: listr2 on a terminal, plain lines otherwise,
// nothing at all for --json. The host name is in every title because the plain renderer drops parents.
import { Listr } from 'listr2';

export interface ProgressItem {
  title: string;
  run: (setTitle: (title: string) => void) => Promise<void>;
}

export type ProgressMode = 'tty' | 'plain' | 'silent';

export function progressMode(json: boolean): ProgressMode {
  if (json) return 'silent';
  return process.stdout.isTTY ? 'tty' : 'plain';
}

/** Runs the items concurrently (at most `concurrency`); failures are left to the callers' results. */
export async function runWithProgress(mode: ProgressMode, items: ProgressItem[], concurrency: number): Promise<void> {
  const list = new Listr(
    items.map((item) => ({
      title: item.title,
      task: async (_ctx: unknown, task: { title: string }) => {
        await item.run((t) => { task.title = t; });
      },
    })),
    {
      concurrent: concurrency,
      exitOnError: false,
      registerSignalListeners: false,
      renderer: mode === 'tty' ? 'default' : mode === 'plain' ? 'simple' : 'silent',
      fallbackRenderer: mode === 'silent' ? 'silent' : 'simple',
      rendererOptions: { collapseErrors: false },
    } as never,
  );
  await list.run();
}
