// What `npm pack` ships: the built CLI, what `lab up` runs (scripts/lab), the example playbooks and
// inventory, the docs and JSON Schemas; never the tests, the bench or sources. --ignore-scripts:
// prepack would delete and rebuild dist/ under the other test files that run it.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string>; scripts: Record<string, string> };
const packed = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' })) as Array<{ files: Array<{ path: string }> }>;
const files = packed[0]!.files.map((f) => f.path).sort();

function filesUnder(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((f) => {
    const p = join(ROOT, dir, f);
    return statSync(p).isDirectory() ? filesUnder(relative(ROOT, p)) : [relative(ROOT, p)];
  });
}

describe('npm pack', () => {
  it('ships the built CLI: one .js per source file, and the bin among them', () => {
    const expected = filesUnder('src').filter((f) => f.endsWith('.ts')).map((f) => `dist/${f.replace(/\.ts$/, '.js')}`);
    expect(files).toEqual(expect.arrayContaining(expected));
    expect(files).toContain(pkg.bin.teqlctl);
  });

  it('ships what a user needs beside it, exactly', () => {
    const others = files.filter((f) => !f.startsWith('dist/src/'));
    expect(others).toEqual([
      'README.md',
      ...filesUnder('docs').filter((f) => f.endsWith('.md') || f.startsWith('docs/json-schema/')).sort(),
      'inventories/example.yml',
      'package.json',
      'playbooks/teardown.yml',
      'playbooks/teql-bundles.yml',
      'playbooks/teql.yml',
      ...filesUnder('scripts/lab').sort(),
    ].sort());
    expect(others).toEqual(expect.arrayContaining(['docs/json-schema/run.schema.json', 'docs/json-schema/status.schema.json', 'docs/json-schema/error.schema.json', 'scripts/lab/build-image.sh']));
  });

  it('ships no test, bench, source, source map or generated lab inventory', () => {
    expect(files.filter((f) => /^(test|bench|src|dist\/test|dist\/bench)\//.test(f) || f.endsWith('.map') || f.endsWith('.ts') || f === 'inventories/lab.yml')).toEqual([]);
  });

  it('builds before packing, from a clean dist/', () => {
    expect(pkg.scripts.prepack).toMatch(/rmSync\('dist'.*&& npm run build$/);
  });
});
