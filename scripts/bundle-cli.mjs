// `npm run build`, second step: the CLI that tsc compiled (dist/src/cli/main.js and what it imports,
// its dependencies included) bundled into dist/cli/main.js, with a chunk per lazily imported part
// (the play, the wizard's prompts, listr2). Why: Node 20 resolved and loaded ~300 ES modules one by
// one at every start; a `play --syntax-check` took ~0.75 s against ~0.45 s bundled on the same
// machine (docs/performance.md, issue 17's "process start"). ssh2 (and node-ssh over it) stay
// outside: ssh2 loads an optional native binding by require() at run time.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

const outdir = 'dist/cli';
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: ['dist/src/cli/main.js'],
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['ssh2', 'node-ssh', 'cpu-features'],
  outdir,
  entryNames: '[name]',
  chunkNames: 'chunk-[hash]',
  // Dependencies written as CommonJS call require() (of Node's own modules): an ES module has none.
  banner: { js: "import { createRequire as __teqlctlRequire } from 'node:module'; const require = __teqlctlRequire(import.meta.url);" },
  logLevel: 'warning',
});
