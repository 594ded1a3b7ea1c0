// Step 6: draw what was chosen, render the files, and show the plan `teqlctl play --check` would
// show; when the plan is refused, let the operator change networks, addresses or links.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TeqlError } from '../errors.js';
import { loadRun } from '../load/index.js';
import type { LoadedRun } from '../load/types.js';
import { formatPlan } from '../report/print-plan.js';
import { askSelect } from '../ui/prompts.js';
import { askAddressing } from './ask-addressing.js';
import { askLinks } from './ask-links.js';
import { askNetworks } from './ask-networks.js';
import type { Addressing, LinkPair, Networks, WizardModel } from './model.js';
import { previewPlan } from './preview.js';
import { renderInventory } from './render-inventory.js';
import { renderPlaybook } from './render-playbook.js';
import type { WizardSession } from './session.js';
import { heading, say, shown } from './terminal.js';
import { drawTopology } from './topology.js';

export type Choices = Pick<WizardModel, 'links' | 'addressing' | 'networks'>;

export function renderFiles(s: WizardSession, model: WizardModel) {
  const inventory = join(s.dir, 'inventories', `${model.name}.yml`);
  const playbook = join(s.dir, 'playbooks', `${model.name}.yml`);
  return {
    inventory: { path: inventory, text: renderInventory(model, shown(playbook), shown(inventory)) },
    playbook: { path: playbook, text: renderPlaybook(shown(inventory), shown(playbook)) },
  };
}

export function modelOf(s: WizardSession, name: string, c: Choices): WizardModel {
  return { name, a: s.router('a').answers, b: s.router('b').answers, ...c };
}

/**
 * Loads the files from the scratch folder as `teqlctl play` would, and prints the plan it would print.
 * A load problem is a refusal too, said with the files' own names (it ended the wizard with exit 2,
 * naming a temporary file already removed: a review).
 */
export async function preview(s: WizardSession, inventoryText: string, playbookText: string): Promise<'ok' | 'refused'> {
  const inv = join(s.scratchDir(), 'inventory.yml');
  const play = join(s.scratchDir(), 'playbook.yml');
  writeFileSync(inv, inventoryText);
  writeFileSync(play, playbookText);
  // Positions point into the temporary copies: name the files as the operator knows them.
  const named = (text: string) => text.replaceAll(play, 'playbook').replaceAll(inv, 'inventory');
  let loaded: LoadedRun;
  try {
    loaded = loadRun(inv, play);
  } catch (err) {
    if (!(err instanceof TeqlError)) throw err;
    heading('Plan (what `teqlctl play --check` shows)');
    say(`  ! refused: the files these answers make would not load: ${named(err.message)}${err.hint ? `\n    hint: ${named(err.hint)}` : ''}`);
    return 'refused';
  }
  heading('Plan (what `teqlctl play --check` shows)');
  const transports = new Map((['a', 'b'] as const).map((side) => [s.router(side).answers.name, s.router(side).conn.transport]));
  const { plans, refused } = await previewPlan(loaded, transports, s.mode);
  if (refused.length === 0) {
    say(formatPlan(plans, false));
    return 'ok';
  }
  for (const err of refused) {
    const message = named(err.message);
    say(`  ! refused: ${message}${err.hint ? `\n    hint: ${err.hint}` : ''}`);
    if (/teql_device|already equalizes|teql0 already holds/.test(err.message)) {
      say('    the wizard sets up teql0 only, and teql0 serves another bundle on this router: a second bundle (a hub and its' +
        ' branches) is written by hand with teql_bundles, and set up with playbooks/teql-bundles.yml (docs/playbook-language.md, "Bundles").');
    }
    if (/SSH session/.test(err.message)) {
      say('    teqlctl never changes the interface or the route that carries its own SSH session: a mistake there would lock you out' +
        ' before it could roll back. With "network 2 is the Internet", A\'s new default route would carry the session: give A a' +
        ' specific route to where you manage it from, or manage it over another path.');
    }
  }
  return 'refused';
}

/** Asks links, addresses and networks, then reviews them until the plan is fine or the operator writes anyway. */
export async function chooseAndReview(s: WizardSession): Promise<{ choices: Choices; verdict: 'ok' | 'refused' }> {
  let links: LinkPair[] = await askLinks(s);
  let addressing: Addressing = await askAddressing(s, links);
  let networks: Networks = await askNetworks(s, links, addressing);
  for (;;) {
    heading('Review');
    const model = modelOf(s, 'my-routers', { links, addressing, networks });
    say(drawTopology(model));
    const files = renderFiles(s, model);
    const verdict = await preview(s, files.inventory.text, files.playbook.text);
    if (verdict === 'ok') return { choices: { links, addressing, networks }, verdict };
    const next = await askSelect<string>({
      message: 'The plan cannot run as it is. What now?',
      choices: [
        { value: 'networks', name: 'change the networks' },
        { value: 'addresses', name: 'change the addresses' },
        { value: 'links', name: 'pick the links again' },
        { value: 'write', name: 'write the files anyway (teqlctl play will refuse until the routers change)' },
      ],
    });
    if (next === 'write') return { choices: { links, addressing, networks }, verdict };
    if (next === 'links') links = await askLinks(s);
    if (next === 'links' || next === 'addresses') addressing = await askAddressing(s, links);
    networks = await askNetworks(s, links, addressing);
  }
}
