// ProxyJump and ProxyCommand as OpenSSH 9.2 reads them in ssh_config: not split into words, but the
// rest of the line (readconf.c), quotes and comments included. ProxyJump's text goes to parse_jump,
// which cuts it at the first `#` and checks every entry in every Host block (a bad one: "Invalid
// ProxyJump", the whole file refused); ProxyCommand's is the command, `none` only when it is just
// that. Pure. Checked against ssh -G of 9.2.
import type { JumpSpec } from '../load/proxy-jump.js';
import { sshPort, type ServicePort } from '../load/tcp-services.js';
import type { SshConfigOption } from './ssh-config.js';

/** ssh's text of the line after the keyword (`str + strspn(str, WHITESPACE "=")`). */
const rawOf = (opt: Pick<SshConfigOption, 'args' | 'raw'>) => (opt.raw ?? opt.args.join(' ')).replace(/^[\s=]+/, '');

/** One entry as parse_ssh_uri / parse_user_host_port (misc.c) take it; undefined where ssh does not. */
function entry(text: string, services?: ServicePort): JumpSpec | undefined {
  const uri = text.startsWith('ssh://');
  let rest = uri ? text.slice(6).replace(/\/$/, '') : text;
  // A URI's user ends at its first @ (;params dropped), a plain entry's at its last.
  const at = uri ? rest.indexOf('@') : rest.lastIndexOf('@');
  const user = at >= 0 ? (uri ? rest.slice(0, at).split(';')[0]! : rest.slice(0, at)) : undefined;
  if (user === '') return undefined;
  rest = rest.slice(at + 1);
  // A `/` after the user (`u@bastion/2200`, `ssh://b/22`): ssh -G of 9.2 says "Invalid ProxyJump";
  // it was taken as a port separator (a review).
  if (rest.includes('/')) return undefined;
  // `[v6]`, else up to the first `:`; then a port (a2port) if anything follows.
  const m = /^\[([^\]]*)\](?::(.*))?$/.exec(rest) ?? /^([^:[]*)(?::(.*))?$/.exec(rest);
  if (!m || m[1] === '') return undefined;
  const port = m[2] ? sshPort(m[2], services) : undefined;
  if (m[2] && port === undefined) return undefined;
  return { host: m[1]!, ...(user !== undefined ? { user } : {}), ...(port !== undefined ? { port } : {}) };
}

/** parse_jump: the entries (none: empty), or undefined where ssh says "Invalid ProxyJump" and refuses the file. */
export function parseJump(opt: Pick<SshConfigOption, 'args' | 'raw'>, services?: ServicePort): JumpSpec[] | undefined {
  const raw = rawOf(opt);
  if (raw.toLowerCase() === 'none') return [];
  const specs = raw.replace(/#.*/, '').trimEnd().split(',').map((e) => entry(e, services));
  return specs.every((s) => s !== undefined) ? (specs as JumpSpec[]) : undefined;
}

/**
 * The hops of a ProxyJump that applies (empty: none), or why teqlctl does not follow it where ssh
 * takes it as it stands but not as meant: quotes (ssh -G keeps them in the name: `"bastion"`),
 * `none # note` (ssh 9.2 compares the whole text with none, then jumps through a host named none),
 * a comment before a comma (ssh keeps it in the hosts before the last), a blank inside an entry.
 */
export function proxyJumpOf(opt: Pick<SshConfigOption, 'args' | 'raw' | 'source'>, services?: ServicePort): { jumps: JumpSpec[] } | { problem: string } {
  const raw = rawOf(opt);
  const at = `${opt.source}: ProxyJump ${raw}`;
  const jumps = parseJump(opt, services);
  if (!jumps) return { problem: `${at}: ssh says "Invalid ProxyJump" ([user@]host[:port][,...])` };
  const why = /["']/.test(raw) ? 'ssh takes the quotes as part of the host name (ssh -G prints them)'
    : /#.*,/.test(raw) ? 'ssh 9.2 keeps the comment in the jump hosts before the last'
      : raw.includes('#') && jumps.length === 1 && jumps[0]!.host.toLowerCase() === 'none' ? 'ssh 9.2 reads `none` followed by a comment as a jump host named none'
        : jumps.some((j) => /\s/.test(j.host)) ? 'an entry has a blank in it' : undefined;
  return why ? { problem: `${at}: not followed: ${why}` } : { jumps };
}

/** ProxyCommand `none` (any case, nothing else on the line): ssh -G then prints no proxycommand. */
export function isNoneCommand(opt: Pick<SshConfigOption, 'args' | 'raw'>): boolean {
  return rawOf(opt).toLowerCase() === 'none';
}
