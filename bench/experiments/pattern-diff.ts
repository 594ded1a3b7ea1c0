// Differential test: teqlctl's host patterns (a play's hosts: and --limit, src/load/host-pattern.ts, through
// loadRun) against ansible-core 2.14.18 (/usr/bin/python3): random INI and YAML inventories (groups, children
// several levels deep, a host in several groups, ungrouped hosts, ranges, dotted, IPv4 and IPv6 names, dashes,
// case) and random patterns of Ansible's grammar (unions : and , and YAML lists, :& and :!, globs, [abc],
// ~regex, subscripts, all, *, ungrouped, localhost, names that match nothing, @file limits). Ansible's side is
// what ansible-playbook does: inventory.subset(limit), its "leaves us with no hosts" check, then
// get_hosts(play.hosts) for the order the play (and its serial: batches) follows. It runs six times: as is,
// and with the groups of Group._walk_relationship's sets taken in the order found and its reverse, by name
// and its reverse, and shuffled: where Ansible's
// order changes so (it walks a set of groups, by object address, from two levels below a group), only the
// hosts are compared. Each difference is put in a class:
//   a  same hosts, same order (counted as agreeing)
//   b  teqlctl refuses where Ansible runs: fine when docs/playbook-language.md says so ("doc" buckets)
//   c  other hosts, another order, teqlctl runs where Ansible stops, or a crash: a bug
// A sample of cases also goes through the real CLIs (teqlctl play --list-hosts, ansible-playbook
// --list-hosts, which prints a set: hosts compared, not their order) to check the in-process sides.
// Usage: npx tsx bench/experiments/pattern-diff.ts [count] [seed]   (inventories, 8 patterns each; 300 and 1 by
//   default; SHOW=n examples per bucket, KEEP=1 keeps the files, CLI=n cases through the real CLIs, 12 by default; needs dist/, npm run build).
//   Exit 1 on a difference in no "doc" bucket.
//
// Found on 2026-12-04 (seeds 1-8, 300-400 inventories and 2300-3200 cases each), before the fixes of this
// branch (helper/patterns), each fixed or refused with a message the doc gives (see git log):
//   c  -l 'w1:w3,d1': teqlctl ran w1, w3 and d1; Ansible splits a pattern holding ',' on ',' only: 'w1:w3' is
//      one name that matches nothing (a warning), d1 alone (the CLI split the limit on ',', then each part on ':')
//   c  hosts: [all, '!2001:db8::1']: the host excluded here; Ansible cuts '!2001:db8::1' at its colons (now refused)
//   b  'leaf !leaf', 'r1 r2': one name here, two terms to Ansible (now two terms)
//   b  'lea?' naming only an empty group: "matches no host or group" (Ansible: the group, no host; now so)
//   b  -l @file: refused (now read as Ansible reads it; a file with no term refused, Ansible runs every host)
//   b  'localhost' not in the inventory: said as a typo (now said as Ansible's implicit localhost)
// Left, as docs/playbook-language.md "Host patterns" lists them (the "doc" buckets): ~regex, subscripts and
// [abc] refused; a term that matches nothing refused (Ansible warns); a play left with no host refused.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadInventory, loadRun } from '../../src/load/index.js';
import { loadOptions } from '../../src/cli/play-flags.js';
import { iniText, yamlText, type RandomGroup } from './random-inventory.js';
import { seededRandom } from './seeded-random.js';
import { diffBuckets } from './diff-buckets.js';

const count = Number(process.argv[2] ?? 300);
const seedArg = Number(process.argv[3] ?? 1);
const { rnd, pick, chance } = seededRandom(seedArg);
const dir = mkdtempSync(join(tmpdir(), 'pattern-diff-'));

// Host entries as written (ranges expand in both readers) and group names.
const HOST_ENTRIES = ['r[01:04]', 'r[05:06]', 'sw[a:c]', 'n[1:7:3]', 'web1', 'web2', 'db.example.com', 'db2.example.com', '10.0.0.1', '10.0.0.2',
  '2001:db8::1', 'edge-1', 'edge_2', 'hq', 'x', 'Branch9', 'spine1', 'leaf-a', 'localhost2'];
const GROUP_NAMES = ['web', 'db-x', 'core_net', 'Edge', 'edge', 'leaf', 'spine', 'dc1', 'dc2', 'branches', 'r0', 'WEB'];

interface Inv { file: string; hosts: string[]; groups: string[] }

function randomInventory(i: number): { file: string; text: string } {
  const groups: RandomGroup[] = GROUP_NAMES.filter(() => chance(0.45)).map((name) => ({ name, hosts: [], children: [] }));
  const entries = HOST_ENTRIES.filter(() => chance(0.5));
  // Children: a group's children come later in the list, so there is no cycle; some have several parents.
  groups.forEach((g, k) => { for (const c of groups.slice(k + 1)) if (chance(0.25)) g.children.push(c.name); });
  const ungrouped: string[] = [];
  for (const e of entries) {
    const mine = groups.filter(() => chance(0.3));
    if (mine.length === 0 || chance(0.1)) ungrouped.push(e);
    mine.forEach((g) => g.hosts.push(e));
  }
  const ini = chance(0.5);
  const file = join(dir, `inv${i}.${ini ? 'ini' : 'yml'}`);
  return { file, text: ini ? iniText(groups.sort(() => rnd() - 0.5), ungrouped, chance) : yamlText(groups, ungrouped) };
}

function term(inv: Inv): string {
  const name = (): string => pick(inv.hosts.length && chance(0.5) ? inv.hosts : inv.groups.length ? inv.groups : ['all']);
  const r = rnd();
  if (r < 0.3) return name();
  if (r < 0.36) return pick(['all', '*', 'ungrouped', 'all', 'localhost', 'nosuch', 'ALL']);
  if (r < 0.5) { const n = name(); return n.slice(0, 1 + Math.floor(rnd() * n.length)) + pick(['*', '?', '*1', '']); }
  if (r < 0.55) { const n = name(); return '*' + n.slice(Math.floor(rnd() * n.length)); }
  if (r < 0.6) return pick(['r0[12]', 'r0[!1]', 'sw[ab]', '[wx]*']);
  if (r < 0.64) return pick(['~r0[1-3]', '~web', '~.*\\.example\\.com', '~(?i)WEB.*']);
  if (r < 0.74) return `${pick(inv.groups.length ? inv.groups : ['all'])}${pick(['[0]', '[-1]', '[1]', '[1:3]', '[1:]', '[:2]', '[0:0]', '[2:1]', '[9]', '[1-2]'])}`;
  if (r < 0.8) { const n = name(); return chance(0.5) ? n.toUpperCase() : n.toLowerCase(); }
  return name();
}

// Whole patterns the grammar above does not reach: what parse_address takes whole, whitespace, empty terms.
const EDGE_PATTERNS = ['r01:22', '10.0.0.1:22', '[2001:db8::1]:22', '2001:db8::1', '!2001:db8::1', 'all:!2001:db8::1', 'all,!2001:db8::1', 'web1 web2',
  'web1\tweb2', 'all,,r01', 'all:&', 'all,!', '&', 'r01:r02,hq', 'hq:&all:!hq', '!hq:web1', 'r[01:02]', 'db.example.com:db2.example.com', '*.example.com'];

function pattern(inv: Inv, forLimit: boolean): string | string[] {
  if (chance(0.05)) return pick(EDGE_PATTERNS);
  const n = 1 + Math.floor(rnd() * 4);
  const terms = Array.from({ length: n }, (_, k) => (k > 0 || chance(0.2) ? pick(['', '', '', '!', '&']) : '') + term(inv));
  const r = rnd();
  if (!forLimit && r < 0.15) return terms;
  if (r < 0.45) return terms.join(',');
  if (r < 0.55) return terms.join(pick([', ', ' ,', ' ']));
  if (r < 0.65 && n > 1) return `${terms.slice(0, 2).join(':')},${terms.slice(2).join(':')}`;
  return terms.join(':');
}

type Side = { hosts: string[][] } | { err: string };
interface Case { inv: number; hosts: string | string[]; limit?: string; limitFile?: string[]; teql: Side }

function teql(invFile: string, pbFile: string, limit: string | undefined): Side {
  try {
    // As the CLI gives -l to loadRun.
    const run = loadRun(invFile, pbFile, loadOptions(limit === undefined ? {} : { limit }));
    return { hosts: run.plays.map((p) => p.hosts) };
  } catch (err) {
    const e = err as Error & { problems?: { message: string }[] };
    if (e.constructor.name === 'ConfigError' || e.constructor.name === 'ConfigErrors') return { err: e.message.split('\n')[0]! };
    return { err: `CRASH ${e.stack ?? String(e)}` };
  }
}

const invs: Inv[] = [];
const cases: Case[] = [];
let refusedInventories = 0;
for (let i = 0; i < count; i++) {
  const { file, text } = randomInventory(i);
  writeFileSync(file, text);
  let loaded;
  try {
    loaded = loadInventory(file).inventory;
  } catch {
    refusedInventories++;
    continue;
  }
  const inv: Inv = { file, hosts: [...loaded.hosts.keys()], groups: [...loaded.groups.keys()].filter((g) => g !== 'all' && g !== 'ungrouped') };
  invs.push(inv);
  for (let k = 0; k < 8; k++) {
    const hosts = pattern(inv, false);
    let limit: string | undefined;
    let limitFile: string[] | undefined;
    if (chance(0.4)) {
      if (chance(0.15)) {
        limitFile = Array.from({ length: chance(0.1) ? 0 : 1 + Math.floor(rnd() * 3) }, () => String(pattern(inv, true)));
        limit = `@${join(dir, `limit${i}-${k}.txt`)}`;
        writeFileSync(limit.slice(1), limitFile.join('\n') + '\n');
      } else limit = String(pattern(inv, true));
    }
    const pb = join(dir, `pb${i}-${k}.yml`);
    writeFileSync(pb, `- hosts: ${JSON.stringify(hosts)}\n  tasks: []\n`);
    cases.push({ inv: invs.length - 1, hosts, ...(limit !== undefined ? { limit } : {}), ...(limitFile ? { limitFile } : {}), teql: teql(file, pb, limit) });
  }
}

const PY = String.raw`
import json, sys
from ansible.errors import AnsibleError
from ansible.parsing.dataloader import DataLoader
from ansible.inventory.manager import InventoryManager
import ansible.inventory.manager as m
from ansible.utils.display import Display
from itertools import chain
from ansible.inventory.group import Group
import os, random
# Group has no __hash__: _walk_relationship's sets go by object address. Walked in two more orders
# (names sorted, reversed) to see where Ansible's own order is the one of its set.
WALK = os.environ['WALK']
def walk(self, rel, include_self=False, preserve_ordering=False):
    def order(xs):
        if WALK == 'set': return xs
        if WALK.endswith('declared') and preserve_ordering: return sorted(xs, key=ordered.index, reverse=WALK == 'undeclared')
        xs = sorted(xs, key=lambda g: g.name, reverse=WALK == 'reversed')
        if WALK.startswith('shuffle'): random.Random(WALK).shuffle(xs)
        return xs
    seen = set([])
    unprocessed = set(getattr(self, rel))
    if include_self: unprocessed.add(self)
    if preserve_ordering:
        ordered = [self] if include_self else []
        ordered.extend(getattr(self, rel))
    while unprocessed:
        seen.update(unprocessed)
        new_unprocessed = set([])
        for new_item in chain.from_iterable(getattr(g, rel) for g in order(unprocessed)):
            new_unprocessed.add(new_item)
            if preserve_ordering:
                if new_item not in seen: ordered.append(new_item)
        new_unprocessed.difference_update(seen)
        unprocessed = new_unprocessed
    if preserve_ordering: return ordered
    return seen
Group._walk_relationship = walk
warned = []
Display.warning = lambda self, msg, formatted=False: warned.append(str(msg))
data = json.load(sys.stdin)
loader = DataLoader()
out = []
mgrs = {}
for c in data['cases']:
    del warned[:]
    f = data['invs'][c['inv']]
    inv = mgrs.get(f) or mgrs.setdefault(f, InventoryManager(loader=loader, sources=[f]))
    inv.subset(None); inv.clear_caches()
    r = {}
    try:
        if inv.list_hosts() == []: raise AnsibleError('empty inventory')
        inv.subset(c.get('limit'))
        if not inv.list_hosts(): raise AnsibleError('Specified inventory, host pattern and/or --limit leaves us with no hosts to target.')
        hosts = c['hosts'] if isinstance(c['hosts'], list) else [c['hosts']]
        r['hosts'] = [h.name for h in inv.get_hosts(hosts)]
    except AnsibleError as e:
        r['err'] = str(e).split('\n')[0]
    except Exception as e:
        # ansible-playbook stops there too, with a traceback ('&' alone: IndexError in _split_subscript).
        r['err'] = 'crash: %s: %s' % (type(e).__name__, e)
    r['warned'] = [w for w in warned if 'Could not match' in w or 'subscripts' in w]
    out.append(r)
json.dump(out, sys.stdout)
`;
type Py = { hosts?: string[]; err?: string; warned: string[] };
const input = JSON.stringify({ invs: invs.map((v) => v.file), cases: cases.map((c) => ({ inv: c.inv, hosts: c.hosts, ...(c.limit !== undefined ? { limit: c.limit } : {}) })) });
const runs = ['set', 'declared', 'undeclared', 'sorted', 'reversed', 'shuffle1'].map((walk, seed) => JSON.parse(execFileSync('/usr/bin/python3', ['-c', PY], {
  input, maxBuffer: 1 << 28, stdio: ['pipe', 'pipe', 'ignore'], env: { ...process.env, PYTHONHASHSEED: String(seed), WALK: walk, ANSIBLE_LOCALHOST_WARNING: 'false' },
}).toString()) as Py[]);

const show = (c: Case) => `hosts: ${JSON.stringify(c.hosts)}${c.limit !== undefined ? ` -l ${JSON.stringify(c.limit)}${c.limitFile ? ` (file: ${JSON.stringify(c.limitFile)})` : ''}` : ''} [${invs[c.inv]!.file.replace(/.*\//, '')}]`;

/** Refusals the doc lists (docs/playbook-language.md, "Host patterns"), by teqlctl's message and what Ansible did. */
function documented(err: string, py: Py): string | undefined {
  if (/regular-expression host patterns are not supported/.test(err)) return 'doc: ~regex refused';
  if (/subscripts and ranges .*not supported|subscripts .*not supported/.test(err)) return 'doc: subscripts and [..] refused';
  if (/implicit localhost/.test(err)) return 'doc: the implicit localhost is not a host here';
  const term = /host pattern '(.*)' matches no host or group/.exec(err)?.[1];
  if (term !== undefined && py.warned.some((w) => w.endsWith(`ignoring: ${term}`))) return 'doc: a term that matches nothing is refused (Ansible warns)';
  if (/leaves no host/.test(err) && py.hosts?.length === 0) return 'doc: a play left with no host is refused (Ansible skips it)';
  if (/the limit file names no host/.test(err) && py.hosts !== undefined) return 'doc: an empty @file is refused (Ansible limits nothing)';
  return undefined;
}

const { buckets, add } = diffBuckets();
let agree = 0;
let unordered = 0;
cases.forEach((c, i) => {
  const [py, ...others] = runs.map((r) => r[i]!);
  const varies = others.some((o) => JSON.stringify(o) !== JSON.stringify(py));
  const t = c.teql;
  const a = py!.err ?? JSON.stringify(py!.hosts);
  const ex = `${show(c)}: teqlctl ${'err' in t ? t.err : JSON.stringify(t.hosts[0])} | ansible ${a}${py!.warned.length ? ` (warned: ${py!.warned.join('; ')})` : ''}`;
  if ('err' in t) {
    if (t.err.startsWith('CRASH')) return add('c: crash', 'c', ex);
    if (py!.err !== undefined) return void agree++;
    const doc = documented(t.err, py!);
    return add(doc ?? `b: teqlctl refuses: ${t.err.replace(/'[^']*'/g, '…').slice(0, 70)}`, doc ? 'doc' : 'b', ex);
  }
  if (py!.err !== undefined) return add(`c: teqlctl runs, ansible stops: ${py!.err.replace(/'[^']*'|: .*/g, '…').slice(0, 60)}`, 'c', ex);
  const mine = t.hosts[0] ?? [];
  if (JSON.stringify(mine) === JSON.stringify(py!.hosts)) return void agree++;
  const sameSet = JSON.stringify([...mine].sort()) === JSON.stringify([...py!.hosts!].sort());
  if (sameSet && varies) return void unordered++;
  add(sameSet ? 'c: same hosts, another order' : 'c: other hosts', 'c', ex);
});

// The real CLIs on a sample: teqlctl's --list-hosts must print what loadRun gave, ansible-playbook's the same set.
let cliChecked = 0;
for (const c of cases.slice(0, Number(process.env.CLI ?? 12))) {
  const inv = invs[c.inv]!.file;
  const pb = join(dir, 'cli.yml');
  writeFileSync(pb, `- hosts: ${JSON.stringify(c.hosts)}\n  tasks: []\n`);
  const lim = c.limit !== undefined ? ['-l', c.limit] : [];
  const listed = (cmd: string, args: string[]): string[] | 'error' => {
    try {
      const text = execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, ANSIBLE_LOCALHOST_WARNING: 'false' } }).toString();
      return text.split('\n').filter((l) => /^ {6}\S/.test(l)).map((l) => l.trim());
    } catch {
      return 'error';
    }
  };
  const mine = listed('node', ['dist/cli/main.js', 'play', '-i', inv, pb, '--list-hosts', ...lim]);
  const theirs = listed('ansible-playbook', ['-i', inv, pb, '--list-hosts', ...lim]);
  const want = 'err' in c.teql ? 'error' : c.teql.hosts[0] ?? [];
  const py = runs[0]![cases.indexOf(c)]!;
  const wantTheirs = py.err !== undefined ? 'error' : [...py.hosts!].sort();
  if (JSON.stringify(mine) !== JSON.stringify(want)) add('c: teqlctl CLI differs from loadRun', 'c', `${show(c)}: CLI ${JSON.stringify(mine)} | loadRun ${JSON.stringify(want)}`);
  // ansible-playbook lists a play with no hosts as such; an error before any play prints nothing.
  const theirsSorted = theirs === 'error' ? 'error' : [...theirs].sort();
  if (JSON.stringify(theirsSorted) !== JSON.stringify(wantTheirs)) add('driver: ansible-playbook differs from the Python driver', 'c', `${show(c)}: ansible-playbook ${JSON.stringify(theirs)} | driver ${JSON.stringify(wantTheirs)}`);
  cliChecked++;
}

console.log(`${invs.length} inventories (${refusedInventories} more refused by teqlctl's reader), ${cases.length} cases (seed ${seedArg}): ${agree} agree, ${unordered} where Ansible's own order is a set's (same hosts); ${cliChecked} through both CLIs`);
for (const [key, b] of [...buckets].sort((x, y) => x[1].cls.localeCompare(y[1].cls) || y[1].examples.length - x[1].examples.length)) {
  console.log(`\n[${b.cls}] ${key}  ×${b.examples.length}`);
  for (const e of b.examples.sort((x, y) => x.length - y.length).slice(0, Number(process.env.SHOW ?? 2))) console.log(`   ${e}`);
}
const bad = [...buckets.values()].filter((b) => b.cls !== 'doc').reduce((n, b) => n + b.examples.length, 0);
console.log(`\n${bad} differences the doc does not explain${bad ? ' (exit 1)' : ''}`);
if (process.env.KEEP) console.log(`cases kept in ${dir}`);
else rmSync(dir, { recursive: true, force: true });
process.exitCode = bad ? 1 : 0;
