// Reads an INI inventory into the tree as Ansible's ini plugin does: hosts before any section are
// ungrouped; [g] lists hosts with `k=v` variables (quoted as a shell would, each value read as a
// Python literal), [g:vars] one `k = v` a line, [g:children] the names of groups declared elsewhere.
import type { SourcePos } from '../errors.js';
import { refuseReservedVars } from './ansible-vars.js';
import { addHostEntry, groupOf, validName, type InventoryTree } from './inventory-tree.js';
import type { Problems } from './problems.js';
import { pyLiteral } from './python-literal.js';
import { refusePythonBreaks } from './foreign-line-breaks.js';
import { emptyLayer, formatPos, mergeLayers, type VarLayer } from './scope.js';
import { shlexSplit } from './shlex.js';
import { shown } from './shown.js';
import { VAR_NAME } from './vars-node.js';
import { pythonFloatText, recordYaml11Readings } from './yaml11-readings.js';

// Python's float literals (a dot or an exponent), as literal_eval reads them from an INI value.
const FLOAT_TEXT = /^[-+]?(?:(?:\d[\d_]*\.[\d_]*|\.\d[\d_]*)(?:[eE][-+]?\d[\d_]*)?|\d[\d_]*[eE][-+]?\d[\d_]*)$/;

type State = 'hosts' | 'vars' | 'children';

interface Pending {
  pos: SourcePos;
  state: 'vars' | 'children';
  /** The [parent:children] sections that list the group, and where. */
  parents: Array<{ group: string; at: SourcePos }>;
}

const SECTION = /^\[([^:\]\s]+)(?::(\w+))?\]\s*(?:#.*)?$/;
const GROUP_LINE = /^([^:\]\s]+)\s*(?:#.*)?$/;
const YAML_HINT = 'this looks like YAML: name a YAML inventory *.yml or *.yaml, in lower case as Ansible compares it (a file with another extension is read as INI, as Ansible does; one without an extension is read as YAML when it parses as a YAML mapping)';

const TWICE = 'Ansible would take the last one without a word';

/** Reads `text` into `tree`; returns notes for the operator (what a comment cut from a host line). */
export function readIniInventory(file: string, text: string, tree: InventoryTree, problems: Problems): string[] {
  let group = 'ungrouped';
  let state: State = 'hosts';
  const pending = new Map<string, Pending>();
  const notes: string[] = [];
  // The variables of the current [g:vars] section, where each was first set.
  let sectionVars = new Map<string, SourcePos>();
  const known = (g: string) => g === 'all' || g === 'ungrouped' || tree.groups.has(g);
  if (refusePythonBreaks(text, file, problems)) return notes;
  if (text.startsWith('\ufeff')) {
    problems.add("the file starts with a byte order mark (U+FEFF): Ansible's INI reader reads it as part of the first line (then no section, or a host whose name starts with it)", { file, line: 1, col: 1 }, 'save the file as UTF-8 without a byte order mark');
    return notes;
  }
  const lines = text.split(/\r?\n/);
  for (let n = 0; n < lines.length; n++) {
    const raw = lines[n]!;
    const indent = raw.length - pyStrip(raw, 'start').length;
    const line = pyStrip(raw);
    const at = (offset: number): SourcePos => ({ file, line: n + 1, col: indent + offset + 1 });
    const bad = (message: string, offset: number, hint: string) => problems.add(`invalid INI inventory: ${message}`, at(offset), hint);
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;

    const section = SECTION.exec(line);
    if (section) {
      sectionVars = new Map();
      const name = section[1]!;
      const kind = section[2] ?? 'hosts';
      if (kind !== 'hosts' && kind !== 'vars' && kind !== 'children') {
        bad(`section [${name}:${kind}] has unknown type '${kind}'`, 0, 'a section is [group], [group:vars] or [group:children]');
        state = 'hosts';
        group = '';
        continue;
      }
      [group, state] = [name, kind];
      if (!validName(name, 'group', at(1), problems)) {
        group = '';
        continue;
      }
      // [g] and [g:children] declare a group; [g:vars] needs it declared somewhere in the inventory.
      if (!known(name) && state === 'vars' && !pending.has(name)) pending.set(name, { pos: at(1), state, parents: [] });
      const waiting = pending.get(name);
      if (state !== 'vars' && waiting) {
        pending.delete(name);
        for (const parent of waiting.parents) groupOf(tree, name, at(1), parent.group, parent.at);
      }
      groupOf(tree, name, at(1));
      continue;
    }
    if (line.startsWith('[') && line.endsWith(']')) {
      bad(`invalid section ${shown(line)}`, 0, 'a section is [group], [group:vars] or [group:children], without spaces');
      continue;
    }
    // Ansible refuses it too (as a host range); only # starts a comment after a section.
    const semi = /^(\[[^\]]*\])\s*;/.exec(line);
    if (semi) {
      bad(`a comment after the section ${semi[1]} starts with ';'`, line.indexOf(';', semi[1]!.length), 'after a section, a comment starts with # (a ; comment takes a line of its own)');
      group = '';
      continue;
    }
    if (group === '') continue; // the section's own problem is reported once

    if (state === 'hosts') {
      const cut = readHostLine(line, group, at, tree, problems);
      if (cut) notes.push(cut);
    } else if (state === 'vars') {
      const eq = line.indexOf('=');
      if (eq < 0) {
        bad(`expected name=value in [${group}:vars], got ${shown(line)}`, 0, 'one variable a line, e.g. ansible_user=admin');
        continue;
      }
      const name = pyStrip(line.slice(0, eq));
      const first = sectionVars.get(name);
      if (first) {
        bad(`${shown(name)} is set twice in [${group}:vars] (first on line ${first.line}); ${TWICE}`, 0, `keep one ${name}=... line`);
        continue;
      }
      sectionVars.set(name, at(0));
      const layer = variable(name, pyStrip(line.slice(eq + 1)), at(0), `vars of group ${group} in the inventory`, `[${group}:vars]`, problems);
      const g = tree.groups.get(group)!;
      g.vars = mergeLayers([g.vars, layer]);
    } else {
      const m = GROUP_LINE.exec(line);
      if (!m) {
        bad(`expected a group name in [${group}:children], got ${shown(line)}`, 0, 'one group name a line');
        continue;
      }
      const child = m[1]!;
      if (!validName(child, 'group', at(0), problems)) continue;
      if (child === 'all') problems.add("'all' cannot be a child group", at(0), 'every group is already inside all');
      // A group only a [g:vars] section named so far exists already (Ansible adds it there, and
      // still wants it declared): it takes its place among the children here, not once declared.
      else if (known(child)) groupOf(tree, child, at(0), group);
      else {
        const p = pending.get(child) ?? { pos: at(0), state: 'children', parents: [] };
        p.parents.push({ group, at: at(0) });
        pending.set(child, p);
      }
    }
  }
  for (const [name, p] of pending) {
    // The first section that lists it, at that entry (Ansible names the last section at the first entry's line).
    const message = p.state === 'vars' ? `section [${name}:vars] is for group '${name}', which no section declares` : `section [${p.parents[0]!.group}:children] lists group '${name}', which no section declares`;
    problems.add(`invalid INI inventory: ${message}`, p.pos, `declare it with a [${name}] section (it may be empty), as Ansible requires`);
  }
  return notes;
}

/** Reads one host line; returns a note when a # inside a word cut the rest of the line. */
function readHostLine(line: string, group: string, at: (offset: number) => SourcePos, tree: InventoryTree, problems: Problems): string | undefined {
  const words = shlexSplit(line);
  if (!Array.isArray(words)) {
    problems.add(`invalid INI inventory: ${words.error} in host line ${shown(line)}`, at(words.at), 'quote a value that holds spaces as in a shell: key="a b" or key=\'a b\'');
    return undefined;
  }
  const [entry, ...rest] = words;
  if (!entry) return undefined;
  if (entry.text === '---' || entry.text.endsWith(':')) {
    problems.add(`invalid INI inventory: ${shown(entry.text)} is not a host`, at(entry.at), YAML_HINT);
    return undefined;
  }
  const layers: VarLayer[] = [];
  const seen = new Map<string, SourcePos>();
  for (const w of rest) {
    const eq = w.text.indexOf('=');
    if (eq < 0) {
      problems.add(`invalid INI inventory: expected name=value after host ${shown(entry.text)}, got ${shown(w.text)}`, at(w.at), 'quote a value that holds spaces as in a shell: key="a b"');
      return undefined;
    }
    const name = w.text.slice(0, eq);
    const first = seen.get(name);
    if (first) {
      problems.add(`invalid INI inventory: ${shown(name)} is set twice for host ${shown(entry.text)} (first at column ${first.col}); ${TWICE}`, at(w.at), `keep one ${name}=... on the line`);
      continue;
    }
    seen.set(name, at(w.at));
    layers.push(variable(name, w.text.slice(eq + 1), at(w.at), `host ${entry.text} in the inventory`, `host '${entry.text}'`, problems));
  }
  addHostEntry(tree, group, entry.text, at(entry.at), mergeLayers(layers), problems);
  const hash = commentInWord(line);
  if (hash < 0) return undefined;
  const pos = at(hash);
  // Ansible's shlex cuts the same way: kept, but said, since the cut text reads as settings.
  return `not read: ${formatPos(pos)}: ${shown(line.slice(hash), 80)}, on the line of host ${shown(entry.text)}: a # inside a word starts a comment, as in Ansible (quote the value if the # belongs to it: key="a#b")`;
}

/** Where a # that shlex takes for a comment sits inside a word (not after a blank), or -1. */
function commentInWord(line: string): number {
  let quote: string | undefined;
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"') i++;
    } else if (c === '#') return inWord ? i : -1;
    else if (' \t\r\n'.includes(c)) inWord = false;
    else {
      inWord = true;
      if (c === "'" || c === '"') quote = c;
      else if (c === '\\') i++;
    }
  }
  return -1;
}

/** Python's str.strip(): JavaScript's trim() also takes off U+FEFF, which Python keeps (`v = 1<U+FEFF>` is text there). */
function pyStrip(s: string, end: 'start' | 'both' = 'both'): string {
  const start = s.replace(/^[^\S\ufeff]+/, '');
  return end === 'start' ? start : start.replace(/[^\S\ufeff]+$/, '');
}

/** One variable; its value as Python's literal_eval reads it, else the text itself (Ansible's rule). */
function variable(name: string, text: string, pos: SourcePos, where: string, what: string, problems: Problems): VarLayer {
  const layer = emptyLayer();
  if (!VAR_NAME.test(name)) {
    problems.add(`invalid variable name ${shown(name)} in ${what}`, pos, 'use letters, digits and _, not starting with a digit');
    return layer;
  }
  const literal = pyLiteral(text);
  if (literal && 'unsupported' in literal) {
    problems.add(`${literal.unsupported} in ${shown(name)}: ${literal.why}`, pos, literal.hint);
    return layer;
  }
  layer.values[name] = literal ? literal.value : text;
  layer.origins.set(name, { pos, where });
  // A float Python prints otherwise (1.0, 1e16: `1` and `10000000000000000` here): said, as YAML's are (a review).
  const float = literal && typeof literal.value === 'number' && FLOAT_TEXT.test(text.trim()) ? pythonFloatText(literal.value) : undefined;
  if (float !== undefined && float !== String(literal!.value)) {
    recordYaml11Readings([{ offset: 0, text: text.trim(), here: `the number ${String(literal!.value)}`, ansible: `the float ${float}` }], () => formatPos(pos));
  }
  // Refused here: once merged, teqlctl's own inventory_hostname and the like hide the value set.
  refuseReservedVars(layer, problems);
  return layer;
}
