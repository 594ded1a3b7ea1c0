// Which table decides the session's replies: main, unless a rule that surely matches them sends
// them to the table `ip route get` found, and no rule that may reach main comes before it.
import { describe, expect, it } from 'vitest';
import { mainRoutesSession } from '../../src/plan/session-table.js';
import type { ManagementFact, PolicyRuleFact } from '../../src/gather/facts.js';

const LOCAL: PolicyRuleFact = { priority: 0, table: 'local' };
const MAIN: PolicyRuleFact = { priority: 32766, table: 'main' };
const session = (table: string | undefined, rules: PolicyRuleFact[] | undefined): ManagementFact => ({
  clientIp: '192.0.2.9', serverIp: '10.70.0.2', dev: 'lan3', ...(table ? { table } : {}), ...(rules ? { rules } : {}),
});

describe('mainRoutesSession', () => {
  it("an out-of-band port's own table by a rule on the session's source: not main", () => {
    expect(mainRoutesSession(session('mgmt', [LOCAL, { priority: 100, table: 'mgmt', from: '10.70.0.0/24' }, MAIN]))).toBe(false);
    expect(mainRoutesSession(session('mgmt', [LOCAL, { priority: 100, table: 'mgmt', to: '192.0.2.0/24' }, MAIN]))).toBe(false);
  });

  it('the main table, or no table said: main', () => {
    expect(mainRoutesSession(session(undefined, undefined))).toBe(true);
    expect(mainRoutesSession(session('main', [LOCAL, MAIN]))).toBe(true);
    expect(mainRoutesSession(session('254', [LOCAL, MAIN]))).toBe(true);
  });

  it("wg-quick's rules: main looked up first under a suppressor, then the tunnel's table: main is weighed", () => {
    expect(mainRoutesSession(session('51820', [LOCAL, { priority: 32764, table: 'main', other: true }, { priority: 32765, table: '51820', other: true }, MAIN]))).toBe(true);
    expect(mainRoutesSession(session('51820', [LOCAL, { priority: 32764, table: 'main', other: true }, { priority: 32765, table: '51820' }, MAIN]))).toBe(true);
  });

  it('a rule ahead that may reach main or act otherwise (an fwmark, a goto) keeps main weighed; one for other traffic does not', () => {
    expect(mainRoutesSession(session('mgmt', [LOCAL, { priority: 50, table: 'main', from: '10.70.0.0/16' }, { priority: 100, table: 'mgmt', from: '10.70.0.2/32' }, MAIN]))).toBe(true);
    expect(mainRoutesSession(session('mgmt', [LOCAL, { priority: 50, other: true }, { priority: 100, table: 'mgmt', from: '10.70.0.2/32' }, MAIN]))).toBe(true);
    expect(mainRoutesSession(session('mgmt', [LOCAL, { priority: 50, table: 'main', from: '10.9.0.0/16' }, { priority: 60, table: 'vpn' }, { priority: 100, table: 'mgmt', from: '10.70.0.2/32' }, MAIN]))).toBe(false);
  });

  it('a table the rules do not explain, rules not read, or an IPv6 session: main is weighed', () => {
    expect(mainRoutesSession(session('mgmt', [LOCAL, { priority: 100, table: 'mgmt', from: '10.80.0.0/24' }, MAIN]))).toBe(true);
    expect(mainRoutesSession(session('mgmt', [LOCAL, { priority: 100, table: 'mgmt', other: true }, MAIN]))).toBe(true);
    expect(mainRoutesSession(session('mgmt', undefined))).toBe(true);
    expect(mainRoutesSession({ clientIp: '2001:db8::9', serverIp: '2001:db8::2', dev: 'lan3', table: 'mgmt', rules: [{ priority: 100, table: 'mgmt' }] })).toBe(true);
  });
});
