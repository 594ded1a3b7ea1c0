// Progress goes to stderr so that stdout carries only what a command is asked for (status, ssh output).
export function log(line: string): void {
  process.stderr.write(`lab: ${line}\n`);
}

export function seconds(sinceMs: number): string {
  return `${((Date.now() - sinceMs) / 1000).toFixed(1)} s`;
}
