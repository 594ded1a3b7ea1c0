// Step 3: which interfaces of A and B are the links, and which end of A is wired to which of B.
import { RefusedError } from '../errors.js';
import { askCheckbox, askConfirm, askSelect } from '../ui/prompts.js';
import { addressedLinkCaveats, formatCaveats, reorderingCaveat, rpFilterCaveats } from './caveats.js';
import { countMismatch, formatLinkTable, likelyLinks, mtuMismatches, offered, pairLinks } from './links.js';
import type { LinkPair } from './model.js';
import * as q from './questions.js';
import type { WizardSession } from './session.js';
import { heading, say, width } from './terminal.js';

export async function askLinks(s: WizardSession): Promise<LinkPair[]> {
  const a = s.router('a');
  const b = s.router('b');
  for (const r of [a, b]) {
    if (offered(r.rows).length < 2) {
      say(formatLinkTable(r.rows));
      throw new RefusedError(`${r.answers.name} has ${offered(r.rows).length} interface(s) that could be a link; TEQL needs two or more`, 'connect the routers with two or more links (not the one that carries SSH), then run the wizard again');
    }
  }
  for (;;) {
    heading('Links');
    say(`Interfaces of ${a.answers.name} (A):`);
    say(formatLinkTable(a.rows));
    const pickA = await askCheckbox(q.linksQuestion('a', a.rows, likelyLinks(a.rows)));
    say(`Interfaces of ${b.answers.name} (B):`);
    say(formatLinkTable(b.rows));
    const sameNames = pickA.filter((n) => offered(b.rows).some((r) => r.name === n));
    const pickB = await askCheckbox(q.linksQuestion('b', b.rows, sameNames.length === pickA.length ? sameNames : likelyLinks(b.rows)));
    const mismatch = countMismatch(pickA, pickB);
    if (mismatch) {
      say(`  ! ${mismatch}\n    Pick them again.`);
      continue;
    }
    let pairs = pairLinks(pickA, pickB);
    say(`Wiring: ${pairs.map((p) => `A ${p.a} <-> B ${p.b}`).join(', ')}`);
    if (!(await askConfirm({ message: 'Is each link of A wired to the link of B shown beside it?', default: true }))) {
      pairs = [];
      let left = [...pickB];
      for (const dev of pickA) {
        const peer = left.length === 1 ? left[0]! : await askSelect(q.peerLinkQuestion(dev, left, left[0]!));
        left = left.filter((x) => x !== peer);
        pairs.push({ a: dev, b: peer });
      }
    }
    const mtu = mtuMismatches(pairs, a.rows, b.rows);
    if (mtu.length > 0) {
      say(mtu.map((m) => `  ! ${m}`).join('\n'));
      if (!(await askConfirm({ message: 'Keep these links anyway?', default: false }))) continue;
    }
    say(formatCaveats(width(), [
      reorderingCaveat(),
      ...rpFilterCaveats(a.answers.name, a.facts, pairs.map((p) => p.a)),
      ...rpFilterCaveats(b.answers.name, b.facts, pairs.map((p) => p.b)),
      ...addressedLinkCaveats(a.answers.name, a.rows, pairs.map((p) => p.a)),
      ...addressedLinkCaveats(b.answers.name, b.rows, pairs.map((p) => p.b)),
    ]));
    return pairs;
  }
}
