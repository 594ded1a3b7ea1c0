// The wizard's questions as plain data (message, default, validation), rendered by src/ui/prompts.ts.
// Pure: what they check comes in as arguments, so each question can be tested through the real prompt.
import type { CheckboxQuestion, Choice, SelectQuestion, TextQuestion } from '../ui/prompts.js';
import { checkHostCidr } from '../load/net.js';
import { isIPv6 } from 'node:net';
import { hostProblem, userProblem } from '../load/login-rules.js';
import { shown } from '../load/shown.js';
import { checkBlock, checkPair, defaultBlock, reservedProblem } from './addressing.js';
import type { LinkRow } from './links.js';
import type { Side } from './model.js';
import { checkNetwork } from './networks.js';
import { terminalText } from '../ui/terminal.js';

const ok = (problem: string | undefined): true | string => problem ?? true;
const label = (side: Side) => `Router ${side.toUpperCase()}`;

export function hostQuestion(side: Side, previous: string | undefined, aliases: readonly string[]): TextQuestion {
  const hint = aliases.length ? ` (address, or a ~/.ssh/config alias: ${aliases.slice(0, 5).join(', ')}${aliases.length > 5 ? ', ...' : ''})` : ' (address or name)';
  return {
    message: `${label(side)}: host${hint}`,
    ...(previous ? { default: previous } : {}),
    validate: (v) => ok(checkHostAnswer(v.trim())),
  };
}

// OpenSSH refuses these in a host name ("hostname contains invalid characters").
const NOT_IN_A_HOST = /['`"$\\;&<>|(){},]/;

/**
 * The host as typed (an address, a name, an alias, or `user@host` as ssh takes it), held to what the
 * inventory loader takes for ansible_host: `010.0.0.1` (octal to the resolver: 8.0.0.1), `[::1]`
 * or `host:2222` would reach another machine or none, and the inventory written would not load.
 */
export function checkHostAnswer(typed: string): string | undefined {
  if (typed === '') return 'the address or name to connect to';
  if (/\s/.test(typed)) return 'one address or name, without spaces';
  const host = typed.slice(typed.lastIndexOf('@') + 1);
  if (host === '') return 'the address or name after the @';
  const bad = NOT_IN_A_HOST.exec(host)?.[0];
  if (bad !== undefined) return `a host name cannot hold ${bad}: give an address (192.0.2.10, 2001:db8::1), a DNS name or a ~/.ssh/config alias`;
  if (host.startsWith('[') || (host.includes(':') && !isIPv6(host))) return `${shown(host)}: give the address or name alone, without brackets or a port (the port is the next question)`;
  return hostProblem(host);
}

export function portQuestion(side: Side, fallback: number): TextQuestion {
  return {
    message: `${label(side)}: SSH port`,
    default: String(fallback),
    validate: (v) => (/^[1-9]\d{0,4}$/.test(v.trim()) && Number(v) <= 65535 ? true : 'a port number, 1..65535'),
  };
}

export function userQuestion(side: Side, fallback: string): TextQuestion {
  return {
    message: `${label(side)}: SSH user`,
    default: fallback,
    validate: (v) => {
      const user = v.trim();
      if (!/^[A-Za-z0-9._][A-Za-z0-9._@-]*$/.test(user)) return 'a user name, e.g. root or admin (letters, digits, . _ - @; no spaces)';
      return ok(userProblem(user)); // the loader's length limit: the inventory written must load
    },
  };
}

/** `checkKey` reads the file (the shell's business) and says what is wrong with it, if anything. */
export function keyQuestion(side: Side, fallback: string, agent: boolean, checkKey: (path: string) => string | undefined): TextQuestion {
  return {
    message: `${label(side)}: private key file (empty: the keys in ssh-agent)`,
    ...(fallback ? { default: fallback } : {}),
    validate: (v) => {
      if (v.trim() === '') return agent ? true : 'no ssh-agent here (SSH_AUTH_SOCK is not set): give a private key file';
      return ok(checkKey(v.trim()));
    },
  };
}

export function becomeQuestion(side: Side, user: string): { message: string; default: boolean } {
  return { message: `${label(side)}: run the commands through sudo (become root)?`, default: user !== 'root' };
}

export function trustQuestion(hostLabel: string, fingerprint: string, jumpHost = false): { message: string; default: boolean } {
  const whose = jumpHost ? 'the jump host\'s key (ssh_config\'s ProxyJump)' : 'the router\'s key';
  return { message: `Unknown host key for ${hostLabel}: ${fingerprint}. Is that ${whose}? Trust it (adds it to ~/.ssh/known_hosts)`, default: false };
}

function linkChoice(row: LinkRow): Choice<string> {
  const about = `${row.up ? 'up' : 'down'}, carrier ${row.operstate}, mtu ${row.mtu}, ${row.addresses.join(' ') || 'no address'}${row.slaveOf ? `, slave of ${row.slaveOf}` : ''}`;
  // Names and addresses come from the router: shown escaped.
  return { value: row.name, name: terminalText(`${row.name.padEnd(10)} ${about}`), short: terminalText(row.name), ...(row.notOffered ? { disabled: terminalText(`(not offered: ${row.notOffered})`) } : {}) };
}

export function linksQuestion(side: Side, rows: readonly LinkRow[], preselected: readonly string[]): CheckboxQuestion<string> {
  return {
    message: `${label(side)}: links to bundle (space picks, enter confirms; two or more)`,
    choices: rows.map((r) => ({ ...linkChoice(r), ...(!r.notOffered && preselected.includes(r.name) ? { checked: true } : {}) })),
    validate: (picked) => (picked.length >= 2 ? true : 'pick two or more links: TEQL shares traffic between several links'),
  };
}

export function peerLinkQuestion(aDev: string, bChoices: readonly string[], fallback: string): SelectQuestion<string> {
  return { message: terminalText(`Which of B's links is wired to A's ${aDev}?`), choices: bChoices.map((b) => ({ value: b, name: terminalText(b) })), default: fallback };
}

export type AddressingMode = 'propose' | 'typed';

export function addressingQuestion(linkCount: number, block: string): SelectQuestion<AddressingMode> {
  return {
    message: 'Addresses of the links and of teql0',
    choices: [
      { value: 'propose', name: `/31s out of one block (${block === defaultBlock(linkCount) ? `LARTC: ${block}` : `${block}: LARTC's ${defaultBlock(linkCount)} clashes with an address on a router`} for ${linkCount} links; A the even end, B the odd)` },
      { value: 'typed', name: 'type each address myself' },
    ],
    default: 'propose',
  };
}

/** `extra`: checks that need the routers (a block that overlaps an address already on one). */
export function blockQuestion(linkCount: number, fallback: string, extra: (v: string) => string | undefined = () => undefined): TextQuestion {
  return { message: `Block to carve the /31s from (one per link and one for teql0)`, default: fallback, validate: (v) => ok(checkBlock(v.trim(), linkCount) ?? extra(v.trim())) };
}

/** `extra`: checks against what was chosen before and what the routers hold, so a clash is refused here. */
export function addressQuestion(what: string, fallback: string | undefined, peer?: { side: Side; other: string }, extra: (v: string) => string | undefined = () => undefined): TextQuestion {
  return {
    message: `${what}: address/prefix`,
    ...(fallback ? { default: fallback } : {}),
    validate: (v) => {
      const bad = checkHostCidr(v.trim()) ?? reservedProblem(v.trim());
      if (bad) return bad;
      const pair = peer && checkPair(peer.side === 'b' ? { a: peer.other, b: v.trim() } : { a: v.trim(), b: peer.other });
      return ok(pair ?? extra(v.trim()));
    },
  };
}

export type NetworksMode = 'two' | 'internet';

export function networksQuestion(): SelectQuestion<NetworksMode> {
  return {
    message: 'What is behind the routers?',
    choices: [
      { value: 'two', name: 'network 1 behind A, network 2 behind B' },
      { value: 'internet', name: "network 1 behind A, and B leads to the Internet (A's default route goes over teql0)" },
    ],
    default: 'two',
  };
}

/** `extra` adds checks that need the routers' facts (a network already connected on the wrong side). */
export function networkQuestion(what: string, fallback: string | undefined, taken: ReadonlyArray<{ what: string; cidr: string }>, extra: (v: string) => string | undefined = () => undefined): TextQuestion {
  return {
    message: `${what}: prefix`,
    ...(fallback ? { default: fallback } : {}),
    validate: (v) => ok(checkNetwork(v, taken) ?? extra(v.trim())),
  };
}

export function nameQuestion(fallback: string): TextQuestion {
  return {
    message: 'Name for the files (inventories/<name>.yml and playbooks/<name>.yml)',
    default: fallback,
    validate: (v) => (/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(v.trim()) && !v.trim().endsWith('.yml') ? true : 'letters, digits, . _ - (no .yml: it is added)'),
  };
}
