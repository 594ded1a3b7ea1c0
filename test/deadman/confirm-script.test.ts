import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { closeRunScript, confirmScript, releaseScript } from '../../src/deadman/confirm-script.js';
import { BOOT_SCRIPT, LOCK_DIR } from '../../src/router/paths.js';
import { RETIRING_MARK } from '../../src/router/markers.js';
import { rollbackScript } from '../../src/deadman/rollback-script.js';
import { decide } from '../../src/router/decision.js';
import { CONFIRM_MARKER, REVERTED_MARKER } from '../../src/router/markers.js';

describe('confirming a run', () => {
  it('confirms only a pending run, and says so when the dead-man got there first', () => {
    const script = confirmScript('r1', 'link eth1 up mtu 1500');
    expect(script).toContain(`if ! ${decide('/var/lib/teqlctl/runs/r1', 'confirm')}; then echo "${CONFIRM_MARKER} too-late`);
    expect(script.indexOf('echo confirmed >')).toBeLessThan(script.indexOf(`${CONFIRM_MARKER} ok port=`));
  });

  it('records the state the run left, whatever its lines (the heredoc delimiter is random and not among them)', () => {
    const script = confirmScript('r1', 'line one\nTEQLCTL_EOF\nline two');
    const tag = /> \/var\/lib\/teqlctl\/runs\/r1\/after-state <<'([^']+)'/.exec(script)![1]!;
    expect(script).toMatch(new RegExp(`<<'${tag}' \\|\\| [^\\n]*\\nline one\\nTEQLCTL_EOF\\nline two\\n${tag}\\n\\[ "\\$teqlctl_hw" = 0 \\] \\|\\| false\\n\\} \\|\\| tq_ok=0\\n`));
    expect(tag).not.toBe('TEQLCTL_EOF');
  });
});

describe("a teardown's retiring boot script", () => {
  it('goes at the release, once every host is confirmed; a confirmation that keeps the lock (a peer may still fail, and have this host rolled back) keeps it', () => {
    const retire = `/bin/sh ${BOOT_SCRIPT} retire`;
    expect(confirmScript('r1', 'x', 'confirmed', false)).not.toContain(retire);
    expect(confirmScript('r1', 'x')).toContain(retire);
    const root = mkdtempSync(join(tmpdir(), 'teqlctl-retire-'));
    const boot = join(root, 'boot.sh');
    writeFileSync(boot, `#!/bin/sh\n${RETIRING_MARK}\n[ "$1" = retire ] && touch ${join(root, 'retired')}\n`);
    const release = (owner: string) => {
      mkdirSync(join(root, 'lock'), { recursive: true });
      writeFileSync(join(root, 'lock', 'owner'), `run=${owner}\nowner=t@t\n`);
      return execFileSync('dash', ['-c', releaseScript('r1').replaceAll(BOOT_SCRIPT, boot).replaceAll(LOCK_DIR, join(root, 'lock'))], { encoding: 'utf8' });
    };
    // The lock another run's (a teardown that took it after a second operator's unlock): its retiring script stays (a review).
    release('r2');
    expect(existsSync(join(root, 'retired'))).toBe(false);
    expect(release('r1')).toContain(`${CONFIRM_MARKER} released`);
    expect(existsSync(join(root, 'retired'))).toBe(true);
  });
});

describe('teqlctl rolling back by itself', () => {
  it('claims the run first; when the dead-man already reverted, it only reads the facts', () => {
    const script = rollbackScript('r1', { then: 'FACTS' });
    expect(script).toContain('echo rolling-back > $d/state');
    expect(script).toContain(`echo '${REVERTED_MARKER}'`);
    expect(script.trimEnd().endsWith('fi\nFACTS\nexit 0')).toBe(true);
  });

  it('closes the run so that its timer cannot fire again', () => {
    const script = closeRunScript('r1', 'rolled-back');
    expect(script).toContain("pending|rolling-back|confirmed|'') [ -d /var/lib/teqlctl/runs/r1 ] && {\n{\ntq_ok=1\n{ echo rolled-back > /var/lib/teqlctl/runs/r1/state\n} || tq_ok=0");
    expect(script).toContain("grep -qx 'run=r1' /run/teqlctl.lock/owner");
  });
});
