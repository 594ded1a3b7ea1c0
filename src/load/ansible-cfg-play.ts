// ansible.cfg and ANSIBLE_* settings that change how Ansible runs the play: which tasks ([tags] run
// and skip, ANSIBLE_RUN_TAGS/ANSIBLE_SKIP_TAGS, the defaults of -t and --skip-tags) and what a failed
// task stops (any_errors_fatal). The play and task keywords `tags:` and `any_errors_fatal:` are
// refused (playbook.ts, task-shape.ts), as -t is (no such option); these were noted only, with a
// hint to set them in the inventory (a review, 2026-12-07). Refused where set (exit 2), by a run
// alone (status, rollback and unlock run no play), unless it changes nothing of a teqlctl run.
import { cfgList, cfgValue, readCfg, type CfgPlace, type CfgValue } from './ansible-cfg-lookup.js';
import { falsy } from './ansible-cfg-settings.js';
import type { Problems } from './problems.js';

const RUN_TAGS = { ini: [['tags', 'run']], env: ['ANSIBLE_RUN_TAGS'] } as const;
const SKIP_TAGS = { ini: [['tags', 'skip']], env: ['ANSIBLE_SKIP_TAGS'] } as const;
const FATAL = { ini: [['defaults', 'any_errors_fatal']], env: ['ANSIBLE_ANY_ERRORS_FATAL'] } as const;

const quoted = (at: CfgValue) => `${at.where} (${JSON.stringify(at.value.trim())})`;
// Every task of a teqlctl playbook is untagged (tags: is refused), and so is, to Ansible, tagged
// `untagged`: it runs under run tags holding all or untagged, and is skipped by skip tags holding
// either (Taggable.evaluate_tags). An empty value is a list of one tag, "" (the config's list
// parsing keeps it, and the CLI takes it over ["all"]), which no task has.
const UNTAGGED = ['all', 'untagged'];
const NONE_RUN = "a teqlctl playbook's tasks have none (tags: is refused), so it would run none of them; teqlctl runs every task";
const TAGS_HINT = 'remove the setting: teqlctl runs every task of the playbook (tags: and -t are refused too); to run some of them, give it a playbook of those';

export function refuseConfigPlay(place: CfgPlace, problems: Problems): void {
  const cfg = readCfg(place);
  const run = cfgValue(RUN_TAGS, cfg, place.env);
  if (run && !cfgList(run.value).some((t) => UNTAGGED.includes(t))) {
    problems.add(`${quoted(run)}: Ansible then runs only the tasks with one of these tags, and ${NONE_RUN}`, run.pos, TAGS_HINT);
  }
  const skip = cfgValue(SKIP_TAGS, cfg, place.env);
  if (skip && cfgList(skip.value).some((t) => UNTAGGED.includes(t))) {
    problems.add(`${quoted(skip)}: Ansible then skips the tasks without a tag, and ${NONE_RUN}`, skip.pos, TAGS_HINT);
  }
  // As become is read (ansible-cfg-settings.ts): false, or left empty, is Ansible's default.
  const fatal = cfgValue(FATAL, cfg, place.env);
  if (fatal && !falsy(fatal.value)) {
    problems.add(
      `${quoted(fatal)}: Ansible then ends the play on every host at the first task that fails on one; teqlctl fails only the bundles of that router, rolls them back and goes on with the others`,
      fatal.pos,
      'remove the setting (any_errors_fatal: is refused in a play too); with serial:, max_fail_percentage: stops the batches after one whose bundles failed',
    );
  }
}
