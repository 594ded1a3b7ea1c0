// `teqlctl lab ...`: the CLI face of src/lab. Parsing only; the work is in src/lab.
import type { Command } from 'commander';
import { ConfigError } from '../errors.js';
import { labDown } from '../lab/down.js';
import { labReboot } from '../lab/reboot.js';
import { labReset } from '../lab/reset.js';
import { labSsh } from '../lab/ssh.js';
import { labStatus } from '../lab/status.js';
import { isRouter, MAX_LINKS, MIN_LINKS, parseTopology, routersOf, type LabRouter } from '../lab/topology.js';
import { currentTopology } from '../lab/topology-record.js';
import { labPaths } from '../lab/paths.js';
import { labUp } from '../lab/up.js';
import { setManagementLink } from '../lab/management-link.js';

function parseRouter(name: string): LabRouter {
  // Only the routers of the lab's topology: h exists with `lab up --routers 3` only.
  if (isRouter(name) && routersOf(currentTopology(labPaths())).includes(name)) return name;
  throw new ConfigError(`no lab router named "${name}"`, undefined, 'the lab has routers a and b (and h with `lab up --routers 3`)');
}

export function registerLabCommand(program: Command): void {
  const lab = program
    .command('lab')
    .description('Two Debian 12 routers (a, b) under QEMU, wired by 2 to 4 links, for trying teqlctl for real.');

  lab
    .command('up')
    .description('build the image if needed, boot both routers, write their inventory (./inventories/lab.yml if ./inventories exists, else ./lab.yml)')
    .option('--links <n>', `links between a and b, ${MIN_LINKS} to ${MAX_LINKS} (default 2)`)
    .option('--names <scheme>', 'interface names: eth (eth0, eth1, ...) or predictable (ens3, ens4, ...) (default eth)')
    .option('--link-manager <manager>', 'who configures the links at boot: none (they stay down) or networkd (default none)')
    .option('--flavor <flavor>', 'the routers\' userland: debian (systemd) or busybox (BusyBox, dash, iproute2, OpenSSH, no systemd) (default debian)')
    .option('--routers <n>', '2 (a and b, wired to each other) or 3 (a hub h wired to a and to b, 2 links each) (default 2)')
    .option('--inventory-out <path>', 'write the inventory there instead (else $TEQLCTL_LAB_INVENTORY)')
    .action(async (opts: { links?: string; names?: string; linkManager?: string; flavor?: string; routers?: string; inventoryOut?: string }) => {
      await labUp(parseTopology(opts.links, opts.names, opts.linkManager, opts.flavor, opts.routers), opts.inventoryOut);
    });
  lab.command('down').description('stop every lab router').action(labDown);
  lab.command('status').description('show whether each router runs and how to reach it').action(labStatus);
  lab
    .command('reset')
    .description('back to pristine: restore the state saved after its first boot (boots it where it is not running or has none), wait for SSH; all if none named')
    .argument('[router]', 'a, b (or h with --routers 3)')
    .action(async (router?: string) => labReset(router === undefined ? routersOf(currentTopology(labPaths())) : [parseRouter(router)]));
  lab
    .command('reboot')
    .description('reboot a router\'s OS in place (its disk survives) and wait until it answers SSH again (all if none named)')
    .argument('[router]', 'a, b (or h with --routers 3)')
    .option('--power-cut', 'cut the power instead (QEMU system_reset: no shutdown, nothing flushed that was not): for tests of what survives one')
    .action(async (router: string | undefined, o: { powerCut?: boolean }) =>
      labReboot(router === undefined ? routersOf(currentTopology(labPaths())) : [parseRouter(router)], { powerCut: o.powerCut === true }));
  lab
    .command('cut')
    .description('unplug a router\'s management link (eth0 or ens3), or with --link K one of its links to the other router, leaving it running: for tests of lost routers and broken bundles')
    .argument('<router>', 'a, b (or h with --routers 3)')
    .option('--link <k>', 'the link to cut (1 = eth1 ...) instead of the management link')
    .action(async (router: string, o: { link?: string }) => setManagementLink(parseRouter(router), false, linkNumber(o.link)));
  lab
    .command('restore')
    .description('plug a router\'s management link (or --link K) back in after `lab cut`')
    .argument('<router>', 'a, b (or h with --routers 3)')
    .option('--link <k>', 'the link to restore instead of the management link')
    .action(async (router: string, o: { link?: string }) => setManagementLink(parseRouter(router), true, linkNumber(o.link)));
  lab
    .command('ssh')
    .description('log in to a router as root, or run CMD there (use -- before CMD options)')
    .argument('<router>', 'a, b (or h with --routers 3)')
    .argument('[cmd...]', 'command to run on the router')
    // The remote command's own options (ip -br a) are not ours: pass them through as arguments.
    .allowUnknownOption()
    .action(async (router: string, cmd: string[]) => {
      process.exitCode = await labSsh(parseRouter(router), cmd);
    });
}

function linkNumber(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^[1-4]$/.test(text)) throw new ConfigError(`--link ${JSON.stringify(text)}: a link number 1 to 4`);
  return Number(text);
}
