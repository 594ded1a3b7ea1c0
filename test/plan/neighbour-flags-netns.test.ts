// A link's permanent neighbours with flags, against the real kernel in a network namespace (needs
// root, as CI has): an IPv6 router's NDP entry (NTF_ROUTER) and an ARP entry with a protocol. Taken
// down, the link loses them; until 2026-12-05 the undo put them back without the flag and the
// protocol, and the check, which compared neither, said the router was as before (a review).
import { describe, expect, it } from 'vitest';
import { netnsShell } from '../helpers/netns.js';
import { undoRunner } from '../helpers/run-and-undo.js';
import { factsScript } from '../../src/gather/script.js';
import { parseFacts } from '../../src/gather/parse-facts.js';
import { planHost } from '../../src/plan/plan-host.js';
import { task } from '../helpers/facts.js';
import { diffState } from '../../src/rollback/compare.js';
import { RefusedError } from '../../src/errors.js';

const sh = netnsShell('neighflags', 'ip link add eth1 type veth peer name p1 && ip link set eth1 up && ip link set p1 up');
const state = () => sh('ip neigh show dev eth1 nud permanent');
const reset = (line: string) => sh(`ip link set eth1 up; ip neigh flush dev eth1 nud permanent; ${line}`);
const FLAGGED = 'ip -6 neigh add 2001:db8::99 lladdr 02:00:00:00:00:99 dev eth1 nud permanent router && ip neigh add 10.0.0.7 lladdr 02:00:00:00:00:07 dev eth1 nud permanent proto static';
const down = [task({ module: 'link', args: { dev: 'eth1', state: 'down' } })];
const runAndUndo = undoRunner(sh, state);

describe("a link's flagged permanent neighbours, put back by the undo of its down", () => {
  it('are read with their router flag and protocol', () => {
    reset(FLAGGED);
    const n = parseFacts('ns', sh(factsScript())).flushable!.neighbours.filter((x) => x.dev === 'eth1').sort((a, b) => a.address.localeCompare(b.address));
    expect(n).toEqual([
      { dev: 'eth1', address: '10.0.0.7', lladdr: '02:00:00:00:00:07', protocol: 'static' },
      { dev: 'eth1', address: '2001:db8::99', lladdr: '02:00:00:00:00:99', router: true },
    ]);
  });

  it('come back with them after the link went down, and the check finds the router as it was', () => {
    reset(FLAGGED);
    const before = state();
    expect(before).toContain('router');
    expect(before).toContain('proto static');
    const facts = parseFacts('ns', sh(factsScript()));
    runAndUndo(down, (s) => expect(s).toBe(''));
    expect(state()).toBe(before);
    expect(diffState(facts, parseFacts('ns', sh(factsScript())), new Set(['eth1']))).toEqual({ missing: [], extra: [] });
  });

  it('one put back without its flag is said by the check', () => {
    reset(FLAGGED);
    const facts = parseFacts('ns', sh(factsScript()));
    reset('ip -6 neigh add 2001:db8::99 lladdr 02:00:00:00:00:99 dev eth1 nud permanent && ip neigh add 10.0.0.7 lladdr 02:00:00:00:00:07 dev eth1 nud permanent proto static');
    expect(diffState(facts, parseFacts('ns', sh(factsScript())), new Set(['eth1']))).toEqual({
      missing: ['neighbour 2001:db8::99 lladdr 02:00:00:00:00:99 dev eth1 router'],
      extra: ['neighbour 2001:db8::99 lladdr 02:00:00:00:00:99 dev eth1'],
    });
  });

  it('one with a flag teqlctl does not put back (extern_learn, an EVPN daemon\'s) makes the link\'s down refused before any change', () => {
    reset('ip neigh add 10.0.0.8 lladdr 02:00:00:00:00:08 dev eth1 nud permanent extern_learn');
    const facts = parseFacts('ns', sh(factsScript()));
    let err: unknown;
    try {
      planHost('ns', down, facts, { persistence: false });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RefusedError);
    expect((err as RefusedError).message).toContain('the neighbour 10.0.0.8 on eth1 could not be put back exactly after');
    expect((err as RefusedError).message).toContain('it has extern_learn, which teqlctl does not put back');
  });
});
