// A script read by `sh -s` runs line by line as it arrives: one cut off half-way by a lost
// connection would have run its first lines only (for the confirmation: the run decided and its
// timer stopped, its state never written, so nothing would ever revert it). Inside one compound
// command, the shell parses all of it before it runs any of it: a script cut short is a syntax
// error, and nothing of it runs.

/** `script` as one compound command (a here-document's end and the closing brace on lines of their own). */
export function wholeScript(script: string): string {
  return `{\n${script.endsWith('\n') ? script : `${script}\n`}}\n`;
}
