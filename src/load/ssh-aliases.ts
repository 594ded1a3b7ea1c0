// The older names OpenSSH 9.2 still reads as another keyword (readconf.c's table): read as that
// one, so that what it sets is weighed as ssh takes it. Here, below src/connect, because both an
// ssh_config file (connect/ssh-config.ts) and ssh options of ansible.cfg (ansible-cfg-settings.ts)
// are read with it: a review found IdentityFile2 and SmartcardDevice ignored in an ssh_config,
// and `ssh_args = -o IdentityFile2=...` passed as moving nothing.
const ALIASES: Readonly<Record<string, string>> = {
  identityfile2: 'identityfile', smartcarddevice: 'pkcs11provider', dsaauthentication: 'pubkeyauthentication',
  challengeresponseauthentication: 'kbdinteractiveauthentication', skeyauthentication: 'kbdinteractiveauthentication',
  tisauthentication: 'kbdinteractiveauthentication', keepalive: 'tcpkeepalive',
  hostbasedkeytypes: 'hostbasedacceptedalgorithms', pubkeyacceptedkeytypes: 'pubkeyacceptedalgorithms',
};

/** A keyword as ssh reads it: in lower case (ssh ignores case), an older name as its current one. */
export function sshKeyword(name: string): string {
  const key = name.toLowerCase();
  return ALIASES[key] ?? key;
}
