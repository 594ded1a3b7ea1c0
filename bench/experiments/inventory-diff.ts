// Differential test: the variables teqlctl resolves for each host of an inventory (loadInventory, with
// the playbook's folder, as loadRun reads it) against ansible-core 2.14.18's VariableManager.get_vars
// (/usr/bin/python3, one process for the batch; what `ansible-inventory --list --playbook-dir` prints
// as hostvars). Random inventories (random-inventory.ts, shared with pattern-diff.ts): INI or YAML, or a
// folder holding one of each; groups, children several deep, a host in several groups, ranges, host:port;
// variables in [g:vars] / vars:, [all:vars], on host lines and host entries, in group_vars/ and
// host_vars/ beside the inventory and beside the playbook (NAME, NAME.yml, .yaml, .json or a folder of
// files, subfolders), ansible_group_priority; values of many types (strings, numbers, booleans in every
// spelling, quoted text, lists, mappings, null, 010 / 1e3 / 0x10, INI Python literals and near-literals,
// '#' and ';', '=' inside values), a few names set at every level, so that precedence decides, and
// mappings at several levels (hash_behaviour=replace: the later mapping replaces the whole value).
// Compared: the variable names the generator wrote (magic variables are Ansible's own, not compared).
// Each difference is put in a class and a bucket:
//   a  the same host, another value or a variable missing on one side (silent: a bug unless the doc lists it)
//   b  teqlctl refuses the inventory, Ansible reads it: fine when docs/inventories.md or
//      docs/playbook-language.md says so and the message is clear ("doc" buckets)
//   c  teqlctl reads it, Ansible stops; other hosts; a crash
//   doc  a difference the docs list (YAML 1.2 here, 1.1 there: yes, 010, 1e3, 10:30, dates)
// A sample also goes through the real `ansible-inventory --list --playbook-dir` to check the Python driver.
// Usage: npx tsx bench/experiments/inventory-diff.ts [count] [seed]   (inventories, 300 and 1 by default;
//   SHOW=n examples per bucket, KEEP=1 keeps the files, CLI=n cases through ansible-inventory, 5 by default;
//   SAME11=1 writes only YAML texts both YAMLs read alike, so that no difference hides in the YAML 1.1
//   "doc" bucket; BOTH=1 prints why each inventory both refused was refused). Needs ansible-core
//   importable by /usr/bin/python3. Exit 1 on a difference in no "doc" bucket. Some 20 s per 300.
//
// Found on 2026-12-04 (seeds 1-13, 300 inventories each, 4,600-13,800 variables compared per seed; seeds
// 11-13 with SAME11=1), before the fixes of this branch (helper/invdiff), each minimised (teqlctl -> Ansible):
//  a  r1 v=-(1) (INI): the text '-(1)' -> -1 (literal_eval takes a sign before a number in parentheses)
//  a  r1 v=1j, v="1+2j", [g:vars] v = ...: the text '1j', '1+2j', '...' -> a Python complex, Ellipsis
//     (a template prints 1j, (1+2j), Ellipsis); now refused at file:line:col, with a hint to quote it
//  a  x="{'b', 'a'}", y="{1, 1, 2}": the lists ['b', 'a'], [1, 1, 2] -> Python sets ({'b', 'a'} in
//     hash order, length 2); now refused, with a hint to write a list (found through ansible-inventory)
//  a  a variable named __proto__ (INI, YAML, host_vars): no such variable ({} here) -> its value
//  c  r1 v="{[1]: 2}": the text '{[1]: 2}' -> Ansible cannot read the inventory (TypeError: unhashable
//     type; "Unable to parse ... as an inventory source"); now refused
//  b  "h7:2222": {ansible_port: 2201}, then "h7:2222": {} under a group: refused ("given port 2222
//     here, after its first entry") -> 2201 (Ansible ignores a later entry's port); and, not refused,
//     the port would have been set again over 2201
// All fixed or refused with a message the doc gives (see git log). Left, as docs/inventories.md and
// docs/playbook-language.md list them ("doc" buckets): YAML 1.2 here, 1.1 there (yes/no/on/off, 010,
// 0x10, 0o17, 1e3, 1_000, 10:30, dates); the INI values above that are now refused; an inventory with
// no host. Precedence (inventory groups by depth, ansible_group_priority and name, group_vars/all and
// group_vars/<group> beside each -i then the playbook, host vars, host_vars), hash_behaviour=replace,
// var file forms and folders, ranges and INI typing agreed in every run.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse as parseYaml12 } from 'yaml';
import { loadInventory } from '../../src/load/index.js';
import { iniText, yamlText, type AllPart, type RandomGroup } from './random-inventory.js';
import { seededRandom } from './seeded-random.js';
import { diffBuckets } from './diff-buckets.js';

const count = Number(process.argv[2] ?? 300);
const seedArg = Number(process.argv[3] ?? 1);
const { rnd, pick, chance } = seededRandom(seedArg);
const root = mkdtempSync(join(tmpdir(), 'inventory-diff-'));

const HOST_ENTRIES = ['r[1:3]', 'r[04:05]', 'sw[a:b]', 'web1', 'web2', 'db.example.com', '10.0.0.1', 'edge-1', 'hq', 'x', 'h7:2222', 'leaf_a'];
const GROUP_NAMES = ['web', 'db', 'core_net', 'edge', 'leaf', 'spine', 'dc1', 'dc2', 'Branch', 'PAR'];
// Few names, each set at many levels: precedence decides. `d` holds mappings (replaced, not merged).
const KEYS = ['v1', 'v2', 'v3', 'd', 'lst', 'Mixed_Case'];
const ODD_KEYS = ['constructor', '__proto__', 'toString', 'hasOwnProperty'];

// Values as YAML writes them (a leading \n: a block value under its key).
const YAML_VALUES = ['hello', 'hello world', '"quoted"', "'single'", "'it''s'", 'yes', 'no', 'on', 'Off', 'True', 'false', 'TRUE', 'y', 'n', '42', '-7',
  '+5', '0', '-0', '010', '0x10', '0o17', '1e3', '1.0', '1.5', '.5', '1_000', '10:30', 'null', '~', '', '"010"', '"yes"', '[1, a, yes]', '[]', '{}',
  '{a: 1, b: [x, 2]}', "'a # b'", 'a #c', 'a=b', '"a=b"', 'a;b', '2001-01-01', '.inf', '"multi\\nline"', '|\n  line1\n  line2', '>-\n  folded\n  text',
  '\n  - x\n  - 2', '\n  k: v\n  n: 1', '"{{ v1 }}"', "'{{ d.a }}'", '"  sp  "', '12345678901234567891', '0.1', '1.10', '"héllo"', '!!str 42', '!!int "7"'];
// SAME11=1: only the texts YAML 1.1 reads as 1.2 does, so that no difference hides in the "doc" bucket.
if (process.env.SAME11) YAML_VALUES.splice(0, Infinity, ...YAML_VALUES.filter((t) => !/yes|^(?:no|on|Off|y|n)$|^[-+]?0[0-9xo]|1e3|_|:|2001-|\.inf/.test(t)));
const YAML_DICTS = ['{a: 1}', '{b: 2, c: {x: 1}}', '\n  a: 5\n  z: [1]', '{}', '{a: {b: 1}}', '{a: null}'];
// Values as an INI host line writes them (one shlex word after `k=`).
const INI_HOST_VALUES = ['42', '-7', '+5', '1.5', '.5', '5.', '1e3', '1E-2', '0x10', '0o17', '0b101', '010', '00', '0', '1_000', '1__0', 'True', 'False',
  'None', 'true', 'yes', 'no', 'on', 'null', 'hello', '"hello world"', "'42'", `"'42'"`, `"[1, 'a', None]"`, '[1,2]', "{'a':1}", `"{'a': [1, {'b': None}]}"`,
  '(1,2)', '()', '[]', '{}', `"u'x'"`, `"b'x'"`, `"'a' 'b'"`, `"'\\x41'"`, "a=b", 'a#b', '1.0', '-0', '1e999', "'x'y", 'http://x/y',
  '/usr/bin/python3', '192.0.2.1', '2001:db8::1', '"a b # c"', '"  padded  "', '"\'it\\\'s\'"', '-', '""', "''", '"\'\'"', '1,2', '[1,', 'x;y', '"{1: 2}"',
  '"[[1]]"', '"(1)"', '"-(1)"', '"1 if 1 else 2"', '"{\'a\': 1, \'a\': 2}"', '"0777"', '"0_7"', '"-( 4 )"', '"+(1.5)"', '"{\'__proto__\': 1}"'];
// Rarer, since teqlctl refuses them (a whole inventory less to compare): Python objects teqlctl has no value for, unhashable keys.
const INI_REFUSED = ['{1,2}', '"{(1, 2)}"', '1j', '...', '"1+2j"', '"{[1]: 2}"', '"{(1, 2): 3}"', '"[...]"', '"07j"'];
const INI_HOST_DICTS = [`"{'a': 1}"`, `"{'b': 2, 'c': {'x': 1}}"`, "{}", `"{'a': {'b': 1}}"`];
// Values as a [g:vars] line writes them (everything after `=`, spaces and comments included).
const INI_GROUP_VALUES = ['42', 'hello', 'hello world', '[1, 2]', "{'a': 1, 'b': [2]}", '8080 # web', 'host # note', "'x' # c", 'a = b', '"quoted"', "'single'",
  '  spaced  ', ';semi', 'x;y', '#v', 'True', 'true', 'yes', 'None', '010', '0x10', '1e3', '1_000', '', "'a' 'b'", '1,2', '(1,)', '"a\\tb"', "r'a\\tb'",
  '5.', '-0.0', "u'u'", '[1, [2, [3]]]', '"a" # c', 'a # b # c', "{'k': None}", '1 # 2', "'#'"];
const INI_GROUP_DICTS = ["{'a': 1}", "{'b': 2, 'c': {'x': 1}}", '{}', "{'a': {'b': 1}}"];
// JSON files: the JavaScript values written with JSON.stringify.
const JSON_VALUES: unknown[] = [1, 'x', true, null, 1.5, [1, 'a'], { a: 1 }, '010', 'yes', { b: { c: 2 } }, 1e3, '', 0, -0.5, 'a # b'];

type Fmt = 'yaml' | 'ini-host' | 'ini-group';
/** A value for `key` in `fmt`; YAML texts are remembered per key, to tell the documented YAML 1.1 readings. */
function value(key: string, fmt: Fmt, yamlTexts: Map<string, Set<string>>): string {
  const dict = key === 'd' && chance(0.8);
  if (key === 'ansible_port') return pick(fmt === 'yaml' ? ['2201', '22', '"2202"'] : ['2201', '22', "'2202'"]);
  if (key === 'ansible_host') return pick(['192.0.2.1', 'r9.example.com', '2001:db8::9']);
  if (fmt !== 'yaml' && chance(0.01)) return pick(INI_REFUSED).replace(/^"(.*)"$/, fmt === 'ini-group' ? '$1' : '"$1"');
  if (fmt === 'ini-host') return pick(dict ? INI_HOST_DICTS : INI_HOST_VALUES);
  if (fmt === 'ini-group') return pick(dict ? INI_GROUP_DICTS : INI_GROUP_VALUES);
  const text = pick(dict ? YAML_DICTS : YAML_VALUES);
  const seen = yamlTexts.get(key) ?? new Set<string>();
  yamlTexts.set(key, seen.add(text));
  return text;
}

function someVars(fmt: Fmt, yamlTexts: Map<string, Set<string>>, p = 0.3): Array<[string, string]> {
  const keys = KEYS.filter(() => chance(p));
  if (chance(0.03)) keys.push(pick(ODD_KEYS));
  if (chance(0.05)) keys.push(pick(['ansible_port', 'ansible_host']));
  return keys.map((k) => [k, value(k, fmt, yamlTexts)]);
}

interface Case {
  n: number;
  sources: string[];
  pb: string;
  /** Every variable name written: the names compared. */
  keys: string[];
  yamlTexts: Map<string, Set<string>>;
  teql: { hosts: Record<string, Record<string, unknown>> } | { err: string };
}

/** One inventory file's groups and hosts, with variables, in `fmt`. */
function inventoryText(ini: boolean, yamlTexts: Map<string, Set<string>>): string {
  const groups: RandomGroup[] = GROUP_NAMES.filter(() => chance(0.45)).map((name) => ({ name, hosts: [], children: [], hostVars: new Map() }));
  const entries = HOST_ENTRIES.filter(() => chance(0.5));
  groups.forEach((g, k) => { for (const c of groups.slice(k + 1)) if (chance(0.25)) g.children.push(c.name); });
  const ungrouped: string[] = [];
  const all: AllPart = { hostVars: new Map() };
  const hostFmt: Fmt = ini ? 'ini-host' : 'yaml';
  const groupFmt: Fmt = ini ? 'ini-group' : 'yaml';
  for (const e of entries) {
    const mine = groups.filter(() => chance(0.3));
    if (mine.length === 0 || chance(0.1)) {
      ungrouped.push(e);
      all.hostVars!.set(e, someVars(hostFmt, yamlTexts, 0.2));
    }
    for (const g of mine) {
      g.hosts.push(e);
      g.hostVars!.set(e, someVars(hostFmt, yamlTexts, 0.2));
    }
  }
  for (const g of groups) {
    g.vars = someVars(groupFmt, yamlTexts);
    if (chance(0.25)) g.vars.push(['ansible_group_priority', pick(ini ? ['5', '0', '-1', "'3'", '10', '2'] : ['5', '0', '-1', '"3"', '10', '2'])]);
  }
  if (chance(0.6)) all.vars = someVars(groupFmt, yamlTexts);
  return ini ? iniText(groups.sort(() => rnd() - 0.5), ungrouped, chance, all) : yamlText(groups, ungrouped, all);
}

/** A variables file's text: YAML `k: v` lines or a JSON object. */
function varFileText(json: boolean, yamlTexts: Map<string, Set<string>>): string {
  // A merge key: the anchored mapping's keys, the mapping's own winning (both YAMLs).
  if (!json && chance(0.05)) return 'd: &base {a: 1, b: [2]}\nv1:\n  <<: *base\n  b: 3\n';
  if (json) return JSON.stringify(Object.fromEntries(KEYS.filter(() => chance(0.4)).map((k) => [k, pick(JSON_VALUES)])));
  const vars = someVars('yaml', yamlTexts, 0.4);
  if (vars.length === 0) return pick(['', '# nothing here\n', '---\n']);
  return (chance(0.2) ? '---\n# vars\n' : '') + vars.map(([k, v]) => `${k}:${v.startsWith('\n') ? '' : ' '}${v}`).join('\n') + '\n';
}

/** group_vars/NAME or host_vars/NAME in `dir`: a file (NAME, .yml, .yaml, .json) or a folder of files. */
function writeVarFiles(dir: string, kind: string, name: string, yamlTexts: Map<string, Set<string>>): void {
  const base = join(dir, kind, name);
  mkdirSync(dirname(base), { recursive: true });
  if (chance(0.25)) {
    // Read: no extension, .yml, .yaml, .json, subfolders; skipped by both: hidden, ~, other extensions, a folder with one.
    for (const f of ['00.yml', 'a', 'b.json', 'z.yaml', 'sub/c.yml', '.hidden.yml', 'bak.yml~', 'notes.txt', 'x.d/e.yml', 'Z.YML'].filter(() => chance(0.4))) {
      mkdirSync(dirname(join(base, f)), { recursive: true });
      writeFileSync(join(base, f), varFileText(f.endsWith('.json'), yamlTexts));
    }
    mkdirSync(base, { recursive: true });
    return;
  }
  const ext = pick(['', '.yml', '.yaml', '.json']);
  writeFileSync(base + ext, varFileText(ext === '.json', yamlTexts));
}

function makeCase(n: number): Case {
  const dir = join(root, `c${n}`);
  const invDir = join(dir, 'inv');
  mkdirSync(invDir, { recursive: true });
  const yamlTexts = new Map<string, Set<string>>();
  let sources: string[];
  if (chance(0.1)) {
    // Two -i: each with its own group_vars/ and host_vars/, read in -i order.
    mkdirSync(join(dir, 'inv2'), { recursive: true });
    sources = [join(invDir, 'a.yml'), join(dir, 'inv2', chance(0.5) ? 'hosts.yml' : 'hosts')];
    writeFileSync(sources[0]!, inventoryText(false, yamlTexts));
    writeFileSync(sources[1]!, inventoryText(!sources[1]!.endsWith('.yml'), yamlTexts));
  } else if (chance(0.15)) {
    // A folder: a YAML file and an INI file without an extension, read in sorted order.
    writeFileSync(join(invDir, 'a.yml'), inventoryText(false, yamlTexts));
    writeFileSync(join(invDir, 'b'), inventoryText(true, yamlTexts));
    sources = [invDir];
  } else {
    const ini = chance(0.5);
    const file = join(invDir, ini ? pick(['hosts.ini', 'hosts', 'inv.cfg']) : pick(['hosts.yml', 'hosts.yaml', 'hosts.json']));
    const text = inventoryText(ini, yamlTexts);
    // JSON: the YAML as YAML 1.2 reads it (quoted text where 1.1 reads otherwise), which both then read alike.
    let json: string | undefined;
    try {
      json = file.endsWith('.json') ? JSON.stringify(parseYaml12(text), null, 1) : undefined;
    } catch {
      // Not YAML (a value such as `- x` after a key): written as it is, for both to refuse.
    }
    writeFileSync(file, json ?? text);
    sources = [file];
  }
  const pb = chance(0.2) ? invDir : join(dir, 'pb');
  mkdirSync(pb, { recursive: true });
  const c: Case = { n, sources, pb, keys: [...KEYS, ...ODD_KEYS, 'ansible_port', 'ansible_host'], yamlTexts, teql: { hosts: {} } };
  let loaded;
  try {
    loaded = loadInventory(sources, { playbookDir: pb });
  } catch (err) {
    // Refused as written (no var files yet): the var files are then written anyway, Ansible reads them.
    loaded = undefined;
    c.teql = { err: errText(err) };
  }
  const hosts = loaded ? [...loaded.inventory.hosts.keys()] : [];
  const groups = loaded ? [...loaded.inventory.groups.keys()] : ['all'];
  const dirs = [...new Set([...sources.map((s) => (s === invDir ? s : dirname(s))), pb])];
  for (const d of dirs) {
    for (const g of groups) if (chance(0.35)) writeVarFiles(d, 'group_vars', g, yamlTexts);
    for (const h of hosts) if (chance(0.3)) writeVarFiles(d, 'host_vars', h, yamlTexts);
  }
  if (loaded) {
    try {
      const again = loadInventory(sources, { playbookDir: pb });
      c.teql = { hosts: Object.fromEntries([...again.inventory.hosts].map(([h, v]) => [h, pickKeys(v.vars, c.keys)])) };
    } catch (err) {
      c.teql = { err: errText(err) };
    }
  }
  return c;
}

function errText(err: unknown): string {
  const e = err as Error;
  if (e.constructor.name === 'ConfigError' || e.constructor.name === 'ConfigErrors') return e.message.split('\n')[0]!;
  return `CRASH ${e.stack ?? String(e)}`;
}

function pickKeys(vars: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => Object.hasOwn(vars, k)).map((k) => [k, vars[k]]));
}

const PY = String.raw`
import json, sys, math, datetime
from ansible.parsing.dataloader import DataLoader
from ansible.inventory.manager import InventoryManager
from ansible.vars.manager import VariableManager
from ansible.parsing.yaml.loader import AnsibleLoader
from ansible.utils.display import Display
warned = []
Display.warning = lambda self, msg, formatted=False: warned.append(str(msg))
def conv(v):
    if v is None or isinstance(v, bool): return v
    if isinstance(v, str): return str(v)
    if isinstance(v, int): return int(v)
    if isinstance(v, float): return v if math.isfinite(v) else 'float:%r' % v
    if isinstance(v, dict): return {(str(k) if isinstance(k, str) else json.dumps(conv(k))): conv(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)): return [conv(x) for x in v]
    if isinstance(v, (set, frozenset)): return {'__set__': sorted([conv(x) for x in v], key=json.dumps)}
    if isinstance(v, (datetime.date, datetime.datetime)): return {'__date__': str(v)}
    return {'__py__': '%s %r' % (type(v).__name__, v)}
data = json.load(sys.stdin)
out = []
for c in data['cases']:
    del warned[:]
    r = {}
    try:
        loader = DataLoader()
        loader.set_basedir(c['pb'])
        inv = InventoryManager(loader=loader, sources=c['sources'])
        bad = [w for w in warned if 'Unable to parse' in w]
        if bad: raise Exception(bad[0].split('\n')[0])
        vm = VariableManager(loader=loader, inventory=inv)
        hosts = {}
        for h in inv.get_hosts('all'):
            v = vm.get_vars(host=h, include_hostvars=False, stage='all')
            hosts[h.name] = {k: conv(v[k]) for k in c['keys'] if k in v}
        r['hosts'] = hosts
    except Exception as e:
        r['err'] = '%s: %s' % (type(e).__name__, str(e).split('\n')[0])
    r['warned'] = [w.split('\n')[0] for w in warned]
    out.append(r)
# How Ansible's YAML reads each value text written (for the documented YAML 1.1 differences).
readings = {}
for t in data['texts']:
    try: readings[t] = conv(AnsibleLoader('k: ' + t.replace('\n', '\n  ') if t.startswith('\n') else 'k: ' + t).get_single_data()['k'])
    except Exception as e: readings[t] = {'__err__': str(e)}
json.dump({'cases': out, 'readings': readings}, sys.stdout)
`;

const cases: Case[] = [];
for (let i = 0; i < count; i++) cases.push(makeCase(i));
const texts = [...new Set(cases.flatMap((c) => [...c.yamlTexts.values()].flatMap((s) => [...s])))];
type Py = { hosts?: Record<string, Record<string, unknown>>; err?: string; warned: string[] };
const py = JSON.parse(execFileSync('/usr/bin/python3', ['-c', PY], {
  input: JSON.stringify({ cases: cases.map((c) => ({ sources: c.sources, pb: c.pb, keys: c.keys })), texts }),
  maxBuffer: 1 << 28, stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, PYTHONHASHSEED: '0', ANSIBLE_LOCALHOST_WARNING: 'false' },
}).toString()) as { cases: Py[]; readings: Record<string, unknown> };

/** A value as both sides can be compared: non-finite numbers as Python writes them, mapping keys sorted. */
function norm(v: unknown): unknown {
  if (typeof v === 'number') return Number.isFinite(v) ? v : `float:${Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf'}`;
  if (Array.isArray(v)) return v.map(norm);
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return Object.fromEntries(Object.keys(o).sort().map((k) => [k, norm(o[k])]));
  }
  return v;
}
const same = (a: unknown, b: unknown) => JSON.stringify(norm(a)) === JSON.stringify(norm(b));
const yaml12 = (t: string): unknown => {
  try {
    return parseYaml12(t.startsWith('\n') ? `k:${t}` : `k: ${t}`).k;
  } catch {
    return { __err__: 'yaml' };
  }
};

/** A value difference the docs list: a YAML text written for the name, read so by teqlctl (1.2) and so by Ansible (1.1). */
function yaml11Explained(c: Case, key: string, mine: unknown, theirs: unknown): boolean {
  return [...(c.yamlTexts.get(key) ?? [])].some((t) => same(yaml12(t), mine) && same(py.readings[t], theirs) && !same(mine, theirs));
}

/** Refusals the docs list, by teqlctl's message. */
function documented(err: string): string | undefined {
  if (/\\N\{/.test(err)) return 'doc: a \\N{NAME} escape in an INI value is refused';
  if (/complex number|Ellipsis|tuple as a mapping key|a set in/.test(err)) return 'doc: an INI value Python reads as a complex number, Ellipsis, set or tuple-keyed mapping is refused';
  if (/the inventory lists no hosts/.test(err)) return 'doc: an inventory with no host is refused';
  if (/is set twice/.test(err)) return 'doc: a variable set twice on one INI line or section is refused';
  if (/is a reserved name/.test(err)) return 'doc: a magic variable name is refused';
  if (/only YAML 1\.1|YAML 1\.1 reads/.test(err)) return 'doc: a name only YAML 1.1 reads as no string is refused';
  return undefined;
}

const { buckets, add } = diffBuckets();
let agree = 0;
let bothStop = 0;
let hostsCompared = 0;
let valuesCompared = 0;
const shortErr = (e: string) => e.replace(/'[^']*'/g, '…').replace(/\/tmp\/\S+/g, 'FILE').slice(0, 80);
cases.forEach((c, i) => {
  const p = py.cases[i]!;
  const t = c.teql;
  const at = `[c${c.n}]`;
  if ('err' in t) {
    if (t.err.startsWith('CRASH')) return add('c: crash', 'c', `${at} ${t.err.slice(0, 300)}`);
    if (p.err !== undefined) { if (process.env.BOTH) console.log("BOTH", shortErr(t.err)); return void (agree++, bothStop++); }
    const doc = documented(t.err);
    return add(doc ?? `b: teqlctl refuses: ${shortErr(t.err)}`, doc ? 'doc' : 'b', `${at} teqlctl: ${t.err} | ansible reads it`);
  }
  if (p.err !== undefined) return add(`c: teqlctl reads it, ansible stops: ${shortErr(p.err)}`, 'c', `${at} ansible: ${p.err}`);
  const mine = Object.keys(t.hosts).sort();
  const theirs = Object.keys(p.hosts!).sort();
  if (JSON.stringify(mine) !== JSON.stringify(theirs)) return add('c: other hosts', 'c', `${at} teqlctl ${mine.join(',')} | ansible ${theirs.join(',')}`);
  let ok = true;
  for (const h of mine) {
    hostsCompared++;
    const a = t.hosts[h]!;
    const b = p.hosts![h]!;
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      valuesCompared++;
      const ex = `${at} host ${h}, ${k}: teqlctl ${k in a ? JSON.stringify(a[k]) : '(unset)'} | ansible ${k in b ? JSON.stringify(b[k]) : '(unset)'}`;
      if (!(k in a) || !(k in b)) { ok = false; add(`a: set on one side only (${k in a ? 'teqlctl' : 'ansible'})`, 'a', ex); continue; }
      if (same(a[k], b[k])) continue;
      ok = false;
      if (yaml11Explained(c, k, a[k], b[k])) add('doc: YAML 1.2 here, 1.1 there (yes, 010, 1e3, 10:30, dates)', 'doc', ex);
      else add(`a: another value${typeof b[k] === 'object' && b[k] !== null && '__py__' in (b[k] as object) ? ' (a Python object)' : ''}`, 'a', ex);
    }
  }
  if (ok) agree++;
});

// The real ansible-inventory on a sample: its hostvars must be what the Python driver gave.
let cliChecked = 0;
for (const [i, c] of cases.entries()) {
  if (cliChecked >= Number(process.env.CLI ?? 5)) break;
  const p = py.cases[i]!;
  if (p.err !== undefined) continue;
  // It cannot print every value (a complex number from an INI 1j; it prints inf as Infinity): such a case is skipped.
  if (/"__(?:py|set|date)__"|"float:/.test(JSON.stringify(p.hosts))) continue;
  const out = JSON.parse(execFileSync('ansible-inventory', [...c.sources.flatMap((s) => ['-i', s]), '--playbook-dir', c.pb, '--list'], {
    stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 26, env: { ...process.env, ANSIBLE_LOCALHOST_WARNING: 'false' },
  }).toString()) as { _meta: { hostvars: Record<string, Record<string, unknown>> } };
  for (const [h, vars] of Object.entries(p.hosts!)) {
    const listed = pickKeys(out._meta.hostvars[h] ?? {}, c.keys);
    // ansible-inventory prints what JSON can hold: compared where the driver's value is JSON too.
    const plain = (v: unknown) => !JSON.stringify(v).includes('"__');
    for (const k of new Set([...Object.keys(vars), ...Object.keys(listed)])) {
      if (plain(vars[k] ?? null) && !same(vars[k], listed[k])) add('driver: ansible-inventory differs from the Python driver', 'c', `[c${c.n}] ${h} ${k}: ansible-inventory ${JSON.stringify(listed[k])} | driver ${JSON.stringify(vars[k])}`);
    }
  }
  cliChecked++;
}

console.log(`${cases.length} inventories (seed ${seedArg}): ${agree} agree (${bothStop} of them refused by both); ${hostsCompared} hosts and ${valuesCompared} variables compared; ${cliChecked} through ansible-inventory`);
for (const [key, b] of [...buckets].sort((x, y) => x[1].cls.localeCompare(y[1].cls) || y[1].examples.length - x[1].examples.length)) {
  console.log(`\n[${b.cls}] ${key}  ×${b.examples.length}`);
  for (const e of b.examples.sort((x, y) => x.length - y.length).slice(0, Number(process.env.SHOW ?? 2))) console.log(`   ${e}`);
}
const bad = [...buckets.values()].filter((b) => b.cls !== 'doc').reduce((n, b) => n + b.examples.length, 0);
console.log(`\n${bad} differences the docs do not explain${bad ? ' (exit 1)' : ''}`);
if (process.env.KEEP) console.log(`cases kept in ${root}`);
else rmSync(root, { recursive: true, force: true });
process.exitCode = bad ? 1 : 0;
