// Addresses read by the facts script, removed and put back by teqlctl's own commands (the undo of
// a removal or a replacement), against the real kernel and iproute2 in a network namespace (needs
// root, as CI has): every attribute must come back, broadcast, label, scope, metric, peer, flags,
// and the state comparison a rollback trusts must see an attribute that did not.
import { describe, expect, it } from 'vitest';
import { netnsShell } from '../helpers/netns.js';
import { factsScript } from '../../src/gather/script.js';
import { parseFacts } from '../../src/gather/parse-facts.js';
import { addressLine } from '../../src/gather/address-fact.js';
import { renderOp } from '../../src/apply/render-op.js';
import { planAddress } from '../../src/plan/modules/address.js';
import { diffState, isSameState } from '../../src/rollback/compare.js';
import type { PlanContext } from '../../src/plan/context.js';

const sh = netnsShell('addr', 'ip link add v0 type veth peer name v1 && ip link set v0 up && ip link set v1 up');
const facts = () => parseFacts('ns', sh(factsScript()));
const addressOf = (ip: string) => facts().addresses.find((a) => a.cidr.startsWith(`${ip}/`));
const CTX: PlanContext = { host: 'ns', task: 'an address task', pos: { file: 'site.yml', line: 3, col: 7 }, rpFilterTargets: new Set(), equalizers: 1 };

describe('an address removed and put back by teqlctl, on the real kernel', () => {
  it.each([
    ['a broadcast, a label and a metric', '10.1.0.1/24 brd 10.1.0.255 label v0:old metric 77', '10.1.0.1'],
    ['a point-to-point peer, no prefix route', '10.2.0.9 peer 10.2.0.8/32 noprefixroute', '10.2.0.9'],
    ['a link scope', '10.3.0.1/16 scope link', '10.3.0.1'],
    ['lifetimes, deprecated', '10.4.0.1/24 valid_lft 3600 preferred_lft 0', '10.4.0.1'],
    ['nothing but its prefix', '10.5.0.1/24', '10.5.0.1'],
  ])('%s: the same address comes back, its prefix route too', (_name, spec, ip) => {
    sh(`ip addr add ${spec} dev v0`);
    const before = facts();
    const read = before.addresses.find((a) => a.cidr.startsWith(`${ip}/`))!;
    expect(read.unrestorable).toBeUndefined();
    // The plan's own steps: an address task with state absent, its removal and its undo.
    const { changes } = planAddress({ dev: 'v0', address: read.cidr, state: 'absent' }, before, CTX);
    const [step] = changes[0]!.steps;
    sh(renderOp(step!.op));
    expect(addressOf(ip)).toBeUndefined();
    for (const op of step!.undo) sh(renderOp(op));
    const after = facts();
    expect(addressLine(after.addresses.find((a) => a.cidr.startsWith(`${ip}/`))!)).toBe(addressLine(read));
    expect(diffState(before, after)).toEqual({ missing: [], extra: [] });
    sh(renderOp(step!.op));
  });

  it('an address put back with its CIDR alone (as teqlctl did before) is not the same state: the rollback\'s check sees it', () => {
    sh('ip addr add 10.6.0.1/24 brd 10.6.0.255 label v0:x metric 5 dev v0');
    const before = facts();
    sh('ip addr del 10.6.0.1/24 dev v0 && ip addr add 10.6.0.1/24 dev v0');
    const d = diffState(before, facts());
    expect(isSameState(d)).toBe(false);
    expect(d.missing).toContain('address 10.6.0.1/24 broadcast 10.6.0.255 label v0:x metric 5 dev v0');
    expect(d.extra).toContain('address 10.6.0.1/24 dev v0');
    sh('ip addr del 10.6.0.1/24 dev v0');
  });
});
