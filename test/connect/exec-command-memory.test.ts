// A command's answer is let go once its caller lets it go, though the connection lives on: each
// command raced the connection's `lost` promise, and the race's reaction on it held the answer to
// the end of the run (a fleet's every facts read and apply output, found in a heap snapshot).
import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import type { NodeSSH } from 'node-ssh';
import { execCommand } from '../../src/connect/exec-command.js';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

describe('execCommand', () => {
  it("keeps no answer alive through the connection's lost promise", async () => {
    const lost = new Promise<never>(() => undefined); // the connection lives on
    const ssh = { execCommand: async () => ({ stdout: `@@teqlctl-section links\n${'x'.repeat(100_000)}`, stderr: '', code: 0, signal: null }) } as unknown as NodeSSH;
    let answer: object | undefined = await execCommand(ssh, 'r1', { command: 'sh -s' }, 'true\n', 60, lost);
    const kept = new WeakRef(answer);
    answer = undefined;
    for (let i = 0; i < 5 && kept.deref() !== undefined; i++) {
      await new Promise((r) => setImmediate(r));
      gc();
    }
    expect(kept.deref()).toBeUndefined();
  });

  it('still fails when the connection is lost while the command runs', async () => {
    let lose: (e: Error) => void = () => undefined;
    const lost = new Promise<never>((_, reject) => (lose = reject));
    lost.catch(() => undefined);
    const ssh = { execCommand: () => new Promise(() => undefined) } as unknown as NodeSSH;
    const running = execCommand(ssh, 'r1', { command: 'sh -s' }, 'true\n', 60, lost);
    lose(new Error('r1: connection lost'));
    await expect(running).rejects.toThrow('r1: connection lost');
  });
});
