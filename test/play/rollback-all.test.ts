import { describe, expect, it } from 'vitest';
import { afterStateOf } from '../../src/play/rollback-all.js';
import { retiringScript } from '../../src/plan/persist/retiring-script.js';
import { BOOT_SCRIPT, BOOT_UNIT } from '../../src/router/paths.js';
import type { RunState } from '../../src/play/run-state.js';
import type { Facts } from '../../src/gather/facts.js';
import { pristineFacts } from '../helpers/facts.js';

/** A run that journaled one step on router_a: what afterStateOf reads of a run, no more. */
function runWith(snapshot: Facts): RunState {
  const step = { op: { kind: 'sysctl', name: 'net.ipv4.conf.eth1.rp_filter', value: '0' }, undo: [{ kind: 'sysctl', name: 'net.ipv4.conf.eth1.rp_filter', value: '2' }] };
  return { reports: new Map(), journal: new Map([['router_a', [step]]]), skipped: new Map(), snapshots: new Map([['router_a', snapshot]]) } as unknown as RunState;
}

describe('the after-state a run records', () => {
  const withBoot = (script: string): Facts => {
    const f = pristineFacts();
    f.boot = { ...f.boot!, files: [{ path: BOOT_SCRIPT, content: script, executable: true }, { path: BOOT_UNIT, content: '[Service]\n', executable: false }] };
    return f;
  };

  it('leaves out a teardown\'s retiring boot script and its unit, which the release retires (re-recorded after a hub\'s partial rollback, it named them: teqlctl rollback refused the run as moved)', () => {
    const facts = withBoot(retiringScript('a', [BOOT_UNIT]));
    const lines = afterStateOf(runWith(facts), 'router_a', facts).split('\n');
    expect(lines.filter((l) => l.startsWith('boot file '))).toEqual([]);
    expect(lines.filter((l) => l.startsWith('link eth1 '))).toHaveLength(1);
  });

  it('keeps an ordinary boot script and its unit', () => {
    const facts = withBoot('#!/bin/sh\necho up\n');
    const lines = afterStateOf(runWith(facts), 'router_a', facts).split('\n');
    expect(lines.filter((l) => l.startsWith('boot file ')).map((l) => l.split(' ')[2])).toEqual([BOOT_SCRIPT, BOOT_UNIT].sort());
  });
});
