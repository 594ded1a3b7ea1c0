// `-e` (Ansible's --extra-vars): the highest-precedence variables of a run, later -e over earlier.
// As Ansible takes them: `@file` (YAML or JSON, relative to the current folder), an inline mapping
// `{"k": ...}`, or `name=value` words. A bare value is read as YAML where it reads back as written,
// so `-e teql_persist=true` gives a boolean and `-e mtu=1400` a number (Ansible: the text 'true',
// '1400'); `-e unit=010` stays '010', as in Ansible; a quoted one stays text.
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { refuseUnknownAnsibleVars } from './ansible-vars.js';
import { keyValueWords } from './key-value-words.js';
import type { Problems } from './problems.js';
import { emptyLayer, mergeLayers, type VarLayer } from './scope.js';
import { shown } from './shown.js';
import { homeOf } from './user-home.js';
import { parseYamlText, readYaml, tagProblems } from './source.js';
import { readVars, VAR_NAME } from './vars-node.js';

const FORMS = "write -e name=value, -e 'a=1 b=\"x y\"', -e '{\"name\": value}' or -e @vars.yml";

/**
 * `@FILE`, as Ansible's path_dwim finds it: from the current folder, or `~`, `~user` expanded (a
 * user not in /etc/passwd kept as written, as Python's expanduser keeps it).
 */
function fromFile(arg: string, n: number, cwd: string, problems: Problems): VarLayer {
  const name = arg.slice(1);
  if (name.trim() === '') {
    problems.add('-e @ names no file', { file: '(command line)', line: 1, col: n }, 'write the file after @, e.g. -e @vars.yml');
    return emptyLayer();
  }
  const tilde = /^~([^/]*)(\/.*)?$/.exec(name);
  const home = tilde ? (tilde[1] === '' ? homedir() : homeOf(tilde[1]!)) : undefined;
  const file = home !== undefined ? resolve(home, (tilde![2] ?? '/').slice(1)) : resolve(cwd, name);
  const y = readYaml(file, 'extra vars file (-e @FILE)', problems);
  return y ? readVars(y, y.doc.contents, `the extra vars file ${shown(arg.slice(1), 80)}`, `-e ${arg}`, problems) : emptyLayer();
}

function inline(arg: string, n: number, problems: Problems): VarLayer {
  const y = parseYamlText(arg, `(command line, -e #${n})`, problems);
  return y ? readVars(y, y.doc.contents, `-e #${n}`, `-e #${n}`, problems) : emptyLayer();
}

function keyValues(arg: string, n: number, problems: Problems): VarLayer {
  const layer = emptyLayer();
  // Kept as before: line 1, column = which -e, so that messages point at the argument.
  const pos = { file: '(command line)', line: 1, col: n };
  const r = keyValueWords(arg);
  if ('error' in r) {
    problems.add(`-e ${shown(arg, 80)}: ${r.error} (at character ${r.offset + 1})`, pos, `${FORMS}; quote a value with spaces`);
    return layer;
  }
  if (r.pairs.length === 0) problems.add('-e needs variables', pos, FORMS);
  for (const p of r.pairs) {
    if (!VAR_NAME.test(p.key)) {
      problems.add(`-e ${shown(arg, 80)}: ${shown(p.key)} is not a variable name`, pos, 'use letters, digits and _, not starting with a digit, e.g. -e teql_persist=true');
      continue;
    }
    let value: unknown = p.value;
    // A connection variable that is text is the text typed, as Ansible keeps every name=value
    // (-e ansible_user=1000 was the number 1000 here, refused as not text: a review).
    if (!p.quoted && !p.value.includes('{{') && !TEXT_CONNECTION_VARS.test(p.key)) {
      const doc = parseDocument(p.value);
      // A tag here (-e a=!!binary, -e pattern=!r1) as anywhere YAML is read: refused, not a surprise value.
      const tag = tagProblems(p.value, doc)[0];
      if (tag) {
        problems.add(`-e ${shown(arg, 80)}: ${tag.message}`, pos, `${tag.hint}, e.g. -e '${p.key}="${p.value}"'`);
        continue;
      }
      try {
        value = doc.errors.length > 0 ? p.value : typedAsWritten(doc.toJS(), p.value);
      } catch {
        value = p.value;
      }
    }
    layer.values[p.key] = value;
    layer.origins.set(p.key, { pos, where: `-e ${p.key}` });
  }
  refuseUnknownAnsibleVars(layer, problems);
  return layer;
}

/** The connection variables whose value is text (a user, a host, ssh's arguments, a key's path). */
const TEXT_CONNECTION_VARS = /^(ansible_(ssh_)?(user|host)|ansible_become_(user|method)|ansible_ssh_(common|extra)_args|ansible_(ssh_)?private_key_file|teqlctl_known_hosts_file)$/;

/**
 * A bare `-e name=value`'s YAML reading, where it reads back as written: true/false, a number in its
 * own decimal form (1400, 1.5), a flow list or mapping. Anything else is the text typed, as Ansible
 * keeps every name=value: `-e unit=010` was 10 here and "010" there (eth1.10 for eth1.010), 1.10 was
 * 1.1, 1e3 and 0x10 numbers, null and ~ empty, #x a comment.
 */
function typedAsWritten(read: unknown, text: string): unknown {
  if (typeof read === 'boolean') return /^(true|false|True|False|TRUE|FALSE)$/.test(text) ? read : text;
  if (typeof read === 'number') return String(read) === text ? read : text;
  // A flow list or mapping as written (-e 'slaves=[eth1,eth2]'); YAML's block forms (-e x=- is [null],
  // -e x=foo: is {foo: null}) are the text, as in Ansible.
  if (read !== null && typeof read === 'object' && /^[[{]/.test(text)) return read;
  return text;
}

/** The -e arguments in order, merged so that a later one wins; problems name the file or the argument. */
export function extraVarsLayer(args: readonly string[], problems: Problems, cwd = process.cwd()): VarLayer {
  return mergeLayers(args.map((arg, i) => {
    const n = i + 1;
    if (arg.startsWith('@')) return fromFile(arg, n, cwd, problems);
    if (arg.startsWith('{') || arg.startsWith('[')) return inline(arg, n, problems);
    if (/^[./~]/.test(arg)) {
      problems.add(`-e ${shown(arg, 80)}: a file name needs @ in front`, { file: '(command line)', line: 1, col: n }, `write -e @${arg}`);
      return emptyLayer();
    }
    return keyValues(arg, n, problems);
  }));
}
