// `teqlctl demo`: the README's first line. Boots the lab, runs the chapter's playbook on it with
// the same engine as `play`, then shows on the router itself that teql0 spreads packets over both links.
import type { Command } from 'commander';
import { join } from 'node:path';
import { labPaths, projectRoot } from '../lab/paths.js';
import { ExitCode } from '../errors.js';
import { PLAY_DEFAULTS } from './play-flags.js';

const SHARE_CHECK = `
tx() { cat /sys/class/net/$1/statistics/tx_packets; }
a1=$(tx eth1); a2=$(tx eth2)
ping -q -c 20 -i 0.2 -W 2 10.0.0.5 >/dev/null 2>&1; rc=$?
echo "ping_rc=$rc eth1=$(( $(tx eth1) - a1 )) eth2=$(( $(tx eth2) - a2 ))"
`;

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('boot the built-in lab and run playbooks/teql.yml on it: converge, verify, show the load sharing')
    .option('--inventory-out <path>', 'where `lab up` writes the lab\'s inventory (as in `teqlctl lab up`)')
    .action(async (opts: { inventoryOut?: string }) => {
      const [{ labUp }, { sshTarget }, { runSsh }, { runPlayCommand }] = await Promise.all([import('../lab/up.js'), import('../lab/router.js'), import('../lab/run-ssh.js'), import('./play-run.js')]);
      const inventory = await labUp(undefined, opts.inventoryOut);
      const code = await runPlayCommand(join(projectRoot(), 'playbooks', 'teql.yml'), { ...PLAY_DEFAULTS, inventory: [inventory], yes: true });
      if (code !== 0) return;
      const r = await runSsh(sshTarget(labPaths(), 'a'), [SHARE_CHECK], { timeoutMs: 60_000 });
      const m = /ping_rc=(\d+) eth1=(\d+) eth2=(\d+)/.exec(r.stdout);
      if (!m || m[1] !== '0') {
        process.stdout.write(`load sharing check: could not ping 10.0.0.5 over teql0 from a (${r.stdout.trim()} ${r.stderr.trim()})\n`);
        process.exitCode = ExitCode.verifyFailed;
        return;
      }
      process.stdout.write(
        `\nLoad sharing: 20 pings from a to b's teql0 (10.0.0.5) left a on eth1: ${m[2]} packets, eth2: ${m[3]} packets.\n` +
          `The routers stay converged: try \`teqlctl lab ssh a ip -s link\`, rerun \`npm run demo\` (0 changed), or \`teqlctl lab down\`.\n`,
      );
    });
}
