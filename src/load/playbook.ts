// The playbook as written: a list of plays, each with hosts, vars and tasks (host-independent).
import { isMap, isSeq, type Node } from 'yaml';
import type { SourcePos } from '../errors.js';
import { PASSWORD_VARS, passwordHint } from './ansible-vars.js';
import { CONNECTION_VARS } from './connection.js';
import type { Problems } from './problems.js';
import type { VarLayer } from './scope.js';
import { child, deref, keyText, posOf, toJS, type YamlFile } from './source.js';
import { mergedMap } from './mapping-pairs.js';
import { readPersist, readTask, type PersistShape, type TaskShape } from './task-shape.js';
import { PYTHON_KEYWORDS, readVars } from './vars-node.js';
import { shown } from './shown.js';
import { readMaxFail, readSerial, type Serial } from './serial.js';

export interface PlayShape {
  name: string;
  pos: SourcePos;
  hosts: string | string[];
  hostsPos: SourcePos;
  vars: VarLayer;
  /** `persist:` of the play, the default of its tasks: a boolean, or a template giving one per host. */
  persist?: PersistShape;
  serial?: Serial;
  maxFailPercentage?: number;
  tasks: TaskShape[];
}

const PLAY_KEYS = ['name', 'hosts', 'vars', 'persist', 'serial', 'max_fail_percentage', 'tasks'];

export function readPlaybook(y: YamlFile, problems: Problems): PlayShape[] {
  const root = deref(y, y.doc.contents) as Node | null;
  if (!isSeq(root)) {
    const what = root === null ? 'the playbook is empty' : `the playbook must be a list of plays, not ${isMap(root) ? 'a mapping' : 'a scalar'}`;
    problems.add(what, posOf(y, root), 'start each play with `- name: ...` then `hosts:` and `tasks:`');
    return [];
  }
  // As Ansible refuses it ("A playbook must contain at least one play"): an empty list is no run.
  if (root.items.length === 0) problems.add('the playbook holds no play', posOf(y, root), 'start each play with `- name: ...` then `hosts:` and `tasks:`');
  return root.items.flatMap((item) => {
    const play = readPlay(y, deref(y, item) as Node | null, problems);
    return play ? [play] : [];
  });
}

/**
 * Where what an unsupported play keyword holds can go instead: "remove it" alone dropped variables
 * or tasks that a playbook then skipped without a word behind `is defined` (a review).
 */
function playKeyHint(key: string): string {
  if (key.startsWith('become')) return 'set ansible_become in the inventory';
  if (key === 'vars_files') return "move its variables into the play's vars:, into group_vars/ or host_vars/ beside the inventory or the playbook, or give the file with -e @FILE";
  if (key === 'pre_tasks' || key === 'post_tasks') return 'put its tasks into tasks:, in the order they are to run';
  if (key === 'roles' || key.startsWith('import_') || key.startsWith('include')) return "copy the tasks into the play's tasks:, or run that playbook as a run of its own";
  if (key === 'handlers') return 'teqlctl has no handlers: a task runs when its when: holds';
  if (key === 'gather_facts') return "remove it: teqlctl reads each router's state itself (not as variables)";
  return "remove it; what it sets is not read by teqlctl (see docs/playbook-language.md for the play's keywords)";
}

function readPlay(y: YamlFile, raw: Node | null, problems: Problems): PlayShape | undefined {
  if (!isMap(raw)) {
    problems.add('a play must be a mapping with name, hosts and tasks', posOf(y, raw), 'write `- name: ...\n  hosts: routers\n  tasks: [...]`');
    return undefined;
  }
  const node = mergedMap(y, raw, problems);
  const pos = posOf(y, node);
  let ok = true;
  for (const pair of node.items) {
    const key = keyText(pair.key);
    if (!PLAY_KEYS.includes(key)) {
      problems.add(`unsupported play keyword ${shown(key)} (supported: ${PLAY_KEYS.join(', ')})`, posOf(y, pair.key as Node), playKeyHint(key));
      ok = false;
    }
  }
  const hostsNode = child(y, node, 'hosts');
  const hosts = toJS(y, hostsNode);
  const hostsOk = typeof hosts === 'string' || (Array.isArray(hosts) && hosts.length > 0 && hosts.every((h) => typeof h === 'string'));
  if (!hostsNode || !hostsOk) {
    problems.add(hostsNode ? 'hosts: must be a host pattern such as routers or router_a:router_b' : 'a play needs hosts:', posOf(y, hostsNode ?? node), 'name a group, a host, or all');
    ok = false;
  }
  const nameNode = child(y, node, 'name');
  const nameValue = toJS(y, nameNode);
  // As a task's name: a mapping or a list would print as [object Object] in --list-tasks and reports.
  if (typeof nameValue === 'object' && nameValue !== null) {
    problems.add('a play name must be text', posOf(y, nameNode), 'write name: followed by text (quote it if it holds a colon or starts with { or [)');
    ok = false;
  }
  const vars = readVars(y, child(y, node, 'vars'), 'the play\'s vars', 'play vars', problems);
  for (const [name, origin] of vars.origins) {
    if (CONNECTION_VARS.includes(name)) {
      problems.add(`connection variable ${name} cannot be set in a play`, origin.pos, 'set it in the inventory (host or group vars)');
      ok = false;
    } else if (PASSWORD_VARS.includes(name)) {
      problems.add(`${name} in play vars: passwords are not supported`, origin.pos, passwordHint(name));
      ok = false;
    } else if (PYTHON_KEYWORDS.has(name)) {
      // Ansible's play vars take Python identifiers only (utils.vars.isidentifier): ansible-playbook refuses it.
      problems.add(`${shown(name)} in play vars is not a valid variable name: it is a Python keyword, which Ansible refuses there`, origin.pos, `rename it, e.g. ${name}_ (and the templates that read it)`);
      ok = false;
    }
  }
  const persist = readPersist(y, child(y, node, 'persist'), problems);
  if (persist === null) ok = false;
  const serial = readSerial(y, child(y, node, 'serial'), problems);
  const maxFail = readMaxFail(y, child(y, node, 'max_fail_percentage'), problems);
  if (serial === null || maxFail === null) ok = false;
  const tasksNode = child(y, node, 'tasks');
  const tasks: TaskShape[] = [];
  if (tasksNode && !isSeq(tasksNode) && toJS(y, tasksNode) !== null) {
    problems.add('tasks: must be a list of tasks', posOf(y, tasksNode), 'start each task with `- name: ...`');
    ok = false;
  } else if (isSeq(tasksNode)) {
    for (const t of tasksNode.items) {
      const task = readTask(y, t, problems);
      if (task) tasks.push(task);
    }
  }
  if (!ok) return undefined;
  const patternText = Array.isArray(hosts) ? hosts.join(',') : String(hosts);
  return {
    // No name, or an empty one: the hosts pattern names the play, as Ansible shows it.
    name: nameValue === null || nameValue === undefined || nameValue === '' ? patternText : String(nameValue),
    pos,
    hosts: hosts as string | string[],
    hostsPos: posOf(y, hostsNode),
    vars,
    ...(persist ? { persist } : {}),
    ...(serial ? { serial } : {}),
    ...(maxFail !== undefined && maxFail !== null ? { maxFailPercentage: maxFail } : {}),
    tasks,
  };
}
