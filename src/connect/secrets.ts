// Secrets for connecting (the become password, a key passphrase), from where the operator put them:
// a file, an environment variable, or a question asked once and shared by every host that needs it.
// They only ever go into ConnectOptions: never into argv, logs, the journal or JSON.
import { readFileSync, statSync } from 'node:fs';
import { ConfigError, RunFailure } from '../errors.js';
import { isPromptExit } from '../ui/prompt-exit.js';

/**
 * Why a file holding a secret is refused, as OpenSSH refuses a private key (sshkey_perm_ok in
 * authfile.c: owned by the user and `st_mode & 077` set -> "UNPROTECTED PRIVATE KEY FILE!"), or
 * undefined when only its owner can read it.
 */
export function tooOpen(file: string, mode: number, uid: number, myUid = process.getuid?.() ?? -1): string | undefined {
  if (uid !== myUid || (mode & 0o077) === 0) return undefined;
  return `permissions ${(mode & 0o777).toString(8).padStart(4, '0')} for '${file}' are too open: group or others may read it (OpenSSH refuses such a private key)`;
}

export interface SecretFlags {
  becomePasswordFile?: string;
  keyPassphraseFile?: string;
}

export interface GivenSecrets {
  becomePassword?: string;
  keyPassphrase?: string;
}

function readSecretFile(file: string, flag: string): string {
  // An empty name is no file (it fell back to the environment or a question without a word).
  if (file === '') throw new ConfigError(`${flag} is empty`, undefined, `give the file holding the secret, or leave ${flag} out`);
  try {
    const st = statSync(file);
    // What it is first: a folder or a device is no secret file, and "chmod 600 /dev/null" as root
    // would break the machine (a review). A pipe (<(pass show ...)) is read as a file is.
    if (st.isDirectory() || st.isCharacterDevice() || st.isBlockDevice() || st.isSocket()) {
      throw new ConfigError(`${flag} ${file}: it is ${st.isDirectory() ? 'a folder' : 'a device or socket'}, not a file holding the secret`, undefined, 'give a regular file (mode 0600) or a pipe, e.g. <(pass show router-sudo)');
    }
    const why = tooOpen(file, st.mode, st.uid);
    if (why) throw new ConfigError(`${flag} ${file}: ${why}`, undefined, `chmod 600 ${file}`);
    return readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError(`${flag} ${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

/** A file flag wins over its environment variable; an empty value counts as none. */
export function givenSecrets(flags: SecretFlags, env: NodeJS.ProcessEnv): GivenSecrets {
  const become = flags.becomePasswordFile !== undefined ? readSecretFile(flags.becomePasswordFile, '--become-password-file') : env.TEQLCTL_BECOME_PASSWORD;
  const passphrase = flags.keyPassphraseFile !== undefined ? readSecretFile(flags.keyPassphraseFile, '--key-passphrase-file') : env.TEQLCTL_SSH_PASSPHRASE;
  return { ...(become ? { becomePassword: become } : {}), ...(passphrase ? { keyPassphrase: passphrase } : {}) };
}

/**
 * --become-password-file given where no host the command reaches becomes (ansible_become): read and
 * checked, then used by nothing, without a word (a review). Said in a note; undefined otherwise.
 */
export function unusedBecomeFile(flags: SecretFlags, becomes: readonly boolean[]): string | undefined {
  if (flags.becomePasswordFile === undefined || becomes.some((b) => b)) return undefined;
  return `--become-password-file ${flags.becomePasswordFile} is used by nothing: no host this command reaches becomes (ansible_become is not true for any)`;
}

export interface Askers {
  askBecomePassword: () => Promise<string>;
  askKeyPassphrase: (file: string) => Promise<string>;
}

/**
 * Questions for an interactive run: one at a time (hosts connect in parallel), each asked once:
 * one become password for every host whose sudo wants one, one passphrase per key file.
 * `onSecret` sees each answer, so that the run log can redact it.
 */
export function askOnce(ask: (message: string) => Promise<string>, onSecret: (secret: string) => void, onQuit?: () => void): Askers {
  let queue: Promise<unknown> = Promise.resolve();
  // Ctrl-C (or a closed terminal) at a question stops the command, not one host's connection: the
  // run went on connecting (and would have applied the others' bundles) and ended with exit 3 (a
  // review). Every question after it is refused at once, unasked.
  let quit: RunFailure | undefined;
  const asked = async (message: string): Promise<string> => {
    if (quit) throw quit;
    try {
      return await ask(message);
    } catch (err) {
      if (!isPromptExit(err)) throw err;
      quit = new RunFailure('interrupted', `interrupted at the question "${message}" (Ctrl-C, or the terminal closed): nothing was changed`);
      onQuit?.();
      throw quit;
    }
  };
  const serial = (message: string): Promise<string> => {
    const answer = queue.then(() => asked(message));
    queue = answer.catch(() => undefined);
    return answer.then((s) => {
      if (s) onSecret(s);
      return s;
    });
  };
  let become: Promise<string> | undefined;
  const passphrases = new Map<string, Promise<string>>();
  return {
    askBecomePassword: () => (become ??= serial('sudo password for become:')),
    askKeyPassphrase: (file) => {
      if (!passphrases.has(file)) passphrases.set(file, serial(`passphrase for ${file}:`));
      return passphrases.get(file)!;
    },
  };
}
