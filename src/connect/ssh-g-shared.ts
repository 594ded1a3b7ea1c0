// `ssh -G` for a fleet without one process per host. Each costs ~15 ms of CPU (ssh's own start:
// its libraries, OpenSSL): at 500 hosts that was more CPU than the rest of a run, and half its wall
// time on 2 cores. Hosts that ssh_config cannot tell apart (the same Host lines match their names,
// no Match block: ssh-config-hosts.ts), asked for with the same options but their name or port,
// get the same answer but for that name and port. So one host of such a group is asked, and one
// more for each way the group differs (name, port, both) checks that its answer is the first's
// with the name and port put in; then the others' answers are derived. A check that fails (a hash
// of the name, a name the output changes) asks every host of the group for itself. Identical
// questions (a jump host shared by the fleet) are asked once.
import type { RunSshG, SshGResult } from './ssh-g.js';
import { hostLineKey, type HostLines } from './ssh-config-hosts.js';

interface Query {
  alias: string;
  port: string | undefined;
  /** The arguments but the name and the port: what must be the same within a group. */
  rest: string[];
}

interface Group {
  first: Query;
  answer: Promise<SshGResult>;
  /** By how the host differs from the first (name, port, both): whether derived answers held. */
  checked: Map<string, Promise<boolean>>;
}

/** The query in `ssh -G [-F f] [-p N] [-l u] [-o ProxyJump=j] -- NAME` (ssh-g.ts's sshGArgs). */
function parseArgs(args: readonly string[]): Query | undefined {
  const dash = args.indexOf('--');
  if (dash !== args.length - 2) return undefined;
  const p = args.indexOf('-p');
  const port = p >= 0 && p < dash ? args[p + 1] : undefined;
  const rest = args.slice(0, dash).filter((_, i) => p < 0 || (i !== p && i !== p + 1));
  return { alias: args[dash + 1]!, port, rest };
}

/**
 * The kind of a name that ssh prints as given: a host name (lower case, not something inet_aton or
 * getaddrinfo would read as an address: `10.1`, `0x0a000001`) or an IPv4 address in dotted-quad form.
 * Anything else (upper case, user@, an IPv6 address ssh may print in another spelling) is asked
 * for itself: undefined.
 */
export function nameKind(alias: string): 'name' | 'ipv4' | undefined {
  if (!/^[a-z0-9_][a-z0-9._-]*$/.test(alias)) return undefined;
  const octet = '(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
  if (new RegExp(`^${octet}(?:\\.${octet}){3}$`).test(alias)) return 'ipv4';
  // inet_aton's other spellings of an address (1 to 4 parts, decimal, octal or hex): ssh rewrites them.
  if (/^(?:0x[0-9a-f]*|[0-9]+)(?:\.(?:0x[0-9a-f]*|[0-9]+)){0,3}\.?$/.test(alias)) return undefined;
  return 'name';
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The first's answer as it would be for `q`: its name and port put in, in one pass (a name put in
 * is never read again: `sw-22` stays `sw-22` when port 22 becomes 2200), whole words only
 * (`10.0.0.1` is not changed inside `10.0.0.10`).
 */
export function deriveAnswer(first: Query, answer: SshGResult, q: Query): SshGResult {
  const swaps = new Map<string, string>();
  if (q.alias !== first.alias) swaps.set(first.alias, q.alias);
  if (q.port !== first.port && first.port !== undefined && q.port !== undefined) swaps.set(first.port, q.port);
  if (swaps.size === 0) return answer;
  const re = new RegExp(`(?<![A-Za-z0-9_])(?:${[...swaps.keys()].map(escape).join('|')})(?![A-Za-z0-9_])`, 'g');
  const put = (text: string) => text.replace(re, (m) => swaps.get(m) ?? m);
  return { code: answer.code, stdout: put(answer.stdout), stderr: put(answer.stderr) };
}

/** The first line of `key` in an answer. */
const field = (stdout: string, key: string) => new RegExp(`^${key} (.*)$`, 'm').exec(stdout)?.[1];

/**
 * ssh refuses a host whose jump host is itself ("jumphost loop"), a check a derived answer never
 * went through: where the host name is among the jump hosts, ssh is asked.
 */
function mayLoop(stdout: string): boolean {
  const jump = field(stdout, 'proxyjump');
  const host = field(stdout, 'hostname');
  if (jump === undefined || jump.toLowerCase() === 'none' || host === undefined) return false;
  return jump.split(',').some((hop) => hop.replace(/^.*@/, '').replace(/^\[(.*)\](?::\d+)?$/, '$1').replace(/:\d+$/, '') === host);
}

/**
 * Whether the check's answer proves the derivation: equal to the derived one, and neither name nor
 * port of either found in the other's answer by chance (`HostName gw-%h` with the names `gw-gw` and
 * `gw` passes an equality check that `r1` would fail).
 */
function provesDerivation(first: Query, answer: SshGResult, check: Query, own: SshGResult): boolean {
  if (answer.code !== 0 || own.code !== 0 || deriveAnswer(first, answer, check).stdout !== own.stdout) return false;
  const has = (text: string, word: string) => new RegExp(`(?<![A-Za-z0-9_])${escape(word)}(?![A-Za-z0-9_])`).test(text);
  const apart = (a: string | undefined, b: string | undefined) => a === b || a === undefined || b === undefined || (!has(own.stdout, a) && !has(answer.stdout, b));
  return apart(first.alias, check.alias) && apart(first.port, check.port);
}

/**
 * A RunSshG that asks `run` once per group of hosts ssh_config cannot tell apart, and checks each
 * way of deriving before it relies on it. `hostLines(rest)` reads the Host lines of the files those
 * arguments make ssh read (undefined: hosts are not grouped).
 */
export function sharedSshG(run: RunSshG, hostLines: (rest: readonly string[]) => HostLines | undefined): RunSshG {
  const asked = new Map<string, Promise<SshGResult>>();
  const groups = new Map<string, Group>();
  const lines = new Map<string, HostLines | undefined>();
  const ask = (args: string[]) => {
    const key = JSON.stringify(args);
    let answer = asked.get(key);
    if (!answer) {
      asked.set(key, (answer = run(args)));
      // Only an answer is kept: a failure (a timeout) is asked again by the next host, as before.
      void answer.then((r) => r.code !== 0 && asked.delete(key));
    }
    return answer;
  };
  return async (args) => {
    const q = parseArgs(args);
    const kind = q && nameKind(q.alias);
    if (!q || !kind || (q.port !== undefined && !/^[1-9][0-9]*$/.test(q.port))) return ask(args);
    const restKey = JSON.stringify(q.rest);
    if (!lines.has(restKey)) lines.set(restKey, hostLines(q.rest));
    const tree = lines.get(restKey);
    if (!tree) return ask(args);
    const groupKey = JSON.stringify([q.rest, q.port !== undefined, kind, hostLineKey(tree, q.alias)]);
    const group = groups.get(groupKey);
    if (!group) {
      const answer = ask(args);
      groups.set(groupKey, { first: q, answer, checked: new Map() });
      return answer;
    }
    const how = `${q.alias !== group.first.alias ? 'name' : ''}${q.port !== group.first.port ? 'port' : ''}`;
    if (how === '') return ask(args);
    const checked = group.checked.get(how);
    if (!checked) {
      // This host checks the derivation for its group: its own answer against the derived one.
      const own = ask(args);
      group.checked.set(how, Promise.all([group.answer, own]).then(([a, o]) => provesDerivation(group.first, a, q, o)));
      return own;
    }
    if (!(await checked)) return ask(args);
    const derived = deriveAnswer(group.first, await group.answer, q);
    return mayLoop(derived.stdout) ? ask(args) : derived;
  };
}
