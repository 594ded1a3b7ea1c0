// The preview loads copies of the files from a scratch folder, but the run loads the real ones, and
// group_vars/ and host_vars/ beside them can change a host's ansible_host or teql_slaves unseen (a
// review). So once written, the real files are loaded again and compared with the same text loaded
// alone: any difference is said, and the run is not offered.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { TeqlError } from '../errors.js';
import { loadRun } from '../load/index.js';
import type { LoadedRun } from '../load/types.js';

// Where a value was read from differs by design between the two loads: not a difference.
const WHERE = new Set(['pos', 'hostsPos', 'knownHostsFileAt', 'at', 'playbookFile', 'sources']);
const bare = (value: unknown): unknown => value === undefined ? undefined : JSON.parse(JSON.stringify(value, (k, v: unknown) => (WHERE.has(k) ? undefined : v instanceof Map ? Object.fromEntries(v) : v)));
const text = (v: unknown) => (v === undefined ? 'unset' : JSON.stringify(v));

/** What the real load gives that the preview's did not, in the operator's terms (host: variable). Pure. */
export function loadedDifferences(preview: LoadedRun, real: LoadedRun): string[] {
  const out: string[] = [];
  const hosts = new Set([...preview.inventory.hosts.keys(), ...real.inventory.hosts.keys()]);
  for (const host of hosts) {
    const p = preview.inventory.hosts.get(host);
    const r = real.inventory.hosts.get(host);
    if (!p || !r) {
      out.push(`host ${host}: ${p ? 'missing from' : 'only in'} the files as the run loads them`);
      continue;
    }
    for (const name of new Set([...Object.keys(p.vars), ...Object.keys(r.vars)])) {
      if (!isDeepStrictEqual(bare(p.vars[name]), bare(r.vars[name]))) out.push(`${host}: ${name} is ${text(r.vars[name])}, the preview had ${text(p.vars[name])}`);
    }
    if (!isDeepStrictEqual(p.groups, r.groups)) out.push(`${host}: groups ${r.groups.join(', ')}, the preview had ${p.groups.join(', ')}`);
    if (out.length === 0 && !isDeepStrictEqual(bare(p.connection), bare(r.connection))) out.push(`${host}: connects otherwise than the preview did`);
  }
  // Variables make the tasks; a difference left unexplained by them still must not pass.
  if (out.length === 0 && !isDeepStrictEqual(bare(preview.plays), bare(real.plays))) out.push('the tasks differ from the preview\'s');
  if (out.length === 0 && !isDeepStrictEqual(bare(preview.bundles), bare(real.bundles))) out.push('the bundles differ from the preview\'s');
  return out;
}

/** Folders beside the files that Ansible (and teqlctl) read variables from. */
export function varFolders(inventory: string, playbook: string): string[] {
  const dirs = [...new Set([dirname(inventory), dirname(playbook)])];
  return dirs.flatMap((d) => ['group_vars', 'host_vars'].map((v) => join(d, v))).filter((p) => existsSync(p));
}

function loadAlone(inventoryText: string, playbookText: string): LoadedRun {
  const dir = mkdtempSync(join(tmpdir(), 'teqlctl-wizard-alone-'));
  try {
    // The same layout as the real files (inventories/, playbooks/), with nothing beside them.
    const inv = join(dir, 'inventories', 'x.yml');
    const play = join(dir, 'playbooks', 'x.yml');
    for (const d of [dirname(inv), dirname(play)]) mkdirSync(d, { recursive: true });
    writeFileSync(inv, inventoryText);
    writeFileSync(play, playbookText);
    return loadRun(inv, play);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Why the run may not see what the preview showed (undefined: it sees the same). The real files are
 * loaded as `teqlctl play -i inventory playbook` loads them; a load error is a reason too.
 */
export function notAsPreviewed(files: { inventory: { path: string; text: string }; playbook: { path: string; text: string } }): string | undefined {
  const folders = varFolders(files.inventory.path, files.playbook.path);
  const from = folders.length > 0 ? ` (variables read from ${folders.join(' and ')})` : '';
  let real: LoadedRun;
  try {
    real = loadRun(files.inventory.path, files.playbook.path);
  } catch (err) {
    if (!(err instanceof TeqlError)) throw err;
    return `loading ${basename(files.inventory.path)} as the run would fails${from}: ${err.message}`;
  }
  let alone: LoadedRun;
  try {
    alone = loadAlone(files.inventory.text, files.playbook.text);
  } catch (err) {
    // The preview refused these files already ("write anyway"): the run is not offered for that.
    if (err instanceof TeqlError) return undefined;
    throw err;
  }
  const differences = loadedDifferences(alone, real);
  return differences.length > 0 ? `the run would not do what the preview showed${from}:\n${differences.map((d) => `    - ${d}`).join('\n')}` : undefined;
}
