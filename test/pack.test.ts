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
  it('ships the bundled CLI (scripts/bundle-cli.mjs): its entry, the bin, and its chunks, nothing else of dist/', () => {
    expect(pkg.bin.teqlctl).toBe('dist/cli/main.js');
    const dist = files.filter((f) => f.startsWith('dist/'));
    expect(dist).toContain('dist/cli/main.js');
    expect(dist.filter((f) => f !== 'dist/cli/main.js').every((f) => /^dist\/cli\/chunk-[A-Z0-9]+\.js$/.test(f))).toBe(true);
    expect(dist).toEqual(readdirSync(join(ROOT, 'dist/cli')).filter((f) => f.endsWith('.js')).map((f) => `dist/cli/${f}`).sort());
  });

  it('ships what a user needs beside it, exactly', () => {
    const others = files.filter((f) => !f.startsWith('dist/'));
    expect(others).toEqual([
      'README.md',
      ...filesUnder('docs').filter((f) => f.endsWith('.md') || f.startsWith('docs/json-schema/')).sort(),
      'inventories/example.yml',
      'package.json',
      'playbooks/teardown-bundles.yml',
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
