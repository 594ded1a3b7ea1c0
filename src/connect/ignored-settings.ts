// ssh_config's settings for an interactive session that teqlctl's own commands leave out: said
// at login, through ssh -G (resolve-openssh.ts) and through teqlctl's own reader (resolve-target.ts).
import { hostMatches, type SshConfigBlock } from './ssh-config.js';

// The locale, which Debian's and RHEL's /etc/ssh/ssh_config send to every host: the system's
// default, not a choice (and teqlctl's scripts set LANG=C themselves).
const isLocale = (v: string) => /^(LANG|LANGUAGE|LC_[A-Z_*]*|XMODIFIERS)$/.test(v);

/**
 * ssh -G's settings for an interactive session that teqlctl does not follow and that do not change
 * where or as whom it logs in: said as a warning (never silently dropped), the run goes on. ssh
 * itself refuses RemoteCommand with a command line, as Ansible's runs do.
 */
export function ignoredSettings(g: Map<string, string[]>): string[] {
  const out: string[] = [];
  const one = (k: string) => g.get(k)?.[0];
  if (one('remotecommand') !== undefined && one('remotecommand')!.toLowerCase() !== 'none') out.push(`RemoteCommand ${one('remotecommand')}: not run (teqlctl sends its own commands)`);
  const tty = one('requesttty')?.toLowerCase();
  if (tty === 'yes' || tty === 'force' || tty === 'true') out.push(`RequestTTY ${tty}: no terminal is asked for (teqlctl's scripts run without one)`);
  const setEnv = g.get('setenv') ?? [];
  if (setEnv.length > 0) out.push(`SetEnv ${setEnv.join(' ')}: not sent (teqlctl's scripts set their own environment)`);
  const sendEnv = (g.get('sendenv') ?? []).flatMap((v) => v.split(/\s+/)).filter((v) => v !== '' && !isLocale(v));
  if (sendEnv.length > 0) out.push(`SendEnv ${sendEnv.join(' ')}: not sent (teqlctl's scripts set their own environment)`);
  // ssh runs it on this machine after login where PermitLocalCommand allows it (a review: not said).
  const local = one('localcommand');
  if (/^(yes|true)$/i.test(one('permitlocalcommand') ?? '') && local !== undefined && local.toLowerCase() !== 'none') out.push(`LocalCommand ${local}: not run (teqlctl runs no command of its own on this machine at login)`);
  for (const [k, name] of [['localforward', 'LocalForward'], ['remoteforward', 'RemoteForward'], ['dynamicforward', 'DynamicForward']] as const) {
    if ((g.get(k) ?? []).length > 0) out.push(`${name}: not set up (teqlctl opens no forwards)`);
  }
  out.push(...loginSettings(one));
  return out;
}

/** The key types whose every signature algorithm a PubkeyAcceptedAlgorithms list leaves out. */
const KEY_FAMILIES: ReadonlyArray<[string, string[]]> = [['ed25519', ['ssh-ed25519']], ['RSA', ['rsa-sha2-512', 'rsa-sha2-256']], ['ECDSA', ['ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521']]];

function leftOutKeys(value: string): string[] {
  const list = value.slice(/^[-+^]/.test(value) ? 1 : 0).split(',').filter(Boolean);
  // `+` and `^`: added to ssh's defaults (at their end or head), which hold every family; `-`: those
  // patterns taken out of them; else the list itself, whose entries may be patterns too.
  if (value.startsWith('+') || value.startsWith('^')) return [];
  const gone = (alg: string) => (value.startsWith('-') ? hostMatches(list, alg) : !hostMatches(list, alg));
  return KEY_FAMILIES.filter(([, algs]) => algs.every(gone)).map(([name]) => name);
}

/**
 * How ssh would log in, where teqlctl logs in otherwise: with a key (it takes no password), once,
 * offering the keys it finds. Said, never dropped without a word (a review found all three silent).
 */
function loginSettings(one: (k: string) => string | undefined): string[] {
  const out: string[] = [];
  const attempts = one('connectionattempts');
  if (attempts !== undefined && attempts !== '1') out.push(`ConnectionAttempts ${attempts}: teqlctl tries each connection once (a router it cannot reach is said as unreachable)`);
  const preferred = one('preferredauthentications');
  if (preferred !== undefined && !preferred.toLowerCase().split(',').includes('publickey')) out.push(`PreferredAuthentications ${preferred}: teqlctl logs in with a key all the same (publickey, which this list leaves out)`);
  const accepted = one('pubkeyacceptedalgorithms') ?? one('pubkeyacceptedkeytypes');
  const keys = accepted === undefined ? [] : leftOutKeys(accepted);
  if (keys.length > 0) out.push(`PubkeyAcceptedAlgorithms leaves out ${keys.join(', ')} keys: teqlctl offers such a key all the same`);
  return out;
}

/** Keywords ignoredSettings reads; ssh_config lines of them add up (SendEnv, the forwards), as ssh -G prints them. */
const SESSION_KEYS = ['remotecommand', 'localcommand', 'permitlocalcommand', 'requesttty', 'setenv', 'sendenv', 'localforward', 'remoteforward', 'dynamicforward', 'connectionattempts', 'preferredauthentications', 'pubkeyacceptedalgorithms', 'pubkeyacceptedkeytypes'];
/** Single values: the first line wins, as ssh reads them. */
const FIRST_WINS = ['remotecommand', 'localcommand', 'permitlocalcommand', 'requesttty', 'connectionattempts', 'preferredauthentications', 'pubkeyacceptedalgorithms', 'pubkeyacceptedkeytypes'];

/** ignoredSettings for teqlctl's own reader: each keyword's lines for `name`, as ssh -G would list them (it said nothing until 2026-12-05: a review). */
export function ignoredOfConfig(blocks: readonly SshConfigBlock[], name: string): string[] {
  const g = new Map<string, string[]>();
  for (const block of blocks) {
    if (block.match || !hostMatches(block.patterns, name)) continue;
    for (const opt of block.options) {
      if (!SESSION_KEYS.includes(opt.key) || opt.args.length === 0) continue;
      // RemoteCommand and RequestTTY: the first line wins, as for any single value.
      if (FIRST_WINS.includes(opt.key) && g.has(opt.key)) continue;
      g.set(opt.key, [...(g.get(opt.key) ?? []), opt.args.join(' ')]);
    }
  }
  return ignoredSettings(g);
}
