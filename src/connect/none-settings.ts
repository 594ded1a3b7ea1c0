// `UserKnownHostsFile none`, `GlobalKnownHostsFile none` and `IdentityAgent none`, the only values
// of them teqlctl's own reader takes (unfollowedSettings refuses the others), as ssh -G's path
// carries them (resolve-openssh.ts): no file of that kind, no agent. Pure.
import type { SshConfigOption } from './ssh-config.js';

// ssh's own defaults, as host-keys.ts reads them where ssh_config sets neither kind.
const userDefaults = (home: string) => [`${home}/.ssh/known_hosts`, `${home}/.ssh/known_hosts2`];
const GLOBAL_DEFAULTS = ['/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2'];

type First = (key: string) => SshConfigOption | undefined;

/** The whole value is none (ssh: "none" must appear alone; it refuses the file otherwise). */
const isNone = (opt: SshConfigOption | undefined) => opt !== undefined && opt.args.length === 1 && opt.args[0]!.toLowerCase() === 'none';

/**
 * The known_hosts files ssh reads where one kind is none: the other kind's defaults stay. They were
 * read all the same, and --accept-new wrote to ~/.ssh/known_hosts (a review); with no user file, a
 * key accepted on first use is recorded nowhere and said so (host-keys.ts recordFileFor).
 */
export function knownHostsOfNone(first: First, home: string): { knownHosts?: { user: string[]; global: string[] } } {
  const user = isNone(first('userknownhostsfile'));
  const global = isNone(first('globalknownhostsfile'));
  if (!user && !global) return {};
  return { knownHosts: { user: user ? [] : userDefaults(home), global: global ? [] : [...GLOBAL_DEFAULTS] } };
}

/** `IdentityAgent none`: no agent (SSH_AUTH_SOCK's was asked all the same: a review). */
export function agentOfNone(first: First): { agent?: null } {
  return isNone(first('identityagent')) ? { agent: null } : {};
}
