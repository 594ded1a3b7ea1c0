// The frozen-guest rule of `lab reboot`: silence counts from the console's last growth.
import { describe, expect, it } from 'vitest';
import { consoleSilenceMs, silenceTracker } from '../../src/lab/console-silence.js';

describe('silenceTracker', () => {
  it('counts from the last time the console grew, not from the first look', () => {
    let size = 100;
    let now = 1_000;
    const silence = silenceTracker('console.log', () => size, () => now);
    now = 31_000;
    expect(silence()).toBe(30_000);
    size = 180; // systemd printed a line
    now = 32_000;
    expect(silence()).toBe(0);
    now = 92_000;
    expect(silence()).toBe(60_000);
  });

  it('a console that cannot be read yet is silent from the first look', () => {
    let now = 0;
    const silence = silenceTracker('missing.log', () => -1, () => now);
    now = 5_000;
    expect(silence()).toBe(5_000);
  });
});

describe('consoleSilenceMs', () => {
  it('60 s unless $TEQLCTL_LAB_CONSOLE_SILENCE says otherwise (whole seconds only)', () => {
    expect(consoleSilenceMs({})).toBe(60_000);
    expect(consoleSilenceMs({ TEQLCTL_LAB_CONSOLE_SILENCE: '90' })).toBe(90_000);
    expect(consoleSilenceMs({ TEQLCTL_LAB_CONSOLE_SILENCE: '1.5' })).toBe(60_000);
  });
});
