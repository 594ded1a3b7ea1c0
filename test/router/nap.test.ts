// The scripts' short waits keep their bound in time where sleep takes no fraction (a BusyBox built
// without FLOAT_DURATION, OpenWrt's default): a 5 s wait is 5 naps of a second there, not 50.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { napLine } from '../../src/router/nap.js';

const SHELLS: Array<[string, string[]]> = [['dash', ['/bin/dash']], ['busybox sh', ['/bin/busybox', 'sh']]];
// A sleep that refuses a fraction, as BusyBox's then does, and counts what it slept.
const WHOLE_SECONDS_ONLY = 'sleep() { case $1 in *.*) echo "sleep: invalid number \'$1\'" >&2; return 1;; esac; n=$((n+$1)); }; n=0';

describe.each(SHELLS)('napLine, under %s', (_name, shell) => {
  it('a bound of 50 tenths is 5 whole seconds where sleep takes no fraction, 50 naps of 0.1 s where it does', () => {
    const loop = (tenths: number) => `i=0; naps=0; while [ $i -lt 50 ]; do ${napLine(tenths)}; i=$((i+tq_dt)); naps=$((naps+1)); done`;
    const whole = spawnSync(shell[0]!, [...shell.slice(1), '-c', `${WHOLE_SECONDS_ONLY}; ${loop(1)}; echo "$naps $n"`], { encoding: 'utf8' });
    expect(whole.stdout).toBe('5 5\n');
    const fractional = spawnSync(shell[0]!, [...shell.slice(1), '-c', `sleep() { :; }; ${loop(1)}; echo "$naps"`], { encoding: 'utf8' });
    expect(fractional.stdout).toBe('50\n');
    // Naps of 0.2 s: 25 of them, or 5 whole seconds.
    expect(spawnSync(shell[0]!, [...shell.slice(1), '-c', `${WHOLE_SECONDS_ONLY}; ${loop(2)}; echo "$naps $n"`], { encoding: 'utf8' }).stdout).toBe('5 5\n');
    expect(spawnSync(shell[0]!, [...shell.slice(1), '-c', `sleep() { :; }; ${loop(2)}; echo "$naps"`], { encoding: 'utf8' }).stdout).toBe('25\n');
  });
});
