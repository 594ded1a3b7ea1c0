// The wizard's preview over its open connections: a host it could not plan, for whatever reason, is
// never left out of the verdict (a review: a connection lost while the wizard waited made the
// preview 'ok' with the other router's plan alone, and the offered run applied both unapproved).
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { labModel } from './fixtures.js';
import { renderInventory } from '../../src/wizard/render-inventory.js';
import { renderPlaybook } from '../../src/wizard/render-playbook.js';
import { loadRun } from '../../src/load/index.js';
import { previewPlan } from '../../src/wizard/preview.js';
import { ConnectError } from '../../src/errors.js';
import type { Transport } from '../../src/connect/transport.js';

const pristine = (side: 'a' | 'b') => readFileSync(join(import.meta.dirname, `../gather/fixtures/lab-${side}-pristine.txt`), 'utf8');

function loaded() {
  const dir = mkdtempSync(join(tmpdir(), 'wizard-preview-'));
  mkdirSync(join(dir, 'inventories'));
  mkdirSync(join(dir, 'playbooks'));
  writeFileSync(join(dir, 'inventories/x.yml'), renderInventory(labModel(), 'p', 'i'));
  writeFileSync(join(dir, 'playbooks/x.yml'), renderPlaybook('i', 'p'));
  return loadRun(join(dir, 'inventories/x.yml'), join(dir, 'playbooks/x.yml'));
}

const answering = (host: 'router_a' | 'router_b') => ({ host, run: async () => ({ code: 0, stdout: pristine(host === 'router_a' ? 'a' : 'b'), stderr: '' }) }) as unknown as Transport;
const failing = (host: string, err: Error) => ({ host, run: async () => { throw err; } }) as unknown as Transport;

describe('previewPlan', () => {
  it('plans both routers where both answer', async () => {
    const r = await previewPlan(loaded(), new Map([['router_a', answering('router_a')], ['router_b', answering('router_b')]]), 'silent');
    expect(r.plans.map((p) => p.host)).toEqual(['router_a', 'router_b']);
    expect(r.refused).toEqual([]);
  });

  it('counts a router whose connection was lost, or whose planning threw, as not planned, with its reason', async () => {
    const lost = await previewPlan(loaded(), new Map([['router_a', answering('router_a')], ['router_b', failing('router_b', new ConnectError('router_b', 'router_b: connection lost: keepalive timeout'))]]), 'silent');
    expect(lost.plans.map((p) => p.host)).toEqual(['router_a']);
    expect(lost.refused.map((e) => e.message)).toEqual(['router_b: connection lost: keepalive timeout']);
    const bug = await previewPlan(loaded(), new Map([['router_a', failing('router_a', new TypeError('x is undefined'))], ['router_b', answering('router_b')]]), 'silent');
    expect(bug.plans.map((p) => p.host)).toEqual(['router_b']);
    expect(bug.refused.map((e) => e.message)).toEqual(['router_a: could not be planned: x is undefined']);
  });
});

describe("the wizard's review of a router whose teql0 serves another bundle", () => {
  it('says the wizard sets up teql0 only, and where a second bundle is written (a review: a dead end without a word)', async () => {
    const { preview } = await import('../../src/wizard/review.js');
    const converged = (side: 'a' | 'b') => readFileSync(join(import.meta.dirname, `../gather/fixtures/lab-${side}-converged.txt`), 'utf8');
    // teql0 equalizes eth1 and eth2 on both already; these answers bundle eth1 alone.
    const m = labModel();
    m.links = m.links.slice(0, 1);
    m.addressing = { ...m.addressing, links: m.addressing.links.slice(0, 1) };
    const transport = (side: 'a' | 'b') => ({ host: m[side].name, run: async () => ({ code: 0, stdout: converged(side), stderr: '' }) });
    const s = { scratchDir: () => mkdtempSync(join(tmpdir(), 'wizard-review-')), mode: 'silent', router: (side: 'a' | 'b') => ({ answers: m[side], conn: { transport: transport(side) } }) };
    let out = '';
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((t) => ((out += String(t)), true));
    try {
      expect(await preview(s as never, renderInventory(m, 'p.yml', 'i.yml'), renderPlaybook('i.yml', 'p.yml'))).toBe('refused');
    } finally {
      spy.mockRestore();
    }
    expect(out).toMatch(/teql0 already equalizes eth2/);
    expect(out).toContain('the wizard sets up teql0 only, and teql0 serves another bundle on this router: a second bundle (a hub and its branches) is written by hand with teql_bundles');
  });
});
