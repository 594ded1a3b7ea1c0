// Strings from a router reach the terminal escaped: no escape sequence, bell, carriage return or
// bidi override from an interface name or a command's output is ever written as it is.
import { describe, expect, it } from 'vitest';
import { terminalJson, terminalText } from '../../src/ui/terminal.js';
import { formatStatus } from '../../src/cli/status-command.js';
import { describeError } from '../../src/cli/program.js';
import { runOutput } from '../../src/cli/play-output.js';
import { linksQuestion } from '../../src/wizard/questions.js';
import { TeqlError } from '../../src/errors.js';
import type { RunReport } from '../../src/play/report.js';

const HOSTILE = 'eth1\u001b]0;pwned\u0007\u001b[2J\r\u009b31m\u202egnp.exe';
// ESC, BEL, CR, C1 (U+0080..U+009F) and bidi/format characters: none may reach the terminal raw.
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/;

describe('terminal safety', () => {
  it('escapes control and format characters, keeps line breaks', () => {
    expect(terminalText(`a\nb${HOSTILE}`)).toBe('a\nbeth1\\u001b]0;pwned\\u0007\\u001b[2J\\r\\u009b31m\\u202egnp.exe');
    expect(terminalJson({ dev: HOSTILE })).not.toMatch(RAW);
    expect(JSON.parse(terminalJson({ dev: HOSTILE })).dev, 'the same JSON value').toBe(HOSTILE);
  });

  it('status escapes what the router recorded (run ids, owners, states)', () => {
    const text = formatStatus({ r: { runs: [{ id: HOSTILE, state: HOSTILE, started: '', confirmed: '', reverted: '', armed: false, owner: HOSTILE, timeout: '' }], lock: { run: HOSTILE, owner: HOSTILE, started: '', alive: true } } });
    expect(text).not.toMatch(RAW);
    expect(text).toContain('\\u001b[2J');
  });

  it('errors (sudo, iproute2 output), the recap and --json escape it', () => {
    const err = describeError(new TeqlError(`r: apply failed: ${HOSTILE}`, 'apply')).message;
    expect(terminalText(err)).not.toMatch(RAW);
    const report: RunReport = { runId: 'x', bundles: [], exitCode: 4, check: false, summary: `failed: ${HOSTILE}`, hosts: [{ host: 'r', status: 'failed', planned: [], applied: 0, checks: [], error: `\`ip link set dev ${HOSTILE} up\` failed: ${HOSTILE}` }] };
    expect(runOutput(report, false, (t) => t), 'recap text is escaped by say()').toContain(HOSTILE);
    expect(terminalText(runOutput(report, false, (t) => t))).not.toMatch(RAW);
    expect(runOutput(report, true, (t) => t)).not.toMatch(RAW);
  });

  it("the wizard shows a router's interface names escaped", () => {
    const q = linksQuestion('a', [{ name: HOSTILE, up: true, operstate: 'up', mtu: 1500, addresses: [`10.0.0.1/31${HOSTILE}`] } as never], []);
    for (const c of q.choices) expect(`${c.name} ${c.short}`).not.toMatch(RAW);
    expect(q.choices[0]!.short).toBe(terminalText(HOSTILE));
    expect(q.choices[0]!.value, 'the value stays the real name').toBe(HOSTILE);
  });
});
