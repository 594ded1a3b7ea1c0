// Reads a lab router directly over OpenSSH (not through teqlctl), as an operator would check it.
// Only non-default root qdiscs are listed: tc hides the noop of a never-activated link but shows
// the pfifo_fast it gets once it was up, and both are the same kernel default (handle 0:).
// The router runs the listing commands and builtins only; the fields are picked and the lines
// sorted here (normalizeState), as awk and `sort` did there: an emulated router starts a process
// in ~30 ms (60 on a slow day), and the fault matrix reads both routers a few times per row.
import type { LabRouter as Router } from '../../src/lab/topology.js';
import { sshRun } from './lab.js';

export const STATE_SCRIPT = `
export LANG=C
echo "## links"; ip -br link show
echo "## mtu"; ip -o link show
echo "## addresses"; ip -4 -o addr show
echo "## routes"; ip -4 route show table main
echo "## root qdiscs"; tc qdisc show
echo "## sch_teql"; if [ -d /sys/module/sch_teql ]; then echo loaded; else echo not loaded; fi
echo "## rp_filter"; for f in /proc/sys/net/ipv4/conf/*/rp_filter; do v=; read -r v < "$f"; echo "$f $v"; done
`;

/** awk's default fields: split on runs of blanks, leading ones ignored. */
const fields = (line: string): string[] => line.trim().split(/[ \t]+/);
/** `sort` under LANG=C: byte order (the lines are ASCII). */
const sorted = (lines: string[]): string[] => [...lines].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));

/** What each section kept of a line (undefined: dropped), as the router's awk printed it; then sorted. */
const PICK: Record<string, ((line: string) => string | undefined) | undefined> = {
  links: (l) => { const f = fields(l); return `${f[0] ?? ''} ${f[1] ?? ''}`.replace(/@.*/, ''); },
  mtu: (l) => { const f = fields(l); return `${f[1] ?? ''} ${f[4] ?? ''}`; },
  // Every attribute of the address (broadcast, metric, scope, flags, label): a rollback that put it
  // back bare is not the state before. Not the lifetimes, after the backslash: they count down.
  addresses: (l) => { const f = fields(l.replace(/\\.*$/, '')); return [f[1] ?? '', ...f.slice(3)].join(' '); },
  routes: (l) => l,
  'root qdiscs': (l) => { const f = fields(l); return / root /.test(l) && f[2] !== '0:' ? `${f[4] ?? ''} ${f[1] ?? ''}` : undefined; },
  'boot files': (l) => l,
};

/**
 * STATE_SCRIPT's output (and any "## name" section after it) as the state's text: the sections in
 * PICK reduced and sorted, the others as printed.
 */
export function normalizeState(raw: string): string {
  const out: string[] = [];
  let pick: ((line: string) => string | undefined) | undefined;
  let lines: string[] = [];
  const flush = () => {
    if (pick) out.push(...sorted(lines.map(pick).filter((l): l is string => l !== undefined)));
    else out.push(...lines);
    lines = [];
  };
  const text = raw.endsWith('\n') ? raw.slice(0, -1) : raw;
  for (const line of text === '' ? [] : text.split('\n')) {
    const m = /^## (.*)$/.exec(line);
    if (!m) {
      lines.push(line);
      continue;
    }
    flush();
    out.push(line);
    pick = PICK[m[1]!];
  }
  flush();
  return out.length > 0 ? out.join('\n') + '\n' : '';
}

export async function readState(router: Router): Promise<string> {
  const r = await sshRun(router, STATE_SCRIPT);
  if (r.code !== 0) throw new Error(`reading router ${router} failed: ${r.stderr}`);
  return normalizeState(r.stdout);
}

export async function txPackets(router: Router, dev: string): Promise<number> {
  const r = await sshRun(router, `ip -j -s link show dev ${dev}`);
  return Number(JSON.parse(r.stdout)[0].stats64.tx.packets);
}
