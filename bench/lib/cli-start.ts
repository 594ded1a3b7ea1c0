// Start-up figures of the CLI itself (issue 17, item 3), each a fresh process, median of 5:
// `--version`, and `play --check` up to its first connection (an inventory whose only host is a
// closed port on 127.0.0.1: refused at once, so the time is start-up, load and one refused connect).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { renderInventory } from '../../src/lab/inventory.js';
import { runProc } from './proc.js';
import { summarize, type Summary } from './stats.js';

export interface CliStart {
  help: Summary;
  version: Summary;
  checkToFirstConnect: Summary;
}

async function times(argv: string[], expectCode: number): Promise<Summary> {
  const ms: number[] = [];
  for (let i = 0; i < 5; i++) {
    const r = await runProc(process.execPath, argv);
    if (r.code !== expectCode) throw new Error(`${argv.join(' ')}: exit ${r.code}, expected ${expectCode}:\n${r.stderr}`);
    ms.push(r.ms);
  }
  return summarize(ms);
}

export async function cliStart(cli: string, playbook: string): Promise<CliStart> {
  const dir = mkdtempSync(join(tmpdir(), 'teqlctl-bench-start-'));
  try {
    const inventory = join(dir, 'hosts.yml');
    const key = join(dir, 'id');
    writeFileSync(key, generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    // The lab's inventory with ports 1 and 2 on loopback: nothing listens there, the connections are
    // refused at once (exit 3). Not one port for both: two names for one router are refused at load.
    writeFileSync(inventory, renderInventory({ sshPorts: { a: 1, b: 2 }, privateKeyFile: key, knownHostsFile: join(dir, 'known_hosts') }));
    // It must exist (a missing one is refused before connecting): empty, nothing is ever reached.
    writeFileSync(join(dir, 'known_hosts'), '');
    return {
      help: await times([cli, '--help'], 0),
      version: await times([cli, '--version'], 0),
      checkToFirstConnect: await times([cli, 'play', '-i', inventory, playbook, '--check', '--json'], 3),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
