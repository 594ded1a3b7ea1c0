// An ansible.cfg or ANSIBLE_* setting that changes how Ansible connects (remote_user, a ProxyJump in
// ssh_args) was only noted, and teqlctl connected otherwise: refused unless every host the run
// reaches sets the inventory variable that wins over it (a review, 2026-12-05).
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, afterEach } from 'vitest';
import { refuseConfigConnection, refuseHashMerge } from '../../src/load/ansible-config-connection.js';
import { Problems } from '../../src/load/problems.js';
import { emptyLayer, type VarLayer } from '../../src/load/scope.js';
import { loadRun } from '../../src/load/index.js';
import { errorsOf, writeCase } from './helpers.js';

const NO_SYSTEM = '/nonexistent/teqlctl-test/ansible.cfg';
const BUILT = { file: 'x', line: 1, col: 1 };

function layer(vars: Record<string, unknown>): VarLayer {
  const l = emptyLayer();
  for (const [k, v] of Object.entries(vars)) {
    l.values[k] = v;
    l.origins.set(k, { where: 'test', pos: BUILT });
  }
  return l;
}

function refused(cfg: string | undefined, hosts: Record<string, Record<string, unknown>>, env: NodeJS.ProcessEnv = {}, extra = layer({})) {
  const cwd = writeCase(cfg === undefined ? {} : { 'ansible.cfg': cfg });
  const problems = new Problems();
  refuseConfigConnection({ env, cwd, home: cwd, system: NO_SYSTEM, hosts: new Map(Object.entries(hosts).map(([h, v]) => [h, layer(v)])), extra }, problems);
  return { cwd, errors: problems.count === 0 ? [] : errorsOf(() => problems.throwIfAny()) };
}

describe('ansible.cfg and ANSIBLE_* settings that change how Ansible connects', () => {
  it('refuses remote_user where a reached host has no ansible_user, at its line, naming the hosts and the variable', () => {
    const { cwd, errors } = refused('[defaults]\nforks = 5\nremote_user = netops\n', { r1: {}, r2: { ansible_user: 'ops' }, r3: {} });
    expect(errors.map((e) => e.located)).toEqual([`${join(cwd, 'ansible.cfg')}:3:1: ${join(cwd, 'ansible.cfg')} sets remote_user ("netops"), which changes how Ansible connects to r1, r3; teqlctl does not follow it (of ansible.cfg and ANSIBLE_* it follows only the ignore settings of an inventory folder), and would connect otherwise`]);
    expect(errors[0]!.hint).toBe('set ansible_user for those hosts in the inventory (or -e ansible_user=...), which Ansible reads over it too; or remove the setting');
  });

  it('refuses a key indented under its section header: configparser reads it as an option (it was taken for a continuation of nothing, a review)', () => {
    const { cwd, errors } = refused('[defaults]\n  remote_user = bob\n[ssh_connection]\n ssh_args = -o ProxyJump=evil\n', { r1: {} });
    expect(errors.map((e) => e.located)).toEqual([
      `${join(cwd, 'ansible.cfg')}:2:3: ${join(cwd, 'ansible.cfg')} sets remote_user ("bob"), which changes how Ansible connects to r1; teqlctl does not follow it (of ansible.cfg and ANSIBLE_* it follows only the ignore settings of an inventory folder), and would connect otherwise`,
      `${join(cwd, 'ansible.cfg')}:4:2: ${join(cwd, 'ansible.cfg')} sets ssh_args ("-o ProxyJump=evil"), which changes how Ansible connects to r1; teqlctl does not follow it (of ansible.cfg and ANSIBLE_* it follows only the ignore settings of an inventory folder), and would connect otherwise`,
    ]);
    // An indented section header is a header (configparser's), unless it is deeper than an option before it (a continuation there too).
    expect(refused('  [privilege_escalation]\nbecome = True\n', { r1: {} }).errors.map((e) => e.message)).toEqual([expect.stringContaining('sets become ("True")')]);
    expect(refused('[defaults]\nforks = 5\n  [privilege_escalation]\nbecome = True\n', { r1: {} }).errors).toEqual([]);
    // A deeper line under an option still continues its value; a `#` after a value is part of it (Ansible's inline comments are `;`).
    expect(refused('[ssh_connection]\nssh_args = -C\n    -o ProxyJump=evil ; why\n', { r1: {} }).errors.map((e) => e.message)).toEqual([expect.stringContaining('sets ssh_args ("-C -o ProxyJump=evil")')]);
  });

  it('reads the file Ansible reads: ANSIBLE_CONFIG naming a folder (its ansible.cfg) or with ~ and $VARS, not ./ansible.cfg in a world-writable folder (a review)', () => {
    const cfgDir = writeCase({ 'ansible.cfg': '[defaults]\nremote_user = bob\n' });
    const cwd = writeCase({ 'ansible.cfg': '[defaults]\nforks = 5\n' });
    const refuse = (env: NodeJS.ProcessEnv, at = cwd, home = cwd) => {
      const problems = new Problems();
      refuseConfigConnection({ env, cwd: at, home, system: NO_SYSTEM, hosts: new Map([['r1', layer({})]]), extra: layer({}) }, problems);
      return problems.count === 0 ? [] : errorsOf(() => problems.throwIfAny()).map((e) => e.pos?.file);
    };
    expect(refuse({ ANSIBLE_CONFIG: cfgDir })).toEqual([join(cfgDir, 'ansible.cfg')]);
    expect(refuse({ ANSIBLE_CONFIG: '~/ansible.cfg' }, cwd, cfgDir)).toEqual([join(cfgDir, 'ansible.cfg')]);
    expect(refuse({ ANSIBLE_CONFIG: '${CFGDIR}/ansible.cfg', CFGDIR: cfgDir })).toEqual([join(cfgDir, 'ansible.cfg')]);
    // Variables first, then ~ (a variable that holds ~/...).
    expect(refuse({ ANSIBLE_CONFIG: '$D/ansible.cfg', D: '~' }, cwd, cfgDir)).toEqual([join(cfgDir, 'ansible.cfg')]);
    expect(refuse({ ANSIBLE_CONFIG: 'ansible.cfg' }, cfgDir)).toEqual([join(cfgDir, 'ansible.cfg')]);
    // A world-writable folder's ansible.cfg is skipped by Ansible: ~/.ansible.cfg is the one.
    const open = writeCase({ 'ansible.cfg': '[defaults]\nforks = 5\n' });
    chmodSync(open, 0o777);
    const home = writeCase({ '.ansible.cfg': '[defaults]\nremote_user = carol\n' });
    expect(refuse({}, open, home)).toEqual([join(home, '.ansible.cfg')]);
    chmodSync(open, 0o755);
    expect(refuse({}, open, home)).toEqual([]);
  });

  it('passes where every reached host (or -e) sets the variable that wins, and settings that change nothing', () => {
    expect(refused('[defaults]\nremote_user = netops\nremote_port = 2222\n', { r1: { ansible_ssh_user: 'a', ansible_port: 22 } }).errors).toEqual([]);
    expect(refused('[defaults]\nremote_user = netops\n', { r1: {} }, {}, layer({ ansible_user: 'x' })).errors).toEqual([]);
    const inert = '[privilege_escalation]\nbecome = False\nbecome_user = root\nbecome_method = sudo\n[ssh_connection]\nssh_args = -C -o ControlMaster=auto -o ControlPersist=60s\n';
    expect(refused(inert, { r1: {} }).errors).toEqual([]);
  });

  it('refuses ssh_args that move the connection (nothing wins over it: teqlctl refuses ansible_ssh_args), and become = True', () => {
    const { errors } = refused('[ssh_connection]\nssh_args = -C -o ProxyJump=bastion\n[privilege_escalation]\nbecome = True\n', { r1: { ansible_ssh_common_args: '-J b' } });
    expect(errors.map((e) => e.message)).toEqual([
      'ansible.cfg sets ssh_args ("-C -o ProxyJump=bastion"), which changes how Ansible connects to r1; teqlctl does not follow it (of ansible.cfg and ANSIBLE_* it follows only the ignore settings of an inventory folder), and would connect otherwise'.replace('ansible.cfg sets', `${errors[0]!.pos!.file} sets`),
      `${errors[1]!.pos!.file} sets become ("True"), which changes how Ansible connects to r1; teqlctl does not follow it (of ansible.cfg and ANSIBLE_* it follows only the ignore settings of an inventory folder), and would connect otherwise`,
    ]);
    expect(errors[0]!.hint).toMatch(/^put what it must do in ansible_ssh_common_args/);
  });

  it('reads the cfg as Ansible does: a key in its own section only, an indented line continuing the value, Ansible\'s booleans (a review)', () => {
    // remote_user under [ssh_connection] is not Ansible's remote_user: ignored there, as by Ansible.
    expect(refused('[ssh_connection]\nremote_user = netops\n', { r1: {} }).errors).toEqual([]);
    const continued = refused('[ssh_connection]\nssh_args = -C\n    -o ProxyJump=bastion\n', { r1: {} }).errors;
    expect(continued.map((e) => e.message)).toEqual([expect.stringMatching(/sets ssh_args \("-C -o ProxyJump=bastion"\)/)]);
    for (const off of ['n', 'F', '', 'Off']) expect(refused(`[privilege_escalation]\nbecome = ${off}\n`, { r1: {} }).errors, off).toEqual([]);
  });

  it('reads keys in any case, as configparser does, and ssh_args flags bundled as ssh reads them, and every option that moves the connection (a review)', () => {
    const upper = refused('[defaults]\nREMOTE_USER = admin\n[ssh_connection]\nSSH_ARGS = -o ProxyJump=bastion\n', { r1: {} }).errors;
    expect(upper.map((e) => e.message)).toEqual([expect.stringMatching(/sets remote_user \("admin"\)/), expect.stringMatching(/sets ssh_args \("-o ProxyJump=bastion"\)/)]);
    for (const args of ['-Cp 2222', '-CJ bastion', '-CJbastion', '-4', '-C -o IdentityAgent=/tmp/agent', '-o RevokedHostKeys=/etc/ssh/revoked', '-oKnownHostsCommand=/bin/true', '-o PubkeyAuthentication=no', '-o CanonicalizeHostname=yes -o CanonicalDomains=example.net', '-o RequiredRSASize=3072', '-o AddressFamily=inet6', '-o PKCS11Provider=/usr/lib/p11.so', '-I /usr/lib/p11.so', '-o LocalForward=8080 localhost:80', '-L 8080:localhost:80', '-P -J bastion']) {
      expect(refused(`[ssh_connection]\nssh_args = ${args}\n`, { r1: {} }).errors, args).toHaveLength(1);
    }
    // Values of flags are not flags: -c takes a cipher, -o's ControlPath holds a '-p'.
    for (const args of ['-c aes128-ctr', '-o ControlPath=/tmp/x-p', '-S /tmp/ctl', '-C -o ControlMaster=auto -o ControlPersist=60s -o ControlPath=/tmp/ansible-%r@%h:%p', '-C -o ServerAliveInterval=5', '-vvv']) {
      expect(refused(`[ssh_connection]\nssh_args = ${args}\n`, { r1: {} }).errors, args).toEqual([]);
    }
  });

  it('reads OpenSSH\'s older keyword names as ssh does (IdentityFile2, SmartcardDevice, DSAAuthentication moved the connection unseen, a review), in each -o form', () => {
    for (const args of ['-o IdentityFile2=~/.ssh/other', '-oIdentityFile2=~/.ssh/other', '-o "IdentityFile2 ~/.ssh/other"', '-o identityfile2 ~/.ssh/other', '-C -o SmartcardDevice=/usr/lib/p11.so', '-o DSAAuthentication=no']) {
      expect(refused(`[ssh_connection]\nssh_args = ${args}\n`, { r1: {} }).errors, args).toHaveLength(1);
      expect(refused(undefined, { r1: {} }, { ANSIBLE_SSH_EXTRA_ARGS: args }).errors.map((e) => e.message), args).toEqual([expect.stringMatching(/^the environment sets ANSIBLE_SSH_EXTRA_ARGS .*which changes how Ansible connects to r1/)]);
    }
    // An older name of an option that moves nothing passes, as its current name does.
    for (const args of ['-o KeepAlive=yes', '-o PubkeyAcceptedKeyTypes=+ssh-rsa', '-o TCPKeepAlive=yes', '-o PubkeyAcceptedAlgorithms=+ssh-rsa']) {
      expect(refused(`[ssh_connection]\nssh_args = ${args}\n`, { r1: {} }).errors, args).toEqual([]);
    }
  });

  it('become_user and become_method matter only for hosts where become is on (the config\'s, or the host\'s ansible_become)', () => {
    expect(refused('[privilege_escalation]\nbecome_user = admin\nbecome_method = su\n', { r1: {} }).errors).toEqual([]);
    const on = refused('[privilege_escalation]\nbecome_user = admin\n', { r1: { ansible_become: true }, r2: {}, r3: { ansible_become: 'false' } }).errors;
    expect(on.map((e) => e.message)).toEqual([expect.stringMatching(/sets become_user \("admin"\), which changes how Ansible connects to r1;/)]);
    const all = refused('[privilege_escalation]\nbecome = yes\nbecome_user = admin\n', { r1: { ansible_become: false, ansible_become_user: 'x' }, r2: { ansible_become: false } }).errors;
    expect(all.map((e) => e.message)).toEqual([]);
  });

  it('the environment over the file, as in Ansible', () => {
    const { errors } = refused('[defaults]\nremote_user = netops\n', { r1: {} }, { ANSIBLE_REMOTE_USER: 'envuser', ANSIBLE_SSH_ARGS: '-o ControlPersist=60s' });
    expect(errors.map((e) => [e.message, e.pos])).toEqual([['the environment sets ANSIBLE_REMOTE_USER ("envuser"), which changes how Ansible connects to r1; teqlctl does not follow it (of ansible.cfg and ANSIBLE_* it follows only the ignore settings of an inventory folder), and would connect otherwise', undefined]]);
  });
});

describe('settings a review found passed by (2026-12-06)', () => {
  const messages = (r: { errors: { message: string }[] }) => r.errors.map((e) => e.message);
  const BECOMES = { ansible_become: true };

  it("refuses the sudo plugin's own become user, in its section or ANSIBLE_SUDO_USER (only noted, commands ran as root), unless the host sets ansible_become_user", () => {
    const own = refused('[sudo_become_plugin]\nuser = netops\n', { r1: BECOMES });
    expect(own.errors.map((e) => e.located)).toEqual([`${join(own.cwd, 'ansible.cfg')}:2:1: ${join(own.cwd, 'ansible.cfg')} sets user in [sudo_become_plugin] ("netops"), which changes how Ansible connects to r1; teqlctl does not follow it (of ansible.cfg and ANSIBLE_* it follows only the ignore settings of an inventory folder), and would connect otherwise`]);
    expect(own.errors[0]!.hint).toBe('set ansible_become_user for those hosts in the inventory (or -e ansible_become_user=...), which Ansible reads over it too; or remove the setting');
    expect(messages(refused(undefined, { r1: BECOMES }, { ANSIBLE_SUDO_USER: 'netops' }))).toEqual([expect.stringMatching(/^the environment sets ANSIBLE_SUDO_USER \("netops"\), which changes how Ansible connects to r1;/)]);
    // The plugin's own over [privilege_escalation] and ANSIBLE_BECOME_USER, the environment over the file, as in Ansible.
    expect(messages(refused(undefined, { r1: BECOMES }, { ANSIBLE_BECOME_USER: 'root', ANSIBLE_SUDO_USER: 'netops' }))).toEqual([expect.stringMatching(/ANSIBLE_SUDO_USER \("netops"\)/)]);
    expect(refused('[privilege_escalation]\nbecome_user = admin\n', { r1: BECOMES }, { ANSIBLE_SUDO_USER: 'root' }).errors).toEqual([]);
    expect(refused('[sudo_become_plugin]\nuser = netops\n', { r1: { ...BECOMES, ansible_become_user: 'netops' } }).errors).toEqual([]);
    expect(refused('[sudo_become_plugin]\nuser = netops\n', { r1: {} }).errors).toEqual([]);
  });

  it("refuses the doas plugin's become user for the hosts that become with doas alone", () => {
    const r = refused('[doas_become_plugin]\nuser = netops\n', { r1: BECOMES, r2: { ...BECOMES, ansible_become_method: 'doas' } });
    expect(messages(r)).toEqual([expect.stringMatching(/sets user in \[doas_become_plugin\] \("netops"\), which changes how Ansible connects to r2;/)]);
    expect(messages(refused(undefined, { r1: { ...BECOMES, ansible_become_method: 'community.general.doas' } }, { ANSIBLE_DOAS_USER: 'netops' }))).toEqual([expect.stringMatching(/ANSIBLE_DOAS_USER/)]);
  });

  it('refuses a become executable or flags other than Ansible\'s default, in either section or the environment: nothing teqlctl reads wins over them', () => {
    const r = refused('[privilege_escalation]\nbecome_exe = /opt/sudo\n[sudo_become_plugin]\nflags = -H -S -n -u netops\n', { r1: BECOMES });
    expect(messages(r)).toEqual([expect.stringMatching(/sets become_exe \("\/opt\/sudo"\)/), expect.stringMatching(/sets flags in \[sudo_become_plugin\] \("-H -S -n -u netops"\)/)]);
    expect(r.errors[0]!.hint).toBe('remove it: teqlctl runs sudo or doas itself, with its own flags (ansible_become_exe and ansible_become_flags are refused too)');
    for (const name of ['ANSIBLE_BECOME_EXE', 'ANSIBLE_SUDO_EXE', 'ANSIBLE_BECOME_FLAGS', 'ANSIBLE_SUDO_FLAGS']) expect(messages(refused(undefined, { r1: BECOMES }, { [name]: '-u x' })), name).toEqual([expect.stringContaining(`the environment sets ${name}`)]);
    expect(messages(refused(undefined, { r1: { ...BECOMES, ansible_become_method: 'doas' } }, { ANSIBLE_DOAS_FLAGS: '-u netops' }))).toHaveLength(1);
    // Ansible's defaults change nothing; where the host does not become, none matters.
    expect(refused('[privilege_escalation]\nbecome_exe = sudo\nbecome_flags = -H  -S -n\n', { r1: BECOMES }).errors).toEqual([]);
    expect(refused('[privilege_escalation]\nbecome_exe = /opt/sudo\n', { r1: {} }).errors).toEqual([]);
  });

  it('reads a [DEFAULT] key in every section the file has, as configparser gives it (it passed by)', () => {
    const r = refused('[DEFAULT]\nremote_user = netops\n[defaults]\nforks = 5\n', { r1: {} });
    expect(r.errors.map((e) => e.located)).toEqual([`${join(r.cwd, 'ansible.cfg')}:2:1: ${join(r.cwd, 'ansible.cfg')} sets remote_user in [DEFAULT] ("netops"), which changes how Ansible connects to r1; teqlctl does not follow it (of ansible.cfg and ANSIBLE_* it follows only the ignore settings of an inventory folder), and would connect otherwise`]);
    expect(messages(refused('[DEFAULT]\nbecome = True\n[privilege_escalation]\n', { r1: {} }))).toEqual([expect.stringContaining('sets become in [DEFAULT] ("True")')]);
    // The section's own key wins; without the section, configparser (and Ansible) reads nothing.
    expect(refused('[DEFAULT]\nremote_user = netops\n[defaults]\nremote_user = root\n', { r1: { ansible_user: 'x' } }).errors).toEqual([]);
    expect(refused('[DEFAULT]\nremote_user = netops\n', { r1: {} }).errors).toEqual([]);
  });

  it('a variable left empty (null) does not override the setting: Ansible drops it and takes the config\'s', () => {
    expect(messages(refused('[defaults]\nremote_user = netops\n', { r1: { ansible_user: null } }))).toEqual([expect.stringMatching(/sets remote_user \("netops"\), which changes how Ansible connects to r1;/)]);
    expect(messages(refused('[defaults]\nremote_port = 2222\nprivate_key_file = ~/.ssh/ops\n', { r1: { ansible_port: null, ansible_ssh_port: 22, ansible_private_key_file: null } }))).toEqual([expect.stringMatching(/sets private_key_file/)]);
    expect(messages(refused('[defaults]\nremote_user = netops\n', { r1: { ansible_user: 'ops' } }, {}, layer({ ansible_user: null })))).toEqual([]);
    expect(messages(refused('[privilege_escalation]\nbecome = True\n', { r1: { ansible_become: null } }))).toEqual([expect.stringMatching(/sets become \("True"\)/)]);
  });

  it('refuses ssh_executable other than ssh, and transport other than ssh or smart (only noted)', () => {
    const exe = refused('[ssh_connection]\nssh_executable = /opt/ssh\n', { r1: {} });
    expect(messages(exe)).toEqual([expect.stringMatching(/sets ssh_executable \("\/opt\/ssh"\), which changes how Ansible connects to r1;/)]);
    expect(exe.errors[0]!.hint).toBe('remove it: teqlctl has its own SSH client, which reads ~/.ssh/config through `ssh -G`');
    expect(messages(refused(undefined, { r1: {} }, { ANSIBLE_SSH_EXECUTABLE: 'sshpass' }))).toHaveLength(1);
    const transport = refused('[defaults]\ntransport = paramiko\n', { r1: {}, r2: { ansible_connection: 'ssh' } });
    expect(messages(transport)).toEqual([expect.stringMatching(/sets transport \("paramiko"\), which changes how Ansible connects to r1;/)]);
    expect(transport.errors[0]!.hint).toMatch(/^set ansible_connection for those hosts/);
    expect(messages(refused(undefined, { r1: {} }, { ANSIBLE_TRANSPORT: 'local' }))).toHaveLength(1);
    expect(refused('[defaults]\ntransport = smart\n[ssh_connection]\nssh_executable = ssh\n', { r1: {} }, { ANSIBLE_TRANSPORT: 'ssh' }).errors).toEqual([]);
  });

  it('hash_behaviour = merge under [DEFAULT] is refused too', () => {
    const cwd = writeCase({ 'ansible.cfg': '[DEFAULT]\nhash_behaviour = merge\n[defaults]\n' });
    const problems = new Problems();
    refuseHashMerge({ env: {}, cwd, home: cwd, system: NO_SYSTEM }, [layer({ site: { lan: '192.0.2.0/24' } })], problems);
    expect(errorsOf(() => problems.throwIfAny()).map((e) => e.message)).toEqual([`${join(cwd, 'ansible.cfg')} sets hash_behaviour ("merge"): Ansible then merges a mapping variable set in several places, and teqlctl takes the one that wins (Ansible's default, replace)`]);
  });
});

describe('a run with such an ansible.cfg', () => {
  const saved = process.env.ANSIBLE_CONFIG;
  afterEach(() => {
    if (saved === undefined) delete process.env.ANSIBLE_CONFIG;
    else process.env.ANSIBLE_CONFIG = saved;
  });

  it('is refused before any connection (exit 2); with ansible_user in the inventory, it loads', () => {
    const dir = writeCase({
      'ansible.cfg': '[defaults]\nremote_user = netops\n',
      'inv.yml': 'all:\n  hosts:\n    r1:\n      ansible_host: 127.0.0.1\n',
      'play.yml': '- hosts: all\n  tasks:\n    - sysctl: { name: net.ipv4.ip_forward, value: 1 }\n',
    });
    process.env.ANSIBLE_CONFIG = join(dir, 'ansible.cfg');
    const errors = errorsOf(() => loadRun(join(dir, 'inv.yml'), join(dir, 'play.yml')));
    expect(errors.map((e) => e.exitCode)).toEqual([2]);
    expect(errors[0]!.message).toMatch(/sets remote_user \("netops"\), which changes how Ansible connects to r1/);
    const ok = writeCase({ 'inv.yml': 'all:\n  hosts:\n    r1:\n      ansible_host: 127.0.0.1\n      ansible_user: netops\n', 'play.yml': '- hosts: all\n  tasks:\n    - sysctl: { name: net.ipv4.ip_forward, value: 1 }\n' });
    expect(loadRun(join(ok, 'inv.yml'), join(ok, 'play.yml')).notes?.[0]).toMatch(/^not read: .*ansible\.cfg sets remote_user/);
  });
});

describe('hash_behaviour = merge', () => {
  const merged = (cfg: string | undefined, env: NodeJS.ProcessEnv = {}) => {
    const cwd = writeCase(cfg === undefined ? {} : { 'ansible.cfg': cfg });
    const problems = new Problems();
    refuseHashMerge({ env, cwd, home: cwd, system: NO_SYSTEM }, [layer({ mtu: 1400 }), layer({ site: { lan: '192.0.2.0/24' } })], problems);
    return { cwd, errors: problems.count === 0 ? [] : errorsOf(() => problems.throwIfAny()).map((e) => e.located) };
  };

  it('is refused where it is set: Ansible merges a mapping set in several places, teqlctl takes the one that wins (a note alone, a review)', () => {
    const { cwd, errors } = merged('[defaults]\nforks = 5\nhash_behaviour = merge\n');
    expect(errors).toEqual([`${join(cwd, 'ansible.cfg')}:3:1: ${join(cwd, 'ansible.cfg')} sets hash_behaviour ("merge"): Ansible then merges a mapping variable set in several places, and teqlctl takes the one that wins (Ansible's default, replace)`]);
    expect(merged(undefined, { ANSIBLE_HASH_BEHAVIOUR: 'merge' }).errors).toEqual(['the environment sets ANSIBLE_HASH_BEHAVIOUR ("merge"): Ansible then merges a mapping variable set in several places, and teqlctl takes the one that wins (Ansible\'s default, replace)']);
  });

  it('passes where the run reads no mapping variable: merge and replace read the same', () => {
    const cwd = writeCase({ 'ansible.cfg': '[defaults]\nhash_behaviour = merge\n' });
    const problems = new Problems();
    refuseHashMerge({ env: {}, cwd, home: cwd, system: NO_SYSTEM }, [layer({ teql_slaves: ['eth1'], mtu: 1400 })], problems);
    expect(problems.count).toBe(0);
  });

  it('passes as replace, Ansible\'s default, or in another section', () => {
    expect(merged('[defaults]\nhash_behaviour = replace\n').errors).toEqual([]);
    expect(merged('[ssh_connection]\nhash_behaviour = merge\n').errors).toEqual([]);
  });
});
