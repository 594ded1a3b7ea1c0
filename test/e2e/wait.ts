// Waiting in e2e tests: for a condition on the routers, and for both routers' state read at once.
import { readState } from './router-state.js';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `fn` is true or `ms` passed; returns whether it became true. */
export async function eventually(ms: number, fn: () => Promise<boolean>): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await fn().catch(() => false)) return true;
    await sleep(1000);
  }
  return fn().catch(() => false);
}

/** Both routers' state, read directly (see router-state.ts). */
export const bothStates = async () => ({ a: await readState('a'), b: await readState('b') });
