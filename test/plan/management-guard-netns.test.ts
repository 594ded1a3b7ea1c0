// The SSH session's interface, and the devices under it, against the real kernel and iproute2 in a
// network namespace (needs root, as CI has): a session over a macvlan (or VLAN) on a link, or over
// a bridge, goes through that link or the bridge's ports. A review found a link task taking the
// macvlan's link down planned without a word: the session would have been cut.
import { describe, expect, it } from 'vitest';
import { netnsShell } from '../helpers/netns.js';
import { factsScript } from '../../src/gather/script.js';
import { parseFacts } from '../../src/gather/parse-facts.js';
import { planHost } from '../../src/plan/plan-host.js';
import { task } from '../helpers/facts.js';
import type { TaskCall } from '../../src/load/types.js';

const sh = netnsShell('mgmt', [
  'ip link add lan1 type veth peer name p1 && ip link add mv1 link lan1 type macvlan mode bridge',
  'ip link add br0 type bridge && ip link add lan2 type veth peer name p2 && ip link set lan2 master br0',
  'ip link add lan3 type veth peer name p3 && ip link set lan3 txqueuelen 0',
  'for d in lan1 p1 mv1 br0 lan2 p2 lan3 p3; do ip link set $d up; done',
  'ip addr add 10.50.0.2/24 dev mv1 && ip addr add 10.60.0.2/24 dev br0 && ip addr add 10.70.0.2/24 dev lan3',
].join(' && '));

/** Plans one task on the namespace's facts, read as over a session from `client`; the refusal, or ''. */
function refusal(client: string, call: TaskCall): string {
  const facts = parseFacts('ns', sh(factsScript(), { SSH_CONNECTION: `${client} 40000 ${client.replace(/\.9$/, '.2')} 22` }));
  // This machine's kernel has no sch_teql: as a router's that has it, for the equalizer's task.
  facts.teql = { loaded: false, available: true };
  try {
    planHost('ns', [task(call)], facts, { persistence: false });
    return '';
  } catch (err) {
    return (err as Error).message;
  }
}

describe('the SSH session\'s interface and the devices under it', () => {
  it('over a macvlan on lan1: lan1 down or its MTU are refused; an address on lan1, another link, and lan1 as an equalizer\'s slave are not (a slave still carries its own traffic; refused until 2026-12-07)', () => {
    expect(refusal('10.50.0.9', { module: 'link', args: { dev: 'lan1', state: 'down' } })).toMatch(/setting link down would touch lan1, which carries mv1, the interface that carries this SSH session \(from 10\.50\.0\.9\) \(mv1 is stacked on lan1\)/);
    expect(refusal('10.50.0.9', { module: 'link', args: { dev: 'lan1', mtu: 1400 } })).toMatch(/would touch lan1, which carries mv1/);
    expect(refusal('10.50.0.9', { module: 'teql', args: { device: 'teql0', slaves: ['lan1', 'lan3'], state: 'present', replace: false } })).toBe('');
    expect(refusal('10.50.0.9', { module: 'address', args: { dev: 'lan1', address: '10.0.0.0/31', state: 'present' } })).toBe('');
    expect(refusal('10.50.0.9', { module: 'link', args: { dev: 'lan3', state: 'down' } })).toBe('');
  });

  it('over lan3, whose transmit queue length is 0: lan3 as an equalizer\'s slave is refused (sch_teql drops every packet sent over lan3 itself; ip -j omits a length of 0)', () => {
    expect(refusal('10.70.0.9', { module: 'teql', args: { device: 'teql0', slaves: ['lan1', 'lan3'], state: 'present', replace: false } })).toMatch(/making lan3 a slave of teql0 \(its transmit queue length is 0, or not given by ip link: at 0, sch_teql drops every packet sent over lan3 itself; ip link set lan3 txqueuelen 1000 gives it one\) would touch lan3, the interface that carries this SSH session \(from 10\.70\.0\.9\)/);
  });

  it('over a bridge: its port lan2 down is refused; the bridge itself as before', () => {
    expect(refusal('10.60.0.9', { module: 'link', args: { dev: 'lan2', state: 'down' } })).toMatch(/would touch lan2, which carries br0, the interface that carries this SSH session \(from 10\.60\.0\.9\) \(lan2 is a port of br0\)/);
    expect(refusal('10.60.0.9', { module: 'link', args: { dev: 'br0', state: 'down' } })).toMatch(/would touch br0, the interface that carries this SSH session/);
    expect(refusal('10.60.0.9', { module: 'link', args: { dev: 'lan1', state: 'down' } })).toBe('');
  });
});

// A rule by source: the out-of-band port's own table (a review: `ip route get` without `from` took
// the main table's default, over mv1, and left the session's own lan3 unguarded).
const bySource = netnsShell('mgmt-src', [
  'ip link add lan1 type veth peer name p1 && ip link add lan3 type veth peer name p3',
  'for d in lan1 p1 lan3 p3; do ip link set $d up; done',
  'ip addr add 10.50.0.2/24 dev lan1 && ip addr add 10.70.0.2/24 dev lan3',
  'ip route add default via 10.50.0.1 dev lan1 && ip route add default via 10.70.0.1 dev lan3 table 100',
  'ip rule add from 10.70.0.2 lookup 100 pref 100',
].join(' && '));

describe("a session whose replies a rule by source routes (an out-of-band port's own table)", () => {
  it('guards the interface its replies leave by, not the main table\'s', () => {
    const facts = parseFacts('ns', bySource(factsScript(), { SSH_CONNECTION: '192.0.2.9 40000 10.70.0.2 22' }));
    expect(facts.management).toMatchObject({ clientIp: '192.0.2.9', serverIp: '10.70.0.2', dev: 'lan3', via: '10.70.0.1' });
    expect(() => planHost('ns', [task({ module: 'link', args: { dev: 'lan3', state: 'down' } })], facts, { persistence: false })).toThrow(/would touch lan3, the interface that carries this SSH session \(from 192\.0\.2\.9\)/);
    expect(planHost('ns', [task({ module: 'link', args: { dev: 'lan1', mtu: 1400 } })], facts, { persistence: false }).plan.phases[0]!.changes).toHaveLength(1);
  });
});

describe("a session whose replies a rule by source sends to its own table: main's routes do not take them", () => {
  const plan = (call: TaskCall) => {
    const facts = parseFacts('ns', bySource(factsScript(), { SSH_CONNECTION: '192.0.2.9 40000 10.70.0.2 22' }));
    try {
      return planHost('ns', [task(call)], facts, { persistence: false }).plan.phases[0]!.changes.length;
    } catch (err) {
      return (err as Error).message;
    }
  };
  const replyDev = () => String(JSON.parse(bySource('ip -j route get 192.0.2.9 from 10.70.0.2'))[0].dev);
  const address = { module: 'address', args: { dev: 'lan1', address: '192.0.2.1/28', state: 'present' } } as const;
  const route = { module: 'route', args: { to: '192.0.2.0/24', via: '10.50.0.1', state: 'present' } } as const;

  it('an address on lan1 whose subnet holds the client, and a route to it over lan1, are planned (refused until 2026-12-07); the kernel, given them, still answers lan3', () => {
    expect(plan(address)).toBe(1);
    expect(plan(route)).toBe(1);
    bySource('ip addr add 192.0.2.1/28 dev lan1 && ip route add 192.0.2.0/24 via 10.50.0.1');
    try {
      expect(replyDev()).toBe('lan3');
    } finally {
      bySource('ip route del 192.0.2.0/24 via 10.50.0.1 && ip addr del 192.0.2.1/28 dev lan1');
    }
    // The client's own address is the local table's, ahead of every rule: refused as before.
    expect(plan({ module: 'address', args: { dev: 'lan1', address: '192.0.2.9/28', state: 'present' } })).toMatch(/192\.0\.2\.9, the session's client, would be an address of this router/);
  });

  it("under wg-quick's rule ahead of it (main looked up first, its default suppressed) both are refused, as the kernel would take the session over lan1", () => {
    bySource('ip rule add lookup main suppress_prefixlength 0 pref 50');
    try {
      expect(replyDev()).toBe('lan3');
      expect(plan(address)).toMatch(/adding 192\.0\.2\.1\/28 to lan1 would take this router's management session over lan1/);
      expect(plan(route)).toMatch(/route 192\.0\.2\.0\/24 via 10\.50\.0\.1 would carry the traffic of this SSH session/);
      bySource('ip addr add 192.0.2.1/28 dev lan1');
      expect(replyDev()).toBe('lan1');
    } finally {
      bySource('ip addr del 192.0.2.1/28 dev lan1 2>/dev/null; ip rule del pref 50');
    }
  });
});
