// `npm run bench`: the lab phases (timed against the floor and the reference script), then the
// SIMULATED fleet; prints the tables and the targets, writes JSON + SVG under bench/results/.
//   npm run bench -- [--runs 5] [--skip-lab] [--skip-fleet] [--fleet-sizes 10,100,500]
//                    [--fleet-forks 10,50,200] [--sim-delay-ms 0] [--known-hosts shared|per-host]
//                    [--fleet-hubs 20]  (hubs of 5 spokes each; 0: none)
//                    [--publish] [--from results.json]
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runFleet } from './fleet/run-fleet.js';
import { CLI, labRunning, ROOT } from './lab/lab.js';
import { labIteration, leaveLab, type LabIteration } from './lab/scenarios.js';
import { CHAPTER } from './lab/teqlctl.js';
import { cliStart, type CliStart } from './lib/cli-start.js';
import { summarize, type Summary } from './lib/stats.js';
import { describeMachine, machine, type Machine } from './report/machine.js';
import { fleetFigures, labFigures, PHASES, phaseFloorMs, targets, type FleetFigures, type LabFigures, type Target } from './report/summarize.js';
import { renderSvg, type BarRow } from './report/svg.js';
import { fleetTable, labTable, targetsTable } from './report/table.js';

interface Results {
  date: string;
  machine: Machine;
  options: Record<string, unknown>;
  cliStartMs?: Summary;
  cliStart?: CliStart;
  lab?: { figures: LabFigures; iterations: LabIteration[] };
  fleet?: FleetFigures & { loadAverage: number[] };
  targets: Target[];
}

const { values: o } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    'skip-lab': { type: 'boolean', default: false },
    'skip-fleet': { type: 'boolean', default: false },
    'fleet-sizes': { type: 'string', default: '10,100,500' },
    'fleet-forks': { type: 'string', default: '10,50,200' },
    'fleet-hubs': { type: 'string', default: '20' },
    'sim-delay-ms': { type: 'string', default: '0' },
    'known-hosts': { type: 'string', default: 'shared' },
    publish: { type: 'boolean', default: false },
    from: { type: 'string' },
    out: { type: 'string', default: join(ROOT, 'bench', 'results') },
  },
});
const ints = (flag: string, text: string) => {
  const xs = text.split(',').map(Number);
  if (xs.some((x) => !Number.isInteger(x) || x < 1)) throw new Error(`--${flag} wants positive integers, got "${text}"`);
  return xs;
};
const say = (line: string) => process.stderr.write(line + '\n');

async function measure(): Promise<Results> {
  const runs = ints('runs', o.runs!)[0]!;
  const m = machine(ROOT);
  say(`bench on ${describeMachine(m)}`);
  const results: Results = { date: new Date().toISOString(), machine: m, options: { ...o }, targets: [] };
  results.cliStart = await cliStart(CLI, CHAPTER);
  results.cliStartMs = results.cliStart.help;
  if (!o['skip-lab']) {
    const wasRunning = labRunning();
    const iterations: LabIteration[] = [];
    try {
      for (let i = 0; i < runs; i++) iterations.push(await labIteration(i, runs, say));
    } finally {
      await leaveLab(wasRunning, say);
    }
    results.lab = { figures: labFigures(iterations), iterations };
  }
  if (!o['skip-fleet']) {
    const loadAverage = loadavg();
    say(`SIMULATED fleet (load average before: ${loadAverage.map((x) => x.toFixed(2)).join(' ')})`);
    const knownHosts = o['known-hosts'] === 'per-host' ? 'per-host' : 'shared';
    const fleetRuns = await runFleet({ sizes: ints('fleet-sizes', o['fleet-sizes']!), forks: ints('fleet-forks', o['fleet-forks']!), playbook: CHAPTER, delayMs: Number(o['sim-delay-ms']), knownHosts, faults: true, hubs: o['fleet-hubs'] === '0' ? [] : ints('fleet-hubs', o['fleet-hubs']!) }, say);
    results.fleet = { ...fleetFigures(fleetRuns.runs, fleetRuns.floor), delayMs: Number(o['sim-delay-ms']), knownHosts, loadAverage };
  }
  results.targets = targets(results.lab?.figures, results.fleet);
  return results;
}

function chart(r: Results): string {
  const bars: BarRow[] = [];
  const lab = r.lab?.figures;
  if (lab) {
    for (const p of PHASES) {
      const f = lab.phases[p.key];
      const trips = Math.max(...Object.values(f.hosts).map((h) => h.roundTrips.median));
      bars.push({ label: `teqlctl: ${f.label}`, median: f.ms.median / 1000, min: f.ms.min / 1000, max: f.ms.max / 1000, floor: phaseFloorMs(lab.floor, trips) / 1000, kind: 'teqlctl' });
    }
    for (const [k, label] of [['cold', 'reference script: cold'], ['noop', 'reference script: no-op']] as const) {
      const x = lab.reference[k];
      bars.push({ label, median: x.median / 1000, min: x.min / 1000, max: x.max / 1000, floor: phaseFloorMs(lab.floor, 2) / 1000, kind: 'reference' });
    }
  }
  const fleet = r.fleet;
  const runs = fleet?.runs ?? [];
  const forks = [...new Set(runs.map((x) => x.forks))];
  const series = (phase: 'cold' | 'noop', f: number) => runs.filter((x) => (x.phase ?? 'cold') === phase && x.forks === f).map((x) => [x.hosts, x.wallMs / 1000] as [number, number]);
  const topForks = Math.max(...forks);
  return renderSvg({
    title: 'teqlctl bench: playbooks/teql.yml (LARTC ch. 10)',
    subtitle: `${r.date}; lab: ${lab?.runs ?? 0} run(s) per phase on 2 emulated routers; floor: one connection + true = ${lab ? (lab.floor.connectTrue.median / 1000).toFixed(2) : '?'} s, true on an open connection = ${lab ? lab.floor.openTrue.median.toFixed(0) : '?'} ms`,
    machine: describeMachine(r.machine),
    bars,
    fleet: [
      ...forks.map((f) => ({ label: `cold, --forks ${f}`, points: series('cold', f) })),
      ...(runs.some((x) => x.phase === 'noop') ? [{ label: `no-op, --forks ${topForks}`, points: series('noop', topForks), dashed: true }] : []),
    ],
    fleetTarget: { hosts: 500, seconds: 20 },
  });
}

function print(r: Results): void {
  const out: string[] = [''];
  if (r.lab) out.push(labTable(r.lab.figures), '');
  if (r.cliStart) {
    const c = r.cliStart;
    out.push(`CLI start, median of 5: --help ${c.help.median.toFixed(0)} ms, --version ${c.version.median.toFixed(0)} ms, play --check to its first connection (refused) ${c.checkToFirstConnect.median.toFixed(0)} ms`, '');
  } else if (r.cliStartMs) out.push(`CLI start (node dist/cli/main.js --help): ${r.cliStartMs.median.toFixed(0)} ms median`, '');
  if (r.fleet) out.push(fleetTable(r.fleet), '');
  out.push(targetsTable(r.targets), '', `measured on ${describeMachine(r.machine)}`);
  process.stdout.write(out.join('\n') + '\n');
}

const results: Results = o.from ? JSON.parse(readFileSync(resolve(o.from), 'utf8')) : await measure();
if (o.from) {
  // Re-render from the raw samples, so a saved file gets the current summaries and targets.
  if (results.lab) results.lab.figures = labFigures(results.lab.iterations);
  results.targets = targets(results.lab?.figures, results.fleet);
}
print(results);
mkdirSync(o.out!, { recursive: true });
const stamp = results.date.replace(/[-:]/g, '').replace(/\..*/, '');
const base = o.from ? resolve(o.from).replace(/\.json$/, '') : join(o.out!, `bench-${stamp}`);
if (!o.from) writeFileSync(`${base}.json`, JSON.stringify(results, null, 2) + '\n');
writeFileSync(`${base}.svg`, chart(results));
say(`\nwrote ${base}.json and ${base}.svg`);
if (o.publish) {
  copyFileSync(`${base}.svg`, join(ROOT, 'docs', 'bench-latest.svg'));
  say('copied the chart to docs/bench-latest.svg');
}
