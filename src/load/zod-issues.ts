// Turns zod issues into messages a playbook author understands, each with the path of the argument.
import type * as z from 'zod';
import { describeValue } from './expr-eval.js';
import { argNames } from './module-schemas.js';
import type { ModuleName } from './types.js';
import { shown } from './shown.js';

export interface ArgIssue {
  /** Path inside the module's arguments. */
  path: PropertyKey[];
  /** Point at the key (unknown argument) rather than at the value. */
  atKey: boolean;
  message: string;
  hint?: string;
}

const EXPECTED: Record<string, string> = {
  string: 'a string',
  int: 'an integer',
  number: 'an integer', // every numeric argument of the modules is an integer
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
};

export function showPath(module: string, path: readonly PropertyKey[]): string {
  return path.reduce<string>((s, k) => (typeof k === 'number' ? `${s}[${k}]` : `${s}.${String(k)}`), module);
}

function typeHint(expected: string, input: unknown): string | undefined {
  if (typeof input === 'number' && !Number.isFinite(input)) return expected === 'string' ? 'quote it to give the text ("...")' : 'give a finite number, or quote it to give the text';
  if ((expected === 'int' || expected === 'number') && typeof input === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(input)) {
    return 'the value is text; write it unquoted, or convert a template with | int, e.g. "{{ mtu | int }}"';
  }
  if (expected === 'boolean' && typeof input === 'string' && /^(yes|no|on|off|true|false)$/i.test(input)) {
    return 'YAML 1.2 reads yes/no/on/off as text: write true or false unquoted, or convert a template with | bool';
  }
  return undefined;
}

export function argIssues(module: ModuleName, issues: readonly z.core.$ZodIssue[]): ArgIssue[] {
  return issues.flatMap((issue): ArgIssue[] => {
    const path = [...issue.path];
    const where = showPath(module, path);
    const input = (issue as { input?: unknown }).input;
    switch (issue.code) {
      case 'unrecognized_keys':
        return issue.keys.map((key) => ({
          path: [...path, key],
          atKey: true,
          message: `unknown argument ${shown(String(key))} for ${module}`,
          hint: `${module} takes: ${argNames(module).join(', ')}`,
        }));
      case 'invalid_type': {
        if (input === undefined) {
          const name = String(path[path.length - 1]);
          return [{ path: path.slice(0, -1), atKey: false, message: `${module}: missing required argument '${name}'`, hint: `${module} takes: ${argNames(module).join(', ')}` }];
        }
        const expected = EXPECTED[issue.expected] ?? issue.expected;
        return [{ path, atKey: false, message: `${where}: expected ${expected}, got ${describeValue(input)}`, hint: typeHint(issue.expected, input) }];
      }
      case 'invalid_value':
        return [{ path, atKey: false, message: `${where}: must be one of ${issue.values.map(String).join(', ')}, got ${describeValue(input)}` }];
      case 'too_small':
      case 'too_big': {
        const bound = issue.code === 'too_small' ? `at least ${String(issue.minimum)}` : `at most ${String(issue.maximum)}`;
        const what = issue.origin === 'array' ? `must have ${bound} item(s)` : `must be ${bound}`;
        return [{ path, atKey: false, message: `${where}: ${what}, got ${Array.isArray(input) ? `${input.length}` : describeValue(input)}` }];
      }
      case 'invalid_union':
        return [{ path, atKey: false, message: `${where}: expected a string or a number, got ${describeValue(input)}`, hint: typeHint('string', input) }];
      case 'custom': {
        const hint = (issue.params as { hint?: string } | undefined)?.hint;
        return [{ path, atKey: false, message: `${where}: ${issue.message}`, hint }];
      }
      default:
        return [{ path, atKey: false, message: `${where}: ${issue.message}` }];
    }
  });
}
