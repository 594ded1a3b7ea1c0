// A play given connection variables with -e (`-e ansible_user=admin`) logged in with them; status,
// rollback and unlock read the inventory alone, so without the same -e they logged in otherwise (as
// another user, on another port), with no word of it. `play` records the names of those it was
// given (never their values: a password may be one); the others compare them with their own -e.
import { ConfigError } from '../errors.js';
import type { VarLayer } from '../load/scope.js';

// Ansible's older names and the current ones name one variable: a play given -e ansible_ssh_user
// is rolled back with -e ansible_user (a review found it refused).
const SAME_AS: Record<string, string> = {
  ansible_ssh_host: 'ansible_host', ansible_ssh_port: 'ansible_port', ansible_ssh_user: 'ansible_user',
  ansible_ssh_private_key_file: 'ansible_private_key_file', ansible_ssh_pass: 'ansible_password', ansible_become_pass: 'ansible_become_password',
};
const canonical = (name: string) => SAME_AS[name] ?? name;

/** The -e variables that set how a host is reached (Ansible's connection variables are all `ansible_*`). */
export function connectionExtraNames(extra: VarLayer): string[] {
  return [...extra.origins.keys()].filter((n) => n.startsWith('ansible_')).sort();
}

/**
 * Refuses (exit 2, before any connection) a command that changes routers without the connection
 * variables the run it acts for was given; a command that only reads them, or one given --force
 * (an operator who knows how to log in now), says so instead.
 */
export function checkRunExtraVars(run: { runId: string; extraNames: readonly string[] } | undefined, extra: VarLayer, purpose: 'read' | 'change', note: (text: string) => void): void {
  const given = new Set([...extra.origins.keys()].map(canonical));
  const missing = (run?.extraNames ?? []).filter((n) => !given.has(canonical(n)));
  if (!run || missing.length === 0) return;
  const again = missing.map((n) => `-e ${n}=...`).join(' ');
  const said = `run ${run.runId} was played with ${missing.map((n) => `-e ${n}`).join(', ')}, which set how it logged in; this command was not given ${missing.length > 1 ? 'them' : 'it'} and reads the inventory alone`;
  if (purpose === 'read') {
    note(`${said}: give ${again} as the run was given ${missing.length > 1 ? 'them' : 'it'} to log in as it did`);
    return;
  }
  throw new ConfigError(said, undefined, `give ${again} again, as the run was given ${missing.length > 1 ? 'them' : 'it'} (teqlctl records the names, never the values, which may be secrets); any value is taken as yours`);
}
