// Stopping the wizard before the run: TERM and HUP at a prompt ended it silently with 143, and the
// message said "nothing was written" after a host key had been added to known_hosts (a review).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { hostKeyWritten, interruptedLine, onInterrupt, StoppedAfterWriting } from '../../src/wizard/interrupt.js';
import { interruptedMessage } from '../../src/cli/wizard-command.js';
import { isPromptExit } from '../../src/ui/prompts.js';

let stop = () => undefined as void;
afterEach(() => stop());

describe('an interrupted wizard', () => {
  it.each(['SIGINT', 'SIGTERM', 'SIGHUP'] as const)('%s: the scratch folder removed, a true message, exit 130', (sig) => {
    const written: Array<[number, string]> = [];
    const s = { wrote: [hostKeyWritten('[127.0.0.1]:2201')], discard: vi.fn() };
    const exit = vi.fn();
    stop = onInterrupt(s, exit, { write: (fd, text) => written.push([fd, text]), stdoutIsTty: false });
    process.emit(sig, sig);
    expect(exit).toHaveBeenCalledWith(130);
    expect(s.discard).toHaveBeenCalled();
    expect(written).toEqual([[2, '\ninterrupted: the host key of [127.0.0.1]:2201 (to known_hosts) was written; no router was changed\n']]);
    stop();
    expect(process.listenerCount(sig)).toBe(0);
  });

  it('on a terminal, shows the cursor again first (a progress display or a prompt hid it), and says it past their buffers', () => {
    const written: Array<[number, string]> = [];
    // What listr2 does on a terminal: process.stderr.write goes to its buffer, never out.
    const held = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    stop = onInterrupt({ wrote: [], discard: vi.fn() }, vi.fn(), { write: (fd, text) => written.push([fd, text]), stdoutIsTty: true });
    process.emit('SIGINT', 'SIGINT');
    expect(written).toEqual([[1, '\x1b[?25h'], [2, '\ninterrupted: nothing was written and no router was changed\n']]);
    expect(held).not.toHaveBeenCalled();
  });

  it('says "nothing was written" only while nothing was', () => {
    expect(interruptedLine({ wrote: [] })).toBe('interrupted: nothing was written and no router was changed');
    // Ctrl-C at a prompt after a host key was trusted: the command says the error's own message.
    const after = new StoppedAfterWriting({ wrote: [hostKeyWritten('[h]:22')] });
    expect(interruptedMessage(after, isPromptExit)).toBe('interrupted: the host key of [h]:22 (to known_hosts) was written; no router was changed');
  });
});
