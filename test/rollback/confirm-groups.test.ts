// Which routers a rollback confirms when some could not be verified (rollback/confirm-groups.ts).
import { describe, expect, it } from 'vitest';
import { heldBack } from '../../src/rollback/confirm-groups.js';

describe('heldBack', () => {
  it('nothing fails: nothing is held back', () => {
    expect([...heldBack([{ host: 'a', peers: ['b'] }, { host: 'b', peers: ['a'] }], new Set())]).toEqual([]);
  });

  it('a bundle is confirmed on both ends or neither: the failed host\'s peer is held back, a pair apart is not', () => {
    const c = [{ host: 'a', peers: ['b'] }, { host: 'b', peers: ['a'] }, { host: 'c', peers: ['d'] }, { host: 'd', peers: ['c'] }];
    expect([...heldBack(c, new Set(['b']))]).toEqual([['a', 'b']]);
  });

  it('through a hub: a branch that fails holds back its hub, and the hub every other branch of the run', () => {
    const c = [{ host: 'hub', peers: ['br1', 'br2', 'br3'] }, { host: 'br1', peers: ['hub'] }, { host: 'br2', peers: ['hub'] }, { host: 'br3', peers: ['hub'] }, { host: 'x', peers: [] }];
    expect(new Map(heldBack(c, new Set(['br2'])))).toEqual(new Map([['hub', 'br2'], ['br1', 'br2'], ['br3', 'br2']]));
  });

  it('one side\'s record is enough (a peer that names the failed host), and a host whose peers are not known is joined to all', () => {
    expect([...heldBack([{ host: 'a', peers: [] }, { host: 'b', peers: ['a'] }], new Set(['a']))]).toEqual([['b', 'a']]);
    expect(new Map(heldBack([{ host: 'a' }, { host: 'b', peers: [] }, { host: 'c', peers: [] }], new Set(['c'])))).toEqual(new Map([['a', 'c'], ['b', 'c']]));
  });
});
