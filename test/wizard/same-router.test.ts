// The same router given as A and as B (a review): other spellings of one address, a name and an
// address of one machine, two ports forwarded to it. Before, only the exact same text and port were
// caught, and the loader's same-target check ended the wizard in the preview (exit 2, naming a
// temporary file already removed).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Facts } from '../../src/gather/facts.js';
import { labFacts, labModel } from './fixtures.js';

const facts = new Map<string, Facts>();
vi.mock('../../src/wizard/connect-router.js', async (orig) => ({
  ...(await orig<object>()),
  readRouterFacts: async (r: { host: string; port: number }) => facts.get(`${r.host}:${r.port}`)!,
}));
const { hostKey, samePlace } = await import('../../src/wizard/same-router.js');
const { readDistinctRouters } = await import('../../src/wizard/read-routers.js');
const { WizardSession } = await import('../../src/wizard/session.js');
const { preview } = await import('../../src/wizard/review.js');
const { renderInventory } = await import('../../src/wizard/render-inventory.js');
const { renderPlaybook } = await import('../../src/wizard/render-playbook.js');

const scratch = mkdtempSync(join(tmpdir(), 'teqlctl-wizard-same-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let out = '';
beforeEach(() => {
  out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((t) => ((out += String(t)), true));
});

describe('the same router as A and B', () => {
  it('is caught at B\'s answers in any spelling the loader takes for the same place', () => {
    const { a, b } = labModel();
    const at = (host: string, port = 22) => ({ ...a, host, port });
    expect(samePlace(at('2001:db8:0:0::1'), { ...b, host: '2001:DB8::1', port: 22 })).toBe(true);
    expect(samePlace(at('Router-A.example'), { ...b, host: 'router-a.example', port: 22 })).toBe(true);
    expect(samePlace(at('2001:db8::1'), { ...b, host: '2001:db8::1', port: 2222 })).toBe(false);
    expect(hostKey('fe80::1%eth0')).toBe('fe80::1%eth0');
  });

  it('a router that answers with A\'s identity (another name, another port) is said, and B asked again', async () => {
    const { a, b } = labFacts('a').identity ? { a: labFacts('a'), b: labFacts('b') } : { a: { ...labFacts('a'), identity: 'boot-1 x' }, b: { ...labFacts('b'), identity: 'boot-2 y' } };
    facts.set('127.0.0.1:2201', a);
    facts.set('localhost:2202', { ...b, identity: a.identity }); // the same machine through a second port
    facts.set('127.0.0.1:2202', b);
    const m = labModel();
    const s = new WizardSession(scratch);
    Object.assign(s, { mode: 'silent' });
    const close = vi.fn(async () => undefined);
    const conn = { transport: { close }, spec: {} } as never;
    s.conns.set('a', { answers: m.a, conn });
    s.conns.set('b', { answers: { ...m.b, host: 'localhost' }, conn });
    let asked = 0;
    await readDistinctRouters(s, async () => {
      asked++;
      s.conns.set('b', { answers: m.b, conn });
    });
    expect(asked).toBe(1); // before: no check, and the run was offered for one router under two names
    expect(close).toHaveBeenCalledTimes(1);
    expect(out).toContain('localhost:2202 answered as the same machine as router A at 127.0.0.1:2201');
    expect(s.router('b').answers.host).toBe('127.0.0.1');
  });

  it('a load problem in the preview is a refusal in the wizard\'s terms, not an exit naming a removed temporary file', async () => {
    const m = labModel();
    m.b = { ...m.b, port: m.a.port }; // what the answers check now refuses, as it reached the preview before
    const s = { scratchDir: () => scratch, mode: 'silent', router: (side: 'a' | 'b') => ({ answers: m[side], conn: { transport: {} } }) };
    const verdict = await preview(s as never, renderInventory(m, 'p.yml', 'i.yml'), renderPlaybook('i.yml', 'p.yml'));
    expect(verdict).toBe('refused');
    expect(out).toContain('! refused: the files these answers make would not load: ');
    expect(out).toContain('both connect to 127.0.0.1 port 2201');
    expect(out).not.toContain(scratch);
  });
});
