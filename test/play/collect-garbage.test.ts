import { describe, expect, it } from 'vitest';
import { collectGarbage } from '../../src/play/collect-garbage.js';

describe('a full garbage collection between a fleet\'s apply and its confirmations', () => {
  it('collects what nothing holds any more, without a flag on node\'s command line, and adds no global', async () => {
    expect(process.execArgv.join(' ')).not.toMatch(/expose[-_]gc/);
    const held = { kept: new Array(1000).fill(1) };
    const refs = [new WeakRef({ dropped: new Array(1000).fill(1) }), new WeakRef(held)];
    // A WeakRef's target lives to the end of the job that made it: collected from the next one on.
    await new Promise((resolve) => setImmediate(resolve));
    collectGarbage();
    expect(refs[0]!.deref()).toBeUndefined();
    expect(refs[1]!.deref()).toBe(held);
    expect('gc' in globalThis).toBe(false);
  });
});
