// ansible_ssh_common_args / ansible_ssh_extra_args: the ssh options teqlctl can carry out itself.
// Anything else in them is refused, not dropped: `-o ProxyCommand=...` ignored would connect to
// another machine than Ansible does. Pure: text in, settings or the reason out.
import { argvSplit } from './ssh-words.js';
import { parseProxyJump } from './proxy-jump.js';
import { sshPort, tcpServicePort } from './tcp-services.js';
import { shellWords } from './shell-words.js';

export interface SshArgSettings {
  proxyJump?: string;
  port?: number;
  user?: string;
  /** -i / -o IdentityFile, in order, as written (`~` not yet expanded). */
  identityFiles: string[];
  /** StrictHostKeyChecking=yes: never trust a new host key, even with --accept-new. */
  strictHostKeys?: true;
  /** IdentitiesOnly=yes|no: of the agent's keys, only those of the key files named (yes). */
  identitiesOnly?: boolean;
  /** -F: the ssh_config file to read instead of ~/.ssh/config (the last -F: ssh reads that one only). */
  configFile?: string;
  /** A -J was read (ssh refuses a second one, in the common args or the extra args). */
  jumpFlag?: true;
}

export type SshArgsResult = { ok: true } | { ok: false; why: string; hint: string };

const MAPPED = 'teqlctl maps -o ProxyJump=, -J, -o Port=, -o User=, -i, -o IdentityFile=, -o IdentitiesOnly=, -o StrictHostKeyChecking=yes and -F';
const REFUSED_HINT: Record<string, string> = {
  proxycommand: 'use -o ProxyJump=[user@]host[:port] (or -J) instead',
  stricthostkeychecking: 'teqlctl always checks host keys; accept a new one once with --accept-new, after checking its fingerprint',
  userknownhostsfile: 'name an extra known_hosts file with teqlctl_known_hosts_file',
  '-p': 'set ansible_port (or -o Port=)',
  '-l': 'set ansible_user (or -o User=)',
};

/** Reads `text` into `into`, where a value already there wins (ssh keeps the first value of an option; -F the last). */
export function readSshArgs(text: string, into: SshArgSettings): SshArgsResult {
  const split = shellWords(text);
  if ('error' in split) return { ok: false, why: `cannot split it as ssh's arguments: ${split.error}`, hint: 'quote as in a shell, e.g. -o ProxyJump=admin@bastion' };
  const words = split.words;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const flag = /^-[A-Za-z]/.test(w) ? w.slice(0, 2) : undefined;
    if (!flag || !['-o', '-J', '-i', '-F'].includes(flag)) {
      const what = flag ? `the option ${flag}` : `${JSON.stringify(w)} (not an option)`;
      return { ok: false, why: `${what} is not supported`, hint: REFUSED_HINT[flag ?? ''] ?? MAPPED };
    }
    const value = w.length > 2 ? w.slice(2) : words[++i];
    if (value === undefined || value === '') return { ok: false, why: `${flag} needs a value`, hint: MAPPED };
    if (flag === '-J') {
      if (into.jumpFlag) return { ok: false, why: `a second -J ${value}: ssh permits a single -J option`, hint: 'name every jump host in one, separated by commas: -J admin@bastion1,bastion2' };
      // ssh stops at -J when a ProxyJump came before it (-o ProxyJump=a -J b: "Only a single -J
      // option is permitted"), so the Ansible run fails there; taking the first was a guess (a review).
      if (into.proxyJump !== undefined) return { ok: false, why: `-J ${value} after -o ProxyJump=${into.proxyJump}: ssh permits a single -J option, a ProxyJump before it counting as one (it stops there)`, hint: 'give the jump hosts once, as -J or as -o ProxyJump' };
      into.jumpFlag = true;
    }
    const r = flag === '-o' ? option(value, into) : set(flag === '-J' ? 'proxyjump' : flag === '-i' ? 'identityfile' : 'F', value, into);
    if (!r.ok) return r;
  }
  return { ok: true };
}

function option(line: string, into: SshArgSettings): SshArgsResult {
  const m = /^([A-Za-z]+)\s*(?:=\s*|\s+)(.+)$/.exec(line.trim());
  if (!m) return { ok: false, why: `-o ${JSON.stringify(line)} is not Keyword=value`, hint: 'e.g. -o ProxyJump=admin@bastion' };
  const key = m[1]!.toLowerCase();
  // ProxyJump and ProxyCommand: ssh reads the rest of the line as written (quotes kept).
  if (key === 'proxyjump' || key === 'proxycommand') return set(key, m[2]!.trim(), into, m[1]!);
  // Any other: read as a config line, its quotes taken off (`-o User="admin"`, as Ansible writes
  // it, is admin; they were kept, a review), and one word, as ssh 9.2 says.
  const { words, unclosed } = argvSplit(m[2]!);
  if (unclosed) return { ok: false, why: `-o ${JSON.stringify(line)}: a quote that does not close (ssh says "invalid quotes")`, hint: 'close the quote' };
  if (words.length === 1 && words[0] === '') return { ok: false, why: `-o ${JSON.stringify(line)}: an empty value (ssh says "missing argument")`, hint: 'give the value, or leave the option out' };
  if (words.length !== 1) return { ok: false, why: `-o ${JSON.stringify(line)}: ${words.length === 0 ? 'no value' : 'more than one value (ssh says "extra arguments at end of line")'}`, hint: 'quote a value with spaces: -o \'IdentityFile="/keys/my key"\'' };
  return set(key, words[0]!, into, m[1]!);
}

function set(key: string, value: string, into: SshArgSettings, written = key): SshArgsResult {
  const bad = (why: string, hint = MAPPED): SshArgsResult => ({ ok: false, why, hint });
  switch (key) {
    case 'proxyjump':
      if (value.toLowerCase() !== 'none' && !parseProxyJump(value, tcpServicePort)) return bad(`ProxyJump ${JSON.stringify(value)} is not [user@]host[:port][,...]`, 'e.g. -o ProxyJump=admin@bastion:2222');
      into.proxyJump ??= value;
      return { ok: true };
    case 'proxycommand':
      // `none` is no proxy, as -o ProxyJump=none (ssh takes the first of the two, whichever it is):
      // refused, it was said as a ProxyCommand teqlctl cannot run (a review). Any other is refused.
      if (value.toLowerCase() !== 'none') return bad(`-o ${written} is not supported`, REFUSED_HINT[key] ?? MAPPED);
      into.proxyJump ??= 'none';
      return { ok: true };
    case 'port': {
      // As ssh's a2port: a number, or a TCP service name of /etc/services (Port=ssh is 22).
      const port = sshPort(value, tcpServicePort);
      if (port === undefined) return bad(`Port ${JSON.stringify(value)} is not a port number 1..65535 or a TCP service name of /etc/services`, 'e.g. -o Port=2222');
      into.port ??= port;
      return { ok: true };
    }
    case 'user':
      if (/\s/.test(value) || value.startsWith('-')) return bad(`User ${JSON.stringify(value)} is not a user name`, 'e.g. -o User=admin');
      into.user ??= value;
      return { ok: true };
    case 'identityfile':
      into.identityFiles.push(value);
      return { ok: true };
    case 'F':
      // Not the first value, as for -o: ssh keeps the last -F and reads that file only.
      into.configFile = value;
      return { ok: true };
    case 'stricthostkeychecking':
      if (!['yes', 'true'].includes(value.toLowerCase())) return bad(`StrictHostKeyChecking=${value} is not supported (only yes)`, REFUSED_HINT.stricthostkeychecking!);
      into.strictHostKeys = true;
      return { ok: true };
    case 'identitiesonly': {
      const yes = ['yes', 'true'].includes(value.toLowerCase());
      if (!yes && !['no', 'false'].includes(value.toLowerCase())) return bad(`IdentitiesOnly=${value} is not yes or no`, 'e.g. -o IdentitiesOnly=yes');
      into.identitiesOnly ??= yes;
      return { ok: true };
    }
    default:
      return bad(`-o ${written} is not supported`, REFUSED_HINT[key] ?? MAPPED);
  }
}
