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

/** A name ssh prints as given: lower case, a host name or an address (no user@, no upper case ssh would lower). */
const PLAIN_NAME = /^[a-z0-9_][a-z0-9._:-]*$/;
const shape = (alias: string) => (/^[0-9.]+$/.test(alias) ? 'ipv4' : alias.includes(':') ? 'ipv6' : 'name');

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Every place `from` stands as a whole (not inside a longer name or number) replaced by `to`. */
function replaceWhole(text: string, from: string, to: string): string {
  return text.replace(new RegExp(`(?<![A-Za-z0-9_])${escape(from)}(?![A-Za-z0-9_])`, 'g'), to);
}

/** The first's answer as it would be for `q`: its name and port put in. */
export function deriveAnswer(first: Query, answer: SshGResult, q: Query): SshGResult {
  const put = (text: string) => {
    let out = text;
    if (q.alias !== first.alias) out = replaceWhole(out, first.alias, q.alias);
    if (q.port !== first.port && first.port !== undefined && q.port !== undefined) out = replaceWhole(out, first.port, q.port);
    return out;
  };
  return { code: answer.code, stdout: put(answer.stdout), stderr: put(answer.stderr) };
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
    if (!answer) asked.set(key, (answer = run(args)));
    return answer;
  };
  return async (args) => {
    const q = parseArgs(args);
    if (!q || !PLAIN_NAME.test(q.alias) || (q.port !== undefined && !/^[0-9]+$/.test(q.port))) return ask(args);
    const restKey = JSON.stringify(q.rest);
    if (!lines.has(restKey)) lines.set(restKey, hostLines(q.rest));
    const tree = lines.get(restKey);
    if (!tree) return ask(args);
    const groupKey = JSON.stringify([q.rest, q.port !== undefined, shape(q.alias), hostLineKey(tree, q.alias)]);
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
      group.checked.set(how, Promise.all([group.answer, own]).then(([a, o]) => a.code === 0 && o.code === 0 && deriveAnswer(group.first, a, q).stdout === o.stdout));
      return own;
    }
    return (await checked) ? deriveAnswer(group.first, await group.answer, q) : ask(args);
  };
}
