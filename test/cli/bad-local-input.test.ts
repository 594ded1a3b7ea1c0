// Bad input the operator gives on the command line or in the environment, through the built CLI:
// each is exit 2 with a message that says what to fix (never an internal error or a hang), and no
// router is contacted (both point at a server of this test that counts connections).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { countingServer, labInventory, runCli } from '../helpers/cli.js';
import { schemaErrors } from '../helpers/json-schema.js';

const PLAYBOOK = 'playbooks/teql.yml';
let server: Awaited<ReturnType<typeof countingServer>>;
let inventory: string;
const dir = mkdtempSync(join(tmpdir(), 'teqlctl-bad-local-'));

beforeAll(async () => {
  server = await countingServer();
  inventory = labInventory(server.port);
});
afterAll(async () => {
  expect(server.connections()).toBe(0);
  await server.close();
});

const refused = (r: { code: number; stderr: string }) => {
  expect(r.code, r.stderr).toBe(2);
  // The message of one (the help's exit codes name code 1 in other words).
  expect(r.stderr).not.toMatch(/internal error \(a bug in teqlctl[^)]*\): |\n\s+at /);
};

describe('status and unlock with a --limit that matches nothing', () => {
  it.each([['status'], ['unlock']])('%s: exit 2, naming the pattern and the hosts there are', async (command) => {
    const r = await runCli([command, '-i', inventory, '-l', 'nohost']);
    refused(r);
    expect(r.stderr).toContain("--limit: host pattern 'nohost' matches no host or group");
    expect(r.stderr).toContain('router_a');
  });

  it.each([['play'], ['status'], ['unlock'], ['rollback']])('%s: an empty --limit is refused (Ansible would take every host), and so is a second --limit (Ansible would keep the last)', async (command) => {
    const args = command === 'play' ? ['play', '-i', inventory, PLAYBOOK, '--check'] : [command, '-i', inventory];
    const empty = await runCli([...args, '-l', '']);
    refused(empty);
    expect(empty.stderr).toContain('it is empty: give a host pattern, or leave --limit out to run on every host');
    const twice = await runCli([...args, '-l', 'router_a', '-l', 'router_b']);
    refused(twice);
    expect(twice.stderr).toContain("--limit is already 'router_a': give one --limit with the patterns separated by commas (-l a,b)");
  });

  it('status --json: an error document', async () => {
    const r = await runCli(['status', '-i', inventory, '-l', 'nohost', '--json']);
    expect(r.code).toBe(2);
    const doc = JSON.parse(r.stdout);
    expect(doc.errors[0].message).toContain('matches no host or group');
    expect(schemaErrors('error', doc)).toEqual([]);
  });
});

describe('logs and journals that cannot be written', () => {
  it('--log naming a folder', async () => {
    const r = await runCli(['play', '-i', inventory, PLAYBOOK, '--check', '--log', dir]);
    refused(r);
    expect(r.stderr).toContain(`cannot write the log file ${dir}`);
  });

  it('--log in a folder that does not exist: said, not created', async () => {
    const file = join(dir, 'missing', 'run.log');
    const r = await runCli(['play', '-i', inventory, PLAYBOOK, '--check', '--log', file]);
    refused(r);
    expect(r.stderr).toContain(`${join(dir, 'missing')} is not a folder`);
    expect(existsSync(join(dir, 'missing'))).toBe(false);
  });

  it('XDG_CACHE_HOME naming a file, or a place nothing can be made in (/proc): exit 2, no hang', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    for (const cache of [file, '/proc/teqlctl-nope']) {
      const r = await runCli(['play', '-i', inventory, PLAYBOOK, '--check'], { env: { XDG_CACHE_HOME: cache } });
      refused(r);
      expect(r.stderr).toContain(`cannot use ${join(cache, 'teqlctl', 'logs')} as the folder of run logs`);
    }
  });

  it('XDG_STATE_HOME naming a file: a run (not a check) is refused before it connects', async () => {
    const r = await runCli(['play', '-i', inventory, PLAYBOOK, '--yes'], { env: { XDG_STATE_HOME: join(dir, 'a-file') } });
    refused(r);
    expect(r.stderr).toContain('as the folder of run journals');
  });
});

describe('flags are checked as a run checks them, by the offline looks too', () => {
  it.each([
    [['--forks', '0'], '--forks must be a whole number from 1 to 10000, got "0"'],
    [['--forks', '1e3'], 'got "1e3"'],
    [['--forks', '0x10'], 'got "0x10"'],
    [['--confirm-timeout', '-5'], '--confirm-timeout must be whole seconds'],
    [['--become-password-file', join(dir, 'nope')], '--become-password-file'],
  ])('--syntax-check %j: exit 2', async (flags, message) => {
    const r = await runCli(['play', '-i', inventory, PLAYBOOK, '--syntax-check', ...flags]);
    refused(r);
    expect(r.stderr).toContain(message);
  });
});

describe('what the command line took otherwise than written (a review, 2026-12-07)', () => {
  it('an option with a value given twice: exit 2, naming both (the last quietly won)', async () => {
    const forks = await runCli(['play', '-i', inventory, PLAYBOOK, '--check', '--forks', '5', '--forks', '6']);
    refused(forks);
    expect(forks.stderr).toContain("option '-f, --forks <n>' given twice ('5', then '6'): give it once");
    const dirs = await runCli(['status', '-i', inventory, '--playbook-dir', dir, '--playbook-dir', tmpdir()]);
    refused(dirs);
    expect(dirs.stderr).toContain("option '--playbook-dir <dir>' given twice");
    // -i and -e stack, as in ansible-playbook.
    expect((await runCli(['play', '-i', inventory, '-i', inventory, PLAYBOOK, '--syntax-check', '-e', 'a=1', '-e', 'b=2'])).code).toBe(0);
  });

  it('a value that is another option (--log --json): exit 2 and a JSON document, no file named --json', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'teqlctl-cli-cwd-'));
    const r = await runCli(['play', '-i', inventory, PLAYBOOK, '--check', '--log', '--json'], { cwd });
    refused(r);
    expect(JSON.parse(r.stdout).errors[0].message).toBe("option '--log <file>' took '--json' as its value: give --log <file> with its value, or write a file whose name starts with - as ./--json");
    expect(existsSync(join(cwd, '--json'))).toBe(false);
    // Its help, and a cluster of short flags, are options too; a value not a file is not told to be one.
    for (const taken of ['--help', '-vv']) refused(await runCli(['play', '-i', inventory, PLAYBOOK, '--check', '--log', taken], { cwd }));
    expect(existsSync(join(cwd, '--help'))).toBe(false);
    const limit = await runCli(['play', '-i', inventory, PLAYBOOK, '--check', '--limit=-v']);
    refused(limit);
    expect(limit.stderr).toContain("option '-l, --limit <hosts>' took '-v' as its value: give --limit <hosts> with its value\n");
  });

  it('--debug-hold is repeatable, as its help says: given twice, both are kept (the fault matrix holds two points)', async () => {
    expect((await runCli(['play', '-i', inventory, PLAYBOOK, '--syntax-check', '--debug-hold', 'step-0.3:600', '--debug-hold', 'rollback:6'])).code).toBe(0);
  });

  it('--log naming a pipe: exit 2 at once (a pipe without a reader held the run for ever)', async () => {
    const fifo = join(dir, 'log.fifo');
    execFileSync('mkfifo', [fifo]);
    const r = await runCli(['play', '-i', inventory, PLAYBOOK, '--check', '--log', fifo]);
    refused(r);
    expect(r.stderr).toContain(`cannot write the log file ${fifo}: it is a pipe nothing reads`);
    // A pipe something reads is written, as before (--log /dev/stderr under CI, | tee).
    const piped = execFileSync('sh', ['-c', `${JSON.stringify(process.execPath)} dist/cli/main.js play -i ${JSON.stringify(inventory)} ${PLAYBOOK} --syntax-check --log /dev/stderr 2>&1 | cat; echo "exit=$?"`], { encoding: 'utf8' });
    expect(piped).toContain('playbook: ');
    expect(piped).not.toContain('cannot write the log file');
  });

  it('the offline looks check --log as a run would, and say the flags that do nothing there', async () => {
    refused(await runCli(['play', '-i', inventory, PLAYBOOK, '--syntax-check', '--log', join(dir, 'missing', 'x.log')]));
    const r = await runCli(['play', '-i', inventory, PLAYBOOK, '--syntax-check', '--yes', '--diff']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('note: --yes, --diff do nothing with --syntax-check, --list-hosts or --list-tasks');
  });

  it.each([['status'], ['unlock'], ['rollback']])('%s refuses an -e that is a typo of a teqlctl variable, as play does', async (command) => {
    const r = await runCli([command, '-i', inventory, '-e', 'teql_persits=true']);
    refused(r);
    expect(r.stderr).toContain('teql_persits is read by nothing in this run (it would be ignored)');
    expect(r.stderr).toContain('did you mean teql_persist?');
  });

  it('--json: an -e problem has no file, line nor column (they were "(command line)", 1 and the -e\'s number)', async () => {
    const r = await runCli(['play', '-i', inventory, PLAYBOOK, '--check', '--json', '-e', 'a=1', '-e', 'bogus']);
    refused(r);
    const [e] = JSON.parse(r.stdout).errors;
    expect([e.file, e.line, e.column]).toEqual([null, null, null]);
    expect(e.message).toContain('bogus');
  });

  it('lab: a bad option value is bad input (exit 2), not a broken lab (7)', async () => {
    const r = await runCli(['lab', 'up', '--links', '9']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('--links 9 is not a number of links from 2 to 4');
  });
});

describe('equalizer names', () => {
  it.each([['teql99999999999'], ['teql256'], ['teql01']])('%s is refused at load time, at its line', async (device) => {
    const r = await runCli(['play', '-i', inventory, PLAYBOOK, '--syntax-check', '-e', `teql_device=${device}`]);
    refused(r);
    expect(r.stderr).toMatch(new RegExp(`playbooks/teql\\.yml:\\d+:\\d+: .*${device}`));
  });

  it('teql255 is accepted', async () => {
    const r = await runCli(['play', '-i', inventory, PLAYBOOK, '--syntax-check', '-e', 'teql_device=teql255']);
    expect(r.code, r.stderr).toBe(0);
  });
});

describe('--help', () => {
  it('lists exit code 10 (some bundles failed) with the others', async () => {
    const r = await runCli(['play', '--help']);
    expect(r.stdout).toMatch(/^ {2}10 {3}some bundles failed/m);
  });
});

describe('odd values a review found passed or misread (2026-12-05)', () => {
  it("--log '', --become-password-file '' and --key-passphrase-file '': refused, not the default folder or the environment without a word", async () => {
    const log = await runCli(['play', '-i', inventory, PLAYBOOK, '--check', '--log', '']);
    refused(log);
    expect(log.stderr).toContain('--log is empty');
    for (const flag of ['--become-password-file', '--key-passphrase-file']) {
      const r = await runCli(['play', '-i', inventory, PLAYBOOK, '--syntax-check', flag, '']);
      refused(r);
      expect(r.stderr).toContain(`${flag} is empty`);
    }
  });

  it('a secret file that is a device or a folder: said for what it is, never "chmod 600 /dev/null"', async () => {
    const dev = await runCli(['play', '-i', inventory, PLAYBOOK, '--syntax-check', '--become-password-file', '/dev/null']);
    refused(dev);
    expect(dev.stderr).toContain('--become-password-file /dev/null: it is a device or socket, not a file holding the secret');
    expect(dev.stderr).not.toContain('chmod');
    const folder = await runCli(['play', '-i', inventory, PLAYBOOK, '--syntax-check', '--key-passphrase-file', dir]);
    refused(folder);
    expect(folder.stderr).toContain(`--key-passphrase-file ${dir}: it is a folder`);
  });

  it('rollback with --run twice: refused, not the last one undone', async () => {
    const r = await runCli(['rollback', '-i', inventory, '--run', '20261205T120000-1-a', '--run', '20261205T130000-1-b']);
    refused(r);
    expect(r.stderr).toContain("--run is already '20261205T120000-1-a': give one run");
  });

  it('--syntax-check refuses a teqlctl_known_hosts_file that is not there, as a run does', async () => {
    const inv = join(mkdtempSync(join(tmpdir(), 'teqlctl-kh-')), 'lab.yml');
    writeFileSync(inv, readFileSync(inventory, 'utf8').replaceAll(join(dirname(inventory), 'known_hosts'), join(dirname(inventory), 'no_known_hosts')));
    const r = await runCli(['play', '-i', inv, PLAYBOOK, '--syntax-check']);
    refused(r);
    expect(r.stderr).toContain('no_known_hosts does not exist');
  });
});
