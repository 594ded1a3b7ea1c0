// The sysctl files (sysctl.d(5), procps' sysctl.conf) own the values they set: applied again (at
// boot, systemd-sysctl restarted by a package upgrade, `sysctl --system`), a line setting strict
// reverse-path filtering put it back over the run's, and the replies that come back over the other
// links were dropped: the bundle died later without a word (a review of routers' own managers).
// Said with the plan and in the recap, naming the line. Loose filtering (2) is not: it accepts
// those replies, so a line setting it breaks nothing (Debian's 50-default.conf sets 2 everywhere).
import type { Facts, SysctlFileSetting } from '../gather/facts.js';
import type { TaskInstance } from '../load/types.js';
import { rpFilterDevice, sysctlValue } from '../router/sysctl-path.js';

const ALL = 'net.ipv4.conf.all.rp_filter';

/** A sysctl file's key (a glob where written so) as a test of a sysctl name. */
function keyMatches(key: string, name: string): boolean {
  if (!key.includes('*') && !key.includes('?')) return key === name;
  const re = key.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${re}$`).test(name);
}

/** Where a file's settings come in the order the files are applied: by file name across the folders (systemd-sysctl), /etc/sysctl.conf where its 99-sysctl.conf link puts it. */
function appliedOrder(at: string): [string, number] {
  const [path, line] = [at.slice(0, at.lastIndexOf(':')), Number(at.slice(at.lastIndexOf(':') + 1))];
  return [path === '/etc/sysctl.conf' ? '99-sysctl.conf' : path.slice(path.lastIndexOf('/') + 1), line];
}

/** The setting the files leave on `name`: the last that names it (a glob only where `-name` does not leave it out). */
function lastSetting(settings: readonly SysctlFileSetting[], name: string): SysctlFileSetting | undefined {
  const excluded = settings.some((s) => s.exclude && s.key === name);
  const hits = settings.filter((s) => !s.exclude && keyMatches(s.key, name) && (s.key === name || !excluded));
  return hits[hits.length - 1];
}

/** The warnings for the rp_filter values the run sets (and `all`, which it brings down or finds down) that the sysctl files leave strict. */
export function sysctlFileWarnings(tasks: readonly TaskInstance[], facts: Facts): string[] {
  const wanted = new Map<string, string>();
  for (const t of tasks) if (t.module === 'sysctl' && t.args.state === 'present' && rpFilterDevice(t.args.name)) wanted.set(t.args.name, sysctlValue(t.args.value!));
  if (wanted.size === 0) return [];
  // `all` ends at the lowest value a task wants, or below it (modules/sysctl.ts): strict there makes every interface strict.
  if (!wanted.has(ALL)) wanted.set(ALL, String(Math.min(...[...wanted.values()].map(Number))));
  const settings = [...(facts.boot?.sysctlFiles ?? [])].sort((a, b) => {
    const [fa, la] = appliedOrder(a.at);
    const [fb, lb] = appliedOrder(b.at);
    return fa < fb ? -1 : fa > fb ? 1 : la - lb;
  });
  const byLine = new Map<SysctlFileSetting, string[]>();
  for (const [name, want] of wanted) {
    const last = lastSetting(settings, name);
    if (!last || sysctlValue(last.value) !== '1' || want === '1') continue;
    byLine.set(last, [...(byLine.get(last) ?? []), `${name} = ${want}`]);
  }
  return [...byLine].map(([s, hit]) => `${s.at} sets ${s.key} = 1 (strict reverse-path filtering): applied again (at boot, systemd-sysctl restarted by a package upgrade, sysctl --system), it writes over this run's ${hit.join(', ')}, and the replies that come back over the other links are dropped; set it to 0, or 2 (loose), there`);
}
