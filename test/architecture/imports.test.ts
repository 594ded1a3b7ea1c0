// The rule of docs/architecture.md, kept true by a test: stage folders import only downwards.
// Every file in src/ is read; each relative import must land in its own folder or a lower floor.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../../src');

/** Lowest first. A folder may import its own files and any folder listed before it. */
export const FLOORS = [
  'errors.ts',
  'router',
  'ui',
  'load',
  'connect',
  'gather',
  'plan',
  'apply',
  'verify',
  'deadman',
  'rollback',
  'play',
  'report',
  'teql-vars',
  'wizard',
  'lab',
  'cli',
];

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? filesUnder(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** `src/plan/modules/x.ts` -> `plan`; `src/errors.ts` -> `errors.ts`. */
function floorOf(file: string): string {
  return relative(SRC, file).split('/')[0]!;
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:from\s+|import\s*\(\s*)'(\.{1,2}\/[^']+)'/g)].map((m) => m[1]!);
  return specs.map((s) => resolve(dirname(file), s.replace(/\.js$/, '.ts')));
}

const files = filesUnder(SRC);

describe('imports run only downwards', () => {
  it('knows the floor of every folder in src/', () => {
    const unknown = [...new Set(files.map(floorOf))].filter((f) => !FLOORS.includes(f));
    expect(unknown).toEqual([]);
  });

  it('finds imports to check (the rule is not vacuous)', () => {
    expect(files.flatMap(importsOf).length).toBeGreaterThan(100);
  });

  it('no file imports from a higher floor', () => {
    const upward: string[] = [];
    for (const file of files) {
      const from = FLOORS.indexOf(floorOf(file));
      for (const target of importsOf(file)) {
        const to = FLOORS.indexOf(floorOf(target));
        if (to > from) upward.push(`${relative(SRC, file)} -> ${relative(SRC, target)}`);
      }
    }
    expect(upward).toEqual([]);
  });
});

describe('each terminal library behind one module', () => {
  const owners: Record<string, string> = { listr2: 'ui/progress.ts', '@inquirer/prompts': 'ui/prompts.ts' };
  it.each(Object.entries(owners))('%s is imported by %s alone', (library, owner) => {
    // Static or dynamic (listr2 is loaded only when progress is drawn).
    const importers = files.filter((f) => { const t = readFileSync(f, 'utf8'); return t.includes(`from '${library}'`) || t.includes(`import('${library}')`); }).map((f) => relative(SRC, f));
    expect(importers).toEqual([owner]);
  });
});

describe('file sizes', () => {
  it('no file in src/ is over 250 lines', () => {
    const long = files.map((f) => [relative(SRC, f), readFileSync(f, 'utf8').split('\n').length - 1] as const).filter(([, n]) => n > 250);
    expect(long).toEqual([]);
  });
});
