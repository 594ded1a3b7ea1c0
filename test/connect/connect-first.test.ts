// On a terminal, every host is connected before the progress display; once the run is interrupted
// (Ctrl-C at a question, a signal), no more hosts are connected.
import { describe, expect, it } from 'vitest';
import { connectFirst } from '../../src/connect/connect-first.js';
import type { Transport } from '../../src/connect/transport.js';

const fake = (host: string) => ({ host, close: async () => undefined }) as unknown as Transport;

describe('connectFirst', () => {
  it('connects every host, at most `limit` at once', async () => {
    let open = 0;
    let most = 0;
    const out = await connectFirst(['a', 'b', 'c', 'd'], 2, async (h) => {
      most = Math.max(most, ++open);
      await new Promise((r) => setTimeout(r, 5));
      open--;
      return fake(h);
    });
    expect([...out.keys()].sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(most).toBe(2);
  });

  it('stops connecting once interrupted: the hosts after it are not tried', async () => {
    const stop = new AbortController();
    const tried: string[] = [];
    const out = await connectFirst(['a', 'b', 'c', 'd'], 1, async (h) => {
      tried.push(h);
      if (h === 'b') {
        stop.abort();
        throw new Error('interrupted at the question');
      }
      return fake(h);
    }, stop.signal);
    expect(tried).toEqual(['a', 'b']);
    expect([...out.keys()]).toEqual(['a', 'b']);
  });
});
