// Words of an OpenSSH config line as its argv_split reads them: for ssh_config files (src/connect)
// and for `-o` options an inventory passes (ssh-args.ts), which ssh reads as config lines.

/** argv_split's words, and whether a quote was left open (ssh: "Invalid quotes", the file refused). */
export function argvSplit(text: string): { words: string[]; unclosed: boolean } {
  const words: string[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    if (c === '#') break;
    let word = '';
    let quote = '';
    for (; i < text.length; i++) {
      const ch = text[i]!;
      const next = text[i + 1];
      if (ch === '\\') {
        if (next === "'" || next === '"' || next === '\\' || (quote === '' && next === ' ')) word += text[++i];
        else word += ch;
      } else if (quote === '' && (ch === ' ' || ch === '\t')) break;
      else if (quote === '' && (ch === '"' || ch === "'")) quote = ch;
      else if (quote !== '' && ch === quote) quote = '';
      else word += ch;
    }
    if (quote !== '') return { words: [...words, word], unclosed: true };
    words.push(word);
  }
  return { words, unclosed: false };
}
