import { describe, expect, it } from 'vitest';
import type { Op } from '../../src/plan/ops.js';
import { inverseOps, type JournalEntry } from '../../src/rollback/journal.js';

const up = (dev: string) => ({ kind: 'link', dev, up: true }) as unknown as Op;
const down = (dev: string) => ({ kind: 'link', dev, up: false }) as unknown as Op;
const entry = (dev: string, code: number): JournalEntry => ({ resource: `link ${dev}`, task: 'links up', op: up(dev), undo: [down(dev)], command: `ip link set ${dev} up`, code, output: '' });

describe('inverseOps', () => {
  it('undoes what ran, last first', () => {
    expect(inverseOps([entry('eth1', 0), entry('eth2', 0)])).toEqual([down('eth2'), down('eth1')]);
  });

  it('skips a step that failed: it changed nothing to undo', () => {
    expect(inverseOps([entry('eth1', 0), entry('eth2', 1)])).toEqual([down('eth1')]);
  });

  it('has nothing to undo for an empty journal', () => {
    expect(inverseOps([])).toEqual([]);
  });
});
