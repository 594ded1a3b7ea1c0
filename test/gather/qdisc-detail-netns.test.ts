// The qdisc detail of the devices the tasks name only, on this machine's kernel and tc, in a network
// namespace of its own (veth pairs; needs root, as CI has): a router with many shaped links (a
// concentrator's, a hosting provider's) ran three tc processes per shaped device in each facts read,
// each pulling every link (110 s per read at 4,002 links, 1,000 shaped: docs/deadman.md). The tc
// processes are counted by a wrapper ahead on PATH, so the test asserts the work, not a time.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { factsScript, fingerprintScript } from '../../src/gather/script.js';
import { parseFacts } from '../../src/gather/parse-facts.js';
import { qdiscSelector } from '../../src/gather/qdisc-detail.js';
import { heldSelectors } from '../../src/plan/facts-needed.js';
import { planHost } from '../../src/plan/plan-host.js';
import { stateLines } from '../../src/rollback/compare.js';
import { qdiscDetailSelectors } from '../../src/rollback/drift.js';
import { task } from '../helpers/facts.js';
import { netnsShell } from '../helpers/netns.js';

const PAIRS = 30;
/** An htb with two classes and a filter on each of s0..s29 (one end of each pair), as a shaper leaves them. */
const shape = (dev: string) => [
  `tc qdisc add dev ${dev} root handle 1: htb default 20`,
  `tc class add dev ${dev} parent 1: classid 1:1 htb rate 10mbit`,
  `tc class add dev ${dev} parent 1:1 classid 1:20 htb rate 5mbit`,
  `tc filter add dev ${dev} parent 1: protocol ip prio 1 u32 match ip dport 22 0xffff flowid 1:20`,
].join(' && ');
const sh = netnsShell('qdetail', `i=0; while [ $i -lt ${PAIRS} ]; do ip link add s$i type veth peer name p$i && ip link set s$i up && ${shape('s$i')} || exit 1; i=$((i + 1)); done`);

// A tc that counts its runs, then is the real one.
const shim = mkdtempSync(join(tmpdir(), 'tc-count-'));
const count = join(shim, 'runs');
const realTc = execFileSync('sh', ['-c', 'command -v tc'], { encoding: 'utf8' }).trim();
writeFileSync(join(shim, 'tc'), `#!/bin/sh\necho "$*" >> ${count}\nexec ${realTc} "$@"\n`, { mode: 0o755 });
const counted = (script: string) => {
  writeFileSync(count, '');
  const out = sh(script, { PATH: `${shim}:${process.env.PATH}` });
  return { out, tc: readFileSync(count, 'utf8').split('\n').filter(Boolean) };
};
const fingerprint = (held: string[]) => sh(`${fingerprintScript([], held)}\necho "$fp"`).trim();

describe('qdisc detail, on the real kernel', () => {
  it('is read for the asked devices alone: one tc for every root qdisc, three more per asked shaped device', () => {
    const none = counted(factsScript());
    // The root qdiscs (JSON) only: no device asked, no detail and no loop over them.
    expect(none.tc).toEqual(['-j -d qdisc show']);
    const facts = parseFacts('ns', none.out);
    expect(facts.rootQdiscs.filter((q) => q.kind === 'htb')).toHaveLength(PAIRS);
    expect(facts.rootQdiscs.some((q) => q.detail !== undefined)).toBe(false);

    // A teql task on s3 (shaped) and p3 (the kernel's default): the detail of s3 alone.
    const teql = task({ module: 'teql', args: { device: 'teql0', slaves: ['s3', 'p3'], state: 'present', replace: false } });
    const held = heldSelectors([teql]);
    expect(held).toEqual(['qdisc s3', 'qdisc p3']);
    const asked = counted(factsScript([], { held }));
    expect(asked.tc).toEqual(['-j -d qdisc show', 'qdisc show', '-d qdisc show dev s3', '-d class show dev s3', '-d filter show dev s3']);
    const read = parseFacts('ns', asked.out);
    const s3 = read.rootQdiscs.find((q) => q.dev === 's3')!;
    expect(s3.detail?.classes).toHaveLength(2);
    expect(s3.detail?.filters.length).toBeGreaterThan(0);
    expect(read.rootQdiscs.filter((q) => q.detail !== undefined).map((q) => q.dev)).toEqual(['s3']);
    // The rollback's comparison: the asked device by its whole tree, another by its kind.
    const lines = [...stateLines(read)].filter((l) => l.startsWith('root qdisc'));
    expect(lines).toContain('root qdisc htb dev s4');
    expect(lines.find((l) => l.includes(' dev s3 '))).toMatch(/^root qdisc htb dev s3 1: [0-9a-f]{16}$/);
    // `teqlctl rollback` asks again what a run's after-state holds in detail.
    expect(qdiscDetailSelectors(lines)).toEqual([qdiscSelector('s3')]);
  });

  it('the plan still refuses to replace a shaped slave it cannot rebuild, saying why', () => {
    const teql = task({ module: 'teql', args: { device: 'teql0', slaves: ['s5'], state: 'present', replace: true } });
    const facts = parseFacts('ns', sh(factsScript([], { held: heldSelectors([teql]) })));
    // This machine's kernel has no sch_teql: the module and its teql0 as a router's (the plan's other refusals).
    const teql0 = { ...facts.links.find((l) => l.name === 'p5')!, name: 'teql0' };
    expect(() => planHost('ns', [teql], { ...facts, teql: { loaded: true, available: true }, links: [...facts.links, teql0] })).toThrow(/s5.*2 class\(es\)/s);
  });

  it('the fingerprint weighs the asked devices\' classes, not another shaped device\'s', () => {
    const held = [qdiscSelector('s7')];
    const before = fingerprint(held);
    expect(before).toMatch(/^[0-9a-f]{32}$/);
    sh('tc class change dev s8 parent 1:1 classid 1:20 htb rate 6mbit');
    expect(fingerprint(held)).toBe(before);
    sh('tc class change dev s7 parent 1:1 classid 1:20 htb rate 6mbit');
    expect(fingerprint(held)).not.toBe(before);
  });

  it('a name holding the shell\'s characters is matched literally, never run; one with a slash is not asked', () => {
    expect(counted(factsScript([], { held: ['qdisc s1;reboot', 'qdisc a/b', 'qdisc '] })).tc).toEqual(['-j -d qdisc show', 'qdisc show']);
  });
});
