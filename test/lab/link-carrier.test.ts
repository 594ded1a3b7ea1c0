import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { carrierCommand, carrierSettled } from '../../src/lab/link-carrier.js';

const MAC = '52:54:00:7e:02:02';

/** A sysfs of NICs: name -> [address, carrier (undefined: unreadable), operstate, a device link]. */
function sysfs(nics: Record<string, [string, string | undefined, string, boolean]>): string {
  const root = mkdtempSync(join(tmpdir(), 'sysfs-'));
  for (const [name, [address, carrier, operstate, device]] of Object.entries(nics)) {
    const d = join(root, name);
    mkdirSync(d);
    writeFileSync(join(d, 'address'), `${address}\n`);
    if (carrier !== undefined) writeFileSync(join(d, 'carrier'), `${carrier}\n`);
    writeFileSync(join(d, 'operstate'), `${operstate}\n`);
    if (device) symlinkSync('/', join(d, 'device'));
  }
  return root;
}

const run = (root: string, shell: string[]) => execFileSync(shell[0]!, [...shell.slice(1), '-c', carrierCommand(MAC, root)], { encoding: 'utf8' });

describe.each([[['dash']], [['busybox', 'sh']]])('carrierCommand under %s', (shell) => {
  it('prints the carrier and operstate of the NIC with the MAC, not of a VLAN that shares it', () => {
    const root = sysfs({ 'eth2.10': [MAC, '1', 'up', false], eth1: ['52:54:00:7e:02:01', '1', 'up', true], eth2: [MAC, '0', 'lowerlayerdown', true] });
    expect(run(root, shell)).toBe('0 lowerlayerdown\n');
  });

  it('says none for a NIC that is administratively down (no carrier to read), and nothing without the MAC', () => {
    expect(run(sysfs({ eth2: [MAC, undefined, 'down', true] }), shell)).toBe('none down\n');
    expect(run(sysfs({ eth1: ['52:54:00:7e:02:01', '1', 'up', true] }), shell)).toBe('');
  });
});

describe('carrierSettled', () => {
  it('waits for the operstate too: the carrier changes at once, the operstate when linkwatch runs', () => {
    expect(carrierSettled('0 up', false)).toBe(false);
    expect(carrierSettled('0 lowerlayerdown', false)).toBe(true);
    expect(carrierSettled('0 down', false)).toBe(true);
    expect(carrierSettled('1 down', true)).toBe(false);
    expect(carrierSettled('1 up', true)).toBe(true);
    expect(carrierSettled('1 up', false)).toBe(false);
  });

  it('has nothing to wait for on a NIC without carrier to read, or without the NIC', () => {
    expect(carrierSettled('none down', true)).toBe(true);
    expect(carrierSettled('', false)).toBe(true);
  });
});
