// The tail of a router's serial console: what a failed boot's error shows.
import { readFileSync } from 'node:fs';

export function tailLines(text: string, count: number): string {
  // systemd colours its status lines; an error message is no terminal.
  const lines = text.replace(/\r/g, '').replace(/\x1b\[[0-9;]*m/g, '').split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.slice(-count).join('\n');
}

export function consoleTail(file: string, count = 30): string {
  try {
    const tail = tailLines(readFileSync(file, 'utf8'), count);
    return tail.trim() === '' ? '(the console log is empty: QEMU printed nothing yet; the kernel boots with `quiet`)' : tail;
  } catch {
    return `(no console log at ${file})`;
  }
}
