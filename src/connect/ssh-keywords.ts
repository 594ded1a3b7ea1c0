// The keywords OpenSSH's client takes in ssh_config: any other makes ssh refuse the whole file
// ("Bad configuration option"), even in a Host block that does not apply, unless an IgnoreUnknown
// read before it names it. teqlctl's own reader (no ssh installed) refuses the same, naming the line:
// a typo (`Prot 2222`) ignored would connect elsewhere than the operator wrote. Pure.
import { hostMatches, type SshConfigBlock } from './ssh-config.js';

// Every word ssh 9.2 (Debian 12) does not call a bad option, found by giving it each word of its
// binary's strings (deprecated and unsupported ones, which ssh only warns about, included).
const OPENSSH_9_2 = [
  'addkeystoagent', 'addressfamily', 'afstokenpassing', 'batchmode', 'bindaddress', 'bindinterface',
  'canonicaldomains', 'canonicalizefallbacklocal', 'canonicalizehostname', 'canonicalizemaxdots',
  'canonicalizepermittedcnames', 'casignaturealgorithms', 'certificatefile',
  'challengeresponseauthentication', 'checkhostip', 'cipher', 'ciphers', 'clearallforwardings',
  'compression', 'compressionlevel', 'connectionattempts', 'connecttimeout', 'controlmaster',
  'controlpath', 'controlpersist', 'dsaauthentication', 'dynamicforward', 'enableescapecommandline',
  'enablesshkeysign', 'escapechar', 'exitonforwardfailure', 'fallbacktorsh', 'fingerprinthash',
  'forkafterauthentication', 'forwardagent', 'forwardx11', 'forwardx11timeout', 'forwardx11trusted',
  'gatewayports', 'globalknownhostsfile', 'globalknownhostsfile2', 'gssapiauthentication',
  'gssapiclientidentity', 'gssapidelegatecredentials', 'gssapikexalgorithms', 'gssapikeyexchange',
  'gssapirenewalforcesrekey', 'gssapiserveridentity', 'gssapitrustdns', 'hashknownhosts', 'host',
  'hostbasedacceptedalgorithms', 'hostbasedauthentication', 'hostbasedkeytypes',
  'hostkeyalgorithms', 'hostkeyalias', 'hostname', 'identitiesonly', 'identityagent',
  'identityfile', 'identityfile2', 'ignoreunknown', 'include', 'ipqos',
  'kbdinteractiveauthentication', 'kbdinteractivedevices', 'keepalive', 'kerberosauthentication',
  'kerberostgtpassing', 'kexalgorithms', 'knownhostscommand', 'localcommand', 'localforward',
  'loglevel', 'logverbose', 'macs', 'match', 'nohostauthenticationforlocalhost',
  'numberofpasswordprompts', 'passwordauthentication', 'permitlocalcommand', 'permitremoteopen',
  'pkcs11provider', 'port', 'preferredauthentications', 'protocol', 'protocolkeepalives',
  'proxycommand', 'proxyjump', 'proxyusefdpass', 'pubkeyacceptedalgorithms',
  'pubkeyacceptedkeytypes', 'pubkeyauthentication', 'rekeylimit', 'remotecommand', 'remoteforward',
  'requesttty', 'requiredrsasize', 'revokedhostkeys', 'rhostsauthentication',
  'rhostsrsaauthentication', 'rsaauthentication', 'securitykeyprovider', 'sendenv',
  'serveralivecountmax', 'serveraliveinterval', 'sessiontype', 'setenv', 'setuptimeout',
  'skeyauthentication', 'smartcarddevice', 'stdinnull', 'streamlocalbindmask',
  'streamlocalbindunlink', 'stricthostkeychecking', 'syslogfacility', 'tcpkeepalive',
  'tisauthentication', 'tunnel', 'tunneldevice', 'updatehostkeys', 'useblacklistedkeys',
  'useprivilegedport', 'user', 'userknownhostsfile', 'userknownhostsfile2', 'useroaming', 'usersh',
  'verifyhostkeydns', 'visualhostkey', 'xauthlocation',
];
// Taken by later or other builds of ssh: a file written for them is not refused here (ssh 9.2
// would): Tag (9.4), ObscureKeystrokeTiming (9.5), ChannelTimeout (9.6), RefuseConnection (10.0),
// WarnWeakCrypto (10.1), and Apple's UseKeychain (macOS).
const LATER = ['tag', 'obscurekeystroketiming', 'channeltimeout', 'refuseconnection', 'warnweakcrypto', 'usekeychain'];

const KNOWN = new Set([...OPENSSH_9_2, ...LATER]);

/**
 * `file:line: unknown keyword` for each line ssh would refuse the file for when asked for `name`:
 * IgnoreUnknown counts from its line on, in a block that applies to `name`, first value only.
 */
export function unknownKeywords(blocks: readonly SshConfigBlock[], name: string): string[] {
  let ignored: string[] | undefined;
  const out: string[] = [];
  for (const b of blocks) {
    const applies = !b.match && hostMatches(b.patterns, name);
    for (const opt of b.options) {
      if (opt.key === 'ignoreunknown' && applies) ignored ??= opt.args.join(',').toLowerCase().split(',');
      if (KNOWN.has(opt.key) || (ignored && hostMatches(ignored, opt.key))) continue;
      out.push(`${opt.source}: unknown keyword ${JSON.stringify(opt.key)}`);
    }
  }
  return out;
}
