import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { readLocalSsh } from '../../src/connect/local-ssh.js';
import { readSshConfigText } from '../../src/connect/read-ssh-config.js';
import { ConfigError } from '../../src/errors.js';
import { hostAliases, hostMatches, optionsFor, parseSshConfig, splitWords, unfollowedSettings } from '../../src/connect/ssh-config.js';
import { refusedLines } from '../../src/connect/ssh-config-check.js';

const first = (text: string, name: string, key: string) => optionsFor(parseSshConfig(text, 'cfg'), name).first.get(key)?.args[0];

describe('ssh_config parser', () => {
  it('reads `Key value`, `Key=value` and `Key = value`, keywords in any case', () => {
    const text = 'Host a\n  HostName=10.0.0.1\n  port = 2201\n  USER root\n';
    expect(first(text, 'a', 'hostname')).toBe('10.0.0.1');
    expect(first(text, 'a', 'port')).toBe('2201');
    expect(first(text, 'a', 'user')).toBe('root');
  });

  it('reads OpenSSH\'s older keyword names as the keywords ssh takes them for (a review: IdentityFile2 and SmartcardDevice were known, then ignored)', () => {
    const text = 'Host a\n  IdentityFile2 /k2\n  SmartcardDevice /p11.so\n  DSAAuthentication no\n  PubkeyAcceptedKeyTypes ssh-ed25519\n  KeepAlive no\n';
    const o = optionsFor(parseSshConfig(text, 'cfg'), 'a');
    expect(o.identityFiles.map((f) => f.args[0])).toEqual(['/k2']);
    expect(first(text, 'a', 'pkcs11provider')).toBe('/p11.so');
    expect(first(text, 'a', 'pubkeyauthentication')).toBe('no');
    expect(first(text, 'a', 'pubkeyacceptedalgorithms')).toBe('ssh-ed25519');
    expect(first(text, 'a', 'tcpkeepalive')).toBe('no');
    // What teqlctl's own reader cannot follow is refused by the name ssh takes, at its line.
    expect(unfollowedSettings(parseSshConfig(text, 'cfg'), o)).toEqual(expect.arrayContaining(['cfg:3: pkcs11provider /p11.so', 'cfg:4: pubkeyauthentication no']));
  });

  it('keeps quoted words whole and stops at a trailing comment', () => {
    expect(splitWords('"/home/me/my keys/id" # the laptop key')).toEqual(['/home/me/my keys/id']);
    expect(first('Host a\n IdentityFile "~/my keys/id"\n Port 22 # ssh\n', 'a', 'port')).toBe('22');
  });

  it('splits words as OpenSSH 9.2\'s argv_split does (ssh -G printed each of these so): backslashes, single quotes, quotes inside a word (a review)', () => {
    expect(splitWords('~/.ssh/my\\ key')).toEqual(['~/.ssh/my key']);
    expect(splitWords("'a b'")).toEqual(['a b']);
    expect(splitWords('a"b c"d')).toEqual(['ab cd']);
    expect(splitWords('a\\x')).toEqual(['a\\x']);
    expect(splitWords('"a\\"b"')).toEqual(['a"b']);
    expect(splitWords('a#b # c')).toEqual(['a#b']);
    expect(refusedLines(parseSshConfig('Host x\n  IdentityFile ~/.ssh/my\\ key\n', 'cfg'))).toEqual([]);
    expect(refusedLines(parseSshConfig('Host x\n  IdentityFile "abc\n', 'cfg'))).toEqual(['cfg:2: identityfile: a quote that does not close (ssh says "invalid quotes")']);
    expect(refusedLines(parseSshConfig('Host "r1\n  Port 22\n', 'cfg'))).toEqual(['cfg:1: Host: a quote that does not close (ssh says "invalid quotes")']);
  });

  it('ignores blank lines and comments, and records file:line for messages', () => {
    const blocks = parseSshConfig('# top\n\nHost a\n\n  Port 2201\n', '/home/me/.ssh/config');
    expect(optionsFor(blocks, 'a').first.get('port')?.source).toBe('/home/me/.ssh/config:5');
  });

  it('first value wins per keyword, across blocks, as OpenSSH does', () => {
    const text = 'Host lab-*\n  User operator\nHost lab-a\n  User root\n  HostName 127.0.0.1\nHost *\n  User nobody\n  Port 22\n';
    expect(first(text, 'lab-a', 'user')).toBe('operator');
    expect(first(text, 'lab-a', 'hostname')).toBe('127.0.0.1');
    expect(first(text, 'lab-a', 'port')).toBe('22');
    expect(first(text, 'other', 'user')).toBe('nobody');
  });

  it('settings before the first Host apply to every host', () => {
    expect(first('User early\nHost a\n  User late\n', 'a', 'user')).toBe('early');
  });

  it('IdentityFile accumulates over every block that applies', () => {
    const text = 'Host a\n  IdentityFile ~/.ssh/a\nHost *\n  IdentityFile ~/.ssh/all\n';
    expect(optionsFor(parseSshConfig(text, 'cfg'), 'a').identityFiles.map((o) => o.args[0])).toEqual(['~/.ssh/a', '~/.ssh/all']);
  });

  it('Match blocks are not evaluated: none of their lines apply', () => {
    const text = 'Match host a\n  User matched\nHost a\n  Port 2201\n';
    expect(first(text, 'a', 'user')).toBeUndefined();
    expect(first(text, 'a', 'port')).toBe('2201');
  });
});

describe('Host patterns', () => {
  it('`*` and `?` wildcards, case-sensitive against the name as given', () => {
    expect(hostMatches(['lab-*'], 'lab-a')).toBe(true);
    expect(hostMatches(['r?'], 'r1')).toBe(true);
    expect(hostMatches(['r?'], 'r12')).toBe(false);
    // Checked against `ssh -G` of OpenSSH 9.2: `Host ROUTER` does not apply to `ssh router`,
    // `Host router` not to `ssh ROUTER`, `Host R*` applies to `ssh R1` (the name is lowercased later).
    expect(hostMatches(['ROUTER'], 'router')).toBe(false);
    expect(hostMatches(['router'], 'ROUTER')).toBe(false);
    expect(hostMatches(['R*'], 'R1')).toBe(true);
    expect(hostMatches(['10.0.0.*'], '10.0.0.1')).toBe(true);
    expect(hostMatches(['10.0.0.*'], '10.0.0x1')).toBe(false);
  });

  it('a negated pattern vetoes the block; negations alone match nothing', () => {
    expect(hostMatches(['*', '!bastion'], 'bastion')).toBe(false);
    expect(hostMatches(['*', '!bastion'], 'router')).toBe(true);
    expect(hostMatches(['!bastion'], 'router')).toBe(false);
    expect(first('Host * !lab-b\n  User op\n', 'lab-b', 'user')).toBeUndefined();
  });
});

describe('hostAliases', () => {
  it('the names of Host lines without wildcards or negation, in file order, each once; Match blocks give none', () => {
    const text = 'User admin\nHost edge-a edge-a.example\n  Port 2222\nHost edge-b *.lab !secret\nMatch host m\n  User x\nHost edge-a r?\nHost *\n  Port 22\n';
    expect(hostAliases(parseSshConfig(text, 'cfg'))).toEqual(['edge-a', 'edge-a.example', 'edge-b']);
    expect(hostAliases(parseSshConfig('', 'cfg'))).toEqual([]);
  });
});

describe('an ssh_config that is not a regular file', () => {
  const home = () => {
    const dir = mkdtempSync(join(tmpdir(), 'teqlctl-sshcfg-'));
    mkdirSync(join(dir, '.ssh'));
    return dir;
  };

  it('~/.ssh/config as a named pipe: refused at once, naming the file (it waited for a writer forever)', async () => {
    const dir = home();
    execFileSync('mkfifo', [join(dir, '.ssh', 'config')]);
    vi.stubEnv('HOME', dir);
    try {
      const err = await readLocalSsh().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).message).toContain(`${join(dir, '.ssh', 'config')} (the user's ssh_config) is a named pipe (FIFO)`);
      expect((err as ConfigError).exitCode).toBe(2);
    } finally {
      vi.unstubAllEnvs();
    }
  }, 5000);

  it('~/.ssh/config as a folder: the same, not EISDIR with a stack trace', async () => {
    const dir = home();
    mkdirSync(join(dir, '.ssh', 'config'));
    vi.stubEnv('HOME', dir);
    try {
      await expect(readLocalSsh()).rejects.toThrow(/config \(the user's ssh_config\) is a folder: teqlctl reads ssh_config from a regular file only/);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('none at all reads as nothing, /dev/null as empty', async () => {
    expect(await readSshConfigText(join(home(), '.ssh', 'config'), 'x')).toBeUndefined();
    expect(await readSshConfigText('/dev/null', '-F')).toBe('');
  });
});

describe('an ssh_config that cannot be opened', () => {
  it('is said with its error code and a hint that fits (not "make it a regular file": it may be one)', async () => {
    // EACCES (a ~/.ssh/config of mode 600 owned by root, after `sudo vi`) cannot be provoked as root
    // (CI): a symlink loop fails open() the same way.
    const file = join(mkdtempSync(join(tmpdir(), 'teqlctl-sshcfg-')), 'config');
    symlinkSync(file, file);
    const err = await readSshConfigText(file, '-F').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).message).toBe(`${file} (-F) cannot be opened (ELOOP)`);
    expect((err as ConfigError).hint).toMatch(/^check the file and its permissions/);
  });
});
