import { describe, expect, it } from 'vitest';
import { VarScope } from '../../src/load/scope.js';
import { checkCondition, evalCondition } from '../../src/load/when.js';

const scope = new VarScope({ values: { role: 'edge', on: true, off: false, n: 3, s: '3', list: [1] }, origins: new Map() });
const when = (c: string | boolean) => evalCondition(c, scope);

describe('when', () => {
  it('evaluates the supported operators', () => {
    expect(when(true)).toBe(true);
    expect(when('on')).toBe(true);
    expect(when('not on')).toBe(false);
    expect(when("role == 'edge'")).toBe(true);
    expect(when('role != "edge"')).toBe(false);
    expect(when('n == 3 and s == "3"')).toBe(true);
    expect(when('n == s')).toBe(false);
    expect(when('off or on')).toBe(true);
    expect(when('missing is not defined and role is defined')).toBe(true);
    expect(when('missing is undefined')).toBe(true);
    expect(when('missing.key is defined')).toBe(false);
    expect(when('not (off or off)')).toBe(true);
    expect(when('list == [1]')).toBe(true);
    expect(when("s | int == 3")).toBe(true);
    expect(when("missing | default('edge') == role")).toBe(true);
  });

  it('short-circuits, so a guarded undefined variable is fine', () => {
    expect(when('missing is defined and missing == 1')).toBe(false);
    expect(when('missing is not defined or missing == 1')).toBe(true);
  });

  it('insists on true or false', () => {
    expect(() => when('role')).toThrow("when: 'role' gave the string 'edge', not true or false");
    expect(() => when('not n')).toThrow("'not' needs true or false, got the number 3");
    expect(() => when('missing == 1')).toThrow("undefined variable: 'missing' is not defined");
  });

  it('reads a negative number after not, and, or (it said: unsupported operator -)', () => {
    expect(when('n != 3 or -1 == -1')).toBe(true);
    expect(when('n == 3 and -3 != n')).toBe(true);
    expect(() => when('not -1')).toThrow("'not' needs true or false, got the number -1");
  });

  it('rejects at check time what can never work', () => {
    expect(() => checkCondition('{{ on }}')).toThrow('must not contain {{ }}');
    // The hint drops Jinja's whitespace-control dashes with the braces.
    expect(() => checkCondition('{{- on -}}')).toThrow(expect.objectContaining({ hint: 'write the bare expression, e.g. when: on' }));
    expect(() => checkCondition('n >= 3')).toThrow("unsupported operator '>='");
    expect(() => checkCondition('n in list')).toThrow("unsupported operator 'in'");
    expect(() => checkCondition(3)).toThrow('when: must be a condition');
    expect(() => checkCondition('on and')).toThrow('expected a value, found the end');
    expect(() => checkCondition("role == 'edge'")).not.toThrow();
  });
});
