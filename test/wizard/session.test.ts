// The progress display the wizard picks: as play picks it (TERM=dumb cannot redraw; a review).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WizardSession } from '../../src/wizard/session.js';

const tty = process.stdout.isTTY;
afterEach(() => {
  vi.unstubAllEnvs();
  process.stdout.isTTY = tty;
});

describe('the wizard\'s progress display', () => {
  it('is plain lines on TERM=dumb (or no TERM), and redraws on a real terminal', () => {
    process.stdout.isTTY = true;
    vi.stubEnv('TERM', 'dumb');
    expect(new WizardSession('/nonexistent').mode).toBe('plain');
    vi.stubEnv('TERM', 'xterm-256color');
    expect(new WizardSession('/nonexistent').mode).toBe('tty');
    process.stdout.isTTY = false as never;
    expect(new WizardSession('/nonexistent').mode).toBe('plain');
  });
});
