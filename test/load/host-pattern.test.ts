import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fnmatch } from '../../src/load/fnmatch.js';
import { matchPattern, PatternError } from '../../src/load/host-pattern.js';
import { loadInventory } from '../../src/load/inventory.js';

// hosts: lonely (ungrouped), r1 r2 (site:routers), s1 (site:switches)
const { inventory } = loadInventory(join('test/load/good/precedence', 'inventory.yml'));
const match = (p: string | string[]) => matchPattern(p, inventory);

describe('host patterns', () => {
  it('match hosts, groups, all and *', () => {
    expect(match('r2')).toEqual(['r2']);
    expect(match('routers')).toEqual(['r1', 'r2']);
    expect(match('all')).toEqual(['lonely', 'r1', 'r2', 's1']);
    expect(match('*')).toEqual(['lonely', 'r1', 'r2', 's1']);
    expect(match('ungrouped')).toEqual(['lonely']);
  });

  it('a template or an @file is said for what it is, not as a name that matches nothing', () => {
    expect(() => match('{{ target }}')).toThrow("templates are not supported in host patterns: '{{ target }}'");
    expect(() => match('@retry.txt')).toThrow("'@retry.txt': a host list read from a file (@file, Ansible's retry files) is taken by --limit only");
  });

  it('take unions with : or , in the written order (as Ansible: a play\'s hosts and its serial: batches follow it)', () => {
    expect(match('s1:r1')).toEqual(['s1', 'r1']);
    expect(match('switches, lonely')).toEqual(['s1', 'lonely']);
    expect(match(['switches', 'routers'])).toEqual(['s1', 'r1', 'r2']);
    expect(match('routers:site')).toEqual(['r1', 'r2', 's1']);
  });

  it('take an IPv6 host name as one term, not as a union split at its colons', () => {
    const inv = { ...inventory, hosts: new Map([...inventory.hosts, ['2001:db8::1', inventory.hosts.get('r1')!]]) };
    expect(matchPattern('2001:db8::1', inv)).toEqual(['2001:db8::1']);
    expect(matchPattern('2001:db8::1,s1', inv)).toEqual(['2001:db8::1', 's1']);
    expect(matchPattern('all,!2001:db8::1', inv)).toEqual(['lonely', 'r1', 'r2', 's1']);
    // Ansible takes a whole address only: '!2001:db8::1' alone is split at its colons (and excludes nothing there).
    expect(() => matchPattern(['all', '!2001:db8::1'], inv)).toThrow("host pattern 'db8' matches no host or group");
    expect(() => matchPattern('2001:db8::9', inv)).toThrow("host pattern '2001:db8::9' matches no host or group");
  });

  it('cut the pattern as Ansible does: a text with , on , only, whitespace between terms, brackets whole', () => {
    // 'r1:r2' is one name to Ansible, which matches nothing: never r1 and r2.
    expect(() => match('r1:r2,s1')).toThrow("host pattern 'r1:r2' matches no host or group");
    const hint = (p: string) => { try { match(p); } catch (e) { return (e as PatternError).hint; } return undefined; };
    expect(hint('r1:r2,s1')).toMatch(/^'r1:r2' is one name, as Ansible cuts a pattern holding ',' on ',' only: write r1,r2; /);
    // A subscript Ansible does not read as one is a name too; no ',' to suggest (a review: 'write routers[0,-1]').
    for (const p of ['routers[0:-1]', 'routers[:1]', 'routers[-1:]']) expect(hint(p)).toMatch(new RegExp(`^'${p.replace(/[[\]]/g, '\\$&')}' is one name to Ansible: a subscript is \\[N\\] \\(N may be negative\\), \\[N:M\\] or \\[N:\\] with N and M from 0; groups: `));
    expect(match('r1 s1')).toEqual(['r1', 's1']);
    expect(match(' s1 \tlonely:r2 ')).toEqual(['s1', 'lonely', 'r2']);
    expect(match('routers[0:1]:s1')).toEqual(['r1', 'r2', 's1']);
    // Python's findall drops a lone bracket and cuts there ('router_[a' ran as 'router_' and 'a').
    expect(() => match('r1:router_[a')).toThrow("'r1:router_[a': a '[' or ']' pairs with nothing");
    expect(() => match('r1]:s1')).toThrow("a '[' or ']' pairs with nothing");
  });

  it('apply & and ! after the unions, whatever the written order', () => {
    expect(match('site:!switches')).toEqual(['r1', 'r2']);
    expect(match('!switches:site')).toEqual(['r1', 'r2']);
    expect(match('site:&routers:!r2')).toEqual(['r1']);
    expect(match('!site')).toEqual(['lonely']);
    expect(match('&routers')).toEqual(['r1', 'r2']);
  });

  it('glob host and group names', () => {
    expect(match('r*')).toEqual(['r1', 'r2']);
    expect(match('sw*')).toEqual(['s1']);
    expect(match('?1')).toEqual(['r1', 's1']);
  });

  it('take a glob that names an empty group as the group\'s name: it matches, with no host (Ansible warns of nothing)', () => {
    const inv = { ...inventory, groups: new Map([...inventory.groups, ['spare', []]]) };
    expect(matchPattern('spar?:r1', inv)).toEqual(['r1']);
    expect(matchPattern('spare:r1', inv)).toEqual(['r1']);
    expect(() => matchPattern('sp*', inv)).toThrow("host pattern 'sp*' leaves no host");
  });

  it('refuse a term that matches nothing, and syntax outside the subset', () => {
    expect(() => match('routers:!firewalls')).toThrow("host pattern 'firewalls' matches no host or group");
    expect(() => match('x*')).toThrow(PatternError);
    expect(() => match('routers:&localhost')).toThrow("host pattern 'localhost' matches no host or group: Ansible's implicit localhost");
    expect(() => match('localhost')).toThrow("host pattern 'localhost' matches no host or group: Ansible's implicit localhost");
    expect(() => match('~r[12]')).toThrow('regular-expression host patterns are not supported');
    expect(() => match(' , ')).toThrow('empty host pattern');
    expect(() => match('routers:&switches')).toThrow("host pattern 'routers:&switches' leaves no host");
  });
});

describe("excluding Ansible's implicit localhost", () => {
  it('takes nothing out when the inventory lacks it (all:!localhost, a habit from Ansible), as Ansible', () => {
    expect(match('all:!localhost')).toEqual(match('all'));
    expect(match('routers,!127.0.0.1,!::1')).toEqual(match('routers'));
  });
});

describe('subscripts, as Ansible takes them', () => {
  it('take positions of what the term matched: [i] (from the end when negative), [x:y] both ends counted, [x:] to the last', () => {
    expect(match('routers[0]')).toEqual(['r1']);
    expect(match('routers[-1]')).toEqual(['r2']);
    expect(match('all[1:2]')).toEqual(['r1', 'r2']);
    expect(match('all[2:]')).toEqual(['r2', 's1']);
    expect(match('site[0:0]')).toEqual(['r1']);
    // `*` is a glob to Ansible: every group's hosts, then every host, duplicates and all, before the
    // subscript; `*[1:]` drops the first entry of that list, whose host comes back from a later one.
    expect(match('*[1:]')).toEqual(['r1', 'r2', 's1', 'lonely']);
    expect(match('*')).toEqual(match('all'));
    // A canary, then the rest: the two runs cover the group once.
    expect([...match('site[0]'), ...match('site[1:]')]).toEqual(match('site'));
  });

  it('apply to globs, & and ! terms', () => {
    expect(match('r*[1]')).toEqual(['r2']);
    expect(match('all:!routers[0]')).toEqual(['lonely', 'r2', 's1']);
    expect(match('site:&all[0:2]')).toEqual(['r1', 'r2']);
  });

  it('refuse positions past the end, ranges written backwards, and [x-y] (which Ansible reads as positions, not a class)', () => {
    expect(() => match('routers[2]')).toThrow("host pattern 'routers[2]' matches no host: 'routers' matches 2 hosts, at positions 0 to 1");
    expect(() => match('routers[-3]')).toThrow('matches no host');
    expect(() => match('routers[5:9]')).toThrow("host pattern 'routers[5:9]' matches no host");
    expect(() => match('routers[3:1]')).toThrow('a range that ends before it starts');
    expect(() => match('r[1-2]')).toThrow("'r[1-2]': Ansible reads [1-2] as the positions 1 to 2 of what 'r' matches");
  });

  it('name the whole term when its base matches nothing', () => {
    expect(() => match('routerz[0]')).toThrow("host pattern 'routerz[0]' matches no host or group");
  });
});

describe('glob matching (Python fnmatch)', () => {
  it('matches *, ? and classes over the whole name', () => {
    expect(fnmatch('r*', 'router_a')).toBe(true);
    expect(fnmatch('*_?', 'router_a')).toBe(true);
    expect(fnmatch('r?uter*b', 'router_a')).toBe(false);
    expect(fnmatch('*a*', 'xyz')).toBe(false);
    expect(fnmatch('**', '')).toBe(true);
    expect(fnmatch('a.c', 'abc'), 'a dot is a dot').toBe(false);
    expect(fnmatch('router_[ab]', 'router_b')).toBe(true);
    expect(fnmatch('router_[ab]', 'router_c')).toBe(false);
    expect(fnmatch('r[0-9][0-9]', 'r42')).toBe(true);
    expect(fnmatch('[!a]*', 'abc')).toBe(false);
    expect(fnmatch('[!a]*', 'bcd')).toBe(true);
    expect(fnmatch('R*', 'r1'), 'case counts').toBe(false);
  });

  it('reads brackets as Python does: an unclosed [ is itself, ] first in a class is a member, a backwards range matches nothing, - at an end is itself', () => {
    expect(fnmatch('a[', 'a[')).toBe(true);
    expect(fnmatch('a[]]', 'a]')).toBe(true);
    expect(fnmatch('a[!]', 'a[!]')).toBe(true);
    expect(fnmatch('x[z-a]', 'xa')).toBe(false);
    expect(fnmatch('x[!z-a]', 'xq')).toBe(true);
    expect(fnmatch('[a-]', '-')).toBe(true);
    expect(fnmatch('[!-a]', '-')).toBe(false);
    expect(fnmatch('[!-a]', 'b')).toBe(true);
  });

  it('globs with classes match groups and hosts', () => {
    expect(match('[rs]1')).toEqual(['r1', 's1']);
    expect(match('router[s]')).toEqual(['r1', 'r2']);
    expect(match('r[!1]')).toEqual(['r2']);
    // As Ansible, a glob matches group names too: '[!r]*' matches all (and so every host), '[!rsa]*' ungrouped.
    expect(match('[!r]*')).toEqual(match('all'));
    expect(match('[!rsa]*')).toEqual(['lonely']);
  });

  it('takes linear time where a regular expression backtracks', () => {
    const t = Date.now();
    expect(fnmatch(`${'*a'.repeat(40)}*c`, 'a'.repeat(255))).toBe(false);
    expect(Date.now() - t).toBeLessThan(100);
  });
});
