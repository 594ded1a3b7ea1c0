// The sysctl files (sysctl.d(5), procps' sysctl.conf) own the values they set: applied again (at
// boot, systemd-sysctl restarted by a package upgrade, `sysctl --system`), a line setting strict
// reverse-path filtering put it back over the run's, and the replies that come back over the other
// links were dropped: the bundle died later without a word (a review of routers' own managers).
// Said with the plan and in the recap, naming the line. Loose filtering (2) is not: it accepts
// those replies, so a line setting it breaks nothing (Debian's 50-default.conf sets 2 everywhere).
import type { Facts } from '../gather/facts.js';
import type { TaskInstance } from '../load/types.js';
import { rpFilterDevice, sysctlValue } from '../router/sysctl-path.js';

const ALL = 'net.ipv4.conf.all.rp_filter';

/** A sysctl file's key (a glob where written so) as a test of a sysctl name. */
function keyMatches(key: string, name: string): boolean {
  if (!key.includes('*') && !key.includes('?')) return key === name;
  const re = key.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${re}$`).test(name);
}

/** The warnings for the rp_filter values the run sets (`all` too where it comes down) that a sysctl file sets strict. */
export function sysctlFileWarnings(tasks: readonly TaskInstance[], facts: Facts): string[] {
  const wanted = new Map<string, string>();
  for (const t of tasks) if (t.module === 'sysctl' && t.args.state === 'present' && rpFilterDevice(t.args.name)) wanted.set(t.args.name, sysctlValue(t.args.value!));
  if (wanted.size === 0) return [];
  // `all` comes down to the lowest value a task wants where it is above it (modules/sysctl.ts).
  const lowest = Math.min(...[...wanted.values()].map(Number));
  if (!wanted.has(ALL) && Number(facts.sysctls[ALL] ?? '0') > lowest) wanted.set(ALL, String(lowest));
  const out: string[] = [];
  for (const s of facts.boot?.sysctlFiles ?? []) {
    if (sysctlValue(s.value) !== '1') continue;
    const hit = [...wanted].filter(([name, want]) => Number(want) < 1 && keyMatches(s.key, name)).map(([name, want]) => `${name} = ${want}`);
    if (hit.length === 0) continue;
    out.push(`${s.at} sets ${s.key} = 1 (strict reverse-path filtering): applied again (at boot, systemd-sysctl restarted by a package upgrade, sysctl --system), it writes over this run's ${hit.join(', ')}, and the replies that come back over the other links are dropped; set it to 0, or 2 (loose), there`);
  }
  return out;
}
