// The interactive flow of `teqlctl wizard`: ask, connect and read (never change) both routers, check,
// draw, plan, write, and offer to run with the engine of `teqlctl play`. Prompts go through
// src/cli/prompts.ts; everything it decides with is in the pure modules beside it.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir, userInfo } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { askCheckbox, askConfirm, askSecret, askSelect, askText, isPromptExit } from '../cli/prompts.js';
import { runPlayCommand } from '../cli/play-command.js';
import { hostAliases, parseSshConfig, type SshConfigBlock } from '../connect/ssh-config.js';
import { ConnectError, RefusedError } from '../errors.js';
import type { Facts } from '../gather/facts.js';
import { loadRun } from '../load/index.js';
import { formatPlan } from '../report/print-plan.js';
import { runWithProgress, type ProgressMode } from '../report/progress.js';
import { checkAddressing, clashesWithRouters, defaultBlock, proposeAddresses, suggestPeer, type ExistingAddress } from './addressing.js';
import { addressedLinkCaveats, defaultRouteCaveats, formatCaveats, forwardingCaveats, reorderingCaveat, rpFilterCaveats, teqlCaveats, type Caveat } from './caveats.js';
import { checkKeyFile, connectRouter, readFacts, type ConnectedRouter } from './connect-router.js';
import { countMismatch, formatLinkTable, likelyLinks, linkRows, mtuMismatches, offered, pairLinks, type LinkRow } from './links.js';
import { hostName, type Addressing, type LinkPair, type Networks, type RouterAnswers, type Side, type WizardModel } from './model.js';
import { addressIn, connectedOn, linkSubnets, suggestNetwork } from './networks.js';
import { previewPlan } from './preview.js';
import * as q from './questions.js';
import { renderInventory } from './render-inventory.js';
import { renderPlaybook } from './render-playbook.js';
import { routerDefaults, tildify } from './router-defaults.js';
import { drawTopology } from './topology.js';
import { existing, stageFiles } from './write-files.js';
import { terminalText } from '../report/terminal.js';

export interface WizardOptions {
  /** Where inventories/ and playbooks/ are written. */
  dir: string;
}

interface Connected {
  answers: RouterAnswers;
  conn: ConnectedRouter;
}

interface Router extends Connected {
  facts: Facts;
  rows: LinkRow[];
}

// Link tables, topology and errors hold names and output from the routers: escaped (terminal safety).
const say = (text = ''): void => void process.stdout.write(terminalText(text) + '\n');
const heading = (text: string): void => say(`\n== ${text}`);
const other = (side: Side): Side => (side === 'a' ? 'b' : 'a');
/** Caveats are wrapped to the terminal, up to 120 columns. */
const width = (): number => Math.min(process.stdout.columns || 100, 120);

/** A path as the operator would type it from here. */
function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

export async function runWizard(opts: WizardOptions): Promise<number> {
  const w = new Wizard(resolve(opts.dir));
  // Outside a prompt (connecting, reading), Ctrl-C is a signal: nothing is written yet and routers were only read.
  const onSigint = () => {
    w.discard();
    process.stderr.write('\ninterrupted: nothing was written and no router was changed\n');
    process.exit(130);
  };
  process.on('SIGINT', onSigint);
  try {
    return await w.run(() => process.off('SIGINT', onSigint));
  } finally {
    process.off('SIGINT', onSigint);
    w.discard();
    await w.close();
  }
}

class Wizard {
  private readonly conns = new Map<Side, Connected>();
  private readonly routers = new Map<Side, Router>();
  private closed = false;
  private readonly sshConfig: SshConfigBlock[];
  private readonly mode: ProgressMode = process.stdout.isTTY ? 'tty' : 'plain';
  private tempDir: string | undefined;

  constructor(private readonly dir: string) {
    const file = join(homedir(), '.ssh', 'config');
    this.sshConfig = existsSync(file) ? parseSshConfig(readFileSync(file, 'utf8'), file) : [];
  }

  async run(releaseSigint: () => void): Promise<number> {
    say('teqlctl wizard: bundle the links between two routers, A and B, with TEQL (LARTC HOWTO, chapter 10).');
    say('It connects to both routers and reads them; it changes nothing until you say so at the very end.');
    say(`Files go to ${shown(join(this.dir, 'inventories'))}/ and ${shown(join(this.dir, 'playbooks'))}/. Ctrl-C leaves nothing behind.`);
    for (const side of ['a', 'b'] as const) await this.connect(side);
    await this.gather();

    let links = await this.pickLinks();
    let addressing = await this.chooseAddresses(links);
    let networks = await this.chooseNetworks(links, addressing);
    let verdict: 'ok' | 'refused';
    for (;;) {
      heading('Review');
      const model: WizardModel = { name: 'my-routers', a: this.get('a').answers, b: this.get('b').answers, links, addressing, networks };
      say(drawTopology(model));
      const files = this.render(model);
      verdict = await this.preview(files.inventory.text, files.playbook.text);
      if (verdict === 'ok') break;
      const next = await askSelect<string>({
        message: 'The plan cannot run as it is. What now?',
        choices: [
          { value: 'networks', name: 'change the networks' },
          { value: 'addresses', name: 'change the addresses' },
          { value: 'links', name: 'pick the links again' },
          { value: 'write', name: 'write the files anyway (teqlctl play will refuse until the routers change)' },
        ],
      });
      if (next === 'write') break;
      if (next === 'links') links = await this.pickLinks();
      if (next === 'links' || next === 'addresses') addressing = await this.chooseAddresses(links);
      networks = await this.chooseNetworks(links, addressing);
    }

    heading('Files');
    let name = 'my-routers';
    for (;;) {
      name = (await askText(q.nameQuestion(name))).trim();
      const files = this.render({ name, a: this.get('a').answers, b: this.get('b').answers, links, addressing, networks });
      const there = existing([files.inventory, files.playbook]);
      if (there.length > 0 && !(await askConfirm({ message: `${there.map(shown).join(' and ')} already exist${there.length === 1 ? 's' : ''}. Overwrite?`, default: false }))) continue;
      if (!(await askConfirm({ message: `Write ${shown(files.inventory.path)} and ${shown(files.playbook.path)}?`, default: true }))) {
        say('Nothing was written.');
        return 0;
      }
      // Written and renamed in one synchronous stretch: no signal handler can run in between.
      stageFiles([files.inventory, files.playbook]).commit();
      say(`Wrote ${shown(files.inventory.path)} and ${shown(files.playbook.path)}.`);
      return this.offerRun(files.inventory.path, files.playbook.path, verdict === 'ok', releaseSigint);
    }
  }

  private get(side: Side): Router {
    return this.routers.get(side)!;
  }

  // ---- routers ---------------------------------------------------------------------------------

  private async askRouter(side: Side, prev: RouterAnswers | undefined): Promise<RouterAnswers> {
    heading(`Router ${side.toUpperCase()}`);
    const home = homedir();
    const localUser = process.env.USER ?? userInfo().username;
    const agent = Boolean(process.env.SSH_AUTH_SOCK);
    const typed = (await askText(q.hostQuestion(side, prev ? prev.alias ?? prev.host : undefined, hostAliases(this.sshConfig)))).trim();
    const d = routerDefaults(typed, this.sshConfig, { home, localUser, agent, exists: existsSync });
    if (d.fromConfig.length > 0) say(`  from ~/.ssh/config: ${d.fromConfig.join(', ')}`);
    const same = prev !== undefined && (prev.alias ?? prev.host) === typed;
    const port = Number((await askText(q.portQuestion(side, same ? prev.port : d.port))).trim());
    const user = (await askText(q.userQuestion(side, same ? prev.user : d.user))).trim();
    const key = (await askText(q.keyQuestion(side, same ? prev.keyFile ?? '' : d.keyFile, agent, checkKeyFile))).trim();
    const become = await askConfirm(q.becomeQuestion(side, user));
    // Relative key paths would be read relative to the inventory's folder: write them absolute.
    const keyFile = key === '' ? undefined : key.startsWith('~') ? key : tildify(resolve(key), home);
    return { side, name: hostName(side), host: d.host, port, user, become, ...(keyFile ? { keyFile } : {}), ...(d.fromConfig.length > 0 ? { alias: typed } : {}) };
  }

  private async connect(side: Side): Promise<void> {
    let prev: RouterAnswers | undefined;
    for (;;) {
      const answers = await this.askRouter(side, prev);
      prev = answers;
      const peer = this.conns.get(other(side))?.answers;
      if (peer && peer.host === answers.host && peer.port === answers.port) {
        say(`  ! ${answers.host}:${answers.port} is router ${other(side).toUpperCase()} already: give the other router.`);
        continue;
      }
      say(`  connecting to ${answers.user}@${answers.host}:${answers.port} ...`);
      // The transport turns a failed secret prompt into a ConnectError: remember a Ctrl-C to end the wizard.
      let cancelled: unknown;
      const ask = <T>(prompt: Promise<T>): Promise<T> => prompt.catch((err: unknown) => {
        if (isPromptExit(err)) cancelled = err;
        throw err;
      });
      try {
        const conn = await connectRouter(answers, {
          trust: (fingerprint, label) => ask(askConfirm(q.trustQuestion(label, fingerprint))),
          becomePassword: (router, user) => ask(askSecret(`${router}: sudo asks for the password of ${user}`)),
          keyPassphrase: (file) => ask(askSecret(`passphrase of ${file}`)),
        });
        say(`  connected to ${answers.name}.`);
        this.conns.set(side, { answers, conn });
        return;
      } catch (err) {
        if (cancelled) throw cancelled;
        if (!(err instanceof ConnectError)) throw err;
        say(`  ! could not connect: ${err.message}`);
        if (err.hint) say(`    hint: ${err.hint}`);
        say('    Check the answers (what you typed is the default):');
      }
    }
  }

  /** One facts round trip per router, both at once. */
  private async gather(): Promise<void> {
    const errors = await runWithProgress(this.mode, (['a', 'b'] as const).map((side) => ({
      title: `${this.conns.get(side)!.answers.name}: read interfaces, addresses, routes, rp_filter, sch_teql`,
      run: async (setTitle) => {
        const r = this.conns.get(side)!;
        const facts = await readFacts(r.answers, r.conn);
        this.routers.set(side, { ...r, facts, rows: linkRows(facts, r.answers.host) });
        setTitle(`${r.answers.name}: ${facts.links.length} interfaces read`);
      },
    })), 2);
    if (errors.length > 0) throw errors[0]!;
    const caveats: Caveat[] = [];
    for (const side of ['a', 'b'] as const) {
      const r = this.get(side);
      caveats.push(...teqlCaveats(r.answers.name, r.facts));
      if (!r.facts.management) {
        caveats.push({ level: 'warn', text: `${r.answers.name}: could not tell which interface carries this SSH session (sudo hides SSH_CONNECTION); do not pick it as a link.` });
      }
    }
    say(formatCaveats(width(), caveats));
  }

  // ---- links -----------------------------------------------------------------------------------

  private async pickLinks(): Promise<LinkPair[]> {
    const a = this.get('a');
    const b = this.get('b');
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

  // ---- addresses -------------------------------------------------------------------------------

  private existingAddresses(): ExistingAddress[] {
    return (['a', 'b'] as const).flatMap((side) => this.get(side).facts.addresses.map((x) => ({ router: side === 'a' ? 'A' as const : 'B' as const, dev: x.dev, cidr: x.cidr })));
  }

  private async chooseAddresses(pairs: LinkPair[]): Promise<Addressing> {
    const n = pairs.length;
    for (;;) {
      heading('Addresses');
      const mode = await askSelect(q.addressingQuestion(n, defaultBlock(n)));
      let addressing: Addressing;
      if (mode === 'propose') {
        addressing = proposeAddresses((await askText(q.blockQuestion(n, defaultBlock(n)))).trim(), n);
      } else {
        const proposal = proposeAddresses(defaultBlock(n), n);
        const ask = async (what: string, fallbackA: string, devA: string, devB: string) => {
          const a = (await askText(q.addressQuestion(`${what}, A's ${devA}`, fallbackA))).trim();
          const b = (await askText(q.addressQuestion(`${what}, B's ${devB}`, suggestPeer(a), { side: 'b', other: a }))).trim();
          return { a, b };
        };
        const links = [];
        for (const [i, p] of pairs.entries()) links.push(await ask(`link ${i + 1}`, proposal.links[i]!.a, p.a, p.b));
        addressing = { links, teql: await ask('equalizer', proposal.teql.a, 'teql0', 'teql0') };
      }
      const problems = [
        ...checkAddressing(addressing, pairs.map((p) => p.a)),
        ...clashesWithRouters(addressing, { a: pairs.map((p) => p.a), b: pairs.map((p) => p.b) }, this.existingAddresses()),
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

  // ---- networks --------------------------------------------------------------------------------

  private async chooseNetworks(pairs: LinkPair[], addressing: Addressing): Promise<Networks> {
    heading('Networks');
    const a = this.get('a');
    const b = this.get('b');
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

  // ---- files, plan, run ------------------------------------------------------------------------

  private render(model: WizardModel) {
    const inventory = join(this.dir, 'inventories', `${model.name}.yml`);
    const playbook = join(this.dir, 'playbooks', `${model.name}.yml`);
    return {
      inventory: { path: inventory, text: renderInventory(model, shown(playbook), shown(inventory)) },
      playbook: { path: playbook, text: renderPlaybook(shown(inventory), shown(playbook)) },
    };
  }

  /** Loads the files from a temporary folder as `teqlctl play` would, and prints the plan it would print. */
  private async preview(inventoryText: string, playbookText: string): Promise<'ok' | 'refused'> {
    this.tempDir ??= mkdtempSync(join(tmpdir(), 'teqlctl-wizard-'));
    const inv = join(this.tempDir, 'inventory.yml');
    const play = join(this.tempDir, 'playbook.yml');
    writeFileSync(inv, inventoryText);
    writeFileSync(play, playbookText);
    const loaded = loadRun(inv, play); // a problem here is a bug in the wizard's rendering: let it show
    heading('Plan (what `teqlctl play --check` shows)');
    const transports = new Map((['a', 'b'] as const).map((s) => [this.get(s).answers.name, this.get(s).conn.transport]));
    const { plans, refused } = await previewPlan(loaded, transports, this.mode);
    if (refused.length === 0) {
      say(formatPlan(plans, false));
      return 'ok';
    }
    for (const err of refused) {
      // Positions point into the temporary copies: name the files as the operator knows them.
      const message = err.message.replaceAll(play, 'playbook').replaceAll(inv, 'inventory');
      say(`  ! refused: ${message}${err.hint ? `\n    hint: ${err.hint}` : ''}`);
      if (/SSH session/.test(err.message)) {
        say('    teqlctl never changes the interface or the route that carries its own SSH session: a mistake there would lock you out' +
          ' before it could roll back. With "network 2 is the Internet", A\'s new default route would carry the session: give A a' +
          ' specific route to where you manage it from, or manage it over another path.');
      }
    }
    return 'refused';
  }

  private async offerRun(inventory: string, playbook: string, runnable: boolean, releaseSigint: () => void): Promise<number> {
    const command = `teqlctl play -i ${shown(inventory)} ${shown(playbook)}`;
    const conns = (['a', 'b'] as const).map((s) => this.conns.get(s)!.conn);
    const passwords = [...new Set(conns.flatMap((c) => c.becomePassword ?? []))];
    const passphrases = [...new Set(conns.flatMap((c) => c.keyPassphrase ?? []))];
    const later = () => {
      say('\nTo run it later (a --check first shows the plan again):');
      say(`  ${command} --check`);
      say(`  ${command}`);
    };
    if (!runnable) {
      say('Not offering to run it now: the plan was refused (see above).');
      later();
      return 0;
    }
    if (!(await askConfirm({ message: `Apply it now to ${this.get('a').answers.name} and ${this.get('b').answers.name}? (apply, verify, roll back both on failure)`, default: false }))) {
      later();
      return 0;
    }
    await this.close();
    // play takes one secret of each kind; when the routers differ, it asks on the terminal itself.
    const secretFile = (name: string, values: string[]) => {
      if (values.length !== 1) return undefined;
      this.tempDir ??= mkdtempSync(join(tmpdir(), 'teqlctl-wizard-'));
      const file = join(this.tempDir, name);
      writeFileSync(file, values[0]!, { mode: 0o600 });
      return file;
    };
    const becomePasswordFile = secretFile('become-password', passwords);
    const keyPassphraseFile = secretFile('key-passphrase', passphrases);
    heading(`Running: ${command} --yes`);
    // From here the engine handles Ctrl-C: it finishes the current step and rolls both routers back.
    releaseSigint();
    const code = await runPlayCommand(playbook, {
      inventory,
      yes: true,
      forks: '10',
      ...(becomePasswordFile ? { becomePasswordFile } : {}),
      ...(keyPassphraseFile ? { keyPassphraseFile } : {}),
    });
    say(`\nRun it again any time: ${command} --yes   (a second run changes nothing)`);
    return code;
  }

  /** Synchronous, so that it can run from a signal handler. */
  discard(): void {
    if (this.tempDir) rmSync(this.tempDir, { recursive: true, force: true });
    this.tempDir = undefined;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.conns.values()].map((r) => r.conn.transport.close().catch(() => undefined)));
  }
}
