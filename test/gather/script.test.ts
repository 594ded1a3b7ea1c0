// The facts script on this machine's own shell and iproute2 (it only reads): the sysctls it prints.
import { execFileSync } from 'node:child_process';
import { linkSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { factsScript, userlandLine } from '../../src/gather/script.js';
import { parseFacts } from '../../src/gather/parse-facts.js';
import { IPROUTE2_PREAMBLE } from '../../src/router/iproute2.js';

describe('factsScript: sysctls', () => {
  it('reads a named rp_filter once, in the loop over every interface, and another named sysctl by itself', () => {
    const script = factsScript(['net.ipv4.conf.lo.rp_filter', 'net.ipv4.ip_forward']);
    expect(script).not.toContain('/proc/sys/net/ipv4/conf/lo/rp_filter');
    expect(script).toContain('cat /proc/sys/net/ipv4/ip_forward');
    const out = execFileSync('sh', ['-s'], { input: `${IPROUTE2_PREAMBLE}\n${script}`, encoding: 'utf8' });
    const facts = parseFacts('local', out);
    const proc = (p: string) => readFileSync(p, 'utf8').trim();
    expect(facts.sysctls['net.ipv4.conf.lo.rp_filter']).toBe(proc('/proc/sys/net/ipv4/conf/lo/rp_filter'));
    expect(facts.sysctls['net.ipv4.ip_forward']).toBe(proc('/proc/sys/net/ipv4/ip_forward'));
    expect(out.split('\n').filter((l) => l.startsWith('/proc/sys/net/ipv4/conf/lo/rp_filter\t'))).toHaveLength(1);
  });
});

describe('factsScript: the re-read after changes', () => {
  it('prints the same facts without the fingerprint and without the processes that hash it', () => {
    const run = (script: string) => parseFacts('local', execFileSync('sh', ['-s'], { input: `${IPROUTE2_PREAMBLE}\n${script}`, encoding: 'utf8' }));
    const plain = factsScript(['net.ipv4.ip_forward'], { fingerprint: false });
    expect(plain).not.toMatch(/md5sum|stable=|valid_life_time/);
    const { fingerprint, ...withFp } = run(factsScript(['net.ipv4.ip_forward']));
    expect(fingerprint).toMatch(/^[0-9a-f]{32}$/);
    const without = run(plain);
    expect(without.fingerprint).toBeUndefined();
    expect(without).toEqual(withFp);
  });
});

describe('factsScript: whose userland', () => {
  it('BusyBox by a symlink (--install -s), a hard link or a symlink to a busybox elsewhere, GNU otherwise, in dash and in BusyBox sh', () => {
    const d = mkdtempSync(join(tmpdir(), 'userland-'));
    writeFileSync(join(d, 'busybox'), '');
    symlinkSync(join(d, 'busybox'), join(d, 'ls-symlink'));
    // A busybox in none of the places looked at: found through readlink.
    mkdirSync(join(d, 'elsewhere'));
    writeFileSync(join(d, 'elsewhere', 'busybox'), '');
    symlinkSync(join(d, 'elsewhere', 'busybox'), join(d, 'ls-elsewhere'));
    linkSync(join(d, 'busybox'), join(d, 'ls-hardlink'));
    writeFileSync(join(d, 'ls-own'), '');
    for (const shell of [['dash'], ['busybox', 'sh']]) {
      const run = (ls: string) => execFileSync(shell[0]!, [...shell.slice(1), '-c', userlandLine(join(d, ls), [join(d, 'busybox'), '/nonexistent/busybox'])], { encoding: 'utf8' });
      expect(run('ls-symlink'), shell[0]).toBe('userland\tbusybox\n');
      expect(run('ls-hardlink'), shell[0]).toBe('userland\tbusybox\n');
      expect(run('ls-elsewhere'), shell[0]).toBe('userland\tbusybox\n');
      expect(run('ls-own'), shell[0]).toBe('userland\tgnu\n');
    }
    // This machine's own ls is GNU's.
    expect(execFileSync('dash', ['-c', userlandLine()], { encoding: 'utf8' })).toBe('userland\tgnu\n');
  });
});
