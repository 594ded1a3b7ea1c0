import { describe, expect, it } from 'vitest';
import { knownHostsLine, renderKnownHosts } from '../../src/lab/known-hosts.js';

const pub = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExampleExampleExampleExampleExampleExample router-a\n';

describe('known_hosts lines', () => {
  it('brackets a non-22 port and drops the key comment, as OpenSSH writes it', () => {
    expect(knownHostsLine('127.0.0.1', 2201, pub)).toBe(
      '[127.0.0.1]:2201 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExampleExampleExampleExampleExampleExample',
    );
  });

  it('uses the bare host for port 22', () => {
    expect(knownHostsLine('127.0.0.1', 22, pub)).toMatch(/^127\.0\.0\.1 ssh-ed25519 /);
  });

  it('writes one line per router, each ending in a newline', () => {
    const text = renderKnownHosts([
      { router: 'a', port: 2201, publicKey: pub },
      { router: 'b', port: 2202, publicKey: pub.replace('router-a', 'router-b') },
    ]);
    expect(text.split('\n')).toHaveLength(3);
    expect(text).toMatch(/^\[127\.0\.0\.1\]:2201 ssh-ed25519 \S+\n\[127\.0\.0\.1\]:2202 ssh-ed25519 \S+\n$/);
  });

  it('refuses something that is not a public key', () => {
    expect(() => knownHostsLine('127.0.0.1', 2201, 'garbage')).toThrow(/not an OpenSSH public key/);
  });
});
