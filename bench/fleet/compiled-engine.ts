// The fleet's engine compiled by tsc, as `npm run build` compiles teqlctl itself, and run by plain
// node: what a user runs. Run under tsx, the engine also carried tsx's module loader (a thread
// with its own V8 heap, and esbuild's transforms), which teqlctl never has: that was measured as
// teqlctl's memory. Compiled once per bench run (incremental: a few seconds when nothing changed).
import { join } from 'node:path';
import { runProc } from '../lib/proc.js';

const ROOT = join(import.meta.dirname, '..', '..');
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
let compiled: Promise<string> | undefined;

/** The path of the compiled engine.js, compiling it the first time it is asked for. */
export function compiledEngine(): Promise<string> {
  compiled ??= (async () => {
    const r = await runProc(process.execPath, [TSC, '-p', join(ROOT, 'bench', 'tsconfig.engine.json')]);
    if (r.code !== 0) throw new Error(`compiling the fleet's engine (bench/tsconfig.engine.json) failed:\n${r.stdout}${r.stderr}`);
    return join(ROOT, '.teqlctl', 'bench-dist', 'bench', 'fleet', 'engine.js');
  })();
  return compiled;
}
