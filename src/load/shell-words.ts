// POSIX shell word splitting, as Python's shlex.split: Ansible splits ansible_ssh_common_args and
// ansible_ssh_extra_args with it before handing them to ssh. No expansion of any kind. Pure.

export type ShellWords = { words: string[] } | { error: string };

export function shellWords(text: string): ShellWords {
  const words: string[] = [];
  let word: string | undefined;
  let i = 0;
  const add = (s: string) => (word = (word ?? '') + s);
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
      i++;
    } else if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) return { error: `unterminated ' at character ${i + 1}` };
      add(text.slice(i + 1, end));
      i = end + 1;
    } else if (c === '"') {
      let j = i + 1;
      let s = '';
      // Inside double quotes a backslash escapes only " \ $ and `, as in sh.
      while (j < text.length && text[j] !== '"') {
        if (text[j] === '\\' && j + 1 < text.length && '"\\$`'.includes(text[j + 1]!)) j++;
        s += text[j++];
      }
      if (j >= text.length) return { error: `unterminated " at character ${i + 1}` };
      add(s);
      i = j + 1;
    } else if (c === '\\') {
      if (i + 1 >= text.length) return { error: 'a lone \\ at the end' };
      add(text[i + 1]!);
      i += 2;
    } else {
      add(c);
      i++;
    }
  }
  if (word !== undefined) words.push(word);
  return { words };
}
