// ssh_config's algorithm lists, as ssh -G prints them, offered by ssh2 (connect/ssh-algorithms.ts).
import { describe, expect, it } from 'vitest';
import { algorithmsOf, orderHostKeyAlgorithms, reordersHostKeyAlgorithms } from '../../src/connect/ssh-algorithms.js';

// OpenSSH 9.2's defaults, as `ssh -G` prints them with no ssh_config.
const OPENSSH_9_2 = new Map([
  ['kexalgorithms', ['sntrup761x25519-sha512@openssh.com,curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,ecdh-sha2-nistp384,ecdh-sha2-nistp521,diffie-hellman-group-exchange-sha256,diffie-hellman-group16-sha512,diffie-hellman-group18-sha512,diffie-hellman-group14-sha256']],
  ['ciphers', ['chacha20-poly1305@openssh.com,aes128-ctr,aes192-ctr,aes256-ctr,aes128-gcm@openssh.com,aes256-gcm@openssh.com']],
  ['hostkeyalgorithms', ['ssh-ed25519-cert-v01@openssh.com,ecdsa-sha2-nistp256-cert-v01@openssh.com,ssh-ed25519,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,sk-ssh-ed25519@openssh.com,rsa-sha2-512,rsa-sha2-256']],
  ['macs', ['umac-64-etm@openssh.com,umac-128-etm@openssh.com,hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com,hmac-sha1-etm@openssh.com,umac-64@openssh.com,umac-128@openssh.com,hmac-sha2-256,hmac-sha2-512,hmac-sha1']],
]);

describe('algorithmsOf', () => {
  it("OpenSSH's defaults: what ssh2 has of them; no ssh-rsa (SHA-1) host key signature, no group14-sha1 key exchange", () => {
    const { algorithms, unsupported } = algorithmsOf(OPENSSH_9_2);
    expect(unsupported).toEqual([]);
    expect(algorithms.kex).toEqual(['curve25519-sha256', 'curve25519-sha256@libssh.org', 'ecdh-sha2-nistp256', 'ecdh-sha2-nistp384', 'ecdh-sha2-nistp521', 'diffie-hellman-group-exchange-sha256', 'diffie-hellman-group16-sha512', 'diffie-hellman-group18-sha512', 'diffie-hellman-group14-sha256']);
    expect(algorithms.serverHostKey).toEqual(['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'rsa-sha2-512', 'rsa-sha2-256']);
    // Ciphers and MACs: the config's set, in ssh2's order.
    expect([...algorithms.cipher!].sort()).toEqual(['aes128-ctr', 'aes128-gcm@openssh.com', 'aes192-ctr', 'aes256-ctr', 'aes256-gcm@openssh.com', 'chacha20-poly1305@openssh.com']);
    expect(algorithms.hmac).toEqual(['hmac-sha2-256-etm@openssh.com', 'hmac-sha2-512-etm@openssh.com', 'hmac-sha1-etm@openssh.com', 'hmac-sha2-256', 'hmac-sha2-512', 'hmac-sha1']);
  });

  it('an old router let in with +: the added algorithm is offered, after those ssh2 prefers', () => {
    const { algorithms } = algorithmsOf(new Map([['ciphers', ['aes128-cbc,aes256-ctr']], ['kexalgorithms', ['curve25519-sha256,diffie-hellman-group14-sha1']]]));
    expect(algorithms.cipher).toEqual(['aes256-ctr', 'aes128-cbc']);
    expect(algorithms.kex).toEqual(['curve25519-sha256', 'diffie-hellman-group14-sha1']);
    expect(algorithms.hmac).toBeUndefined();
  });

  it('a list with nothing ssh2 has is named, with what ssh2 has', () => {
    const { unsupported } = algorithmsOf(new Map([['macs', ['umac-128-etm@openssh.com']]]));
    expect(unsupported).toEqual([{ name: 'MACs', listed: ['umac-128-etm@openssh.com'], supported: expect.arrayContaining(['hmac-sha2-256']) }]);
  });
});

describe('orderHostKeyAlgorithms', () => {
  it("the known key's algorithms first, among those allowed only", () => {
    expect(orderHostKeyAlgorithms(['ssh-ed25519', 'rsa-sha2-512', 'rsa-sha2-256'], ['ssh-rsa'])).toEqual(['rsa-sha2-512', 'rsa-sha2-256', 'ssh-ed25519']);
    expect(orderHostKeyAlgorithms(['ssh-ed25519', 'ecdsa-sha2-nistp256'], ['ecdsa-sha2-nistp256', 'ssh-dss'])).toEqual(['ecdsa-sha2-nistp256', 'ssh-ed25519']);
    expect(orderHostKeyAlgorithms(['ssh-ed25519'], [])).toEqual(['ssh-ed25519']);
  });

  it("as OpenSSH's order_hostkeyalgs: the list untouched when the first algorithm's type is known, else the known ones first in the list's order", () => {
    // ed25519 and RSA known: ssh asks in its own order, so a host without its ed25519 key shows ECDSA (a changed key), not RSA.
    const all = ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'rsa-sha2-512', 'rsa-sha2-256'];
    expect(orderHostKeyAlgorithms(all, ['ssh-rsa', 'ssh-ed25519'])).toEqual(all);
    expect(orderHostKeyAlgorithms(all, ['ssh-rsa', 'ecdsa-sha2-nistp256'])).toEqual(['ecdsa-sha2-nistp256', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-ed25519']);
  });
});

describe('reordersHostKeyAlgorithms (does ssh 9.2 reorder the list for known_hosts?)', () => {
  const defaults = ['ssh-ed25519-cert-v01@openssh.com', 'ssh-ed25519', 'ecdsa-sha2-nistp256', 'rsa-sha2-512', 'rsa-sha2-256'];
  it('its defaults, and a list changed with - or +: yes', () => {
    expect(reordersHostKeyAlgorithms(defaults, defaults)).toBe(true);
    expect(reordersHostKeyAlgorithms(defaults.filter((a) => a !== 'ecdsa-sha2-nistp256'), defaults)).toBe(true);
    expect(reordersHostKeyAlgorithms([...defaults, 'ssh-rsa'], defaults)).toBe(true);
  });
  it('a list written out of the defaults\' order, or with ^: no, asked for as listed (ssh: rsa-sha2-256,ssh-ed25519 shows RSA even when only ed25519 is known)', () => {
    expect(reordersHostKeyAlgorithms(['rsa-sha2-256', 'ssh-ed25519'], defaults)).toBe(false);
    expect(reordersHostKeyAlgorithms(['ssh-rsa', ...defaults], defaults)).toBe(false);
    expect(reordersHostKeyAlgorithms(['ecdsa-sha2-nistp256', ...defaults.filter((a) => a !== 'ecdsa-sha2-nistp256')], defaults)).toBe(false);
  });
});
