import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { IDENTITY_LINE, identityIn, stackIdentity } from '../../src/router/stack-identity.js';

const links = [{ ifindex: 1, ifname: 'lo', address: '00:00:00:00:00:00' }, { ifindex: 2, ifname: 'eth0', address: '52:54:00:12:34:56' }];

describe('stackIdentity', () => {
  it('is the boot id with a digest of every link (index, name, MAC), in any order; none without a boot id', () => {
    const id = stackIdentity('boot=b1\n', links);
    expect(id).toMatch(/^b1 [0-9a-f]{16}$/);
    expect(stackIdentity('boot=b1\n', [...links].reverse())).toBe(id);
    expect(stackIdentity('boot=b2\n', links)).not.toBe(id);
    expect(stackIdentity('boot=b1\n', [links[0]!, { ...links[1]!, address: '52:54:00:12:34:57' }])).not.toBe(id);
    expect(stackIdentity('boot=b1\n', [links[0]!, { ...links[1]!, ifname: 'eth1' }])).not.toBe(id);
    // An equalizer that a run's module load created does not make the router another.
    expect(stackIdentity('boot=b1\n', [...links, { ifindex: 9, ifname: 'teql0' }])).toBe(id);
    expect(stackIdentity('boot=\n', links)).toBeUndefined();
    expect(stackIdentity('', links)).toBeUndefined();
  });
});

describe('IDENTITY_LINE on this machine', () => {
  const read = (argv: string[]) => identityIn(execFileSync(argv[0]!, [...argv.slice(1), 'sh', '-c', `echo before; ${IDENTITY_LINE}; echo after`], { encoding: 'utf8' }));

  it("prints this kernel's boot id and links, the same as the facts read them; another network namespace is another", () => {
    const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    const here = read(['env']);
    const linksHere = JSON.parse(execFileSync('ip', ['-j', 'link', 'show'], { encoding: 'utf8' }));
    expect(here).toBe(stackIdentity(`boot=${boot}`, linksHere));
    const other = read(['unshare', '-rn']);
    expect(other?.startsWith(`${boot} `)).toBe(true);
    expect(other).not.toBe(here);
  });

  it('is none where the line is missing, or ip printed nothing or no JSON', () => {
    expect(identityIn('x\n')).toBeUndefined();
    expect(identityIn('@@teqlctl-identity\tboot=b1\t\n')).toBeUndefined();
    expect(identityIn('@@teqlctl-identity\tboot=b1\tObject "link" is unknown\n')).toBeUndefined();
    expect(identityIn(`@@teqlctl-identity\tboot=b1\t${JSON.stringify(links)}\n`)).toBe(stackIdentity('boot=b1', links));
  });
});
