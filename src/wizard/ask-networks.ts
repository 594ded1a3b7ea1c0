// Step 5: the networks behind A and B (or the Internet behind B), with the caveats they raise.
import { askSelect, askText } from '../ui/prompts.js';
import { defaultRouteCaveats, formatCaveats, forwardingCaveats, type Caveat } from './caveats.js';
import type { Addressing, LinkPair, Networks } from './model.js';
import { addressIn, connectedOn, linkSubnets, suggestNetwork } from './networks.js';
import * as q from './questions.js';
import type { Router, WizardSession } from './session.js';
import { heading, say, width } from './terminal.js';

export async function askNetworks(s: WizardSession, pairs: LinkPair[], addressing: Addressing): Promise<Networks> {
  heading('Networks');
  const a = s.router('a');
  const b = s.router('b');
  const mode = await askSelect(q.networksQuestion());
  const taken = linkSubnets(addressing);
  const notOn = (r: Router, which: string) => (v: string) => {
    const dev = connectedOn(r.facts, v);
    return dev ? `${v} is connected on ${r.answers.name} (${dev}): ${which}` : undefined;
  };
  const network1 = (await askText(q.networkQuestion('Network 1, behind A', suggestNetwork(a.facts, pairs.map((p) => p.a)), taken, notOn(b, 'network 1 is the one behind A')))).trim();
  const caveats: Caveat[] = [];
  if (!addressIn(a.facts, network1)) caveats.push({ level: 'note', text: `${a.answers.name} holds no address in ${network1}: B will send that traffic to A, which must know its way there.` });
  let networks: Networks;
  if (mode === 'internet') {
    caveats.push(...defaultRouteCaveats(a.answers.name, a.facts));
    networks = { kind: 'internet', network1 };
  } else {
    const network2 = (await askText(q.networkQuestion('Network 2, behind B', suggestNetwork(b.facts, pairs.map((p) => p.b)), [...taken, { what: 'network 1', cidr: network1 }], notOn(a, 'network 2 is the one behind B')))).trim();
    const lanA = addressIn(a.facts, network1);
    const lanB = addressIn(b.facts, network2);
    if (!lanB) caveats.push({ level: 'note', text: `${b.answers.name} holds no address in ${network2}: A will send that traffic to B, which must know its way there.` });
    if (!lanA || !lanB) caveats.push({ level: 'note', text: 'The last check (a ping from network 1 to network 2) needs an address of each router in its network: it is left out.' });
    networks = { kind: 'two', network1, network2, ...(lanA && lanB ? { lanA, lanB } : {}) };
  }
  caveats.push(...forwardingCaveats(a.answers.name, a.facts), ...forwardingCaveats(b.answers.name, b.facts));
  say(formatCaveats(width(), caveats));
  return networks;
}
