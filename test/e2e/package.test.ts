// teqlctl as a user installs it: `npm pack`, installed globally into a temporary prefix, then run
// from another folder against the lab the way an Ansible user's setup reaches it: an INI inventory
// with host_vars beside it, and a ~/.ssh/config that Includes a file where router a is reached
// through a jump host (ProxyJump: router a's sshd on 127.0.0.1, forwarding to its own port 22).
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { labPaths } from '../../src/lab/paths.js';
import { currentSshPort } from '../../src/lab/router.js';
import { resetRouters } from './lab.js';
import { bothStates } from './wait.js';
import { CHAPTER, LAB_INVENTORY, ROOT } from './teqlctl.js';

const lab = labPaths();
const tmp = mkdtempSync(join(tmpdir(), 'teqlctl-e2e-package-'));
const prefix = join(tmp, 'prefix');
const bin = join(prefix, 'bin', 'teqlctl');
const keyOf = (pub: string) => readFileSync(pub, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');

afterAll(() => resetRouters('a', 'b'));

/** Runs the installed teqlctl in `cwd` with HOME set to `home`. */
function installed(args: string[], cwd: string, home: string) {
  // The lab's own folder stays where the suite keeps it (HOME is the test's).
  return spawnSync(bin, args, { cwd, encoding: 'utf8', env: { ...process.env, HOME: home, SSH_AUTH_SOCK: '', TEQLCTL_LAB_DIR: lab.dir, TEQLCTL_LAB_INVENTORY: '' }, timeout: 300_000 });
}

describe('the installed package', () => {
  it('packs, installs into a prefix, and converges the lab from an INI inventory through ~/.ssh/config Include and ProxyJump', async () => {
    // The tarball of what `files` ships (dist built by the suite's build; --ignore-scripts so that
    // prepack does not rebuild dist while this suite uses it).
    const packed = JSON.parse(execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], { cwd: ROOT, encoding: 'utf8' }))[0];
    const tarball = join(tmp, packed.filename);
    expect(packed.files.some((f: { path: string }) => f.path.startsWith('test/'))).toBe(false);
    execFileSync('npm', ['install', '-g', '--prefix', prefix, tarball, '--prefer-offline', '--no-audit', '--no-fund'], { encoding: 'utf8', stdio: 'pipe' });
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

    const work = join(tmp, 'work');
    const home = join(tmp, 'home');
    mkdirSync(join(work, 'host_vars'), { recursive: true });
    mkdirSync(join(home, '.ssh', 'conf.d'), { recursive: true, mode: 0o700 });
    expect(installed(['--version'], work, home).stdout.trim()).toBe(pkg.version);

    // The lab's own inventory, as an Ansible user would split it: INI for hosts, host_vars for the rest.
    const labInv = parse(readFileSync(LAB_INVENTORY, 'utf8')).all.children.routers.hosts as Record<string, Record<string, unknown>>;
    for (const [host, vars] of Object.entries(labInv)) {
      const own = Object.fromEntries(Object.entries(vars).filter(([k]) => !k.startsWith('ansible_')));
      writeFileSync(join(work, 'host_vars', `${host}.yml`), JSON.stringify(own, null, 2));
    }
    writeFileSync(join(work, 'hosts.ini'), '[routers]\nrouter_a ansible_host=teqllab-a\nrouter_b ansible_host=teqllab-b\n\n[routers:vars]\nansible_user=root\n');
    const [portA, portB] = [currentSshPort(lab, 'a'), currentSshPort(lab, 'b')];
    writeFileSync(join(home, '.ssh', 'config'), `Include ${join(home, '.ssh', 'conf.d')}/*.conf\n`, { mode: 0o600 });
    writeFileSync(join(home, '.ssh', 'conf.d', 'lab.conf'), [
      'Host teqllab-jump', '  HostName 127.0.0.1', `  Port ${portA}`, '  User root', `  IdentityFile ${lab.key}`,
      'Host teqllab-a', '  HostName 127.0.0.1', '  Port 22', '  User root', `  IdentityFile ${lab.key}`, '  ProxyJump teqllab-jump',
      'Host teqllab-b', '  HostName 127.0.0.1', `  Port ${portB}`, '  User root', `  IdentityFile ${lab.key}`, '',
    ].join('\n'), { mode: 0o600 });
    writeFileSync(join(home, '.ssh', 'known_hosts'), [
      `[127.0.0.1]:${portA} ${keyOf(lab.hostKeyPub('a'))}`, `127.0.0.1 ${keyOf(lab.hostKeyPub('a'))}`, `[127.0.0.1]:${portB} ${keyOf(lab.hostKeyPub('b'))}`, '',
    ].join('\n'));

    const syntax = installed(['play', '-i', 'hosts.ini', CHAPTER, '--syntax-check'], work, home);
    expect(syntax.status, syntax.stderr).toBe(0);
    await resetRouters('a', 'b');
    const log = join(tmp, 'run.log');
    const run = installed(['play', '-i', 'hosts.ini', CHAPTER, '--yes', '--json', '--log', log], work, home);
    expect(run.status, run.stdout + run.stderr).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc.schemaVersion).toBe(1);
    expect(doc.summary).toBe('converged and verified');
    // router_a's sessions arrive through the jump host: from its own loopback.
    expect(readFileSync(log, 'utf8')).toMatch(/client=127\.0\.0\.1 port=\d+/);
    const routers = await bothStates();
    expect(routers.a).toContain('teql0 10.0.0.4/31');
    expect(routers.b).toContain('teql0 10.0.0.5/31');

    // `lab up` from the installed package (the lab runs: nothing to boot) writes its inventory
    // into the current folder, never into the package.
    const up = installed(['lab', 'up'], work, home);
    expect(up.status, up.stdout + up.stderr).toBe(0);
    expect(parse(readFileSync(join(work, 'lab.yml'), 'utf8')).all.children.routers.hosts.router_a.ansible_port).toBe(portA);
    expect(existsSync(join(prefix, 'lib', 'node_modules', pkg.name, 'inventories', 'lab.yml'))).toBe(false);
  });
});
