// Python's fnmatch as Ansible's host patterns use it (re.compile(fnmatch.translate(p)), so case
// counts): `*` any run, `?` one character, `[abc]`, `[a-z]` and `[!abc]` one character of (not of)
// a class; a `[` with no `]` after it is itself; no backslash escapes. Matched without regular
// expressions, in O(pattern × name) steps at worst: on a mismatch only the last `*` takes one more
// character (a regular expression would try every split).

type Token = { star: true } | { star?: false; test: (c: string) => boolean };

/** fnmatch.translate's reading of `[` at `i` (the character after it): the class, or undefined when no `]` closes it. */
function readClass(chars: string[], i: number): { test: (c: string) => boolean; next: number } | undefined {
  let j = i;
  if (chars[j] === '!') j++;
  if (chars[j] === ']') j++; // a ']' first in the class is itself
  while (j < chars.length && chars[j] !== ']') j++;
  if (j >= chars.length) return undefined;
  let body = chars.slice(i, j);
  const negate = body[0] === '!';
  if (negate) body = body.slice(1);
  // Ranges a-z (one that runs backwards, z-a, matches nothing, as Python drops it); '-' first or last is itself.
  const singles = new Set<string>();
  const ranges: [number, number][] = [];
  for (let k = 0; k < body.length; k++) {
    if (body[k + 1] === '-' && k + 2 < body.length) {
      ranges.push([body[k]!.codePointAt(0)!, body[k + 2]!.codePointAt(0)!]);
      k += 2;
    } else singles.add(body[k]!);
  }
  const inClass = (c: string) => singles.has(c) || ranges.some(([lo, hi]) => lo <= c.codePointAt(0)! && c.codePointAt(0)! <= hi);
  return { test: negate ? (c) => !inClass(c) : inClass, next: j + 1 };
}

function tokens(pattern: string): Token[] {
  const chars = Array.from(pattern);
  const out: Token[] = [];
  for (let i = 0; i < chars.length; ) {
    const c = chars[i++]!;
    if (c === '*') {
      if (!out.at(-1)?.star) out.push({ star: true });
    } else if (c === '?') out.push({ test: () => true });
    else if (c === '[') {
      const cls = readClass(chars, i);
      if (cls === undefined) out.push({ test: (x) => x === '[' });
      else {
        out.push({ test: cls.test });
        i = cls.next;
      }
    } else out.push({ test: (x) => x === c });
  }
  return out;
}

/** Whether `pattern` (fnmatch) matches the whole of `name`. */
export function fnmatch(pattern: string, name: string): boolean {
  const pat = tokens(pattern);
  const chars = Array.from(name);
  let p = 0;
  let n = 0;
  let star = -1;
  let starN = 0;
  while (n < chars.length) {
    const t = pat[p];
    if (t !== undefined && !t.star && t.test(chars[n]!)) {
      p++;
      n++;
    } else if (t?.star) {
      star = p++;
      starN = n;
    } else if (star >= 0) {
      p = star + 1;
      n = ++starN;
    } else {
      return false;
    }
  }
  while (pat[p]?.star) p++;
  return p === pat.length;
}

/** Whether `term` is a glob to Ansible (it then matches host names as well as group names). */
export function isGlob(term: string): boolean {
  return /[*?[]/.test(term);
}
