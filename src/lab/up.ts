// `lab up`: image current, known_hosts and inventory written, both routers booted and accepting SSH.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { LabError } from '../errors.js';
import { buildImage, staleReason } from './image.js';
import type { RouterInterfaces } from './interfaces.js';
import { renderInventory } from './inventory.js';
import { renderKnownHosts } from './known-hosts.js';
import { log, seconds } from './log.js';
import { buildScript, inventoryPath, labPaths, type LabPaths } from './paths.js';
import { runningPid } from './pidfile.js';
import { bootRouter, currentSshPort, readInterfaces, settleRouter, stopRouter, waitRouter, type Boot } from './router.js';
import { RUN_TOOLS, requireTools } from './tools.js';
import { currentTopology, recordedLinkPortBase, writeTopologyRecord } from './topology-record.js';
import { ALL_ROUTERS, DEFAULT_TOPOLOGY, describeTopology, linkPortBase, routersOf, sameTopology, type LabRouter, type LabTopology } from './topology.js';
import { renderHubInventory } from './hub-inventory.js';
import { checkInventoryDestination } from './inventory-destination.js';

type Ports = Partial<Record<LabRouter, number>>;
type Interfaces = Partial<Record<LabRouter, RouterInterfaces>>;

function writeKnownHosts(p: LabPaths, ports: Ports): void {
  const entries = (Object.keys(ports) as LabRouter[]).map((router) => ({ router, port: ports[router]!, publicKey: readFileSync(p.hostKeyPub(router), 'utf8') }));
  writeFileSync(p.knownHosts, renderKnownHosts(entries));
}

function writeInventory(p: LabPaths, topology: LabTopology, ports: Ports, interfaces: Interfaces, file: string): string {
  mkdirSync(dirname(file), { recursive: true });
  const links = Object.fromEntries(Object.entries(interfaces).map(([r, i]) => [r, i!.links]));
  const common = { privateKeyFile: p.key, knownHostsFile: p.knownHosts };
  writeFileSync(file, topology.hub
    ? renderHubInventory({ ...common, sshPorts: ports, links })
    : renderInventory({ ...common, sshPorts: { a: ports.a!, b: ports.b! }, links: { a: links.a!, b: links.b! } }));
  return file;
}

/**
 * Running routers keep their topology: changing it means new NICs, so a reboot, and the lab is
 * shared (other sessions may be using it). Asking for another one is refused, never done silently.
 */
function refuseOtherTopology(p: LabPaths, running: LabRouter[], wanted: LabTopology): void {
  if (running.length === 0) return;
  const current = currentTopology(p);
  if (sameTopology(current, wanted)) return;
  throw new LabError(
    `the lab's routers (${running.join(', ')}) run with ${describeTopology(current)}; this \`lab up\` asks for ${describeTopology(wanted)}`,
    'stop them first with `teqlctl lab down`, then run this `lab up` again (the routers boot pristine)',
  );
}

/** Boots the lab; returns the inventory it wrote (`inventoryOut`, else as inventoryPath() says). */
export async function labUp(topology: LabTopology = DEFAULT_TOPOLOGY, inventoryOut?: string): Promise<string> {
  const started = Date.now();
  const p = labPaths();
  requireTools(RUN_TOOLS);
  if (inventoryOut === '') throw new LabError('--inventory-out is empty', 'give the inventory file to write, or leave --inventory-out out');
  const inventoryFile = inventoryPath(process.env, process.cwd(), inventoryOut);
  checkInventoryDestination(inventoryFile);
  const routers = routersOf(topology);
  const running = ALL_ROUTERS.filter((r) => runningPid(p.pidfile(r)) !== undefined);
  refuseOtherTopology(p, running, topology);
  const script = buildScript();
  const stale = staleReason(p, script);
  if (stale && running.length > 0) {
    log(`warning: the image is out of date (${stale}); \`teqlctl lab down && teqlctl lab up\` rebuilds it`);
  } else if (stale) {
    log(`building the base image (${stale}); the first build takes about a minute`);
    await buildImage(p, script, log);
  }
  const ports: Ports = Object.fromEntries(routers.map((r) => [r, currentSshPort(p, r)]));
  writeKnownHosts(p, ports);

  const toBoot = routers.filter((r) => !running.includes(r));
  for (const r of running) log(`router ${r}: already running (pid ${runningPid(p.pidfile(r))})`);
  const booted: Boot[] = [];
  let interfaces: Interfaces;
  let base: number;
  try {
    if (running.length === 0) {
      // Recorded before the boot, so that a `lab up` meanwhile compares with what is booting.
      mkdirSync(p.runDir, { recursive: true });
      writeTopologyRecord(p, { ...topology, linkPortBase: linkPortBase() });
    }
    base = recordedLinkPortBase(p);
    for (const r of toBoot) {
      const boot = await bootRouter(p, r, ports[r]!, topology, base);
      booted.push(boot);
      const how = boot.fromSnapshot ? 'resumed from its saved pristine state' : 'booting';
      log(`router ${r}: QEMU started (pid ${boot.pid}), ${how}, SSH on 127.0.0.1:${ports[r]}, ${describeTopology(topology)}`);
    }
    await Promise.all(
      routers.map(async (r) => {
        await waitRouter(p, r);
        log(`router ${r}: accepts SSH (${seconds(started)} after \`lab up\`)`);
      }),
    );
    const read = await Promise.all(routers.map((r) => readInterfaces(p, r, topology)));
    interfaces = Object.fromEntries(routers.map((r, i) => [r, read[i]!]));
    await Promise.all(booted.map((boot) => settleRouter(p, boot)));
  } catch (err) {
    // No half-started lab: stop what this call started; the console logs stay for a look.
    await Promise.all(booted.map((boot) => stopRouter(p, boot.router)));
    throw err;
  }
  writeTopologyRecord(p, { ...topology, linkPortBase: base, interfaces });
  for (const r of routers) log(`router ${r}: management ${interfaces[r]!.management}, links ${interfaces[r]!.links.join(' ')}`);
  const inventory = writeInventory(p, topology, ports, interfaces, inventoryFile);
  log(`lab up in ${seconds(started)}; inventory: ${inventory}; known_hosts: ${p.knownHosts}`);
  return inventory;
}
