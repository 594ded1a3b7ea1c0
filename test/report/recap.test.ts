import { describe, expect, it } from 'vitest';
import { formatRecap } from '../../src/report/recap.js';
import type { RunReport } from '../../src/play/report.js';
import { RunLog } from '../../src/play/run-log.js';
import { runOutput } from '../../src/cli/play-output.js';

const change = { action: '+' as const, resource: 'r', before: null, after: 'x', steps: [], task: 't', pos: { file: 'p', line: 1, col: 1 } };
const check = { check: { task: 't', to: '10.0.0.1', count: 3, timeout: 2, pos: { file: 'p', line: 1, col: 1 } }, ok: true, attempts: 1, summary: '3 received' };

describe('PLAY RECAP', () => {
  it('counts what a converged run changed and verified, and shows the log', () => {
    const r: RunReport = { runId: 'x', bundles: [], exitCode: 0, check: false, summary: 'converged and verified', logFile: '/tmp/l.log', hosts: [{ host: 'router_a', status: 'changed', planned: [change, change], applied: 2, checks: [check] }] };
    const text = formatRecap(r);
    expect(text).toContain('verified router_a: ping 10.0.0.1 — 3 received');
    expect(text).toContain('router_a : ok=2  changed=2  unreachable=0  failed=0  rolled_back=0');
    expect(text).toContain('OK (exit 0): converged and verified');
    expect(text).toContain('log: /tmp/l.log');
    expect(text).not.toContain('incomplete');
    // A log whose writing failed (a full disk) is not pointed at as if it held the run.
    expect(formatRecap({ ...r, logIncomplete: true })).toContain('log: /tmp/l.log (incomplete: writing it failed, see the warning above)');
  });

  it('shows a rolled-back host as changing nothing, and a residual difference loudly', () => {
    const r: RunReport = {
      runId: 'x', bundles: [], exitCode: 6, check: false, summary: 'rollback incomplete',
      hosts: [
        { host: 'a', status: 'rolled back', planned: [change], applied: 1, checks: [], rollback: { ok: true, residual: { missing: [], extra: [] }, errors: [] } },
        { host: 'b', status: 'rollback failed', planned: [change], applied: 1, checks: [], rollback: { ok: false, residual: { missing: ['address 10.0.0.1/31 dev eth1'], extra: [] }, errors: [] } },
      ],
    };
    const text = formatRecap(r);
    // Failed, and back as it was: failed=0 read as Ansible's "rescued" (a success to a script).
    expect(text).toContain('a    : ok=1  changed=0  unreachable=0  failed=1  rolled_back=1');
    expect(text).toContain('b    : ok=1  changed=0  unreachable=0  failed=1  rolled_back=0');
    expect(text).toContain('ROLLBACK b: still missing: address 10.0.0.1/31 dev eth1');
    expect(text).toContain('FAILED (exit 6): rollback incomplete');
  });
});

describe("a hub's partial rollback", () => {
  it('says its other bundles kept, unless the whole hub was rolled back after it (a review)', () => {
    const part = { bundles: ['hub:teql2<->spoke2:teql0'], ok: true, residual: { missing: [], extra: [] }, errors: [] };
    const kept: RunReport = { runId: 'x', bundles: [], exitCode: 10, check: false, summary: 's', hosts: [{ host: 'hub', status: 'changed', planned: [change, change], applied: 2, checks: [], partialRollback: { ...part, undoneChanges: 1 } }] };
    expect(formatRecap(kept)).toContain('rolled back hub: hub:teql2<->spoke2:teql0 (its other bundles kept)');
    const whole: RunReport = { ...kept, hosts: [{ ...kept.hosts[0]!, status: 'rolled back', partialRollback: part, rollback: { ok: true, residual: { missing: [], extra: [] }, errors: [] } }] };
    const text = formatRecap(whole);
    expect(text).toContain('rolled back hub: hub:teql2<->spoke2:teql0, then the whole host (every bundle of it)');
    expect(text).not.toContain('its other bundles kept');
    const failed = formatRecap({ ...whole, hosts: [{ ...whole.hosts[0]!, status: 'rollback failed', rollback: { ok: false, residual: { missing: [], extra: [] }, errors: ['cannot reach hub to roll it back'] } }] });
    expect(failed).toContain('rolled back hub: hub:teql2<->spoke2:teql0, then a rollback of the whole host, which failed (below)');
    expect(failed).toContain('ROLLBACK hub: cannot reach hub to roll it back');
  });
});

describe('secrets in what a run prints', () => {
  it('the recap and --json redact the become password and passphrases as the log does', () => {
    const secret = 'hunter2 "q\\';
    const log = new RunLog(undefined, [secret]);
    const r: RunReport = { runId: 'x', bundles: [], exitCode: 4, check: false, summary: `sudo echoed ${secret}`, hosts: [{ host: 'a', status: 'failed', planned: [change], applied: 0, checks: [], error: `output: ${secret}` }] };
    for (const json of [true, false]) {
      const text = runOutput(r, json, (t) => log.redact(t));
      expect(text).not.toContain('hunter2');
      expect(text).toContain('[REDACTED]');
    }
    expect(JSON.parse(runOutput(r, true, (t) => log.redact(t))).summary).toBe('sudo echoed [REDACTED]');
  });
});
