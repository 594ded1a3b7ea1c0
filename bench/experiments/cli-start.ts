// Experiment (not part of `npm run bench`): where the CLI's start-up time goes. Each figure is a
// fresh `node` that imports one module and exits (median of N), minus a bare `node -e 0`.
//   npm run build && npx tsx bench/experiments/cli-start.ts [runs]
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runProc } from '../lib/proc.js';
import { median } from '../lib/stats.js';
import { ROOT } from '../lab/lab.js';

const runs = Number(process.argv[2] ?? 7);
const dist = (p: string) => pathToFileURL(join(ROOT, 'dist', 'src', p)).href;
const MODULES: Array<[string, string]> = [
  ['commander', 'commander'],
  ['yaml', 'yaml'],
  ['zod', 'zod'],
  ['node-ssh (ssh2)', 'node-ssh'],
  ['listr2', 'listr2'],
  ['@inquirer/prompts', '@inquirer/prompts'],
  ['@listr2/prompt-adapter-inquirer', '@listr2/prompt-adapter-inquirer'],
  ['teqlctl: loader (src/load)', dist('load/index.js')],
  ['teqlctl: run-play (connect, plan, apply, verify)', dist('play/run-play.js')],
  ['teqlctl: play command (src/cli/play-command.js)', dist('cli/play-command.js')],
  ['teqlctl: wizard command', dist('cli/wizard-command.js')],
  ['teqlctl: the whole CLI program (src/cli/program.js)', dist('cli/program.js')],
];

async function time(code: string): Promise<number> {
  const xs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const r = await runProc(process.execPath, ['--input-type=module', '-e', code], { cwd: ROOT });
    if (r.code !== 0) throw new Error(r.stderr);
    xs.push(r.ms);
  }
  return median(xs);
}

const bare = await time('0');
console.log(`node -e 0: ${bare.toFixed(0)} ms (subtracted below)`);
for (const [label, spec] of MODULES) {
  console.log(`${label}: +${((await time(`await import(${JSON.stringify(spec)})`)) - bare).toFixed(0)} ms`);
}
const help: number[] = [];
for (let i = 0; i < runs; i++) help.push((await runProc(process.execPath, [join(ROOT, 'dist', 'cli', 'main.js'), '--help'])).ms);
console.log(`node dist/cli/main.js --help: ${median(help).toFixed(0)} ms (+${(median(help) - bare).toFixed(0)} ms)`);
