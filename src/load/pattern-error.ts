// A host pattern teqlctl cannot take: its own module, so that the pattern's parts (subscripts,
// the split into terms) raise it without importing the matcher.
export class PatternError extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}
