// Output that can no longer be written: a closed pipe (`teqlctl play ... | head -1`, `less` quit), a
// full disk under a redirected stdout, a closed terminal (EIO). Node says so by an 'error' event on
// the stream, or by a throw from the write itself, deep inside the progress display. Unhandled,
// either killed the controller mid-run: routers left to their dead-men, some of them confirmed (one
// end of a bundle staying), their locks held, nothing said (a review). Guarded, the write is
// dropped, later writes to that stream too, and the command is told once, to end as it would after
// a signal; the other stream still carries what can be said.

export type OutputName = 'stdout' | 'stderr';
export type OutputLostListener = (stream: OutputName, err: Error) => void;

const lost = new Map<OutputName, Error>();
const listeners = new Set<OutputLostListener>();

/** The first stream lost and why, once one was. */
export function outputLost(): { stream: OutputName; err: Error } | undefined {
  const [first] = lost;
  return first ? { stream: first[0], err: first[1] } : undefined;
}

/** Calls `listener` when a stream is lost (at once for one lost already); returns its removal. */
export function onOutputLost(listener: OutputLostListener): () => void {
  for (const [stream, err] of lost) listener(stream, err);
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function lose(stream: OutputName, err: Error): void {
  if (lost.has(stream)) return;
  lost.set(stream, err);
  for (const l of [...listeners]) l(stream, err);
}

type Writable = Pick<NodeJS.WriteStream, 'write' | 'on'>;

/** Guards a stream: installed once at start, before anything writes (the progress display too). */
export function guardOutput(name: OutputName, stream: Writable): void {
  const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
  stream.write = ((...args: unknown[]) => {
    const done = args.find((a) => typeof a === 'function') as ((err?: Error | null) => void) | undefined;
    if (lost.has(name)) {
      done?.(null);
      return true;
    }
    try {
      return write(...args);
    } catch (err) {
      lose(name, err instanceof Error ? err : new Error(String(err)));
      done?.(null);
      return true;
    }
  }) as NodeJS.WriteStream['write'];
  stream.on('error', (err: Error) => lose(name, err));
}

/** How a lost stream is said: `stdout (write EPIPE)`. */
export function lostWords(stream: OutputName, err: Error): string {
  const code = (err as NodeJS.ErrnoException).code;
  return `${stream} could not be written (${code ?? err.message}${code === 'EPIPE' ? ': its reader is gone' : code === 'ENOSPC' ? ': the disk is full' : code === 'EIO' ? ': the terminal closed' : ''})`;
}
