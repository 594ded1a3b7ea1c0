// Step 7: name and write the files, then offer to run them. The wizard does not run the play: it
// returns what to run (with the secrets typed while connecting), and `teqlctl wizard` runs it.
import { shellQuote } from '../router/shell-quote.js';
import { askConfirm, askText, isPromptExit } from '../ui/prompts.js';
import * as q from './questions.js';
import { modelOf, renderFiles, type Choices } from './review.js';
import type { WizardSession } from './session.js';
import { heading, say, shown } from './terminal.js';
import { fileWritten, StoppedAfterWriting } from './interrupt.js';
import { notAsPreviewed } from './same-as-preview.js';
import { existing, notFiles, stageFiles } from './write-files.js';

/** What the operator agreed to run: `teqlctl play -i inventory playbook --yes`. */
export interface PlayRequest {
  inventory: string;
  playbook: string;
  /** The command line as the operator would type it (for messages). */
  command: string;
  /** Secrets typed while connecting, when both routers took the same one (play takes one of each). */
  becomePassword?: string;
  keyPassphrase?: string;
}

/** Returns what to run, or undefined when the operator stops after writing (or before). */
export async function finish(s: WizardSession, choices: Choices, runnable: boolean): Promise<PlayRequest | undefined> {
  heading('Files');
  let name = 'my-routers';
  for (;;) {
    name = (await askText(q.nameQuestion(name))).trim();
    const files = renderFiles(s, modelOf(s, name, choices));
    const both = [files.inventory, files.playbook];
    const odd = notFiles(both);
    if (odd.length > 0) {
      say(`  ! ${odd.map(shown).join(' and ')} ${odd.length === 1 ? 'is' : 'are'} not a file (a folder?): give another name.`);
      continue;
    }
    const there = existing(both);
    if (there.length > 0 && !(await askConfirm({ message: `${there.map(shown).join(' and ')} already exist${there.length === 1 ? 's' : ''}. Overwrite?`, default: false }))) continue;
    if (!(await askConfirm({ message: `Write ${shown(files.inventory.path)} and ${shown(files.playbook.path)}?`, default: true }))) {
      // Host keys trusted at their questions are in known_hosts already: said, not "nothing" (a review).
      say(s.wrote.length === 0 ? 'Nothing was written.' : `The files were not written (${s.wrote.join(' and ')} ${s.wrote.length === 1 ? 'was' : 'were'}); no router was changed.`);
      return undefined;
    }
    let written: string[] = [];
    try {
      // Written and renamed in one synchronous stretch: no signal handler can run in between.
      const staged = stageFiles(both);
      written = staged.renamed;
      staged.commit();
    } catch (err) {
      // A full disk, a folder made read-only meanwhile: said, and the answers are kept.
      const what = err as NodeJS.ErrnoException;
      if (typeof what.code !== 'string') throw err;
      s.wrote.push(...written.map(fileWritten)); // a rename that went through before the other failed
      say(`  ! could not write the files: ${what.message}${written.length > 0 ? ` (${written.map(shown).join(' and ')} was written)` : ''}`);
      say('    Fix that (from another terminal) and give the name again, or another name; Ctrl-C ends the wizard.');
      continue;
    }
    s.wrote.push(fileWritten(files.inventory.path), fileWritten(files.playbook.path));
    say(`Wrote ${shown(files.inventory.path)} and ${shown(files.playbook.path)}.`);
    const unlike = notAsPreviewed(files);
    if (unlike) say(`  ! ${unlike}`);
    try {
      return await offerRun(s, files.inventory.path, files.playbook.path, unlike ? 'what the run loads is not what the preview showed (see above): check its plan first' : runnable ? undefined : 'the plan was refused (see above)', unlike !== undefined);
    } catch (err) {
      // Ctrl-C at "Apply it now?": no router was changed, but the files are there.
      if (isPromptExit(err)) throw new StoppedAfterWriting(s);
      throw err;
    }
  }
}

/** `notNow`: why the run is not offered, if it is not. */
async function offerRun(s: WizardSession, inventory: string, playbook: string, notNow: string | undefined, unlike: boolean): Promise<PlayRequest | undefined> {
  // Quoted for the shell (a folder with a space), as the operator copies it.
  const command = `teqlctl play -i ${shellQuote(inventory)} ${shellQuote(playbook)}`;
  const later = () => {
    if (unlike) {
      // A plan never shown: only the command that shows it.
      say('\nSee what the run would do with:');
      say(`  ${command} --check`);
      return;
    }
    say('\nTo run it later (a --check first shows the plan again):');
    say(`  ${command} --check`);
    say(`  ${command}`);
  };
  if (notNow) {
    say(`Not offering to run it now: ${notNow}.`);
    later();
    return undefined;
  }
  // `play` takes one sudo password (and one key passphrase) for every router: with two different
  // ones, the run it offered could not log in on one of them (a review; the docs said play asked).
  const conns = (['a', 'b'] as const).map((side) => s.conns.get(side)!.conn);
  const distinct = (values: string[]) => [...new Set(values)];
  const passwords = distinct(conns.flatMap((c) => c.becomePassword ?? []));
  const passphrases = distinct(conns.flatMap((c) => c.keyPassphrase ?? []));
  if (passwords.length > 1 || passphrases.length > 1) {
    say(`Not offering to run it now: A and B need different ${passwords.length > 1 ? 'sudo passwords' : 'key passphrases'}, and teqlctl play takes one for every router (${passwords.length > 1 ? '--become-password-file' : '--key-passphrase-file'}). Give both the same one (or sudo without a password for this user), then run:`);
    later();
    return undefined;
  }
  if (!(await askConfirm({ message: `Apply it now to ${s.router('a').answers.name} and ${s.router('b').answers.name}? (apply, verify, roll back both on failure)`, default: false }))) {
    later();
    return undefined;
  }
  const [becomePassword] = passwords;
  const [keyPassphrase] = passphrases;
  return { inventory, playbook, command, ...(becomePassword ? { becomePassword } : {}), ...(keyPassphrase ? { keyPassphrase } : {}) };
}
