// Pure: the OpenSSH client command line for a lab router. Host keys are always checked strictly.
export interface SshTarget {
  port: number;
  key: string;
  knownHosts: string;
  user?: string;
}

export function sshArgs(target: SshTarget, command: string[] = [], extra: string[] = []): string[] {
  return [
    '-o', 'StrictHostKeyChecking=yes',
    '-o', `UserKnownHostsFile=${target.knownHosts}`,
    '-o', 'GlobalKnownHostsFile=/dev/null',
    '-o', 'BatchMode=yes',
    '-o', 'IdentitiesOnly=yes',
    '-o', 'LogLevel=ERROR',
    '-i', target.key,
    '-p', String(target.port),
    ...extra,
    `${target.user ?? 'root'}@127.0.0.1`,
    ...(command.length > 0 ? ['--', ...command] : []),
  ];
}

/** The same as one line a person can paste into a shell. */
export function sshCommandLine(target: SshTarget): string {
  const quote = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
  return ['ssh', ...sshArgs(target)].map(quote).join(' ');
}
