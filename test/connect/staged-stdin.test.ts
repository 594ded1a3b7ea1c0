// stagedOverStdin's answer: at the marker, at the command's end before it, or its failure; settled
// once (its resolving functions are let go, so that the output before the marker is not kept while
// the shell waits: a fleet's hosts wait together).
import { describe, expect, it } from 'vitest';
import { stagedOverStdin } from '../../src/connect/staged-stdin.js';
import type { StagedStdin } from '../../src/connect/exec-command.js';
import type { CommandResult } from '../../src/connect/transport.js';

const result = (stdout: string): CommandResult => ({ label: 'apply', script: '', code: 0, stdout, stderr: '', durationMs: 1 });

/** A command whose output the test writes, and whose end it decides. */
function command() {
  let stdin!: StagedStdin;
  let end!: (r: CommandResult) => void;
  let fail!: (e: Error) => void;
  const run = (s: StagedStdin) => {
    stdin = s;
    return new Promise<CommandResult>((resolve, reject) => ((end = resolve), (fail = reject)));
  };
  return { run, write: (text: string) => stdin.onStdout!(Buffer.from(text)), end: (r: CommandResult) => end(r), fail: (e: Error) => fail(e), rest: () => stdin.rest };
}

describe('stagedOverStdin', () => {
  it('answers at the marker with the output before it; its finish sends the rest and gives the whole, its script the rest alone', async () => {
    const c = command();
    const staged = stagedOverStdin('', 'first part', '@@barrier', c.run, () => undefined);
    c.write('step 1\n@@bar');
    c.write('rier\n');
    expect(await staged.reached).toEqual({ stdout: 'step 1\n@@barrier\n' });
    const finishing = staged.finish('checks');
    expect(await c.rest()).toBe('checks');
    c.end(result('step 1\n@@barrier\nchecked\n'));
    expect(await finishing).toMatchObject({ stdout: 'step 1\n@@barrier\nchecked\n', script: 'checks' });
  });

  it('a command that ends before the marker: its whole result is the answer', async () => {
    const c = command();
    const staged = stagedOverStdin('', 'first', '@@barrier', c.run, () => undefined);
    c.write('locked by another run\n');
    c.end(result('locked by another run\n'));
    expect(await staged.reached).toEqual({ stdout: 'locked by another run\n', ended: result('locked by another run\n') });
  });

  it('a command that fails before the marker: the answer fails with it; one that fails after, only its finish', async () => {
    const before = command();
    const a = stagedOverStdin('', 'first', '@@barrier', before.run, () => undefined);
    before.fail(new Error('connection lost'));
    await expect(a.reached).rejects.toThrow('connection lost');
    const after = command();
    const b = stagedOverStdin('', 'first', '@@barrier', after.run, () => undefined);
    after.write('@@barrier\n');
    expect(await b.reached).toEqual({ stdout: '@@barrier\n' });
    const finishing = b.finish('');
    after.fail(new Error('connection lost'));
    await expect(finishing).rejects.toThrow('connection lost');
  });
});
