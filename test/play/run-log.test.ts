// -v streams the run log as it is written: -v the commands sent, -vv their output too; redacted
// as the log is, and with or without a log file.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { RunLog } from '../../src/play/run-log.js';

const result = { label: 'facts', script: 'ip -j addr show\ntc -j qdisc show', code: 0, stdout: '[{"ifname":"eth1"}]', stderr: 'sudo said hunter2', durationMs: 12 };

function echoed(level: number, file?: string): string {
  let out = '';
  const log = new RunLog(file, ['hunter2'], { level, write: (t) => (out += t) });
  log.note('run r1 started');
  log.record('router_a', result);
  return out;
}

describe('RunLog echo (-v)', () => {
  it('-v shows each command sent, with its host, label and exit code, and no output', () => {
    const out = echoed(1);
    expect(out).toMatch(/^# \S+ run r1 started\n### \S+ router_a facts: exit 0 in 12 ms\n--- script\nip -j addr show\ntc -j qdisc show\n$/);
    expect(out).not.toContain('ifname');
  });

  it('-vv adds stdout and stderr, with secrets redacted', () => {
    const out = echoed(2);
    expect(out).toContain('--- stdout\n[{"ifname":"eth1"}]\n--- stderr\nsudo said [REDACTED]\n');
    expect(out).not.toContain('hunter2');
  });

  it('the file gets the whole block whatever the level; no echo without -v', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'teqlctl-run-log-')), 'r.log');
    expect(echoed(0, file)).toBe('');
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('--- stdout\n[{"ifname":"eth1"}]');
    expect(text).toContain('sudo said [REDACTED]');
  });
  it('the file holds each record as one block, in order, with or without secrets to redact', () => {
    const dir = mkdtempSync(join(tmpdir(), 'teqlctl-run-log-'));
    const block = (said: string) => `### T router_a facts: exit 0 in 12 ms\n--- script\nip -j addr show\ntc -j qdisc show\n--- stdout\n[{"ifname":"eth1"}]\n--- stderr\nsudo said ${said}\n\n`;
    for (const secrets of [[], ['hunter2']]) {
      const file = join(dir, `${secrets.length}.log`);
      const log = new RunLog(file, secrets);
      log.record('router_a', { ...result, stdout: `${result.stdout}\n\n` });
      log.note('between');
      log.record('router_a', result);
      const text = readFileSync(file, 'utf8').replace(/^(###|#) \S+/gm, '$1 T');
      const said = secrets.length ? '[REDACTED]' : 'hunter2';
      expect(text).toBe(`${block(said)}# T between\n${block(said)}`);
    }
  });

});

describe('RunLog on a file it cannot write', () => {
  it('a failed write (a full disk: /dev/full) is said once on stderr, and the run goes on without its log', () => {
    const said = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const log = new RunLog('/dev/full');
      expect(log.incomplete).toBe(false);
      expect(() => {
        log.note('run r1 started');
        log.record('router_a', result);
        log.note('run r1 ended');
      }).not.toThrow();
      const lines = said.mock.calls.map((c) => String(c[0]));
      expect(lines).toEqual([expect.stringMatching(/^warning: cannot write the log file \/dev\/full \(ENOSPC.*\): the run goes on, its log ends here\n$/)]);
      expect(log.incomplete).toBe(true);
    } finally {
      said.mockRestore();
    }
  });
});

describe('RunLog.sent: a staged round trip\'s first part, written as it is sent', () => {
  it('is in the file before the round trip ends (a controller killed while the shell waits leaves it there), redacted, and the record after it holds the rest', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'teqlctl-run-log-')), 'r.log');
    const log = new RunLog(file, ['hunter2']);
    log.sent('router_a', 'apply', 'mkdir /run/teqlctl.lock\necho hunter2\n');
    const before = readFileSync(file, 'utf8').replace(/^### \S+/gm, '### T');
    expect(before).toBe('### T router_a apply: sent, its shell waits at its barrier\n--- script\nmkdir /run/teqlctl.lock\necho [REDACTED]\n\n');
    log.record('router_a', { label: 'apply', script: 'ping -c 1 10.0.0.5', code: 0, stdout: 'ok', stderr: '', durationMs: 5 });
    expect(readFileSync(file, 'utf8').replace(/^### \S+/gm, '### T')).toBe(`${before}### T router_a apply: exit 0 in 5 ms\n--- script\nping -c 1 10.0.0.5\n--- stdout\nok\n--- stderr\n\n\n`);
  });

  it('-v shows it as it is sent', () => {
    let out = '';
    new RunLog(undefined, [], { level: 1, write: (t) => (out += t) }).sent('router_b', 'confirm', 'mkdir decided');
    expect(out).toMatch(/^### \S+ router_b confirm: sent, its shell waits at its barrier\n--- script\nmkdir decided\n\n$/);
  });
});
