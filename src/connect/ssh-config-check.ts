// The lines for which OpenSSH refuses a whole ssh_config file, whichever host is asked for (ssh -G
// exits 255 naming the line), as far as teqlctl's own reader can tell: it refuses the file too,
// where it would otherwise have gone on with a value ssh never uses. Pure. Checked against ssh -G
// of OpenSSH 9.2. Unknown keywords are not checked here (the list differs between versions).
import { argvSplit, type SshConfigBlock, type SshConfigOption } from './ssh-config.js';
import { parseJump } from './ssh-proxy-jump.js';
import { sshPort, type ServicePort } from '../load/tcp-services.js';

const FLAG = ['yes', 'no', 'true', 'false'];
// Keywords of one value (more is "extra arguments at end of line"), and the values ssh takes.
const ONE: Record<string, readonly string[] | ((v: string) => boolean) | undefined> = {
  hostname: undefined, user: undefined, hostkeyalias: undefined, identityfile: undefined,
  // Checked by sshPort, against the service names given.
  port: undefined,
  // `none` (lower case only) is taken by both: ssh -G of 9.2 prints serveraliveinterval 0 for it.
  connecttimeout: (v) => v === 'none' || timeSeconds(v) !== undefined,
  serveraliveinterval: (v) => v === 'none' || timeSeconds(v) !== undefined,
  identitiesonly: FLAG, hashknownhosts: FLAG, compression: FLAG,
  stricthostkeychecking: [...FLAG, 'ask', 'off', 'accept-new'],
  addressfamily: ['inet', 'inet6', 'any'],
};

const UNIT: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
const INT_MAX = 2 ** 31 - 1;

/**
 * A time of ssh_config in seconds, as `ssh -G` prints it (1m30s: 90); undefined when ssh would refuse
 * it. OpenSSH's convtime: a number of seconds, or numbers each with a unit s, m, h, d or w, the
 * total at most INT_MAX (ssh 9.2: `ConnectTimeout 3550w` is 2147040000, `3551w` and `2147483648`
 * are "invalid time value", for the whole file).
 */
export function timeSeconds(v: string): number | undefined {
  if (!/^(\d+|(\d+[smhdw])+\d*)$/i.test(v)) return undefined;
  const total = [...v.matchAll(/(\d+)([smhdw]?)/gi)].reduce((sum, [, n, u]) => sum + Number(n) * (UNIT[u!.toLowerCase()] ?? 1), 0);
  return total <= INT_MAX ? total : undefined;
}

function problem(opt: SshConfigOption, services: ServicePort): string | undefined {
  // ProxyJump: the rest of the line, as ssh reads it (`ProxyJump #x` is an invalid one).
  if (opt.key === 'proxyjump' && opt.raw && !parseJump(opt, services)) return `ProxyJump ${opt.raw}: ssh says "Invalid ProxyJump" ([user@]host[:port][,...])`;
  // argv_split fails the line, and ssh the file ("invalid quotes").
  if (opt.raw !== undefined && argvSplit(opt.raw).unclosed) return `${opt.key}: a quote that does not close (ssh says "invalid quotes")`;
  // `Key ""` too: ssh says "Missing argument".
  if (opt.args.length === 0 || opt.args[0] === '') return `${opt.key} has no value`;
  if (!(opt.key in ONE)) return undefined;
  if (opt.args.length > 1) return `${opt.key} has more than one value (${opt.args.join(' ')})`;
  const allowed = ONE[opt.key];
  const v = opt.args[0]!;
  if (opt.key === 'port') return sshPort(v, services) === undefined ? `port "${v}" is neither a port number 1..65535 nor a tcp service name of /etc/services` : undefined;
  const ok = allowed === undefined || (typeof allowed === 'function' ? allowed(v) : allowed.includes(v.toLowerCase()));
  return ok ? undefined : `${opt.key} "${v}" is not a value ssh takes`;
}

/**
 * `file:line: what`, for every line of any block (or Host line) ssh would refuse the file for;
 * `services` names the TCP service names a Port may be written as (ssh: /etc/services).
 */
export function refusedLines(blocks: readonly SshConfigBlock[], services?: ServicePort): string[] {
  const out: string[] = [];
  for (const b of blocks) {
    if (b.bare) out.push(`${b.source}: Host has no pattern`);
    if (b.unclosedQuote) out.push(`${b.source}: ${b.match ? 'Match' : 'Host'}: a quote that does not close (ssh says "invalid quotes")`);
    for (const opt of b.options) {
      const why = problem(opt, services ?? (() => undefined));
      if (why) out.push(`${opt.source}: ${why}`);
    }
  }
  return out;
}

/** HostName takes %h and %% only: OpenSSH 9.2 stops at any other token ("unknown key"). */
export function hostNameToken(opt: SshConfigOption | undefined): string | undefined {
  const bad = opt?.args[0]?.replace(/%[%h]/g, '').match(/%.?/)?.[0];
  return bad === undefined ? undefined : `${opt!.source}: HostName ${opt!.args[0]}: the token ${bad} is not one ssh expands there (%h %%)`;
}
