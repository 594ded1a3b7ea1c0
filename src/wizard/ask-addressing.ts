// Step 4: the addresses of the links and the equalizer (proposed /31s or typed), checked against
// each other and against what the routers already hold.
import { askSelect, askText } from '../ui/prompts.js';
import { aEndProblem, checkAddressing, clashesOfOne, clashesWithRouters, freeBlock, overlaps, proposeAddresses, subnetOf, suggestPeer } from './addressing.js';
import type { Addressing, LinkPair } from './model.js';
import * as q from './questions.js';
import type { WizardSession } from './session.js';
import { heading, say } from './terminal.js';

export async function askAddressing(s: WizardSession, pairs: LinkPair[]): Promise<Addressing> {
  const n = pairs.length;
  for (;;) {
    heading('Addresses');
    const devs = { a: pairs.map((p) => p.a), b: pairs.map((p) => p.b) };
    const clash = (block: string) => clashesWithRouters(proposeAddresses(block, n), devs, s.existingAddresses())[0];
    // The HOWTO's block where it is free, else the first one that is: never a default its own question refuses.
    const block = freeBlock(n, clash);
    const mode = await askSelect(q.addressingQuestion(n, block));
    let addressing: Addressing;
    if (mode === 'propose') {
      addressing = proposeAddresses((await askText(q.blockQuestion(n, block, clash))).trim(), n);
    } else {
      const proposal = proposeAddresses(block, n);
      const chosen: Array<{ what: string; cidr: string }> = [];
      // Refused at the question: a subnet already taken by an earlier link, or by an address on the router.
      const free = (router: 'A' | 'B', dev: string) => (v: string) => {
        const taken = chosen.find((c) => overlaps(v, c.cidr));
        if (taken) return `${v} overlaps ${subnetOf(taken.cidr)} of ${taken.what}: every link and the equalizer need their own subnet`;
        return clashesOfOne({ router, dev, cidr: v }, s.existingAddresses())[0];
      };
      const ask = async (what: string, fallbackA: string, devA: string, devB: string) => {
        const aEnd = (v: string) => free('A', devA)(v) ?? aEndProblem(v, devB, s.existingAddresses());
        const a = (await askText(q.addressQuestion(`${what}, A's ${devA}`, fallbackA, undefined, aEnd))).trim();
        const b = (await askText(q.addressQuestion(`${what}, B's ${devB}`, suggestPeer(a), { side: 'b', other: a }, free('B', devB)))).trim();
        chosen.push({ what: `${what} (${devA})`, cidr: a });
        return { a, b };
      };
      const links = [];
      for (const [i, p] of pairs.entries()) links.push(await ask(`link ${i + 1}`, proposal.links[i]!.a, p.a, p.b));
      addressing = { links, teql: await ask('equalizer', proposal.teql.a, 'teql0', 'teql0') };
    }
    const problems = [
      ...checkAddressing(addressing, pairs.map((p) => p.a)),
      ...clashesWithRouters(addressing, devs, s.existingAddresses()),
    ];
    if (problems.length > 0) {
      say(problems.map((p) => `  ! ${p}`).join('\n') + '\n    Choose the addresses again.');
      continue;
    }
    for (const [i, p] of pairs.entries()) say(`  A ${p.a} ${addressing.links[i]!.a}  <->  B ${p.b} ${addressing.links[i]!.b}`);
    say(`  A teql0 ${addressing.teql.a}  <->  B teql0 ${addressing.teql.b}`);
    return addressing;
  }
}
