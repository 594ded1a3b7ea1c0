// A stream that can no longer be written (a closed pipe, a full disk, a closed terminal) is said
// once to the command and its writes dropped; it had killed the controller mid-run (a review).
import { EventEmitter } from 'node:events';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { guardOutput, lostWords, onOutputLost, outputLost } from '../../src/ui/output-guard.js';

/** A stream whose writes throw from the `failAt`-th on (as a SyncWriteStream on a full disk). */
function failingStream(failAt: number) {
  const s = new EventEmitter() as EventEmitter & { write: (...a: unknown[]) => boolean; written: string[] };
  s.written = [];
  s.write = (chunk: unknown) => {
    if (s.written.length + 1 >= failAt) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    s.written.push(String(chunk));
    return true;
  };
  return s;
}

describe('a guarded output', () => {
  it('a throwing write is dropped and said once; later writes are dropped without a word; an error event is the same', () => {
    const heard: string[] = [];
    const off = onOutputLost((stream, err) => heard.push(`${stream} ${lostWords(stream, err)}`));
    const out = failingStream(2);
    guardOutput('stdout', out as unknown as NodeJS.WriteStream);
    expect(out.write('one\n')).toBe(true);
    let called = 0;
    expect(() => out.write('two\n', () => called++)).not.toThrow();
    expect(out.write('three\n')).toBe(true);
    expect(out.written).toEqual(['one\n']);
    expect(called).toBe(1);
    expect(heard).toEqual(['stdout stdout could not be written (ENOSPC: the disk is full)']);
    expect(outputLost()?.stream).toBe('stdout');
    const err = failingStream(99);
    guardOutput('stderr', err as unknown as NodeJS.WriteStream);
    err.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    err.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    expect(err.write('dropped\n')).toBe(true);
    expect(err.written).toEqual([]);
    expect(heard).toEqual(['stdout stdout could not be written (ENOSPC: the disk is full)', 'stderr stderr could not be written (EPIPE: its reader is gone)']);
    // A listener added afterwards hears of what was lost already.
    const late: string[] = [];
    onOutputLost((stream) => late.push(stream))();
    expect(late).toEqual(['stdout', 'stderr']);
    off();
  });

  it('the CLI whose stdout reader is gone ends with exit 1 and a word on stderr, not killed by an unhandled EPIPE', async () => {
    const main = resolve(import.meta.dirname, '../../dist/cli/main.js');
    const child = spawn(process.execPath, [main, 'completion', 'bash'], { stdio: ['ignore', 'pipe', 'pipe'] });
    // The reader gone before the script is written (Node takes ~100 ms to start).
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise((done) => child.on('close', done));
    expect(stderr).not.toMatch(/Unhandled 'error' event|node:events|at .*\.js:\d+/);
    expect(code).toBe(1);
  });
});
