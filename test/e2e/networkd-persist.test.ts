// Routers whose links systemd-networkd manages (`lab up --links 3 --names predictable
// --link-manager networkd`): persist writes networkd drop-ins ([TrivialLinkEqualizer]) for the
// links and the unit for the equalizer; after a reboot of both routers they are converged and pass
// the checks with no teqlctl run; teardown removes it all. Then two equalizers on one router.
// Leaves the default lab running for the other files.
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTERS, type Router } from '../../src/lab/topology.js';
import { labCli, REBOOT_TEST_TIMEOUT_MS, rebootRouters, sshRun } from './lab.js';
import { readState, txPackets } from './router-state.js';
import { CHAPTER, playJson, ROOT, TEARDOWN } from './teqlctl.js';

const TWO_EQUALIZERS = resolve(ROOT, 'test/e2e/playbooks/two-equalizers.yml');
const PEER_TEQL: Record<Router, string> = { a: '10.0.0.7', b: '10.0.0.6' };
const LEFTOVERS = 'ls -d /etc/teqlctl /etc/systemd/system/teqlctl-boot.service /etc/modules-load.d/teqlctl.conf /etc/sysctl.d/99-teqlctl.conf /etc/systemd/network/*.network.d /var/lib/teqlctl/baseline 2>/dev/null; true';

const snapshot = async (r: Router) => (await readState(r)) + '## teqlctl files\n' + (await sshRun(r, LEFTOVERS)).stdout;
const changeCount = (json: any) => Object.values(json.hosts).reduce((n: number, h: any) => n + h.changes.length, 0);

describe('persist on routers whose links systemd-networkd manages', () => {
  const pristine = {} as Record<Router, string>;

  beforeAll(async () => {
    await labCli(['down']);
    await labCli(['up', '--links', '3', '--names', 'predictable', '--link-manager', 'networkd']);
    for (const r of ROUTERS) pristine[r] = await snapshot(r);
  });

  afterAll(async () => {
    await labCli(['down']);
    await labCli(['up']);
  });

  it('hands the links to networkd through drop-ins of the .network files it uses, the equalizer to the unit', async () => {
    const r = await playJson(CHAPTER, ['-e', 'teql_persist=true']);
    expect(r.code, r.stderr).toBe(0);
    for (const router of ROUTERS) {
      const files = await sshRun(router, 'for f in /etc/systemd/network/30-link*.network.d/60-teqlctl.conf; do echo "== $f"; cat "$f"; done; echo "== boot.sh"; cat /etc/teqlctl/boot.sh');
      const text = files.stdout;
      for (const k of [1, 2, 3]) expect(text).toContain(`== /etc/systemd/network/30-link${k}.network.d/60-teqlctl.conf`);
      expect(text.match(/\[TrivialLinkEqualizer\]\nId=0/g)).toHaveLength(3);
      // The links are networkd's: the script only loads the module and configures teql0.
      expect(text).not.toMatch(/dev ens[4-6]/);
      expect(text).toContain('retry ip link set dev teql0 up');
    }
  });

  it('comes back converged after both routers reboot, and passes the checks without teqlctl', async () => {
    const before = { a: await readState('a'), b: await readState('b') };
    await rebootRouters('a', 'b');
    for (const router of ROUTERS) {
      expect(await readState(router)).toBe(before[router]);
      expect((await sshRun(router, `ping -c 2 -W 2 ${PEER_TEQL[router]}`)).code).toBe(0);
    }
    expect((await sshRun('a', 'ping -c 2 -W 2 -I 192.0.2.1 198.51.100.1')).code).toBe(0);
    const check = await playJson(CHAPTER, ['-e', 'teql_persist=true', '--check']);
    expect(check.code, check.stderr).toBe(0);
    expect(changeCount(check.json)).toBe(0);
  }, REBOOT_TEST_TIMEOUT_MS);

  it('teardown returns both routers to the snapshot taken before the first run, drop-ins included', async () => {
    const r = await playJson(TEARDOWN);
    expect(r.code, r.stderr).toBe(0);
    for (const router of ROUTERS) expect(await snapshot(router)).toBe(pristine[router]);
    const again = await playJson(TEARDOWN);
    expect(changeCount(again.json)).toBe(0);
  });

  it('runs two equalizers on one router: sch_teql loaded with max_equalizers=2, teql1 carries its own traffic', async () => {
    const r = await playJson(TWO_EQUALIZERS);
    expect(r.code, r.stderr).toBe(0);
    const qdiscs = (await sshRun('a', "tc qdisc show | awk '/ root / {print $5, $2}' | sort")).stdout;
    const names = (await sshRun('a', 'ip -br link | awk \'/^ens[4-6]/ {print $1}\' | sort')).stdout.trim().split('\n');
    expect(qdiscs).toContain(`${names[0]} teql0`);
    expect(qdiscs).toContain(`${names[1]} teql0`);
    expect(qdiscs).toContain(`${names[2]} teql1`);
    const before = await txPackets('a', names[2]!);
    expect((await sshRun('a', 'ping -q -f -c 200 -W 2 10.0.9.1')).code).toBe(0);
    expect((await txPackets('a', names[2]!)) - before).toBeGreaterThanOrEqual(200);
    const again = await playJson(TWO_EQUALIZERS);
    expect(changeCount(again.json)).toBe(0);
  });
});
