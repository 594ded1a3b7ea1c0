// The facts' `ip` section: one iproute2 batch (addresses, routes) instead of two processes.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonArrays } from '../../src/gather/ip-batch.js';
import { parseFacts } from '../../src/gather/parse-facts.js';
import { factsScript } from '../../src/gather/script.js';
import { FactError } from '../../src/errors.js';
import { IPROUTE2_PREAMBLE } from '../../src/router/iproute2.js';
import { renderOp } from '../../src/apply/render-op.js';
import { routeLine } from '../../src/gather/route-fact.js';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures', `${name}.txt`), 'utf8');
const sh = (script: string) => execFileSync('sh', ['-s'], { input: `${IPROUTE2_PREAMBLE}\n${script}`, encoding: 'utf8' });

describe('jsonArrays', () => {
  it('finds each array on its line, and arrays printed without a newline between them', () => {
    expect(jsonArrays('[1]\n[{"a":"x"}]\n[]\n')).toEqual(['[1]', '[{"a":"x"}]', '[]']);
    expect(jsonArrays('[1][2]\n[3]')).toEqual(['[1]', '[2]', '[3]']);
  });

  it('follows strings: brackets, quotes and escapes inside them do not end an array', () => {
    expect(jsonArrays('[{"ifalias":"uplink ] [ \\"x\\" \\\\"}]\n[2]\n')).toEqual(['[{"ifalias":"uplink ] [ \\"x\\" \\\\"}]', '[2]']);
  });

  it('skips a line that is not an array (an error of one command of the batch), even one with brackets in it', () => {
    expect(jsonArrays('[1]\nError: table [main] does not exist\nCommand failed -:2\n[3]\n')).toEqual(['[1]', '[3]']);
    // A dump that failed leaves its `[` open: neither it nor what follows is an array (a review).
    expect(jsonArrays('[1]\n[[{"a":2}]\n')).toEqual(['[1]']);
    expect(jsonArrays('[1]\n[\n')).toEqual(['[1]']);
  });
});

describe('the ip section on this machine\'s own iproute2 and shell', () => {
  it('reads the same links, addresses and routes as the three commands did', () => {
    const facts = parseFacts('local', sh(factsScript()));
    const json = (cmd: string) => JSON.parse(execFileSync('sh', ['-c', cmd], { encoding: 'utf8' }));
    expect(facts.links.map((l) => l.name)).toEqual(json('ip -j -d link show').map((l: { ifname: string }) => l.ifname));
    const inet = json('ip -j -4 addr show').flatMap((l: { ifname: string; addr_info: Array<{ local: string; prefixlen: number }> }) => l.addr_info.map((a) => ({ dev: l.ifname, cidr: `${a.local}/${a.prefixlen}` })));
    expect(facts.addresses.map((a) => ({ dev: a.dev, cidr: a.cidr }))).toEqual(inet);
    // By protocol now (a listing each): the same routes, in another order.
    expect(facts.routes.map((r) => r.to).sort()).toEqual(json('ip -j -4 route show table main').map((r: { dst: string }) => (r.dst === 'default' ? 'default' : r.dst.includes('/') ? r.dst : `${r.dst}/32`)).sort());
    const to = (r: { dst: string }, host: string) => (r.dst === 'default' ? 'default' : r.dst.includes('/') ? r.dst : `${r.dst}${host}`);
    const v4 = json('ip -j -4 route show table all').filter((r: { table?: string }) => r.table !== undefined && r.table !== 'local').map((r: { dst: string; table: string }) => `${to(r, '/32')} ${r.table}`);
    // IPv6's of every table but local, the kernel's own and a router advertisement's left out.
    const v6 = json('ip -j -6 route show table all').filter((r: { table?: string; protocol?: string }) => r.table !== 'local' && r.protocol !== 'kernel' && r.protocol !== 'ra').map((r: { dst: string; table?: string }) => `${to(r, '/128')} ${r.table} inet6`);
    const flushable = facts.flushable?.routes ?? [];
    expect(flushable.filter((r) => !r.family).map((r) => `${r.to} ${r.table}`).sort()).toEqual(v4.sort());
    expect(flushable.filter((r) => r.family).map((r) => `${r.to} ${r.table} ${r.family}`).sort()).toEqual(v6.sort());
    expect(facts.flushable?.ipv6).toBe(existsSync('/proc/net/if_inet6') ? true : undefined);
    expect(facts.flushable?.neighbours.length).toBe(json('ip -j neigh show nud permanent').length);
  });

  it.each([['dash'], ['busybox', 'sh']])('runs ip once for addresses and routes, and never reads the rest of the script as its batch (%s)', (...shell) => {
    const script = factsScript();
    expect(script.match(/\bip -/g)).toHaveLength(4); // the links, the batch, and one of the management section's two `ip -j route get` (with or without the client's zone)
    // A script read from stdin that goes on after the facts (as a round trip's does): the line after them still runs.
    const out = execFileSync(shell[0]!, [...shell.slice(1), '-s'], { input: `${IPROUTE2_PREAMBLE}\n${script}echo after-the-facts\n`, encoding: 'utf8' });
    expect(out).toMatch(/@@teqlctl-section end\nafter-the-facts\n$/);
    expect(parseFacts('local', out).links.length).toBeGreaterThan(0);
  });
});

describe('parseFacts: the ip section', () => {
  it('today\'s batch with the tasks\' listings last (named on its first line): their routes, a daemon\'s too, its source given back', () => {
    const lists = ['[{"dst":"192.0.2.0/24","dev":"eth1","scope":"link","prefsrc":"192.0.2.1","flags":[]}]', '[]', '[]', '[]', '[]', '[]', '[]'];
    const bird = '[{"dst":"203.0.113.0/24","gateway":"192.0.2.254","dev":"eth1","protocol":"bird","flags":[]}]';
    const facts = parseFacts('r1', factsOut(`ip-own-protocols\texact 203.0.113.0/24\tsrc 192.0.2.1\n[]\n${lists.join('\n')}\n[]\n${bird}\n${bird}\n`));
    expect(facts.routes.map(routeLine)).toEqual(['route 192.0.2.0/24 dev eth1 metric 0 src 192.0.2.1 proto kernel', 'route 203.0.113.0/24 via 192.0.2.254 dev eth1 metric 0 proto bird', 'route 203.0.113.0/24 via 192.0.2.254 dev eth1 metric 0 src 192.0.2.1 proto bird']);
    expect(() => parseFacts('r1', factsOut(`ip-own-protocols\texact 203.0.113.0/24\n[]\n${lists.join('\n')}\n[]\n`))).toThrow(/expected 10 JSON arrays \(addresses, 7 listings of routes, neighbours, exact 203\.0\.113\.0\/24\), got 9/);
  });

  it('today\'s batch: each protocol\'s listing, the protocol iproute2 left out given back (none for boot, which it never prints)', () => {
    // kernel, boot, static, dhcp, ra, redirect, unspec (route-fact.ts OWN_PROTOCOLS)
    const lists = ['[{"dst":"192.0.2.0/24","dev":"eth1","scope":"link","prefsrc":"192.0.2.1","flags":[]}]', '[{"dst":"10.1.0.0/16","gateway":"192.0.2.254","dev":"eth1","flags":[]}]', '[{"dst":"10.5.0.0/16","gateway":"192.0.2.254","dev":"eth1","table":"100","flags":[]}]', '[{"dst":"10.3.0.0/16","gateway":"192.0.2.254","dev":"eth1","flags":[]}]', '[]', '[]', '[{"dst":"10.4.0.0/16","gateway":"192.0.2.254","dev":"eth1","flags":[]}]'];
    const facts = parseFacts('r1', factsOut(`ip-own-protocols\n[]\n${lists.join('\n')}\n[]\n`));
    expect(facts.routes.map((r) => `${r.to} ${r.protocol ?? 'boot'}`)).toEqual(['192.0.2.0/24 kernel', '10.1.0.0/16 boot', '10.3.0.0/16 dhcp', '10.4.0.0/16 unspec']);
    expect(facts.flushable?.routes.map((r) => `${r.to} ${r.protocol} ${r.table}`)).toEqual(['10.5.0.0/16 static 100']);
    // A listing that failed leaves an array out: named, never another read in its place.
    expect(() => parseFacts('r1', factsOut(`ip-own-protocols\n[]\n${lists.slice(1).join('\n')}\n[]\n`))).toThrow(/expected 9 JSON arrays \(addresses, 7 listings of routes, neighbours\), got 8/);
    expect(() => parseFacts('r1', factsOut(`ip-own-protocols\nipv6\n[]\n${lists.join('\n')}\n[]\n`))).toThrow(/expected 16 JSON arrays \(addresses, 7 listings of routes per family, neighbours\), got 9/);
  });

  it('a recording of the addresses and routes sections (an older teqlctl) reads as before', () => {
    expect(parseFacts('router_a', fixture('lab-a-pristine')).links.map((l) => l.name)).toEqual(['lo', 'eth0', 'eth1', 'eth2', 'lan0']);
  });

  it('a batch that printed fewer than two arrays is refused, naming what it got', () => {
    const out = factsOut('[{"ifname":"eth0","addr_info":[]}]\nError: any valid prefix is expected rather than "main".\n');
    expect(() => parseFacts('r1', out)).toThrow(FactError);
    expect(() => parseFacts('r1', out)).toThrow(/expected three JSON arrays \(two from an older teqlctl\), got 1 from iproute2 \(`ip -batch`\): .*Error: any valid prefix/s);
  });

  it("BusyBox's ip applet (its usage for every line of the batch) is said for what it is, with what to install (a review: \"expected 17 JSON arrays, got 0\")", () => {
    const usage = 'BusyBox v1.35.0 (Debian 1:1.35.0-4+deb12u1+b1) multi-call binary.\n\nUsage: ip [OPTIONS] address|route|link|tunnel|neigh|rule [ARGS]\n';
    const out = factsOut(`ip-own-protocols\texact 198.51.100.0/24\n${usage}${usage}`);
    expect(() => parseFacts('r1', out)).toThrow(FactError);
    expect(() => parseFacts('r1', out)).toThrow("this router's `ip` is BusyBox's applet, which has neither JSON output (-json) nor -batch: teqlctl reads the router with iproute2's");
  });

  it('reads the main table\'s routes, the other tables\' and the permanent neighbours from the batch\'s one dump of every table', () => {
    const three = factsOut('[]\n[{"dst":"10.9.0.0/16","dev":"eth1","table":"200","scope":"link","flags":[]},{"dst":"10.8.0.0/16","dev":"eth1","scope":"link","flags":[]},{"type":"local","dst":"10.0.0.1","dev":"eth1","table":"local","protocol":"kernel","scope":"host","flags":[]}]\n[{"dst":"10.0.0.7","dev":"eth1","lladdr":"02:00:00:00:00:07","state":["PERMANENT"]}]\n');
    const facts = parseFacts('r1', three);
    expect(facts.routes).toEqual([{ to: '10.8.0.0/16', dev: 'eth1', metric: 0, scope: 'link' }]);
    expect(facts.flushable).toEqual({ routes: [{ to: '10.9.0.0/16', dev: 'eth1', metric: 0, scope: 'link', table: '200' }], neighbours: [{ dev: 'eth1', address: '10.0.0.7', lladdr: '02:00:00:00:00:07' }] });
    // An older teqlctl's batch (addresses, the main table): the rest is not known, not empty.
    expect(parseFacts('r1', factsOut('[]\n[{"dst":"10.8.0.0/16","dev":"eth1","scope":"link","flags":[]}]\n')).flushable).toBeUndefined();
  });

  it('a command of the batch that failed is named, never its neighbour\'s array read in its place (a review)', () => {
    const addrFailed = factsOut('Error: something\n[{"type":"local","dst":"10.0.0.1","dev":"eth1","table":"local","flags":[]}]\n[]\n');
    expect(() => parseFacts('r1', addrFailed)).toThrow(/its first array holds routes, not addresses/);
    const neighFailed = factsOut('[]\n[{"type":"local","dst":"10.0.0.1","dev":"eth1","table":"local","flags":[]}]\nError: neigh\n');
    expect(() => parseFacts('r1', neighFailed)).toThrow(/two JSON arrays where three were printed/);
    const routesFailed = factsOut('[]\nError: routes\n[{"dst":"10.0.0.7","dev":"eth1","lladdr":"02:00:00:00:00:07","state":["PERMANENT"]}]\n');
    expect(() => parseFacts('r1', routesFailed)).toThrow(/two JSON arrays where three were printed/);
  });
});

describe('parseFacts: the IPv6 routes, last in the batch where the kernel has IPv6', () => {
  const V4 = '[]\n[{"dst":"10.9.0.0/16","dev":"eth1","table":"200","scope":"link","flags":[]}]\n[{"dst":"2001:db8::7","dev":"eth1","lladdr":"02:00:00:00:00:07","state":["PERMANENT"]}]\n';
  const V6 = '[{"dst":"2001:db8:9::5","gateway":"fe80::1","dev":"eth1","metric":1024,"flags":[],"pref":"high"},{"dst":"default","dev":"eth1","table":"7","metric":5,"flags":[],"pref":"medium"},'
    + '{"dst":"2001:db8:1::/64","dev":"eth1","protocol":"kernel","metric":256,"flags":[],"pref":"medium"},{"dst":"default","gateway":"fe80::9","dev":"eth1","protocol":"ra","metric":1024,"flags":[],"expires":1790,"pref":"medium"},'
    + '{"type":"local","dst":"2001:db8:1::1","dev":"eth1","table":"local","protocol":"kernel","metric":0,"flags":[],"pref":"medium"}]\n';

  it('reads them into what a link\'s flush takes, with their family; the kernel\'s own, a router advertisement\'s and the local table\'s left out', () => {
    const facts = parseFacts('r1', factsOut(`ipv6\n${V4}${V6}`));
    expect(facts.flushable).toEqual({
      routes: [
        { to: '10.9.0.0/16', dev: 'eth1', metric: 0, scope: 'link', table: '200' },
        { family: 'inet6', to: '2001:db8:9::5/128', via: 'fe80::1', dev: 'eth1', metric: 1024, pref: 'high' },
        { family: 'inet6', to: 'default', dev: 'eth1', metric: 5, table: '7' },
      ],
      neighbours: [{ dev: 'eth1', address: '2001:db8::7', lladdr: '02:00:00:00:00:07' }],
      ipv6: true,
      // Its address's own route, in the local table: eth1 holds an IPv6 address (a teardown's unload keeps off such a teqlN).
      ipv6Addressed: ['eth1'],
    });
    expect(facts.routes).toEqual([]);
    // A kernel without IPv6 prints no `ipv6` and no fourth array: none read, none to lose.
    expect(parseFacts('r1', factsOut(V4)).flushable?.ipv6).toBeUndefined();
  });

  it('a listing of them that failed where the kernel has IPv6 is named, never read as none (nothing silently lost)', () => {
    expect(() => parseFacts('r1', factsOut(`ipv6\n${V4}Error: ipv6 routes\n`))).toThrow(/expected four JSON arrays \(the kernel has IPv6\), got 3 .*Error: ipv6 routes/s);
    // Three arrays, the IPv6 routes in the neighbours' place (the neighbours' listing failed).
    expect(() => parseFacts('r1', factsOut(`[]\n[]\nError: neigh\n${V6}`))).toThrow(/IPv6 routes where IPv4 routes or neighbours were expected/);
    expect(() => parseFacts('r1', factsOut(`${V4}${V6}`))).toThrow(/four JSON arrays without the kernel's IPv6/);
  });

  it('puts one back with `ip -6 route` (a `default` alone would be IPv4\'s), and compares `default` as ::/0', () => {
    const facts = parseFacts('r1', factsOut(`ipv6\n${V4}${V6}`));
    const dflt = facts.flushable!.routes.find((r) => r.family === 'inet6' && r.to === 'default')!;
    expect(renderOp({ kind: 'route-add', route: dflt })).toBe('ip -6 route add default dev eth1 metric 5 table 7');
    expect(renderOp({ kind: 'route-add', route: facts.flushable!.routes[1]! })).toBe('ip -6 route add 2001:db8:9::5/128 via fe80::1 dev eth1 metric 1024 pref high');
    expect(routeLine(dflt)).toBe('route ::/0 dev eth1 metric 5 table 7');
  });
});

function factsOut(ip: string): string {
  return ['@@teqlctl-section links', '[]', '@@teqlctl-section ip', ip, '@@teqlctl-section qdiscs', '[]', '@@teqlctl-section teql', 'loaded=0', 'available=1', '@@teqlctl-section management', '@@teqlctl-section sysctls', '@@teqlctl-section end', ''].join('\n');
}
