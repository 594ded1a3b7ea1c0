// What commands do over an inventory's open connections: a remote command whose failure is an
// error (never read as an empty answer), and closing them all. No SSH library is loaded here.
import type { CommandResult, Transport } from '../connect/transport.js';
import { RemoteCommandError, type Stage } from '../errors.js';
import type { HostConnection } from './inventory-options.js';

export async function runChecked(t: Transport, label: string, script: string, what: string, stage: Stage, ok: readonly number[] = [0]): Promise<CommandResult> {
  const res = await t.run(label, script);
  if (!ok.includes(res.code)) throw new RemoteCommandError(t.host, res, what, stage);
  return res;
}

export async function closeAll(conns: HostConnection[]): Promise<void> {
  await Promise.all(conns.map((c) => c.transport?.close().catch(() => undefined)));
}
