import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checksScript, parseChecks, pingCommand } from '../../src/verify/ping-script.js';
import type { Check } from '../../src/plan/types.js';

const check = (to: string, extra: Partial<Check> = {}): Check => ({ task: 't', to, count: 3, timeout: 2, pos: { file: 'p', line: 1, col: 1 }, ...extra });

describe('ping checks', () => {
  it('builds ping with an interface or a source address', () => {
    expect(pingCommand(check('10.0.0.1', { dev: 'eth1' }))).toBe('ping -n -q -i $tq_pngiv -c 3 -W 2 -I eth1 10.0.0.1');
    expect(pingCommand(check('198.51.100.1', { from: '192.0.2.1' }))).toBe('ping -n -q -i $tq_pngiv -c 3 -W 2 -I 192.0.2.1 198.51.100.1');
  });

  it('parses results and counts a check without its marker as failed', () => {
    const out = [
      '3 packets transmitted, 3 received, 0% packet loss, time 2003ms',
      'rtt min/avg/max/mdev = 0.9/1.1/1.3/0.2 ms',
      '@@teqlctl-check 0 0 1',
      '3 packets transmitted, 0 received, 100% packet loss, time 2040ms',
      '@@teqlctl-check 1 1 3',
    ].join('\n');
    const r = parseChecks([check('10.0.0.1'), check('10.0.0.3'), check('10.0.0.5')], out);
    expect(r.map((x) => [x.check.to, x.ok, x.attempts])).toEqual([['10.0.0.1', true, 1], ['10.0.0.3', false, 3], ['10.0.0.5', false, 0]]);
    expect(r[1]!.summary).toContain('100% packet loss');
  });
});

describe('checksScript', () => {
  it('pings every 0.2 s; where the userland is BusyBox and its ping refuses a fraction (FLOAT_DURATION off, as on OpenWrt), every 1 s: every check failed there (a review)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'teqlctl-ping-interval-'));
    // A ping as BusyBox's without FLOAT_DURATION: "-i 0.2" is an invalid number; it records its interval.
    const fake = `ping() { i=; p=; for a; do [ "$p" = -i ] && i=$a; p=$a; done; echo "$i" >> ${dir}/intervals; [ "$i" = 0.2 ] && { echo "ping: invalid number '0.2'"; return 1; }; echo '1 packets transmitted, 1 received'; }\n`;
    const checks = [check('10.0.0.1')];
    const run = (ls: string) => execFileSync('sh', ['-c', fake + checksScript(checks).replaceAll('[ /bin/ls -ef', `[ ${ls} -ef`)], { encoding: 'utf8' });
    symlinkSync('/bin/busybox', join(dir, 'ls'));
    expect(parseChecks(checks, run(join(dir, 'ls'))).map((r) => [r.ok, r.attempts])).toEqual([[true, 1]]);
    // The probe of loopback, then the check, at 1 s.
    expect(execFileSync('cat', [join(dir, 'intervals')], { encoding: 'utf8' })).toBe('0.2\n1\n');
    // /bin/ls not BusyBox's (coreutils-ls) while ping is: no probe; the refusal read, the attempt made again at 1 s.
    writeFileSync(join(dir, 'intervals'), '');
    expect(parseChecks(checks, run('/bin/ls')).map((r) => [r.ok, r.attempts])).toEqual([[true, 1]]);
    expect(execFileSync('cat', [join(dir, 'intervals')], { encoding: 'utf8' })).toBe('0.2\n1\n');
  });

  it('runs every check and reports them in order, whatever order they finish in', async () => {
    const { execFileSync } = await import('node:child_process');
    // Stand-in for ping: succeeds for 10.0.0.1, fails for anything else; run by the real sh.
    const fake = 'ping() { for a; do last=$a; done; echo "3 packets transmitted, x received"; [ "$last" = 10.0.0.1 ]; }\n';
    const { checksScript } = await import('../../src/verify/ping-script.js');
    const checks = [check('10.0.0.9'), check('10.0.0.1')];
    const out = execFileSync('sh', ['-c', fake + checksScript(checks).replace(/sleep 1/g, 'true')], { encoding: 'utf8' });
    expect(parseChecks(checks, out).map((r) => [r.check.to, r.ok, r.attempts])).toEqual([['10.0.0.9', false, 3], ['10.0.0.1', true, 1]]);
  });

  it("keeps each output's last two lines, as tail -n 2 did, and leaves no folder behind", async () => {
    const { execFileSync } = await import('node:child_process');
    const { mkdtempSync, readdirSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { checksScript } = await import('../../src/verify/ping-script.js');
    const tmp = mkdtempSync(join(tmpdir(), 'teqlctl-checks-'));
    // Four lines, the last without its newline: only the last two are kept.
    const fake = 'ping() { printf "PING header\\n\\n3 packets transmitted, 3 received, 0%% packet loss\\nrtt min/avg/max/mdev = 1/2/3/0 ms"; }\n';
    const checks = [check('10.0.0.1'), check('10.0.0.3')];
    const out = execFileSync('sh', ['-c', fake + checksScript(checks)], { encoding: 'utf8', env: { ...process.env, TMPDIR: tmp } });
    expect(out).not.toContain('PING header');
    const r = parseChecks(checks, out);
    expect(r.map((x) => x.summary)).toEqual(Array(2).fill('3 packets transmitted, 3 received, 0% packet loss; rtt min/avg/max/mdev = 1/2/3/0 ms'));
    // Removed in the background: gone within a few seconds.
    for (let i = 0; i < 50 && readdirSync(tmp).length > 0; i++) await new Promise((res) => setTimeout(res, 100));
    expect(readdirSync(tmp)).toEqual([]);
  });
});

describe('a check whose result cannot be read on the router', () => {
  it('fails, saying so, on a /tmp full enough that the folder is made and nothing written in it (every check passed there: a review)', () => {
    const fake = 'ping() { echo "3 packets transmitted, 0 received, 100% packet loss"; return 1; }\nsleep() { :; }\n';
    const checks = [check('10.0.0.1'), check('10.0.0.3')];
    for (const sh of ['dash', 'bash', '/bin/busybox sh']) {
      // Writes fail as on a full tmpfs (a file size limit of 0, its signal ignored): mkdir still works.
      const out = execFileSync('sh', ['-c', `trap '' XFSZ; ulimit -f 0; ${sh} -c "$0"`, fake + checksScript(checks)], { encoding: 'utf8' });
      const r = parseChecks(checks, out);
      expect(r.map((x) => [x.ok, x.attempts]), sh).toEqual([[false, 0], [false, 0]]);
      expect(r[0]!.summary).toMatch(/^error: its result could not be read on the router \(its folder .* full, or the check killed\)$/);
    }
  });

  it("a check's missing result is its own failure, not the check before it's pass", () => {
    const fake = 'ping() { echo "3 packets transmitted, 3 received"; }\n';
    const checks = [check('10.0.0.1'), check('10.0.0.3')];
    // The second check's result file gone (its job killed) before it is read.
    const script = checksScript(checks).replace('wait $pings', 'wait $pings; rm -f "$d/1.rc"');
    expect(parseChecks(checks, execFileSync('sh', ['-c', fake + script], { encoding: 'utf8' })).map((x) => [x.ok, x.attempts])).toEqual([[true, 1], [false, 0]]);
  });
});

describe("a check with both a device and a source, on a router whose ping is BusyBox's", () => {
  // A router's PATH with `ping` as BusyBox's (a symlink to the busybox binary, as BusyBox installs
  // it) or as another ping (a script that says what it was given and answers).
  const router = (busybox: boolean): string => {
    const dir = mkdtempSync(join(tmpdir(), 'teqlctl-ping-'));
    if (busybox) symlinkSync(execFileSync('sh', ['-c', 'command -v busybox'], { encoding: 'utf8' }).trim(), join(dir, 'ping'));
    else writeFileSync(join(dir, 'ping'), '#!/bin/sh\necho "iputils ping $*"\necho "1 packets transmitted, 1 received, 0% packet loss"\n', { mode: 0o755 });
    return dir;
  };
  // BusyBox's sh on a BusyBox router (it may run its own ping applet whatever PATH holds); dash on another.
  const run = (dir: string, checks: Check[], shell: string[] = ['busybox', 'sh']) => parseChecks(checks, execFileSync(shell[0]!, [...shell.slice(1), '-c', checksScript(checks)], { encoding: 'utf8', env: { PATH: `${dir}:${process.env.PATH}` } }));

  it('fails, saying why, without sending a ping that BusyBox would send unbound to the device (a false pass over another link)', () => {
    const [r] = run(router(true), [check('127.0.0.1', { dev: 'lo', from: '127.0.0.1', count: 1, timeout: 1 })]);
    expect(r!.ok).toBe(false);
    expect(r!.attempts).toBe(0);
    expect(r!.summary).toContain("ping: this router's ping is BusyBox's, whose -I takes a device or a source address, not both");
  });

  it('a check with one of them runs on BusyBox as before, and one with both runs on another ping', () => {
    const [one] = run(router(true), [check('127.0.0.1', { from: '127.0.0.1', count: 1, timeout: 1 })]);
    expect(one!.summary).not.toContain("BusyBox's");
    const [both] = run(router(false), [check('127.0.0.1', { dev: 'lo', from: '127.0.0.1', count: 1, timeout: 1 })], ['dash']);
    expect(both!.ok).toBe(true);
  });
});

describe('a check planned over an equalizer (a review of routers\' own managers)', () => {
  // Stand-ins for ip and ping, as shell functions: `ip route get` answers what the test says, ping passes.
  const run = (routeGet: string, checks: Check[]) => {
    const fake = `ip() { echo "$*" >> "$TQ_LOG"; printf '%s\\n' ${routeGet}; }\nping() { echo ping >> "$TQ_LOG"; echo '3 packets transmitted, 3 received, 0% packet loss'; }\n`;
    const log = join(mkdtempSync(join(tmpdir(), 'teqlctl-egress-')), 'log');
    writeFileSync(log, '');
    const out = execFileSync('sh', ['-c', fake + checksScript(checks)], { encoding: 'utf8', env: { ...process.env, TQ_LOG: log } });
    return { results: parseChecks(checks, out), calls: execFileSync('cat', [log], { encoding: 'utf8' }) };
  };

  it('pings only where the kernel routes it over that equalizer, and says the device it routes it over otherwise', () => {
    const over = run(`'198.51.100.1 from 192.0.2.1 dev teql0 uid 0' '    cache'`, [check('198.51.100.1', { from: '192.0.2.1', egress: 'teql0' })]);
    expect(over.results.map((r) => [r.ok, r.attempts])).toEqual([[true, 1]]);
    expect(over.calls).toBe('route get 198.51.100.1 from 192.0.2.1\nping\n');
    const elsewhere = run(`'198.51.100.1 from 192.0.2.1 via 10.9.0.1 dev eth0 table 100 uid 0' '    cache'`, [check('198.51.100.1', { from: '192.0.2.1', egress: 'teql0' })]);
    expect(elsewhere.results.map((r) => [r.ok, r.attempts])).toEqual([[false, 0]]);
    expect(elsewhere.results[0]!.summary).toBe('the kernel routes it over eth0, not teql0, the bundle\'s (a more specific route or a policy rule takes it there): ip route get: 198.51.100.1 from 192.0.2.1 via 10.9.0.1 dev eth0 table 100 uid 0 cache');
    expect(elsewhere.calls).not.toContain('ping');
    // teql10 is not teql1; an ip that names no device (no route get) leaves it to the ping.
    expect(run(`'10.0.0.5 dev teql10 src 10.0.0.4'`, [check('10.0.0.5', { egress: 'teql1' })]).results[0]!.summary).toContain('routes it over teql10, not teql1,');
    expect(run(`'ip: RTNETLINK answers: Invalid argument'`, [check('10.0.0.5', { egress: 'teql0' })]).results.map((r) => r.ok)).toEqual([true]);
    // A check without an equalizer planned asks nothing.
    expect(run(`'x'`, [check('10.0.0.1')]).calls).toBe('ping\n');
  });

  it("fails where the equalizer's next hop did not resolve on every slave once the ping passed, after more pings and a wait: teql sent nothing over that one", () => {
    // Stand-ins: `ip route get` names teql0; `ip neigh` answers its first line, and after the check's
    // own further pings (one ping call more) its second; ping passes; sleep only counts.
    const run = (first: string, later: string, checks: Check[], after = 2) => {
      const fake = `ip() { echo "$*" >> "$TQ_LOG"; case $2 in get) echo "$TQ_ROUTE";; *) if [ "$(grep -c '^ping' "$TQ_LOG")" -ge ${after} ]; then printf '%s\\n' ${later}; else printf '%s\\n' ${first}; fi;; esac; }\nping() { echo "ping $*" >> "$TQ_LOG"; echo '3 packets transmitted, 3 received, 0% packet loss'; }\nsleep() { echo sleep >> "$TQ_LOG"; }\n`;
      const log = join(mkdtempSync(join(tmpdir(), 'teqlctl-slaves-')), 'log');
      writeFileSync(log, '');
      const route = checks[0]!.from ? `${checks[0]!.to} from ${checks[0]!.from} via 10.0.0.5 dev teql0 uid 0` : '10.0.0.5 dev teql0 src 10.0.0.4 uid 0';
      // The slaves' link types and flags as sysfs gives them: Ethernet (1), a ppp link (512), and
      // an Ethernet link set to `arp off` (IFF_NOARP, 0x80).
      const sys = mkdtempSync(join(tmpdir(), 'teqlctl-sysnet-'));
      for (const [dev, type, flags] of [['eth1', 1, '0x1003'], ['eth2', 1, '0x1003'], ['ppp0', 512, '0x1091'], ['eth3', 1, '0x1083']] as const) {
        mkdirSync(join(sys, dev));
        writeFileSync(join(sys, dev, 'type'), `${type}\n`);
        writeFileSync(join(sys, dev, 'flags'), `${flags}\n`);
      }
      const out = execFileSync('sh', ['-c', fake + checksScript(checks).replaceAll('/sys/class/net/', `${sys}/`)], { encoding: 'utf8', env: { ...process.env, TQ_LOG: log, TQ_ROUTE: route } });
      return { results: parseChecks(checks, out), calls: execFileSync('cat', [log], { encoding: 'utf8' }) };
    };
    const over = (extra: Partial<Check> = {}) => [check('10.0.0.5', { egress: 'teql0', slaves: ['eth1', 'eth2'], ...extra })];
    const REACHABLE = `'10.0.0.5 dev eth1 lladdr 52:54:00:7e:02:01 REACHABLE' '10.0.0.5 dev eth2 lladdr 52:54:00:7e:02:02 STALE'`;
    const both = run(REACHABLE, REACHABLE, over());
    expect(both.results.map((r) => [r.ok, r.attempts])).toEqual([[true, 1]]);
    expect(both.calls).toBe('route get 10.0.0.5\nping -n -q -i 0.2 -c 3 -W 2 10.0.0.5\nneigh show to 10.0.0.5\n');
    // Never answered on eth2: more pings over teql0 (one more than its slaves), 4 s, then failed.
    const INCOMPLETE = `'10.0.0.5 dev eth1 lladdr 52:54:00:7e:02:01 REACHABLE' '10.0.0.5 dev eth2  INCOMPLETE'`;
    const one = run(INCOMPLETE, INCOMPLETE, over());
    expect(one.results.map((r) => r.ok)).toEqual([false]);
    expect(one.results[0]!.summary).toBe("teql0's next hop 10.0.0.5 did not resolve on eth2, so teql0 sends nothing over it (no entry there: teql never sent over that link, down or without carrier; an entry without an address: the peer does not answer there for its equalizer's address, its arp_ignore or arp_filter on that link): ip neigh: 10.0.0.5 dev eth1 lladdr 52:54:00:7e:02:01 REACHABLE 10.0.0.5 dev eth2 INCOMPLETE");
    // Pinging again in each second of the wait (a slave's carrier may come after the first: a review).
    const more = 'ping -n -q -i 0.2 -c 3 -W 1 10.0.0.5';
    expect(one.calls.split('\n').filter((l) => l.startsWith('ping') || l === 'sleep')).toEqual(['ping -n -q -i 0.2 -c 3 -W 2 10.0.0.5', more, 'sleep', more, 'sleep', more, 'sleep', more, 'sleep', more]);
    // Routed over a gateway: the kernel's next hop is looked up, the further pings are the check's own.
    const lan = run(INCOMPLETE, INCOMPLETE, [check('198.51.100.1', { from: '192.0.2.1', egress: 'teql0', slaves: ['eth1', 'eth2'] })]);
    expect(lan.calls.split('\n').filter((l) => l.startsWith('ping') || l.startsWith('neigh')).slice(0, 4)).toEqual(['ping -n -q -i 0.2 -c 3 -W 2 -I 192.0.2.1 198.51.100.1', 'neigh show to 10.0.0.5', 'ping -n -q -i 0.2 -c 3 -W 1 -I 192.0.2.1 198.51.100.1', 'neigh show to 10.0.0.5']);
    expect(lan.results[0]!.summary).toMatch(/^teql0's next hop 10\.0\.0\.5 did not resolve on eth2, /);
    // Left FAILED by an earlier outage, these pings never reached it: once the further pings did, it
    // resolves, and the check passes without waiting.
    const healed = run(`'10.0.0.5 dev eth1 lladdr 52:54:00:7e:02:01 REACHABLE' '10.0.0.5 dev eth2 FAILED'`, REACHABLE, over());
    expect(healed.results.map((r) => r.ok)).toEqual([true]);
    expect(healed.calls).not.toContain('sleep');
    // eth10 is not eth1: an Ethernet slave with no entry at all, never tried by teql (down, no
    // carrier), fails too (it passed until 2026-12-08: a review); a ppp slave needs none.
    expect(run(`'10.0.0.5 dev eth10 lladdr 52:54:00:7e:02:01 REACHABLE' '10.0.0.5 dev eth2 FAILED'`, `'10.0.0.5 dev eth10 lladdr 52:54:00:7e:02:01 REACHABLE' '10.0.0.5 dev eth2 FAILED'`, over()).results[0]!.summary).toMatch(/did not resolve on eth1 eth2, /);
    const ONLY_ETH1 = `'10.0.0.5 dev eth1 lladdr 52:54:00:7e:02:01 REACHABLE'`;
    const never = run(ONLY_ETH1, ONLY_ETH1, over());
    expect(never.results.map((r) => r.ok)).toEqual([false]);
    expect(never.results[0]!.summary).toMatch(/^teql0's next hop 10\.0\.0\.5 did not resolve on eth2, so teql0 sends nothing over it \(no entry there: teql never sent over that link/);
    expect(run(ONLY_ETH1, ONLY_ETH1, over({ slaves: ['eth1', 'ppp0'] })).results.map((r) => r.ok)).toEqual([true]);
    // A slave whose carrier comes during the wait: its entry comes with the wait's own pings (the
    // wait only read ip neigh before, and a healthy bundle failed: a review).
    const late = run(ONLY_ETH1, REACHABLE, over(), 3);
    expect(late.results.map((r) => r.ok)).toEqual([true]);
    expect(late.calls.split('\n').filter((l) => l.startsWith('ping') || l === 'sleep')).toEqual(['ping -n -q -i 0.2 -c 3 -W 2 10.0.0.5', 'ping -n -q -i 0.2 -c 3 -W 1 10.0.0.5', 'sleep', 'ping -n -q -i 0.2 -c 3 -W 1 10.0.0.5']);
    // Nor one set to `arp off` (its NOARP entry is not listed): left to its own link's check.
    expect(run(ONLY_ETH1, ONLY_ETH1, over({ slaves: ['eth1', 'eth3'] })).results.map((r) => r.ok)).toEqual([true]);
    // An ip that lists nothing (no neigh) leaves it to the ping.
    expect(run(`'Object "neigh" is unknown, try "ip help".'`, `'x'`, over()).results.map((r) => r.ok)).toEqual([true]);
    expect(run(`''`, `''`, over()).results.map((r) => r.ok)).toEqual([true]);
    // A check over an equalizer without slaves planned asks nothing of neigh.
    expect(run(`'x'`, `'x'`, over({ slaves: undefined })).calls).toBe('route get 10.0.0.5\nping -n -q -i 0.2 -c 3 -W 2 10.0.0.5\n');
  });
});
