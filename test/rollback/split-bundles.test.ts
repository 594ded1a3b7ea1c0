// Which routers a rollback must not undo alone: a router it cannot reach holds up the ones that
// share a bundle of the run with it (or cannot say), and only those.
import { describe, expect, it } from 'vitest';
import { PRUNED_RECORD, splitBundles } from '../../src/rollback/split-bundles.js';
import { KEEP_RUNS } from '../../src/deadman/prune-runs.js';

const hub = { host: 'hub', run: { peers: ['b1', 'b2', 'b3'] } };
const b1 = { host: 'b1', run: { peers: ['hub'] } };
const all = new Set(['hub', 'b1', 'b2', 'b3', 'other']);

describe('splitBundles', () => {
  it('blocks where a holder shares a bundle with a router that is down, naming both', () => {
    const v = splitBundles('r1', [hub, b1], new Map([['b2', 'connection refused']]), all);
    expect(v.blocked).toEqual(['hub shares a bundle of run r1 with b2, which cannot be reached (connection refused)']);
    expect(v.aside).toEqual([]);
  });

  it('goes on around a router that is down and shares no bundle of the run with any holder', () => {
    const v = splitBundles('r1', [hub, b1], new Map([['other', 'timed out']]), all, new Map([['b2', 'rolled-back'], ['b3', 'rolled-back']]));
    expect(v).toEqual({ blocked: [], aside: ['other'], outside: [], unheld: [] });
  });

  it('blocks when a holder does not know its peers (an older run) and some router is down', () => {
    const v = splitBundles('r1', [{ host: 'old', run: {} }], new Map([['other', 'timed out']]), all);
    expect(v.blocked[0]).toMatch(/old's record of run r1 does not say which routers share its bundles .* other cannot be reached/);
    // Nothing down: an older run is rolled back as before.
    expect(splitBundles('r1', [{ host: 'old', run: {} }], new Map(), all).blocked).toEqual([]);
  });

  it('says which peers --limit left out, without blocking', () => {
    const v = splitBundles('r1', [hub], new Map(), new Set(['hub', 'b1']));
    expect(v.blocked).toEqual([]);
    expect(v.outside).toEqual([{ host: 'hub', peer: 'b2' }, { host: 'hub', peer: 'b3' }]);
  });

  it('names a peer that answers but has no record of the run, or holds it pending; one that undid it already completes the rollback', () => {
    const records = new Map([['hub', 'confirmed'], ['b2', 'pending'], ['b3', 'rolled-back']]);
    const v = splitBundles('r1', [hub], new Map(), all, records);
    expect(v.blocked).toEqual([]);
    expect(v.unheld).toEqual([
      { line: 'hub shares a bundle of run r1 with b1, which has no record of the run' },
      { line: 'hub shares a bundle of run r1 with b2, which holds it as pending', record: 'pending' },
    ]);
    // A peer that pruned its records of the run is named so: nothing there can undo its end.
    expect(splitBundles('r1', [b1], new Map(), all, new Map([['b1', 'confirmed'], ['hub', PRUNED_RECORD]])).unheld).toEqual([
      { line: `b1 shares a bundle of run r1 with hub, which pruned its records of it (a router keeps its ${KEEP_RUNS} latest runs, docs/deadman.md): teqlctl cannot undo it there`, record: PRUNED_RECORD },
    ]);
    // A peer that holds the run confirmed too is rolled back with it; one reverted by its dead-man is undone already.
    expect(splitBundles('r1', [hub, b1], new Map(), all, new Map([['hub', 'confirmed'], ['b1', 'confirmed'], ['b2', 'reverted'], ['b3', 'rolled-back']])).unheld).toEqual([]);
  });
});
