// One router under two inventory names in one run: both would take its lock as the same run and
// change it at once. Refused at the later host; routers at one address behind different jump
// hosts, or on other ports, are different routers.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRun } from '../../src/load/index.js';
import { errorsOf, writeCase } from './helpers.js';

const PLAY = '- hosts: all\n  tasks:\n    - ping: { to: 192.0.2.1 }\n';

function load(hosts: string, limit?: string[]) {
  const dir = writeCase({ 'inventory.yml': `all:\n  hosts:\n${hosts}`, 'play.yml': PLAY });
  return () => loadRun(join(dir, 'inventory.yml'), join(dir, 'play.yml'), limit ? { limit } : {});
}

describe('two names for one router', () => {
  it('is refused at the later host, naming both and the place', () => {
    const errs = errorsOf(load('    r1: { ansible_host: 192.0.2.10 }\n    r2: { ansible_host: 192.0.2.10 }\n'));
    expect(errs.map((e) => e.message)).toEqual([expect.stringMatching(/^hosts r1 \(at .*inventory\.yml:3:5\) and r2 both connect to 192\.0\.2\.10: one router under two names would be planned and changed twice at once$/)]);
    expect(errs[0]!.pos).toMatchObject({ line: 4, col: 5 });
  });

  it('sees the port and the jump host: other ports, or one private address behind two jump hosts, are two routers', () => {
    expect(() => load('    r1: { ansible_host: 127.0.0.1, ansible_port: 2201 }\n    r2: { ansible_host: 127.0.0.1, ansible_port: 2202 }\n')()).not.toThrow();
    expect(() => load([
      '    r1: { ansible_host: 192.168.1.1, ansible_ssh_common_args: "-J gw-site1" }',
      '    r2: { ansible_host: 192.168.1.1, ansible_ssh_common_args: "-J gw-site2" }',
      '',
    ].join('\n'))()).not.toThrow();
    expect(errorsOf(load('    r1: { ansible_host: 127.0.0.1, ansible_port: 2201 }\n    r2: { ansible_host: 127.0.0.1, ansible_port: 2201 }\n'))[0]!.message).toMatch(/both connect to 127\.0\.0\.1 port 2201/);
  });

  it('one place written two ways is one place: a name in another case, an IPv6 address long or short', () => {
    for (const [a, b] of [
      ['{ ansible_host: Router-A.lab.example }', '{ ansible_host: router-a.lab.example }'],
      ['{ ansible_host: "2001:db8::1" }', '{ ansible_host: "2001:db8:0:0::1" }'],
    ]) {
      expect(errorsOf(load(`    r1: ${a}\n    r2: ${b}\n`)).map((e) => e.message), `${a} / ${b}`).toEqual([expect.stringMatching(/^hosts r1 .* and r2 both connect to /)]);
    }
  });

  it('only among the hosts of the run: --limit one of them and it passes', () => {
    expect(() => load('    r1: { ansible_host: 192.0.2.10 }\n    r2: { ansible_host: 192.0.2.10 }\n', ['r1'])()).not.toThrow();
  });

  it('a port not given is not taken for 22 (ssh_config may give the name another), and a zone keeps its case', () => {
    expect(() => load('    r1: { ansible_host: nat.example.net }\n    r2: { ansible_host: nat.example.net, ansible_port: 22 }\n')()).not.toThrow();
    expect(() => load('    r1: { ansible_host: "fe80::1%Eth0" }\n    r2: { ansible_host: "fe80::1%eth0" }\n')()).not.toThrow();
  });
});

