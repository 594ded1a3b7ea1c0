import { describe, expect, it } from 'vitest';
import { FactError } from '../../src/errors.js';
import { readFacts } from '../../src/gather/read-facts.js';
import type { CommandResult } from '../../src/connect/transport.js';
import { RecordedRouter } from '../helpers/replay-transport.js';

describe('readFacts: the one facts round trip', () => {
  it('sends the facts script with the sysctls asked for, once, and parses the answer', async () => {
    const router = new RecordedRouter('a');
    const seen: CommandResult[] = [];
    const facts = await readFacts(router.connect('router_a'), 'router_a', ['net.ipv4.tcp_reordering'], { label: 'facts again', record: (r) => seen.push(r) });
    expect(router.labels()).toEqual(['facts again']);
    expect(router.sent[0]!.script).toContain('/proc/sys/net/ipv4/tcp_reordering');
    expect(seen.map((r) => r.label)).toEqual(['facts again']);
    expect(facts.teql).toEqual({ loaded: false, available: true });
    expect(facts.sysctls['net.ipv4.tcp_reordering']).toBe('3');
  });

  it('fails with a FactError naming the host and the exit code when the script fails', async () => {
    const router = new RecordedRouter('a');
    router.overrides.set('facts', () => ({ stdout: '', stderr: 'sh: ip: not found\n', code: 127 }));
    const err = await readFacts(router.connect('router_a'), 'router_a', []).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FactError);
    expect((err as FactError).host).toBe('router_a');
    expect((err as FactError).message).toBe('reading facts failed (exit 127): sh: ip: not found');
  });
});
