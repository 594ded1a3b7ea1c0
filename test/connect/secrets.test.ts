import { describe, expect, it } from 'vitest';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { askOnce, givenSecrets, tooOpen, unusedBecomeFile } from '../../src/connect/secrets.js';
import { readPrivateKey } from '../../src/connect/identities.js';
import { ed25519KeyPair } from '../helpers/keys.js';
import { ConfigError } from '../../src/errors.js';

describe('a --become-password-file no host uses', () => {
  it('is said where no host the command reaches becomes (it was read, then used by nothing, without a word: a review)', () => {
    expect(unusedBecomeFile({ becomePasswordFile: '/run/pw' }, [false, false])).toBe('--become-password-file /run/pw is used by nothing: no host this command reaches becomes (ansible_become is not true for any)');
    expect(unusedBecomeFile({ becomePasswordFile: '/run/pw' }, [false, true])).toBeUndefined();
    expect(unusedBecomeFile({}, [false])).toBeUndefined();
  });
});

describe('secrets given up front', () => {
  const dir = mkdtempSync(join(tmpdir(), 'teqlctl-secrets-'));
  const file = (name: string, text: string) => {
    writeFileSync(join(dir, name), text, { mode: 0o600 });
    return join(dir, name);
  };

  it('from the environment', () => {
    expect(givenSecrets({}, { TEQLCTL_BECOME_PASSWORD: 'pw', TEQLCTL_SSH_PASSPHRASE: 'pp' })).toEqual({ becomePassword: 'pw', keyPassphrase: 'pp' });
  });

  it('a file wins over the environment; one trailing newline is dropped, the rest kept', () => {
    const s = givenSecrets({ becomePasswordFile: file('b', 'from file \n'), keyPassphraseFile: file('k', 'pass\r\n') }, { TEQLCTL_BECOME_PASSWORD: 'env' });
    expect(s).toEqual({ becomePassword: 'from file ', keyPassphrase: 'pass' });
  });

  it('empty means none', () => {
    expect(givenSecrets({}, { TEQLCTL_BECOME_PASSWORD: '' })).toEqual({});
  });

  it('an unreadable file is bad input (exit 2) and the message holds no secret', () => {
    expect(() => givenSecrets({ becomePasswordFile: join(dir, 'missing') }, {})).toThrow(ConfigError);
    expect(() => givenSecrets({ becomePasswordFile: join(dir, 'missing') }, {})).toThrow(/--become-password-file .*missing: cannot read it \(ENOENT\)/);
  });
});

describe('questions on a terminal', () => {
  it('one become password for every host, one passphrase per key file, one question at a time', async () => {
    const asked: string[] = [];
    const seen: string[] = [];
    let open = 0;
    let maxOpen = 0;
    const ask = async (message: string) => {
      asked.push(message);
      maxOpen = Math.max(maxOpen, ++open);
      await new Promise((r) => setTimeout(r, 5));
      open--;
      return message.startsWith('sudo') ? 'pw' : `pp-${asked.length}`;
    };
    const a = askOnce(ask, (s) => seen.push(s));
    const answers = await Promise.all([a.askBecomePassword(), a.askKeyPassphrase('/k1'), a.askBecomePassword(), a.askKeyPassphrase('/k1'), a.askKeyPassphrase('/k2')]);
    expect(answers).toEqual(['pw', 'pp-2', 'pw', 'pp-2', 'pp-3']);
    expect(asked).toHaveLength(3);
    expect(maxOpen).toBe(1);
    expect(seen.sort()).toEqual(['pp-2', 'pp-3', 'pw']);
  });

  it('a closed prompt fails every host waiting on it, as interrupted, and no later question comes (it stops the command since 2026-12-05)', async () => {
    let n = 0;
    const a = askOnce(async () => {
      if (n++ === 0) throw Object.assign(new Error('User force closed the prompt'), { name: 'ExitPromptError' });
      return 'pp';
    }, () => undefined);
    await expect(Promise.all([a.askBecomePassword(), a.askBecomePassword()])).rejects.toThrow(/^interrupted at the question "sudo password for become:"/);
    await expect(a.askKeyPassphrase('/k')).rejects.toThrow(/^interrupted at the question/);
    expect(n).toBe(1);
  });
});

describe('secret files readable by others', () => {
  const dir = mkdtempSync(join(tmpdir(), 'teqlctl-secrets-mode-'));

  it('are refused as OpenSSH refuses such a private key, naming the mode and the fix', () => {
    const f = join(dir, 'open');
    writeFileSync(f, 'pw\n', { mode: 0o600 });
    chmodSync(f, 0o644);
    expect(() => givenSecrets({ becomePasswordFile: f }, {})).toThrow(`--become-password-file ${f}: permissions 0644 for '${f}' are too open: group or others may read it (OpenSSH refuses such a private key)`);
    chmodSync(f, 0o640);
    expect(() => givenSecrets({ keyPassphraseFile: f }, {})).toThrow(/permissions 0640 .* are too open/);
    chmodSync(f, 0o400);
    expect(givenSecrets({ keyPassphraseFile: f }, {})).toEqual({ keyPassphrase: 'pw' });
  });

  it('as a private key: not offered, with the reason', async () => {
    const f = join(dir, 'id_open');
    writeFileSync(f, ed25519KeyPair().private, { mode: 0o600 });
    chmodSync(f, 0o604);
    const state = await readPrivateKey(f);
    expect(state).toEqual({ file: f, kind: 'unusable', why: `permissions 0604 for '${f}' are too open: group or others may read it (OpenSSH refuses such a private key): chmod 600 ${f}` });
  });

  it('a file of another owner is left to the system, as OpenSSH does', () => {
    expect(tooOpen('f', 0o644, 12345, 0)).toBeUndefined();
    expect(tooOpen('f', 0o600, 0, 0)).toBeUndefined();
  });
});

describe('Ctrl-C at a question', () => {
  const exit = () => Object.assign(new Error('User force closed the prompt with SIGINT'), { name: 'ExitPromptError' });

  it('stops the command: the question rejects as interrupted (exit 130), the caller is told once, and no later question is asked', async () => {
    const asked: string[] = [];
    let quits = 0;
    const askers = askOnce(async (message) => {
      asked.push(message);
      throw exit();
    }, () => undefined, () => quits++);
    const first = askers.askKeyPassphrase('/k1');
    await expect(first).rejects.toMatchObject({ exitCode: 130, message: expect.stringContaining('interrupted at the question "passphrase for /k1:"') });
    await expect(askers.askBecomePassword()).rejects.toMatchObject({ exitCode: 130 });
    await expect(askers.askKeyPassphrase('/k2')).rejects.toMatchObject({ exitCode: 130 });
    expect(asked).toEqual(['passphrase for /k1:']);
    expect(quits).toBe(1);
  });

  it('another failure of a question is that host\'s, as before', async () => {
    const askers = askOnce(async () => {
      throw new Error('no terminal');
    }, () => undefined, () => {
      throw new Error('not a quit');
    });
    await expect(askers.askBecomePassword()).rejects.toThrow('no terminal');
  });
});
