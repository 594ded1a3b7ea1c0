// The machine the figures were measured on, printed with them and drawn in the chart.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, totalmem, release } from 'node:os';

export interface Machine {
  cores: number;
  cpuModel: string;
  memoryGb: number;
  node: string;
  kernel: string;
  commit: string;
  dirty: boolean;
}

export function cpuModel(cpuinfo: string): string {
  const m = /^model name\s*:\s*(.+)$/m.exec(cpuinfo);
  return m ? m[1]!.trim() : 'unknown CPU';
}

export function machine(root: string): Machine {
  let info = '';
  try {
    info = readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    // not Linux: the model stays unknown
  }
  const git = (args: string[]) => {
    try {
      return execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
    } catch {
      return '';
    }
  };
  return {
    cores: cpus().length,
    cpuModel: cpuModel(info),
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    kernel: release(),
    commit: git(['rev-parse', '--short', 'HEAD']) || 'unknown',
    dirty: git(['status', '--porcelain', '--untracked-files=no']) !== '',
  };
}

export function describeMachine(m: Machine): string {
  return `${m.cores} cores, ${m.cpuModel}, ${m.memoryGb} GB, Node ${m.node}, Linux ${m.kernel}, teqlctl ${m.commit}${m.dirty ? ' (uncommitted changes)' : ''}`;
}
