// The record and exact rebuild of a replaced root qdisc against the real kernel and tc, in a network
// namespace of its own (veth pair; needs root, as CI has): a qdisc is set up, read with the facts
// script, replaced, rebuilt from what was read, and read again: the state must be the same, details
// included. What cannot be rebuilt exactly must be refused, saying why.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { factsScript, fingerprintScript } from '../../src/gather/script.js';
import { parseFacts } from '../../src/gather/parse-facts.js';
import { restoreArgs } from '../../src/plan/qdisc-restore.js';
import { stateLines } from '../../src/rollback/compare.js';
import { qdiscSelector } from '../../src/gather/qdisc-detail.js';

const NS = `teqlctl-qr-${process.pid}`;
const inNs = (cmd: string[]) => execFileSync('ip', ['netns', 'exec', NS, ...cmd], { encoding: 'utf8' });
const tc = (line: string) => inNs(['sh', '-c', `tc ${line}`]);
/** A new root qdisc, whatever was there (tc cannot change one kind into another in place). */
const setRoot = (spec: string) => inNs(['sh', '-c', `tc qdisc del dev v0 root 2>/dev/null; tc qdisc add dev v0 root ${spec}`]);
const rootOf = (dev: string) => {
  const facts = parseFacts('ns', inNs(['sh', '-c', factsScript([], { held: [qdiscSelector(dev)] })]));
  return { root: facts.rootQdiscs.find((q) => q.dev === dev)!, lines: [...stateLines(facts)].filter((l) => l.startsWith('root qdisc') && l.includes(` dev ${dev}`)) };
};

beforeAll(() => {
  execFileSync('ip', ['netns', 'add', NS]);
  execFileSync('ip', ['-n', NS, 'link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1']);
  execFileSync('ip', ['-n', NS, 'link', 'set', 'v0', 'up']);
});
afterAll(() => execFileSync('ip', ['netns', 'del', NS]));

describe('replaced root qdiscs, on the real kernel', () => {
  it.each([
    ['pfifo', 'handle 5: pfifo limit 77'],
    ['tbf without a peak rate', 'handle 2: tbf rate 1mbit burst 32kbit latency 400ms'],
    ['htb without classes', 'handle 1: htb default 20 r2q 5'],
    // tc prints default class 0 as "0", not "0x0" (it was refused as not understood).
    ['htb with its default class 0', 'handle 1: htb'],
  ])('%s: read, replaced, rebuilt exactly', (_name, setup) => {
    setRoot(setup);
    const before = rootOf('v0');
    expect(before.lines[0]).toMatch(/ [0-9a-f]{16}$/);
    const restore = restoreArgs(before.root);
    if ('why' in restore) throw new Error(`refused: ${restore.why}`);
    setRoot('handle 9: pfifo limit 5');
    expect(rootOf('v0').lines).not.toEqual(before.lines);
    inNs(['tc', ...restore.args]);
    expect(rootOf('v0').lines).toEqual(before.lines);
    expect(rootOf('v0').root).toEqual(before.root);
  });

  it.each([['ingress'], ['clsact']])('a tbf beside an %s qdisc (tc-bpf\'s, a policer\'s): rebuilt exactly, the %s qdisc left as it is', (kind) => {
    setRoot('handle 2: tbf rate 1mbit burst 32kbit latency 400ms');
    tc(`qdisc add dev v0 ${kind}`);
    const beside = () => tc('qdisc show dev v0').split('\n').filter((l) => l.includes(`qdisc ${kind}`));
    const before = rootOf('v0');
    const was = beside();
    expect(was).toHaveLength(1);
    const restore = restoreArgs(before.root);
    if ('why' in restore) throw new Error(`refused: ${restore.why}`);
    setRoot('handle 9: pfifo limit 5');
    inNs(['tc', ...restore.args]);
    expect(rootOf('v0').lines).toEqual(before.lines);
    expect(beside()).toEqual(was);
    tc(`qdisc del dev v0 ${kind}`);
  });

  it('htb with classes and filters, and tbf with a peak rate: refused, saying why', () => {
    setRoot('handle 1: htb default 20 r2q 5');
    tc('class add dev v0 parent 1: classid 1:1 htb rate 10mbit ceil 20mbit');
    tc('class add dev v0 parent 1:1 classid 1:10 htb rate 5mbit ceil 10mbit prio 1');
    tc('filter add dev v0 parent 1: protocol ip prio 1 u32 match ip dport 22 0xffff flowid 1:10');
    expect(restoreArgs(rootOf('v0').root)).toEqual({ why: "it has 2 class(es), which tc shows as text only (`tc -j class show`), so they cannot be read back exactly" });
    setRoot('handle 1: htb default 20');
    tc('filter add dev v0 parent 1: protocol ip prio 1 u32 match ip dport 22 0xffff flowid 1:10');
    expect(restoreArgs(rootOf('v0').root)).toEqual({ why: 'it has filters, which cannot be rebuilt exactly from what tc shows' });
    setRoot('handle 2: tbf rate 1mbit burst 32kbit latency 400ms peakrate 2mbit mtu 1600');
    expect(restoreArgs(rootOf('v0').root)).toEqual({ why: 'it has a peak rate, which `tc -j` does not show' });
  });

  it('the staleness fingerprint stays while htb counts the packets it sends (direct_packets_stat)', () => {
    setRoot('handle 1: htb');
    inNs(['sh', '-c', 'ip addr add 10.9.0.1/24 dev v0; ip link set v1 up']);
    const fingerprint = () => inNs(['sh', '-c', `${fingerprintScript([], [qdiscSelector('v0')])}\necho "$fp"`]).trim();
    const stat = () => /direct_packets_stat (\d+)/.exec(tc('-d qdisc show dev v0'))?.[1];
    const before = { fp: fingerprint(), stat: stat() };
    // Unanswered (no ping here): the datagram's ARP requests go out of v0, through htb's direct queue.
    inNs(['bash', '-c', 'echo x > /dev/udp/10.9.0.2/9; sleep 1; true']);
    expect(stat()).not.toBe(before.stat);
    expect(fingerprint()).toMatch(/^[0-9a-f]{32}$/);
    expect(fingerprint()).toBe(before.fp);
    inNs(['sh', '-c', 'ip addr del 10.9.0.1/24 dev v0']);
  });
});
