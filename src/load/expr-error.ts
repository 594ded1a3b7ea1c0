// The one error type of expressions and templates; callers attach the YAML position.

export const SUPPORTED_SYNTAX =
  'supported: variables, a.b, a[0], a["key"], string/number/true/false/none literals, [lists], ' +
  '==, !=, and, or, not, is defined, is not defined, and the filters default, d, int, string, bool';

export class ExprError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}
