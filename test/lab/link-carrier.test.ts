import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { carrierCommand } from '../../src/lab/link-carrier.js';

// The command runs on the router's sh; this machine's loopback (MAC 00:..:00, always carrier 1 when
// up) stands in for a NIC, so the shell itself is what is tested.
const run = (mac: string) => execFileSync('sh', ['-c', carrierCommand(mac)], { encoding: 'utf8' });

describe('carrierCommand', () => {
  it('prints the carrier of the interface with that MAC', () => {
    expect(run('00:00:00:00:00:00').trim()).toBe(readFileSync('/sys/class/net/lo/carrier', 'utf8').trim());
  });

  it('prints nothing and succeeds when no interface has the MAC', () => {
    expect(run('52:54:00:7e:09:09')).toBe('');
  });
});
