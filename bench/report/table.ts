// Pure: the figures as the plain-text tables the bench prints.
import type { FleetFigures, LabFigures, Target } from './summarize.js';
import { PHASES, phaseFloorMs } from './summarize.js';
import { ratio, type Summary } from '../lib/stats.js';

const s = (ms: number) => (ms / 1000).toFixed(2);
const span = (x: Summary) => `${s(x.median)} [${s(x.min)}-${s(x.max)}]`;
const ms = (x: Summary) => `${x.median.toFixed(1)} ms [${x.min.toFixed(1)}-${x.max.toFixed(1)}]`;
const kb = (b: number) => `${(b / 1024).toFixed(1)} kB`;

export function formatTable(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!))).join('  ').trimEnd()).join('\n');
}

function range(x: Summary): string {
  return x.min === x.max ? String(x.min) : `${x.min}-${x.max}`;
}

export function labTable(lab: LabFigures): string {
  const ref = { cold: lab.reference.cold.median, noop: lab.reference.noop.median };
  const rows: string[][] = [['phase', 'wall s: median [min-max]', 'vs ref', 'floor s', 'host', 'round trips', 'conns', 'sent / received', 'round trips (median ms each)']];
  for (const p of PHASES) {
    const f = lab.phases[p.key];
    const vsRef = p.key === 'cold' || p.key === 'noop' ? `${ratio(f.ms.median, ref[p.key]).toFixed(2)}x` : '';
    const bad = f.exitCodes.filter((c) => c !== f.expectedExit);
    const hosts = Object.entries(f.hosts);
    const trips = Math.max(...hosts.map(([, h]) => h.roundTrips.median));
    hosts.forEach(([name, h], i) => {
      rows.push([
        i === 0 ? f.label + (bad.length > 0 ? ` (!exit ${bad.join(',')})` : '') : '',
        i === 0 ? span(f.ms) : '',
        i === 0 ? vsRef : '',
        i === 0 ? s(phaseFloorMs(lab.floor, trips)) : '',
        name,
        range(h.roundTrips) + (h.transportRoundTrips.max !== h.roundTrips.max ? ` (json ${range(h.transportRoundTrips)})` : ''),
        range(h.connections),
        `${kb(h.bytesSent)} / ${kb(h.bytesReceived)}`,
        h.trips.map((t) => `${(h.tripGapMs?.[t] ?? 0) >= 100 ? `(${Math.round(h.tripGapMs[t]!)} before) ` : ''}${t} ${Math.round(h.tripMs[t] ?? NaN)}`).join(', '),
      ]);
    });
  }
  rows.push(['reference script, cold', span(lab.reference.cold), '1.00x', s(phaseFloorMs(lab.floor, 2)), 'a, b', '2', '1', '', 'configure, verify (OpenSSH, ControlMaster)']);
  rows.push(['reference script, no-op', span(lab.reference.noop), '1.00x', s(phaseFloorMs(lab.floor, 2)), 'a, b', '2', '1', '', 'configure, verify']);
  const fl = lab.floor;
  const same = lab.reference.changesAfter.every((n) => n === 0);
  return [
    `teqlctl on the lab (2 emulated routers), ${lab.runs} run(s) each; wall time of the whole CLI process`,
    formatTable(rows),
    '',
    'the floor, measured in the same run (ssh2 directly, both routers):',
    formatTable([
      ['  one SSH connection + `true`', ms(fl.connectTrue)],
      ['  `true` over an open connection', ms(fl.openTrue)],
      ['  a script to `sh -s` over an open connection (Nagle on, ssh2 default)', ms(fl.openScript)],
      ['  the same with TCP_NODELAY (as teqlctl sets it)', ms(fl.openScriptNoDelay)],
      ['  OpenSSH: connect + `true` (the reference script\'s transport)', ms(fl.opensshConnectTrue)],
    ]),
    `  floor s of a phase = connect + true, plus one open-connection \`true\` per further round trip`,
    '  "(N before) label": N ms passed between the end of the previous round trip and this one (local work, a barrier, a new connection)',
    `  reference reaches teqlctl's state (teqlctl --check after it plans 0 changes): ${same ? 'yes' : `NO (${lab.reference.changesAfter.join(', ')} changes)`}`,
    ...(lab.loadAverage?.n ? [`  1-minute load average when taking the lab: ${lab.loadAverage.median.toFixed(2)} median [${lab.loadAverage.min.toFixed(2)}-${lab.loadAverage.max.toFixed(2)}] (the emulated routers share the host's cores)`] : []),
  ].join('\n');
}

export function fleetTable(fleet: FleetFigures): string {
  const rows: string[][] = [['phase', 'hosts', 'forks', 'wall s', 'load s', 'CPU s', 'CPU ms/host', 'peak RSS MB', 'heap / external MB', 'round trips/host (json)', 'conns/host', 'exit']];
  for (const r of fleet.runs) {
    rows.push([`${r.topology === 'hubs' ? 'hubs ' : ''}${r.phase ?? 'cold'}`, String(r.hosts), String(r.forks), s(r.wallMs), s(r.loadMs), s(r.cpuMs), r.cpuMsPerHost.toFixed(1), r.maxRssMb.toFixed(0), `${r.peakHeapUsedMb?.toFixed(0) ?? '?'} / ${r.peakExternalMb?.toFixed(0) ?? '?'}`, `${r.roundTripsMax} (${r.transportRoundTripsMax})`, String(r.connectionsMax), String(r.exitCode)]);
  }
  const fits = Object.entries(fleet.fits).map(([forks, l]) => `  --forks ${forks}: wall = ${s(l.intercept)} s + ${l.slope.toFixed(2)} ms x hosts (r2 ${l.r2.toFixed(3)}); CPU ${fleet.cpuFits[forks]!.slope.toFixed(2)} ms/host`);
  const missing = [...new Set(fleet.runs.flatMap((r) => r.missingSections))];
  const odd = fleet.runs.reduce((n, r) => n + r.unexpectedScripts, 0);
  return [
    `fleet scale, SIMULATED: in-process SSH servers answering with facts recorded on the lab (bench/fixtures)${fleet.delayMs ? ` after ${fleet.delayMs} ms` : ', at once'}; ${fleet.knownHosts === 'per-host' ? 'one known_hosts file per host' : 'one known_hosts file for the fleet'}`,
    formatTable(rows),
    ...(fleet.floor
      ? [
          `floor against one simulated host: connect + true ${ms(fleet.floor.connectTrue)}; true on an open connection ${ms(fleet.floor.openTrue)};`,
          `  a script to sh -s on an open connection ${ms(fleet.floor.openScript)} (Nagle on, ssh2's default), ${ms(fleet.floor.openScriptNoDelay)} with TCP_NODELAY (as teqlctl)`,
        ]
      : []),
    'least-squares fit of cold-apply wall time against hosts:',
    ...fits,
    ...(missing.length > 0 ? [`  warning: teqlctl read facts sections the recording lacks (${missing.join(', ')}), answered empty: re-record with \`npx tsx bench/record-fixtures.ts\``] : []),
    ...(odd > 0 ? [`  warning: ${odd} script(s) the simulated hosts did not recognise (answered exit 127)`] : []),
  ].join('\n');
}

export function targetsTable(ts: readonly Target[]): string {
  if (ts.length === 0) return 'targets: none measured in this run (--skip-lab and --skip-fleet)';
  return ['targets (printed figures, not a timed test):', formatTable(ts.map((t) => [t.pass ? '  PASS' : '  MISS', t.name, t.value, t.limit]))].join('\n');
}
