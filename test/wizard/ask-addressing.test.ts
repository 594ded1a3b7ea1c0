// The addressing step driven with scripted answers, each checked by its question's validation as the
// prompt would: a clash is refused at the question that makes it, not after every address was typed.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { TextQuestion } from '../../src/ui/prompts.js';
import type { WizardSession } from '../../src/wizard/session.js';
import { aEndProblem, checkBlock, checkPair } from '../../src/wizard/addressing.js';
import * as q from '../../src/wizard/questions.js';

const script: string[] = [];
/** What each question refused, in order: the line the prompt would show under it. */
const refused: string[] = [];
const next = () => {
  if (script.length === 0) throw new Error('the test ran out of answers');
  return script.shift()!;
};
async function askText(question: TextQuestion): Promise<string> {
  for (;;) {
    const answer = next();
    const verdict = question.validate?.(answer) ?? true;
    if (verdict === true) return answer;
    refused.push(verdict);
  }
}
vi.mock('../../src/ui/prompts.js', async (orig) => ({ ...(await orig<object>()), askText, askSelect: async () => next() }));
const { askAddressing } = await import('../../src/wizard/ask-addressing.js');

const session = {
  existingAddresses: () => [
    { router: 'A', dev: 'eth0', cidr: '10.0.2.15/24' },
    { router: 'A', dev: 'lan0', cidr: '192.0.2.1/24' },
    { router: 'B', dev: 'lan0', cidr: '198.51.100.1/24' },
  ],
} as unknown as WizardSession;
const pairs = [{ a: 'eth1', b: 'eth1' }, { a: 'eth2', b: 'eth2' }];

beforeEach(() => {
  script.length = 0;
  refused.length = 0;
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
});

describe('typed addresses', () => {
  it("refuses at the question a link subnet that overlaps an earlier link's, or an address on the router", async () => {
    script.push('typed',
      '10.0.0.0/31', '10.0.0.1/31', // link 1
      '10.0.0.2/30', // overlaps link 1: refused here
      '10.0.2.1/31', // overlaps A's eth0 (10.0.2.15/24): refused here
      '10.0.0.2/31', '10.0.0.3/31', // link 2
      '10.0.0.4/31', '10.0.0.5/31'); // teql0
    const addressing = await askAddressing(session, pairs);
    expect(refused).toEqual([
      '10.0.0.2/30 overlaps 10.0.0.0/31 of link 1 (eth1): every link and the equalizer need their own subnet',
      '10.0.2.1/31 for eth2 on A overlaps 10.0.2.15/24, already on eth0 of A',
    ]);
    expect(addressing.teql).toEqual({ a: '10.0.0.4/31', b: '10.0.0.5/31' });
  });

  it("refuses at A's question a /32 or a subnet that clashes on B: B's question had no answer it took (a review)", async () => {
    script.push('typed',
      '10.0.0.0/32', // no room for B: refused here (before: taken, and B's question refused everything)
      '198.51.100.0/31', // B's lan0 is 198.51.100.1/24: refused here (before: B's question refused every address)
      '10.0.0.0/31', '10.0.0.1/31',
      '10.0.0.2/31', '10.0.0.3/31',
      '10.0.0.4/31', '10.0.0.5/31');
    const addressing = await askAddressing(session, pairs);
    expect(refused).toEqual([
      "10.0.0.0/32 is a /32: B's end needs an address in the same subnet (a /31, or a /30 and wider)",
      "198.51.100.0/31 overlaps 198.51.100.1/24, already on lan0 of B: B's end of this link would clash there",
    ]);
    expect(addressing.links[0]).toEqual({ a: '10.0.0.0/31', b: '10.0.0.1/31' });
    // A rerun: B's end of this link already holds its address: A's end is not refused for it.
    expect(aEndProblem('10.0.0.0/31', 'eth1', [{ router: 'B', dev: 'eth1', cidr: '10.0.0.1/31' }])).toBeUndefined();
    expect(aEndProblem('10.0.0.0/31', 'eth2', [{ router: 'B', dev: 'eth1', cidr: '10.0.0.1/31' }])).toContain('already on eth1 of B');
  });

  it('refuses loopback, multicast and reserved addresses at the question', () => {
    const check = (v: string) => q.addressQuestion("link 1, A's eth1", undefined).validate!(v);
    expect(check('127.0.0.2/31')).toContain('reaches into 127.0.0.0/8 (loopback)');
    expect(check('224.0.0.4/31')).toContain('224.0.0.0/4 (multicast)');
    expect(check('255.255.255.254/31')).toContain('240.0.0.0/4');
    expect(check('0.0.0.2/31')).toContain('0.0.0.0/8');
    expect(check('10.0.0.0/31')).toBe(true);
    expect(checkPair({ a: '127.0.0.0/31', b: '127.0.0.1/31' })).toContain('loopback');
  });
});

describe('a proposed block', () => {
  it('is refused when it reaches into a reserved range, or overlaps an address on a router', async () => {
    expect(checkBlock('0.0.0.0/0', 2)).toContain('0.0.0.0/8');
    expect(checkBlock('127.0.0.0/29', 2)).toContain('loopback');
    script.push('propose', '192.0.2.0/29', '10.1.0.0/29');
    const addressing = await askAddressing(session, pairs);
    expect(refused).toEqual(['192.0.2.0/31 for eth1 on A overlaps 192.0.2.1/24, already on lan0 of A']);
    expect(addressing.block).toBe('10.1.0.0/29');
  });
});
