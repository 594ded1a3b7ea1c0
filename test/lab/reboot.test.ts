import { describe, expect, it } from 'vitest';
import { rebootWatchdogMs } from '../../src/lab/reboot.js';

describe('lab reboot: the watchdog that resets a guest whose reboot hangs', () => {
  it('fires after 120 s, or after $TEQLCTL_LAB_REBOOT_WATCHDOG seconds; anything but a number keeps 120', () => {
    expect(rebootWatchdogMs({})).toBe(120_000);
    expect(rebootWatchdogMs({ TEQLCTL_LAB_REBOOT_WATCHDOG: '30' })).toBe(30_000);
    for (const bad of ['', 'soon', '-5', '1.5']) expect(rebootWatchdogMs({ TEQLCTL_LAB_REBOOT_WATCHDOG: bad })).toBe(120_000);
  });
});
