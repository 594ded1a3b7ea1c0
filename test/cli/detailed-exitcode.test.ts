// --check --detailed-exitcode: 0 when the routers are as the playbook wants, 9 when changes are
// pending, a failure's own code otherwise; and the flag means nothing without --check.
import { describe, expect, it } from 'vitest';
import { detailedExit } from '../../src/cli/play-output.js';
import { PLAY_DEFAULTS } from '../../src/cli/play-flags.js';
import { runPlayCommand } from '../../src/cli/play-run.js';
import { ConfigError, ExitCode } from '../../src/errors.js';
import { formatRecap } from '../../src/report/recap.js';
import { replayedLab } from '../play/helpers.js';

describe('--check --detailed-exitcode', () => {
  it('pristine routers: changes pending, exit 9, and the recap says so', async () => {
    const r = detailedExit(await replayedLab().run({ check: true }));
    expect(r.exitCode).toBe(ExitCode.changesPending);
    expect(r.summary).toMatch(/^check mode: nothing was changed; \d+ change\(s\) pending on router_a, router_b$/);
    expect(formatRecap(r)).toContain(`CHANGES PENDING (exit ${ExitCode.changesPending})`);
  });

  it('converged routers: nothing pending, exit 0', async () => {
    const lab = replayedLab();
    for (const router of Object.values(lab.routers)) router.state = 'converged';
    const r = detailedExit(await lab.run({ check: true }));
    expect(r.exitCode, r.summary).toBe(ExitCode.ok);
    expect(r.summary).toBe('check mode: nothing was changed; no changes pending');
  });

  it('a failed check keeps its own code: 9 only ever means "read every router, and they differ"', async () => {
    const lab = replayedLab();
    const r = detailedExit(await lab.run({ check: true, connect: async () => { throw new Error('connection refused'); } }));
    expect(r.exitCode).toBe(ExitCode.unreachable);
  });

  it('a run that is not --check is left as it is', async () => {
    const r = await replayedLab().run();
    expect(detailedExit(r)).toBe(r);
  });

  it('without --check it is refused (exit 2) before any file is read', async () => {
    const err = await runPlayCommand('/nonexistent/playbook.yml', { ...PLAY_DEFAULTS, inventory: ['/nonexistent/inventory.yml'], detailedExitcode: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).message).toBe('--detailed-exitcode needs --check');
  });
});
