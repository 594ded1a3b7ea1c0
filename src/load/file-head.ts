// What the first bytes of a file say it is, when that is something teqlctl refuses to read.
import type { SourcePos } from '../errors.js';

export interface HeadRefusal {
  message: string;
  hint: string;
}

export const VAULT_HINT = 'keep secrets out of what teqlctl reads: a sudo password goes in --become-password-file, a key passphrase in --key-passphrase-file; `ansible-vault view FILE` shows what it holds';

/** An Ansible Vault file: refused, as teqlctl holds no vault password (and never decrypts anything). */
export function vaultRefusal(text: string, file: string): HeadRefusal | undefined {
  if (!text.startsWith('$ANSIBLE_VAULT;')) return undefined;
  return {
    message: `'${file}' is encrypted with Ansible Vault, which teqlctl does not read`,
    hint: VAULT_HINT,
  };
}

export function at1(file: string): SourcePos {
  return { file, line: 1, col: 1 };
}
