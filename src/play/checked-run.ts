// A round trip whose exit code must be one of `ok`, else an error that says what failed and where.
import { RemoteCommandError, type Stage } from '../errors.js';
import type { Transport } from '../connect/transport.js';

export async function checked(t: Transport, label: string, script: string, what: string, stage: Stage = 'connect', ok: readonly number[] = [0]) {
  const res = await t.run(label, script);
  if (!ok.includes(res.code)) throw new RemoteCommandError(t.host, res, what, stage);
  return res;
}
