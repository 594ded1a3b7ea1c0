// Pure: the chart as hand-written SVG. Panel 1: wall time per phase (median, min-max whisker) against
// its floor; panel 2: SIMULATED fleet wall time against fleet size, one line per --forks value.

export interface BarRow {
  label: string;
  median: number; // seconds
  min: number;
  max: number;
  floor?: number; // seconds
  kind: 'teqlctl' | 'reference';
}

export interface Series {
  label: string;
  points: Array<[number, number]>; // [hosts, seconds]
  dashed?: boolean;
}

export interface ChartInput {
  title: string;
  subtitle: string;
  machine: string;
  bars: BarRow[];
  fleet: Series[];
  /** Seconds: the fleet target line (e.g. 500 hosts in 20 s). */
  fleetTarget?: { hosts: number; seconds: number };
}

const W = 960;
const COLORS = ['#1f77b4', '#2ca02c', '#9467bd', '#8c564b', '#e377c2'];

export function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
}

/** A step of 1, 2 or 5 x 10^k that splits [0, max] into at most about `n` ticks. */
export function niceStep(max: number, n = 6): number {
  if (!(max > 0)) return 1;
  const raw = max / n;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const m = raw / pow;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * pow;
}

/** Tick values from 0 to the first multiple of the step at or above `max` (at least one step). */
export function ticks(max: number, n = 6): number[] {
  const step = niceStep(max, n);
  const count = Math.max(1, Math.ceil(max / step - 1e-9));
  return Array.from({ length: count + 1 }, (_, i) => Number((i * step).toPrecision(12)));
}

const num = (x: number) => (Math.round(x * 10) / 10).toString();
const text = (x: number, y: number, s: string, attrs = '') => `<text x="${num(x)}" y="${num(y)}"${attrs ? ' ' + attrs : ''}>${escapeXml(s)}</text>`;
const line = (x1: number, y1: number, x2: number, y2: number, attrs: string) => `<line x1="${num(x1)}" y1="${num(y1)}" x2="${num(x2)}" y2="${num(y2)}" ${attrs}/>`;

function barsPanel(rows: readonly BarRow[], top: number): { svg: string[]; height: number } {
  const left = 250;
  const right = W - 90;
  const rowH = 26;
  const out: string[] = [text(20, top + 14, 'Wall time per phase on the lab, seconds (bar: median, whisker: min-max, red tick: floor)', 'class="h"')];
  const max = Math.max(...rows.map((r) => r.max), ...rows.map((r) => r.floor ?? 0), 0.001);
  const tk = ticks(max * 1.05);
  const scaleMax = tk[tk.length - 1]!;
  const x = (v: number) => left + ((right - left) * v) / scaleMax;
  const y0 = top + 30;
  const bottom = y0 + rows.length * rowH;
  for (const t of tk) {
    out.push(line(x(t), y0 - 4, x(t), bottom, 'class="grid"'));
    out.push(text(x(t), bottom + 14, String(t), 'class="tick" text-anchor="middle"'));
  }
  rows.forEach((r, i) => {
    const y = y0 + i * rowH;
    out.push(text(left - 8, y + 16, r.label, 'text-anchor="end"'));
    out.push(`<rect x="${left}" y="${num(y + 5)}" width="${num(x(r.median) - left)}" height="15" class="${r.kind}"/>`);
    out.push(line(x(r.min), y + 12.5, x(r.max), y + 12.5, 'class="whisker"'));
    out.push(line(x(r.min), y + 8, x(r.min), y + 17, 'class="whisker"'), line(x(r.max), y + 8, x(r.max), y + 17, 'class="whisker"'));
    if (r.floor !== undefined) out.push(line(x(r.floor), y + 2, x(r.floor), y + 23, 'class="floor"'));
    out.push(text(x(r.max) + 6, y + 16, `${r.median.toFixed(2)} s`, 'class="val"'));
  });
  return { svg: out, height: bottom + 24 - top };
}

function fleetPanel(series: readonly Series[], target: ChartInput['fleetTarget'], top: number): { svg: string[]; height: number } {
  const left = 90;
  const right = W - 200;
  const h = 240;
  const out: string[] = [text(20, top + 14, 'SIMULATED fleet: wall time to converge, seconds, against hosts (in-process SSH servers, recorded facts)', 'class="h"')];
  const xs = series.flatMap((s) => s.points.map((p) => p[0]));
  const ys = series.flatMap((s) => s.points.map((p) => p[1]));
  const xt = ticks(Math.max(...xs, target?.hosts ?? 0, 1));
  const yt = ticks(Math.max(...ys, target?.seconds ?? 0, 0.001) * 1.05, 5);
  const xMax = xt[xt.length - 1]!;
  const yMax = yt[yt.length - 1]!;
  const y0 = top + 30;
  const bottom = y0 + h;
  const X = (v: number) => left + ((right - left) * v) / xMax;
  const Y = (v: number) => bottom - (h * v) / yMax;
  for (const t of xt) {
    out.push(line(X(t), y0, X(t), bottom, 'class="grid"'));
    out.push(text(X(t), bottom + 14, String(t), 'class="tick" text-anchor="middle"'));
  }
  for (const t of yt) {
    out.push(line(left, Y(t), right, Y(t), 'class="grid"'));
    out.push(text(left - 6, Y(t) + 4, String(t), 'class="tick" text-anchor="end"'));
  }
  out.push(text((left + right) / 2, bottom + 30, 'hosts', 'class="tick" text-anchor="middle"'));
  if (target) {
    out.push(line(left, Y(target.seconds), right, Y(target.seconds), 'class="target"'));
    out.push(text(left + 6, Y(target.seconds) - 5, `target: ${target.hosts} hosts in at most ${target.seconds} s`, 'class="tick"'));
  }
  series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length]!;
    const pts = [...s.points].sort((a, b) => a[0] - b[0]);
    const dash = s.dashed ? ' stroke-dasharray="5 3"' : '';
    out.push(`<polyline fill="none" stroke="${color}" stroke-width="2"${dash} points="${pts.map(([px, py]) => `${num(X(px))},${num(Y(py))}`).join(' ')}"/>`);
    for (const [px, py] of pts) out.push(`<circle cx="${num(X(px))}" cy="${num(Y(py))}" r="3.5" fill="${color}"/>`);
    const last = pts[pts.length - 1];
    out.push(line(right + 8, y0 + 40 + i * 18, right + 28, y0 + 40 + i * 18, `stroke="${color}" stroke-width="2"${dash}`));
    out.push(text(right + 34, y0 + 44 + i * 18, `${s.label}${last ? ` (${last[1].toFixed(1)} s)` : ''}`, 'class="tick"'));
  });
  return { svg: out, height: bottom + 40 - top };
}

export function renderSvg(c: ChartInput): string {
  const body: string[] = [text(20, 28, c.title, 'class="t"'), text(20, 48, c.subtitle, 'class="tick"')];
  let y = 62;
  if (c.bars.length > 0) {
    const p = barsPanel(c.bars, y);
    body.push(...p.svg);
    y += p.height + 10;
  }
  if (c.fleet.length > 0) {
    const p = fleetPanel(c.fleet, c.fleetTarget, y);
    body.push(...p.svg);
    y += p.height + 10;
  }
  body.push(text(20, y + 8, `Measured on: ${c.machine}`, 'class="tick"'));
  const height = y + 22;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${height}" viewBox="0 0 ${W} ${height}" font-family="DejaVu Sans, Arial, sans-serif" font-size="12">`,
    '<style>.t{font-size:17px;font-weight:bold}.h{font-size:13px;font-weight:bold}.tick{font-size:11px;fill:#444}.val{font-size:11px}' +
      '.grid{stroke:#ddd;stroke-width:1}.whisker{stroke:#333;stroke-width:1.2}.floor{stroke:#d62728;stroke-width:3}' +
      '.teqlctl{fill:#1f77b4}.reference{fill:#ff7f0e}.target{stroke:#d62728;stroke-width:1.5;stroke-dasharray:6 4}</style>',
    `<rect width="${W}" height="${height}" fill="white"/>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}
