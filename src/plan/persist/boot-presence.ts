// Whether teqlctl's boot files, as the router held them before the run, already bring back a
// bundle. A hub that writes its boot configuration can drop a failed bundle from it (and keep the
// others) only when that bundle was not in it before: its boot files are then exactly the kept
// bundles' ones. A bundle that was there before would need its old part of the files kept, which
// cannot be told apart from the rest; such a hub is rolled back wholly instead.
import type { Facts } from '../../gather/facts.js';
import type { EndScope } from '../bundle-scope.js';
import { ipOf } from '../../load/bundle-types.js';

/**
 * A link's rp_filter setting is not a mention: the kept bundles' own boot files pin every link the
 * all-rule raised (another bundle's links too), and plan the same pin again from the baseline.
 */
const RP_FILTER = /net[./]ipv4[./]conf[./][^\s./=]+[./]rp_filter/g;

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `word` standing alone: eth3 in `dev eth3` or `10-eth3.network.d`, not in veth3 or eth30; 10.0.1.1 not in 10.0.1.10. */
function mentions(text: string, word: string): boolean {
  return new RegExp(`(?<![\\w.])${escape(word)}(?![\\w]|\\.\\d)`).test(text);
}

/**
 * The first of teqlctl's boot files (path or content) that names one of the bundle's devices, the
 * peer's addresses or its network (not shared with the host's `others` bundles), with the name
 * found; undefined when none does. Conservative: a
 * mention is enough, since the price of a false "present" is a whole rollback, never a wrong file.
 */
export function bootMention(facts: Facts, scope: EndScope, others: readonly EndScope[] = []): { path: string; word: string } | undefined {
  const wordsOf = (s: EndScope) => [...s.devices, ...[...s.peerAddresses].map(ipOf), ...(s.peerNetwork && s.peerNetwork !== 'default' ? [s.peerNetwork] : [])];
  // What the host's other bundles have too (two bundles to one peer share its LAN address) is theirs as well: not a mention.
  const shared = new Set(others.flatMap(wordsOf));
  const words = wordsOf(scope).filter((w) => !shared.has(w));
  for (const f of facts.boot?.files ?? []) {
    const text = `${f.path}\n${f.symlink ?? ''}\n${(f.content ?? '').replace(RP_FILTER, '')}`;
    const word = words.find((w) => mentions(text, w));
    if (word !== undefined) return { path: f.path, word };
  }
  return undefined;
}
