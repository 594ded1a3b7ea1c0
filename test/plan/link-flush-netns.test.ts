// What the kernel flushes with a link besides its main table's routes, against the real kernel in a
// network namespace (needs root, as CI has): when the link goes down or loses its last IPv4 address
// (fib_disable_ip, neigh_ifdown), its routes in every table and its permanent neighbours go. The
// chapter's own rollback deletes the /31 it added to a bare slave: a device route of a policy table
// or a static ARP entry there was lost for good (a review, 2026-12-05). Each undo puts them back.
import { describe, expect, it } from 'vitest';
import { netnsShell } from '../helpers/netns.js';
import { undoRunner } from '../helpers/run-and-undo.js';
import { factsScript, fingerprintScript } from '../../src/gather/script.js';
import { parseFacts } from '../../src/gather/parse-facts.js';
import { planHost } from '../../src/plan/plan-host.js';
import { task } from '../helpers/facts.js';
import { diffState, isSameState } from '../../src/rollback/compare.js';

const sh = netnsShell('flush', 'ip link add eth1 type veth peer name p1 && ip link set eth1 up && ip link set p1 up');
// Every table but local, the neighbours kept by hand, the addresses: what the operator configured.
const state = () => sh('ip -4 addr show dev eth1; ip -4 route show table all | grep -v "^local\\|^broadcast"; ip neigh show dev eth1 nud permanent');
// A device route in main and in a policy table, a route through a gateway it reaches, a static ARP entry.
const OPERATOR = 'ip route add 192.0.2.0/24 dev eth1 && ip route add 198.51.100.0/24 dev eth1 table 200 && ip route add 203.0.113.0/24 via 198.51.100.9 dev eth1 table 200 metric 7 && ip neigh replace 192.0.2.7 lladdr 02:00:00:00:00:07 dev eth1 nud permanent';
const reset = (line: string) => sh(`ip link set eth1 up; ip route flush table 200 2>/dev/null; ip route flush table 201 2>/dev/null; ip route flush dev eth1 2>/dev/null; ip neigh flush dev eth1 nud permanent; ip addr flush dev eth1; ${line}`);

const runAndUndo = undoRunner(sh, state);

describe('what the kernel flushes with a link, put back by the undo', () => {
  it('reads every table\'s routes through a link and its permanent neighbours', () => {
    reset(OPERATOR);
    const facts = parseFacts('ns', sh(factsScript()));
    expect(facts.flushable?.routes.map((r) => [r.to, r.via, r.table])).toEqual([['198.51.100.0/24', undefined, '200'], ['203.0.113.0/24', '198.51.100.9', '200']]);
    expect(facts.flushable?.neighbours).toEqual([{ dev: 'eth1', address: '192.0.2.7', lladdr: '02:00:00:00:00:07' }]);
    expect(facts.routes.map((r) => r.to)).toEqual(['192.0.2.0/24']);
  });

  it('the fingerprint leaves out the permanent neighbours, which the kernel dumps in its hash table\'s order (it moves as the ARP table grows): a run is not refused as stale for it (a review)', () => {
    reset(`ip addr add 10.7.0.1/16 dev eth1 && ${[2, 3, 4].map((i) => `ip neigh replace 10.7.0.${i} lladdr 02:00:00:00:00:0${i} dev eth1 nud permanent`).join(' && ')}`);
    const section = sh(factsScript()).split('\n').find((l) => l.includes('"state":["PERMANENT"'))!;
    expect(section).toContain('10.7.0.3');
    // The hash of the script, over a stable block whose neighbours' line is in another order.
    const hashLine = fingerprintScript().split('\n').at(-1)!;
    const fp = (neighbours: string) => sh(`stable=$(printf '%s\\n' '[{"dst":"10.7.0.0/16"}]' '${neighbours}')\n${hashLine}\necho "$fp"`).trim();
    const reordered = JSON.stringify([...JSON.parse(section)].reverse());
    expect(reordered).not.toBe(section);
    expect(fp(reordered)).toBe(fp(section));
    expect(fp(section)).toMatch(/^[0-9a-f]{32}$/);
    // What a plan depends on still moves it: a route more.
    expect(sh(`stable=$(printf '%s\\n' '[{"dst":"10.6.0.0/16"}]' '${section}')\n${hashLine}\necho "$fp"`).trim()).not.toBe(fp(section));
  });

  it('an address added to a bare link (the chapter\'s /31 on a slave), then undone: its routes in every table and its static ARP entry stay', () => {
    reset(OPERATOR);
    const before = state();
    runAndUndo([task({ module: 'address', args: { dev: 'eth1', address: '10.0.0.0/31', state: 'present' } })], (s) => {
      expect(s).toContain('inet 10.0.0.0/31 scope global eth1');
      expect(s).toContain('198.51.100.0/24 dev eth1 table 200');
    });
    expect(state()).toBe(before);
  });

  it('after a rollback, a policy table\'s route or a static ARP entry the undo did not put back is said as missing (the router judged by what it holds, not only by the undo\'s log); put back, the router equals its snapshot', () => {
    reset(OPERATOR);
    const snapshot = parseFacts('ns', sh(factsScript()));
    runAndUndo([task({ module: 'address', args: { dev: 'eth1', address: '10.0.0.0/31', state: 'present' } })], () => undefined);
    const flushed = new Set(['eth1']);
    expect(diffState(snapshot, parseFacts('ns', sh(factsScript())), flushed)).toEqual({ missing: [], extra: [] });
    // As where a re-add failed: the kernel flushed them, nothing came back.
    sh('ip route del 203.0.113.0/24 table 200 && ip neigh del 192.0.2.7 dev eth1');
    const residual = diffState(snapshot, parseFacts('ns', sh(factsScript())), flushed);
    expect(residual.extra).toEqual([]);
    expect(residual.missing).toEqual(['neighbour 192.0.2.7 lladdr 02:00:00:00:00:07 dev eth1', 'route 203.0.113.0/24 via 198.51.100.9 dev eth1 metric 7 table 200']);
    expect(isSameState(residual)).toBe(false);
    // A policy table on a link the run never flushed, rewritten meanwhile (a daemon's): not the run's.
    sh('ip link add eth9 type veth peer name p9 && ip link set eth9 up && ip route add 10.99.0.0/16 dev eth9 table 52');
    expect(diffState(snapshot, parseFacts('ns', sh(factsScript())), flushed).missing).toHaveLength(2);
    expect(diffState(snapshot, parseFacts('ns', sh(factsScript())), flushed).extra.filter((l) => l.includes('table 52'))).toEqual([]);
    sh('ip link del eth9');
  });

  it('a link\'s last address removed, then undone: the routes of a policy table and the permanent neighbours come back too', () => {
    reset(`ip addr add 10.0.0.1/24 dev eth1 && ${OPERATOR} && ip route add 10.206.0.0/16 via 10.0.0.7 table 201`);
    const before = state();
    runAndUndo([task({ module: 'address', args: { dev: 'eth1', address: '10.0.0.1/24', state: 'absent' } })], (s) => expect(s).not.toContain('dev eth1'));
    expect(state()).toBe(before);
  });

  it('a main-table route whose gateway only a policy table\'s device route reaches could not be added back after the flush: refused, nothing changed', () => {
    reset('ip addr add 10.0.0.1/24 dev eth1 && ip route add 198.51.100.0/24 dev eth1 && ip route add 203.0.113.0/24 via 198.51.100.9 dev eth1 && ip route del 198.51.100.0/24 dev eth1 && ip route add 198.51.100.0/24 dev eth1 table 200');
    const before = state();
    expect(before).toContain('203.0.113.0/24 via 198.51.100.9 dev eth1');
    const facts = parseFacts('ns', sh(factsScript()));
    expect(() => planHost('ns', [task({ module: 'address', args: { dev: 'eth1', address: '10.0.0.1/24', state: 'absent' } })], facts, { persistence: false })).toThrow(/could not add back 203\.0\.113\.0\/24 via 198\.51\.100\.9/);
    expect(state()).toBe(before);
  });

  it('a link taken down, then undone: the same', () => {
    reset(`ip addr add 10.0.0.1/24 dev eth1 && ${OPERATOR}`);
    const before = state();
    runAndUndo([task({ module: 'link', args: { dev: 'eth1', state: 'down' } })], (s) => {
      expect(s).not.toContain('table 200');
      expect(s).not.toContain('PERMANENT');
    });
    expect(state()).toBe(before);
  });

  it('a policy table\'s route the undo could not put back exactly (route metrics, shown without their lock) is refused before any change', () => {
    reset('ip route add 198.51.100.0/24 dev eth1 table 200 mtu lock 1400');
    const before = state();
    const facts = parseFacts('ns', sh(factsScript()));
    expect(() => planHost('ns', [task({ module: 'address', args: { dev: 'eth1', address: '10.0.0.0/31', state: 'present' } })], facts, { persistence: false })).toThrow(/the route to 198\.51\.100\.0\/24 on eth1 could not be put back exactly after the undo of 10\.0\.0\.0\/31 on eth1, .*route metrics \(mtu\)/);
    expect(state()).toBe(before);
  });
});
