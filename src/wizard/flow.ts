// The order of `teqlctl wizard`: ask and connect both routers, read them (never change them),
// choose links, addresses and networks, review the plan, write the files, and return what to run.
// Each step is a file beside this one; prompts go through src/ui/prompts.ts.
import { join, resolve } from 'node:path';
import { askAndConnect } from './ask-routers.js';
import { finish, type PlayRequest } from './finish.js';
import { readDistinctRouters } from './read-routers.js';
import { chooseAndReview } from './review.js';
import { isPromptExit } from '../ui/prompts.js';
import { onInterrupt, StoppedAfterWriting } from './interrupt.js';
import { WizardSession } from './session.js';
import { say, shown } from './terminal.js';

export type { PlayRequest } from './finish.js';

export interface WizardOptions {
  /** Where inventories/ and playbooks/ are written. */
  dir: string;
}

export async function runWizard(opts: WizardOptions): Promise<PlayRequest | undefined> {
  const s = new WizardSession(resolve(opts.dir));
  const stopHandling = onInterrupt(s);
  try {
    say('teqlctl wizard: bundle the links between two routers, A and B, with TEQL (LARTC HOWTO, chapter 10).');
    say('It connects to both routers and reads them; it changes nothing until you say so at the very end.');
    say(`Files go to ${shown(join(s.dir, 'inventories'))}/ and ${shown(join(s.dir, 'playbooks'))}/. Ctrl-C leaves nothing behind.`);
    for (const side of ['a', 'b'] as const) await askAndConnect(s, side);
    await readDistinctRouters(s, () => askAndConnect(s, 'b'));
    const { choices, verdict } = await chooseAndReview(s);
    return await finish(s, choices, verdict === 'ok');
  } catch (err) {
    // Ctrl-C at a prompt after a host key was trusted: said, as "nothing was written" is not true.
    if (isPromptExit(err) && s.wrote.length > 0) throw new StoppedAfterWriting(s);
    throw err;
  } finally {
    stopHandling();
    s.discard();
    await s.close();
  }
}
