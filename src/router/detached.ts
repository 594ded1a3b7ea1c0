// Values parsed out of a large output, copied so that they hold none of it. V8 keeps a substring of
// 13 characters or more (from slice, split, a regular expression's match) as a view of its parent
// string: a sysctl name or a step's command read from a facts read's or an apply's output kept the
// whole output alive for as long as the value lived. A fleet's hosts kept two to three such
// outputs each until the run ended (~45 KB a host, 45 MB at 1000 hosts: a heap snapshot of the
// fleet bench, 2026-12-05). structuredClone writes every string anew.

/** `value` with every string in it copied out of the strings it was cut from. */
export function detached<T>(value: T): T {
  return structuredClone(value);
}

/** One string copied out of the string it was cut from (one too short to be a view is itself). */
export function detachedString(s: string): string {
  return s.length < 13 ? s : structuredClone(s);
}
