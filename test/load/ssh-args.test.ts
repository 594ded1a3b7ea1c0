import { describe, expect, it } from 'vitest';
import { shellWords } from '../../src/load/shell-words.js';
import { readSshArgs, type SshArgSettings } from '../../src/load/ssh-args.js';

const read = (...texts: string[]) => {
  const into: SshArgSettings = { identityFiles: [] };
  for (const t of texts) {
    const r = readSshArgs(t, into);
    if (!r.ok) return r;
  }
  return into;
};

describe('shellWords: as Python shlex.split, which Ansible uses', () => {
  it('splits at whitespace, keeps quoted spaces, drops the quotes', () => {
    expect(shellWords(`-o 'ProxyCommand=ssh -W %h:%p b' -o "User=a b" x\\ y`)).toEqual({ words: ['-o', 'ProxyCommand=ssh -W %h:%p b', '-o', 'User=a b', 'x y'] });
  });
  it('in double quotes a backslash escapes only " \\ $ `', () => {
    expect(shellWords('"a\\"b\\n"')).toEqual({ words: ['a"b\\n'] });
  });
  it('refuses an unterminated quote', () => {
    expect(shellWords(`-o 'User=x`)).toEqual({ error: "unterminated ' at character 4" });
  });
});

describe('readSshArgs: the ssh options teqlctl maps', () => {
  it('takes the quotes off an -o value as ssh reads a config line (-o User="admin", as Ansible writes it; they were kept, a review)', () => {
    expect(read(`-o 'User="admin"' -o 'IdentityFile="/keys/a b"' -o 'Port="2200"'`)).toEqual({ user: 'admin', identityFiles: ['/keys/a b'], port: 2200 });
    // ProxyJump is read as written, quotes and all: ssh says "Invalid ProxyJump" there too.
    expect(read(`-o "ProxyJump='op@b:22'"`)).toMatchObject({ ok: false });
    expect(read(`-o 'User="admin'`)).toMatchObject({ ok: false, why: expect.stringContaining('a quote that does not close (ssh says "invalid quotes")') });
    expect(read(`-o "User=''"`)).toMatchObject({ ok: false, why: expect.stringContaining('an empty value (ssh says "missing argument")') });
    expect(read(`-o 'IdentityFile=/keys/a b'`)).toMatchObject({ ok: false, why: expect.stringContaining('more than one value (ssh says "extra arguments at end of line")') });
  });

  it('maps -o ProxyJump=, -J, -o Port=, -o User=, -i, -o IdentityFile=, -F, in each written form', () => {
    expect(read('-o ProxyJump=admin@bastion:2222 -o Port=2201 -oUser=op -i ~/k1 -o "IdentityFile ~/k2" -F cfg')).toEqual({
      proxyJump: 'admin@bastion:2222', port: 2201, user: 'op', identityFiles: ['~/k1', '~/k2'], configFile: 'cfg',
    });
    expect(read('-Jj1,j2')).toMatchObject({ proxyJump: 'j1,j2' });
    // Each variable is split on its own: a flag cannot take its value from the next variable.
    expect(read('-J', 'ssh://u@j:23')).toMatchObject({ ok: false, why: '-J needs a value' });
    expect(read('-J ssh://u@j:23')).toMatchObject({ proxyJump: 'ssh://u@j:23' });
  });

  it('the first value of an option wins, as in ssh (common args before extra args); key files accumulate', () => {
    expect(read('-o Port=1 -i a', '-o Port=2 -i b -J x')).toEqual({ port: 1, identityFiles: ['a', 'b'], proxyJump: 'x', jumpFlag: true });
  });

  it('-F: the last one, as ssh reads only that file (common args before extra args)', () => {
    expect(read('-F a.conf', '-F b.conf')).toMatchObject({ configFile: 'b.conf' });
    expect(read('-F a.conf -F b.conf')).toMatchObject({ configFile: 'b.conf' });
  });

  it('a second -J is refused, as ssh refuses it, in one variable or across the two', () => {
    for (const texts of [['-J a -J b'], ['-J a', '-J b']]) {
      expect(read(...texts)).toEqual({ ok: false, why: 'a second -J b: ssh permits a single -J option', hint: 'name every jump host in one, separated by commas: -J admin@bastion1,bastion2' });
    }
  });

  it('a jump host is held to ansible_host\'s rules: not an option, not an address a resolver reads otherwise; nor a user starting with - (they passed, a review)', () => {
    for (const jump of ['-oProxyCommand=id', '010.0.0.1', '127.1', 'admin@-x', 'ok,-x']) {
      expect(read(`-J ${jump}`), jump).toMatchObject({ ok: false, why: expect.stringContaining('is not [user@]host[:port]') });
      expect(read(`-o ProxyJump=${jump}`), jump).toMatchObject({ ok: false });
    }
    expect(read('-J admin@bastion:2222,10.0.0.1,[2001:db8::1]:22')).toMatchObject({ proxyJump: 'admin@bastion:2222,10.0.0.1,[2001:db8::1]:22' });
  });

  it('a -J after -o ProxyJump is refused, as ssh stops there; a -o ProxyJump after -J loses to it, as in ssh (a review)', () => {
    for (const texts of [['-o ProxyJump=a -J b'], ['-o ProxyJump=a', '-J b'], ['-o ProxyJump=none -J b']]) {
      expect(read(...texts)).toMatchObject({ ok: false, why: expect.stringMatching(/^-J b after -o ProxyJump=(a|none): ssh permits a single -J option/) });
    }
    expect(read('-J b -o ProxyJump=a')).toMatchObject({ proxyJump: 'b' });
  });

  it('StrictHostKeyChecking only in its strict forms', () => {
    expect(read('-o StrictHostKeyChecking=yes')).toMatchObject({ strictHostKeys: true });
    expect(read('-o StrictHostKeyChecking=True')).toMatchObject({ strictHostKeys: true });
    for (const v of ['no', 'accept-new', 'off', 'ask']) {
      expect(read(`-o StrictHostKeyChecking=${v}`)).toMatchObject({ ok: false, why: `StrictHostKeyChecking=${v} is not supported (only yes)` });
    }
  });

  it('IdentitiesOnly yes or no, the first value winning; anything else refused', () => {
    expect(read('-o IdentitiesOnly=yes', '-o IdentitiesOnly=no')).toEqual({ identityFiles: [], identitiesOnly: true });
    expect(read('-oIdentitiesOnly=no')).toEqual({ identityFiles: [], identitiesOnly: false });
    expect(read('-o IdentitiesOnly=maybe')).toMatchObject({ ok: false, why: 'IdentitiesOnly=maybe is not yes or no' });
  });

  it('refuses everything else by name, with a hint', () => {
    expect(read(`-o ProxyCommand="ssh -W %h:%p bastion"`)).toEqual({ ok: false, why: '-o ProxyCommand is not supported', hint: 'use -o ProxyJump=[user@]host[:port] (or -J) instead' });
    // `none` is no proxy to ssh, as ProxyJump=none, and the first of the two wins (a review: refused).
    expect(read('-o ProxyCommand=none', '-o ProxyJump=bastion')).toEqual({ identityFiles: [], proxyJump: 'none' });
    expect(read('-o ProxyCommand=NONE')).toEqual({ identityFiles: [], proxyJump: 'none' });
    expect(read('-o UserKnownHostsFile=/dev/null')).toMatchObject({ ok: false, why: '-o UserKnownHostsFile is not supported', hint: expect.stringContaining('teqlctl_known_hosts_file') });
    expect(read('-o ForwardAgent=yes')).toMatchObject({ ok: false, why: '-o ForwardAgent is not supported' });
    expect(read('-p 2222')).toMatchObject({ ok: false, why: 'the option -p is not supported', hint: 'set ansible_port (or -o Port=)' });
    expect(read('-A')).toMatchObject({ ok: false, why: 'the option -A is not supported' });
    expect(read('bastion')).toMatchObject({ ok: false, why: '"bastion" (not an option) is not supported' });
  });

  it('reads ports as ssh reads them: a TCP service name of /etc/services (netbase), in -o Port= and in ProxyJump (a review: refused as no port)', () => {
    expect(read('-o Port=ssh')).toMatchObject({ port: 22 });
    expect(read('-o ProxyJump=jump1:ssh')).toMatchObject({ proxyJump: 'jump1:ssh' });
    expect(read('-J u@jump1:www,j2')).toMatchObject({ proxyJump: 'u@jump1:www,j2' });
  });

  it('refuses malformed values', () => {
    expect(read('-o Port=nosuchservice')).toMatchObject({ ok: false, why: 'Port "nosuchservice" is not a port number 1..65535 or a TCP service name of /etc/services' });
    expect(read('-o Port=0')).toMatchObject({ ok: false });
    expect(read('-J a:b:c')).toMatchObject({ ok: false, why: expect.stringContaining('is not [user@]host[:port]') });
    expect(read('-i')).toMatchObject({ ok: false, why: '-i needs a value' });
    expect(read('-o ProxyJump')).toMatchObject({ ok: false, why: '-o "ProxyJump" is not Keyword=value' });
    expect(read(`-o 'Port=1`)).toMatchObject({ ok: false, why: expect.stringContaining('unterminated') });
  });
});
