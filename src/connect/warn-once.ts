// Warnings of a login said on stderr, each once per process: a run opens two connections per host.
const warned = new Set<string>();
/** Each warning once (the confirmation's connection is a second one to the same host). */
export function warnOnce(line: string): void {
  if (warned.has(line)) return;
  warned.add(line);
  process.stderr.write(`${line}\n`);
}
