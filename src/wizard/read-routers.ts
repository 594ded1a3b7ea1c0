// Step 2: one facts round trip per router, both at once, and the caveats the facts raise already.
import { runWithProgress } from '../ui/progress.js';
import { formatCaveats, teqlCaveats, type Caveat } from './caveats.js';
import { readRouterFacts } from './connect-router.js';
import { linkRows } from './links.js';
import type { WizardSession } from './session.js';
import { say, width } from './terminal.js';
import { notRootWords } from '../router/session-uid.js';
import { RefusedError, TeqlError } from '../errors.js';
import { sameMachine } from './same-router.js';

export async function readRouters(s: WizardSession): Promise<void> {
  // teqlctl's own errors as they were thrown (the progress display keeps their message only): said
  // with their hint and exit code, not as an internal error.
  const own: TeqlError[] = [];
  const errors = await runWithProgress(s.mode, (['a', 'b'] as const).map((side) => ({
    title: `${s.conns.get(side)!.answers.name}: read interfaces, addresses, routes, rp_filter, sch_teql`,
    run: async (setTitle) => {
      const r = s.conns.get(side)!;
      try {
        const facts = await readRouterFacts(r.answers, r.conn);
        // Before a dozen questions whose playbook `play` would refuse (play/session-refusals.ts).
        const notRoot = notRootWords(facts.uid);
        if (notRoot !== undefined) throw new RefusedError(`${r.answers.name}: ${notRoot}; nothing was changed`, 'run the wizard again and log in as root, or answer yes to "run the commands through sudo (become root)?"');
        s.routers.set(side, { ...r, facts, rows: linkRows(facts, r.answers.host) });
        setTitle(`${r.answers.name}: ${facts.links.length} interfaces read`);
      } catch (err) {
        if (err instanceof TeqlError) own.push(err);
        throw err;
      }
    },
  })), 2);
  if (errors.length > 0) throw own[0] ?? errors[0]!;
  const caveats: Caveat[] = [];
  for (const side of ['a', 'b'] as const) {
    const r = s.router(side);
    caveats.push(...teqlCaveats(r.answers.name, r.facts));
    if (!r.facts.management) {
      caveats.push({ level: 'warn', text: `${r.answers.name}: could not tell which interface carries this SSH session (${r.facts.managementUnknown ?? 'the session did not say where it comes from'}); do not pick it as a link.` });
    }
  }
  say(formatCaveats(width(), caveats));
}

/**
 * Reads both routers; while B answers as the machine A is (a name and an address of one router,
 * two ports forwarded to it), says so and asks B again (`askB`), as a wrong password is.
 */
export async function readDistinctRouters(s: WizardSession, askB: () => Promise<void>): Promise<void> {
  for (;;) {
    await readRouters(s);
    const same = sameMachine(s.router('a'), s.router('b'));
    if (same === undefined) return;
    say(`  ! ${same}.`);
    await s.forget('b');
    await askB();
  }
}
