import { describe, expect, it } from 'vitest';
import { newRunId } from '../../src/play/run-id.js';
import { assertSafeRunId } from '../../src/router/paths.js';

describe('run ids', () => {
  const when = new Date('2026-11-28T10:41:02.123Z');

  it('say when and which process, and carry a random part that a shell never needs to quote', () => {
    const id = newRunId(when, 1, Buffer.from('a1b2c3d4e5f6', 'hex'));
    expect(id).toBe('20261128T104102-1-a1b2c3d4e5f6');
    expect(assertSafeRunId(id)).toBe(id);
  });

  it('differ for two controllers started in the same second with the same pid (containers: PID 1)', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newRunId(when, 1)));
    expect(ids.size).toBe(1000);
  });
});
