// `lab up`: image current, known_hosts and inventory written, both routers booted and accepting SSH.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { buildImage, staleReason } from './image.js';
import { renderInventory } from './inventory.js';
import { renderKnownHosts } from './known-hosts.js';
import { log, seconds } from './log.js';
import { buildScript, inventoryPath, labPaths, type LabPaths } from './paths.js';
import { runningPid } from './pidfile.js';
import { bootRouter, currentSshPort, stopRouter, waitRouter } from './router.js';
import { RUN_TOOLS, requireTools } from './tools.js';
import { ROUTERS, type Router } from './topology.js';

function writeKnownHosts(p: LabPaths, ports: Record<Router, number>): void {
  const entries = ROUTERS.map((router) => ({ router, port: ports[router], publicKey: readFileSync(p.hostKeyPub(router), 'utf8') }));
  writeFileSync(p.knownHosts, renderKnownHosts(entries));
}

function writeInventory(p: LabPaths, ports: Record<Router, number>): string {
  const file = inventoryPath();
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, renderInventory({ sshPorts: ports, privateKeyFile: p.key, knownHostsFile: p.knownHosts }));
  return file;
}

export async function labUp(): Promise<void> {
  const started = Date.now();
  const p = labPaths();
  requireTools(RUN_TOOLS);
  const running = ROUTERS.filter((r) => runningPid(p.pidfile(r)) !== undefined);
  const script = buildScript();
  const stale = staleReason(p, script);
  if (stale && running.length > 0) {
    log(`warning: the image is out of date (${stale}); \`teqlctl lab down && teqlctl lab up\` rebuilds it`);
  } else if (stale) {
    log(`building the base image (${stale}); the first build takes about a minute`);
    await buildImage(p, script, log);
  }
  const ports = { a: currentSshPort(p, 'a'), b: currentSshPort(p, 'b') };
  writeKnownHosts(p, ports);

  const toBoot = ROUTERS.filter((r) => !running.includes(r));
  for (const r of running) log(`router ${r}: already running (pid ${runningPid(p.pidfile(r))})`);
  const booted: Router[] = [];
  try {
    for (const r of toBoot) {
      const pid = await bootRouter(p, r, ports[r]);
      booted.push(r);
      log(`router ${r}: QEMU started (pid ${pid}), SSH on 127.0.0.1:${ports[r]}`);
    }
    await Promise.all(
      ROUTERS.map(async (r) => {
        await waitRouter(p, r);
        log(`router ${r}: accepts SSH (${seconds(started)} after \`lab up\`)`);
      }),
    );
  } catch (err) {
    // No half-started lab: stop what this call started; the console logs stay for a look.
    await Promise.all(booted.map((r) => stopRouter(p, r)));
    throw err;
  }
  const inventory = writeInventory(p, ports);
  log(`lab up in ${seconds(started)}; inventory: ${inventory}; known_hosts: ${p.knownHosts}`);
}
