// Python's shlex.split(line, comments=True) in POSIX mode, which Ansible uses on INI host lines, with
// where each word starts so that a problem can point at it.

export interface Word {
  text: string;
  /** Offset of the word's first character in the line. */
  at: number;
}

/** The words of `line`, or the offset and reason of the first quoting error. */
export function shlexSplit(line: string): Word[] | { at: number; error: string } {
  const words: Word[] = [];
  let word: Word | undefined;
  let quote: string | undefined;
  let quoteAt = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else word!.text += c;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === '\\') {
        // Inside double quotes a backslash escapes only a backslash or a double quote.
        const next = line[++i];
        if (next === undefined) return { at: i - 1, error: 'no escaped character' };
        word!.text += next === '\\' || next === '"' ? next : c + next;
      } else word!.text += c;
    } else if (' \t\r\n'.includes(c)) {
      if (word) words.push(word);
      word = undefined;
    } else if (c === '#') {
      // A comment, even in the middle of a word (shlex stops the word there).
      break;
    } else {
      word ??= { text: '', at: i };
      if (c === "'" || c === '"') {
        quote = c;
        quoteAt = i;
      } else if (c === '\\') {
        const next = line[++i];
        if (next === undefined) return { at: i - 1, error: 'no escaped character' };
        word.text += next;
      } else word.text += c;
    }
  }
  if (quote) return { at: quoteAt, error: 'no closing quotation' };
  if (word) words.push(word);
  return words;
}
