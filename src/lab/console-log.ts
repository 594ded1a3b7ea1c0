// The tail of a router's serial console: what a failed boot's error shows.
import { readFileSync } from 'node:fs';

export function tailLines(text: string, count: number): string {
  const lines = text.replace(/\r/g, '').split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.slice(-count).join('\n');
}

export function consoleTail(file: string, count = 30): string {
  try {
    return tailLines(readFileSync(file, 'utf8'), count);
  } catch {
    return `(no console log at ${file})`;
  }
}
