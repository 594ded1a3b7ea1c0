// The listing of --list-tasks, pure: a host without tasks is said without guessing why (a play
// with `tasks: []` was said to have every `when:` false, a review).
import { describe, expect, it } from 'vitest';
import { formatListing } from '../../src/report/list-plays.js';
import type { LoadedRun } from '../../src/load/types.js';

describe('--list-tasks', () => {
  it('says a host without tasks for what it is, whatever the cause', () => {
    const run = { plays: [{ name: 'empty', hosts: ['r1'], tasks: new Map([['r1', []]]) }] } as unknown as LoadedRun;
    expect(formatListing(run, 'pb.yml', { hosts: false, tasks: true })).toBe("\nplaybook: pb.yml\n\n  play #1: empty\n    tasks:\n      r1:\n        (no task for this host: none is written, or each one's `when:` is false or its loop empty)\n");
  });
});
