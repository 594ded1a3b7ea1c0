// How the wizard writes to the terminal: plain lines, section headings, paths as the operator types them.
import { terminalText } from '../ui/terminal.js';
import { isAbsolute, relative } from 'node:path';

// Link tables, topology and errors hold names and output from the routers: escaped (terminal safety).
export const say = (text = ''): void => void process.stdout.write(terminalText(text) + '\n');
export const heading = (text: string): void => say(`\n== ${text}`);
/** Caveats are wrapped to the terminal, up to 120 columns. */
export const width = (): number => Math.min(process.stdout.columns || 100, 120);

/** A path as the operator would type it from here. */
export function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}
