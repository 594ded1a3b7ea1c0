// The session's effective uid, read by the facts script's own shell (no process), under the shells
// routers have: root, and a real unprivileged session (setpriv drops this machine's root).
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { identityFacts } from '../../src/gather/identity-facts.js';
import { UID_LINE } from '../../src/router/session-uid.js';
import { parseFacts } from '../../src/gather/parse-facts.js';
import { factsScript } from '../../src/gather/script.js';
import { IPROUTE2_PREAMBLE } from '../../src/router/iproute2.js';

const run = (shell: string[], uid?: number) => execFileSync(uid === undefined ? shell[0]! : 'setpriv', uid === undefined ? [...shell.slice(1), '-c', UID_LINE] : [`--reuid=${uid}`, `--regid=${uid}`, '--clear-groups', ...shell, '-c', UID_LINE], { encoding: 'utf8' });

describe('the session\'s uid', () => {
  it.each([[['sh']], [['dash']], [['busybox', 'sh']]])('is the effective uid of the shell that ran it (%s): root, or the unprivileged user it runs as', (shell) => {
    expect(run(shell)).toBe('uid=0\n');
    expect(run(shell, 65534)).toBe('uid=65534\n');
  });

  it('is read with the identity; absent from an older teqlctl\'s facts (recordings), which are not refused for it', () => {
    expect(identityFacts('boot=abc\nuid=1000\n', [])).toEqual({ identity: expect.stringMatching(/^abc /), uid: 1000 });
    expect(identityFacts('boot=abc\n', [])).toEqual({ identity: expect.stringMatching(/^abc /) });
    const facts = parseFacts('local', execFileSync('sh', ['-s'], { input: `${IPROUTE2_PREAMBLE}\n${factsScript()}`, encoding: 'utf8' }));
    expect(facts.uid).toBe(0);
  });
});
