// ssh -G through the helper process answers exactly as a direct spawn does, many at once, and an
// idle helper does not keep teqlctl's process alive.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { sshGBroker } from '../../src/connect/ssh-g-broker.js';
import { runSshG } from '../../src/connect/ssh-g.js';

/** A stand-in for ssh: prints its arguments, the locale it got, and fails for the alias "bad". */
function fakeSsh(): string {
  const dir = mkdtempSync(join(tmpdir(), 'teqlctl-sshg-'));
  const bin = join(dir, 'ssh');
  writeFileSync(bin, '#!/bin/sh\nfor a; do echo "arg $a"; done\necho "lang $LANG"\n[ "$1" != -G ] && exit 9\nfor a; do last=$a; done\n[ "$last" = bad ] && { echo "no such host" >&2; exit 255; }\nexit 0\n', { mode: 0o755 });
  return bin;
}

describe('ssh -G through the helper', () => {
  it('answers as a direct spawn does, for many requests at once, failures included', async () => {
    const bin = fakeSsh();
    const broker = sshGBroker(bin);
    const queries = Array.from({ length: 40 }, (_, i) => ['-G', '-p', String(2200 + i), '--', i === 7 ? 'bad' : `host ${i}`]);
    const viaBroker = await Promise.all(queries.map((q) => broker(q)));
    const direct = await Promise.all(queries.map((q) => runSshG(bin)(q)));
    expect(viaBroker).toEqual(direct);
    expect(viaBroker[3]).toEqual({ code: 0, stdout: 'arg -G\narg -p\narg 2203\narg --\narg host 3\nlang C\n', stderr: '' });
    expect(viaBroker[7]!.code).toBe(255);
  });

  it('does not keep the process alive once every answer is in', async () => {
    const bin = fakeSsh();
    const mod = pathToFileURL(join(import.meta.dirname, '../../src/connect/ssh-g-broker.ts')).href;
    const code = `const { sshGBroker } = await import(${JSON.stringify(mod)}); const r = await sshGBroker(${JSON.stringify(bin)})(['-G', '--', 'x']); console.log(r.code);`;
    const started = Date.now();
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { timeout: 20_000 });
    expect(stdout.trim()).toBe('0');
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});
