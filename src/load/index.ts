// loadRun: inventory + playbook -> validated, templated task instances per host. Reads files, contacts nothing.
import { refuseUnknownAnsibleVars } from './ansible-vars.js';
import { yaml11Mark, yaml11Note } from './yaml11-readings.js';
import { RunBudget } from './budget.js';
import { checkAgreement } from './bundle-agree.js';
import { deriveBundles } from './bundles.js';
import { checkAddresses } from './cross-host.js';
import { checkSlaves } from './slave-checks.js';
import { checkTaskConflicts } from './task-conflicts.js';
import { checkUnreadVars, refuseNestedVars } from './unread-vars.js';
import { unreadEntryKeyNotes } from './unread-entry-keys.js';
import { checkSameTarget } from './same-target.js';
import { checkPlayBundleVars } from './play-bundle-vars.js';
import { checkPlayConnectionVars } from './play-connection-vars.js';
import { matchPattern, PatternError } from './host-pattern.js';
import { excludedHosts, limitHosts } from './limit-hosts.js';
import { checkMtus } from './mtu-pairs.js';
import { checkPairs } from './pair-checks.js';
import { instantiate, type Placed } from './instantiate.js';
import { hostProblems, loadInventory, type HostProblems } from './inventory.js';
import { playedHosts, reachedHosts } from './reached-hosts.js';
import { readPlaybook } from './playbook.js';
import { Problems } from './problems.js';
import { VarScope } from './scope.js';
import { extraVarsLayer } from './extra-vars.js';
import { readYaml, type YamlFile } from './source.js';
import { buildConnection, missingKnownHostsFiles } from './connection.js';
import { ansibleConfigNotes } from './ansible-config.js';
import { refuseConfigConnection, refuseHashMerge } from './ansible-config-connection.js';
import { refuseConfigPlay } from './ansible-cfg-play.js';
import { homedir } from 'node:os';
import { dirname } from 'node:path';
import type { VarLayer } from './scope.js';
import type { ConnectionSpec, Inventory, LoadedPlay, LoadedRun, TaskInstance } from './types.js';
import type { Bundle } from './bundle-types.js';
import { checkLimitedPersist, checkPersistingPlays } from './persist-plays.js';

export type * from './types.js';
export type * from './bundle-types.js';
export * from './module-schemas.js';
export { loadInventory, type InventoryOptions } from './inventory.js';
export { matchPattern, matchTerms, PatternError } from './host-pattern.js';
export { limitErrorPos, limitTerms, limitTermsAt } from './limit-terms.js';

/** Before connecting to `hosts`: exit 2 at its place for a teqlctl_known_hosts_file that is not there (connection.ts). */
export function refuseMissingKnownHosts(inventory: Inventory, hosts: Iterable<string>): void {
  const problems = new Problems();
  missingKnownHostsFiles([...hosts].map((h) => [h, inventory.hosts.get(h)!.connection] as [string, ConnectionSpec]), problems);
  problems.throwIfAny();
}

export interface LoadOptions {
  /** Host patterns (as --limit): only matching hosts run; several entries are a union. */
  limit?: string[];
  /** `-e` arguments (name=value words, `@file`, `{...}`): above every other variable, later over earlier, as in Ansible. */
  extraVars?: string[];
}

/**
 * Loads and validates the inventory and the playbook. Throws ConfigError (one problem) or ConfigErrors
 * (several, in file order): inventory problems first, then every playbook problem at once.
 */
export function loadRun(inventorySources: string | readonly string[], playbookFile: string, opts: LoadOptions = {}): LoadedRun {
  // A bad -e stops the run before anything else is read: it is the run's own command line.
  const mark = yaml11Mark();
  const extraProblems = new Problems();
  const extra = extraVarsLayer(opts.extraVars ?? [], extraProblems);
  extraProblems.throwIfAny();
  const { inventory, layers, notes: inventoryNotes, deferred = new Map() } = loadInventory(inventorySources, { playbookDir: dirname(playbookFile), deferHostProblems: true, callerNotesYaml11: true });
  const problems = new Problems();
  connectWithExtraVars(inventory, layers, extra, deferred);
  const { limited, terms: limitTermsRead } = limitHosts(inventory, opts.limit, problems);
  const y = readYaml(playbookFile, 'playbook', problems);
  const shapes = y ? readPlaybook(y, problems) : [];
  const plays: LoadedPlay[] = [];
  const placed: Placed[] = [];
  // Tasks and template steps are counted as they are made: the first one past a limit stops the run.
  const budget = new RunBudget();
  // Bundles come from the inventory and -e, not from play vars: they are the same for every play.
  const own = (host: string) => new VarScope(extra, new VarScope(layers.get(host)!), budget);
  const bundleProblems = new Map<string, Problems>();
  const problemsOf = (host: string): Problems => bundleProblems.get(host) ?? bundleProblems.set(host, new Problems()).get(host)!;
  const { bundles, derived } = deriveBundles([...inventory.hosts.keys()], own, problemsOf);
  // The problems of the hosts this run reaches (and their bundles' far ends); a shared inventory's
  // others do not stop it. Inventory problems first, alone: a broken bundle would make every task
  // that reads what it derives (bundle_links, peer_*) an "undefined variable" with a hint to define it.
  const reached = reachedHosts(shapes.map((s) => s.hosts), inventory, limited, bundles, own);
  hostProblems(deferred, reached, problems);
  for (const h of reached) problems.absorb(problemsOf(h));
  // The bundles the run reaches (both of their ends are reached): the pair checks are theirs alone.
  const reachedBundles = bundles.filter((b) => b.ends.every((e) => reached.has(e.host)));
  for (const layer of [...[...reached].map((h) => layers.get(h)!), ...shapes.map((s) => s.vars), extra]) refuseNestedVars(layer, problems);
  refuseConfigConnection({ env: process.env, cwd: process.cwd(), home: homedir(), hosts: new Map([...reached].map((h) => [h, layers.get(h)!])), extra }, problems);
  refuseHashMerge({ env: process.env, cwd: process.cwd(), home: homedir() }, [...[...reached].map((h) => layers.get(h)!), ...shapes.map((s) => s.vars), extra], problems);
  refuseConfigPlay({ env: process.env, cwd: process.cwd(), home: homedir() }, problems);
  problems.throwIfAny();
  // Only a host that some play runs selects its bundles: `-l hq` on a play of `hosts: branches`
  // ran the four branches, none of them named, and not hq (Ansible runs none; a review).
  const selection = opts.limit && opts.limit.length > 0 ? selectBundles(bundles, limited, excludedHosts(inventory, limitTermsRead), playedHosts(shapes.map((s) => s.hosts), inventory)) : undefined;
  // Every host left out with its bundles: a --check would pass having checked nothing (exit 0).
  if (selection && limited.size === 0 && problems.count === 0) problems.add(`--limit ${opts.limit!.join(',')} leaves no host to run: ${selection.notes.join('; ')}`, undefined, 'a bundle runs on both of its ends or not at all: name hosts whose bundles have no excluded end');
  for (const shape of shapes) {
    if (budget.exhausted) break;
    let all: string[];
    try {
      all = matchPattern(shape.hosts, inventory);
    } catch (err) {
      if (!(err instanceof PatternError)) throw err;
      problems.add(`hosts: ${err.message}`, shape.hostsPos, err.hint);
      continue;
    }
    // Whatever --limit selects, as bundles are.
    checkPlayBundleVars(shape.vars, all, derived, problems);
    checkPlayConnectionVars(shape.vars, all, inventory, extra, layers, problems);
    const hosts = all.filter((h) => limited.has(h));
    const tasks = new Map<string, TaskInstance[]>();
    for (const host of hosts) {
      // Play vars override every inventory variable, as in Ansible.
      // What the host writes wins over what its bundles derive (and checkAgreement makes them agree).
      const scope = new VarScope(extra, new VarScope(shape.vars, new VarScope(layers.get(host)!, new VarScope(derived.get(host)!))), budget);
      const mine = shape.tasks.flatMap((task) => instantiate(y!, task, host, scope, problems, budget, shape.persist));
      if (budget.exhausted) break;
      for (const p of mine) placed.push(p);
      tasks.set(host, mine.map((p) => p.instance));
    }
    plays.push({ name: shape.name, pos: shape.pos, hostsPos: shape.hostsPos, hosts, tasks, ...(shape.serial ? { serial: shape.serial } : {}), ...(shape.maxFailPercentage !== undefined ? { maxFailPercentage: shape.maxFailPercentage } : {}) });
  }
  // --limit selecting only hosts no play names: a --check (a drift job's) would pass having checked
  // nothing, exit 0 with "no changes pending" (a review). Refused, as a pattern matching nothing is.
  if (opts.limit && opts.limit.length > 0 && limited.size > 0 && plays.length > 0 && plays.every((p) => p.hosts.length === 0) && problems.count === 0) {
    problems.add(`--limit ${opts.limit.join(',')} leaves no host in any play of this run (it selects ${[...limited].slice(0, 5).join(', ')}${limited.size > 5 ? ', ...' : ''}, which no play's hosts: names)`, undefined, 'name hosts of the plays\' hosts: patterns, or leave --limit out');
  }
  const unreadNotes: string[] = [];
  if (y) {
    checkUnreadVars({ playbook: playbookValue(y), inventory: layers.values(), plays: shapes.map((p) => p.vars), extra, derived: derived.values() }, problems, unreadNotes);
    unreadNotes.push(...unreadEntryKeyNotes({ playbook: playbookValue(y), layers: [...layers.values(), ...shapes.map((p) => p.vars), extra] }));
  }
  checkSameTarget(inventory, new Set(plays.flatMap((p) => p.hosts)), problems);
  checkBatching(plays, problems);
  if (selection) checkLimitedPersist(plays, bundles, new Set(selection.selected), problems);
  checkPersistingPlays(plays, problems);
  checkAddresses(placed, problems);
  checkSlaves(placed, problems);
  checkTaskConflicts(placed, problems);
  checkAgreement(reachedBundles, own, problems);
  checkPairs(reachedBundles, problems);
  checkMtus(reachedBundles, placed, problems);
  problems.throwIfAny();
  const yaml11 = yaml11Note(mark);
  const notes = [...ansibleConfigNotes(process.env, process.cwd(), homedir()), ...inventoryNotes, ...(yaml11 ? [yaml11] : []), ...(selection?.notes ?? []), ...unreadNotes];
  return { inventory, playbookFile, plays, bundles, ...(selection ? { selectedBundles: selection.selected } : {}), ...(notes.length > 0 ? { notes } : {}) };
}

/** A run goes batch by batch through all of its plays: their serial and max_fail_percentage must agree. */
function checkBatching(plays: readonly LoadedPlay[], problems: Problems): void {
  const first = plays.find((p) => p.serial);
  if (!first) {
    const alone = plays.find((p) => p.maxFailPercentage !== undefined);
    if (alone) problems.add(`max_fail_percentage without serial: the run is one batch, so there is no later batch to stop (play "${alone.name}")`, alone.pos, 'add serial: N (sites per batch), or remove max_fail_percentage');
    return;
  }
  const size = (p: LoadedPlay) => (p.serial ? ('count' in p.serial ? String(p.serial.count) : `${p.serial.percent}%`) : 'none');
  for (const p of plays) {
    if (size(p) !== size(first) || p.maxFailPercentage !== first.maxFailPercentage) {
      problems.add(`play "${p.name}" batches differently from play "${first.name}" (serial ${size(p)} against ${size(first)}, max_fail_percentage ${p.maxFailPercentage ?? 'none'} against ${first.maxFailPercentage ?? 'none'})`, p.serial?.pos ?? p.pos, 'teqlctl takes each batch through every play before the next batch: give every play the same serial and max_fail_percentage');
    }
  }
}

/**
 * `--limit` never runs half a bundle: a host selects its bundles, and the other end of each is
 * added to the run (said in a note). `limited` grows in place; a hub added only as a peer runs
 * the selected bundles' tasks, not its others (the run leaves those out, play/failure-domains.ts).
 * A bundle with an end that a `!` term excludes is left out whole, never run on that end: the
 * exclusion is what the operator asked for (a broken branch skipped), and its hub keeps the rest.
 */
function selectBundles(bundles: readonly Bundle[], limited: Set<string>, excluded: ReadonlySet<string>, played: ReadonlySet<string>): { selected: string[]; notes: string[] } {
  const named = new Set([...limited].filter((h) => played.has(h)));
  const notes: string[] = [];
  const selected = bundles.filter((b) => {
    if (!b.ends.some((e) => named.has(e.host))) return false;
    const out = b.ends.find((e) => excluded.has(e.host));
    if (out) notes.push(`--limit: bundle ${b.name} left out, on both of its ends: ${out.host} is excluded (a bundle is changed on both of its ends or not at all)`);
    return out === undefined;
  });
  for (const b of selected) {
    for (const e of b.ends) {
      if (limited.has(e.host)) continue;
      limited.add(e.host);
      notes.push(`--limit: ${e.host} added, the other end of bundle ${b.name} (a bundle is changed on both of its ends or not at all)`);
    }
  }
  // A host all of whose bundles were left out has nothing of its own to run: it leaves the run.
  for (const host of named) {
    const mine = bundles.filter((b) => b.ends.some((e) => e.host === host));
    if (mine.length > 0 && !mine.some((b) => selected.includes(b))) {
      limited.delete(host);
      notes.push(`--limit: ${host} left out: each of its bundles has an excluded end`);
    }
  }
  return { selected: selected.map((b) => b.name), notes };
}

/**
 * `-e ansible_user=…`, `-e ansible_port=…` and the other connection variables win over the inventory,
 * as in Ansible: each host's connection is built again with them on top, and checked the same way
 * (a password variable is refused there too).
 */
export function connectWithExtraVars(inventory: Inventory, layers: Map<string, VarLayer>, extra: VarLayer, deferred: Map<string, HostProblems>): void {
  // Any -e variable, not only the connection variables by name: a connection variable's template
  // may read it (ansible_host: "{{ mgmt_ip }}" with -e mgmt_ip=...), as Ansible renders it.
  if (extra.origins.size === 0) return;
  for (const host of inventory.hosts.values()) {
    // Built again with -e: its problems replace the inventory-only build's (-e mgmt_ip=... defines
    // what ansible_host: "{{ mgmt_ip }}" reads), its files' stay.
    const own = deferred.get(host.name) ?? { files: new Problems(), connection: new Problems() };
    own.connection = new Problems();
    host.connection = buildConnection(host.name, new VarScope(extra, new VarScope(layers.get(host.name)!)), dirname(host.pos.file), own.connection, host.pos);
    // buildConnection checks the names of its top layer, here -e's: the inventory's own (an
    // ansible_ssh_args, a misspelt teqlctl_ variable) are checked again, as without -e (a review:
    // any -e let them through, and the run connected otherwise than Ansible would).
    refuseUnknownAnsibleVars(layers.get(host.name)!, own.connection);
    if (own.files.count + own.connection.count > 0) deferred.set(host.name, own);
    else deferred.delete(host.name);
  }
}

/** The playbook as plain values, for what its templates read; none if it cannot be made (the checks above said why). */
function playbookValue(y: YamlFile): unknown {
  try {
    return y.doc.toJS({ maxAliasCount: 1000 });
  } catch {
    return undefined;
  }
}
