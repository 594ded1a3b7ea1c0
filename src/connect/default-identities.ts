// Which key files a hop offers from IdentityFile, as OpenSSH 9.2 picks them: those named, else
// ssh's default list of ~/.ssh files, or none at all for `IdentityFile none`. Pure: `exists` asks.

/** OpenSSH 9.2's default IdentityFile list, in its order (`ssh -G -F /dev/null x | grep identityfile`). */
export const SSH_DEFAULT_IDENTITIES = ['id_rsa', 'id_ecdsa', 'id_ecdsa_sk', 'id_ed25519', 'id_ed25519_sk', 'id_xmss', 'id_dsa'];

/**
 * Those of them teqlctl's SSH client (ssh2) can offer, in ssh's order: ed25519 went first, ahead of
 * ssh's id_rsa, so a router that counts failed keys (MaxAuthTries) saw another first key (a review).
 */
export const DEFAULT_IDENTITIES = ['id_rsa', 'id_ecdsa', 'id_ed25519'];

/**
 * Keys on a security key (FIDO) and XMSS keys: ssh offers them by default, ssh2 cannot sign with
 * them; one that exists is said, not skipped silently (a review). id_dsa is left out: ssh 9.2 loads
 * it but offers it to no server (ssh-dss is not in its default PubkeyAcceptedAlgorithms).
 */
const UNUSABLE_DEFAULTS = ['id_ecdsa_sk', 'id_ed25519_sk', 'id_xmss'];

export interface KeyFiles {
  identityFiles: string[];
  defaultIdentities: boolean;
  /** Default key files that exist but that teqlctl cannot offer (said at login: unusableDefaultNotes). */
  unusableDefaults?: string[];
}

/** `IdentityFile none` (any case, as ssh's load_public_identity_files skips it): a file named, that is none. */
export const isNoneFile = (f: string): boolean => f.toLowerCase() === 'none';

/**
 * The files a hop offers: `named` (none entries dropped) where any was written; else nothing when
 * `IdentityFile none` was, as ssh then adds no defaults (only agent keys are offered: teqlctl offered
 * ~/.ssh/id_* all the same, a review); else ssh's defaults that exist.
 */
export function keyFilesOf(named: readonly string[], home: string, exists: (path: string) => boolean): KeyFiles {
  const files = [...new Set(named.filter((f) => !isNoneFile(f)))];
  if (files.length > 0) return { identityFiles: files, defaultIdentities: false };
  if (named.length > 0) return { identityFiles: [], defaultIdentities: false };
  const present = (keys: readonly string[]) => keys.map((k) => `${home}/.ssh/${k}`).filter((p) => exists(p));
  const unusable = present(UNUSABLE_DEFAULTS);
  return { identityFiles: present(DEFAULT_IDENTITIES), defaultIdentities: true, ...(unusable.length > 0 ? { unusableDefaults: unusable } : {}) };
}

/** Why each unusable default key is not offered, for the login's notes (said as a warning, or in its error). */
export function unusableDefaultNotes(files: readonly string[] = []): string[] {
  return files.map((f) => `${f} is ${/_sk$/.test(f) ? 'a security key (FIDO) key' : 'an XMSS key'} ssh would offer by default; teqlctl's SSH client cannot use it, so it is not offered (name another key with IdentityFile)`);
}
