import { CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram, describeError } from '../../src/cli/program.js';
import { PLAY_DEFAULTS } from '../../src/cli/play-flags.js';
import { runPlayCommand } from '../../src/cli/play-run.js';
import { ConfigError, ConnectError, EXIT_CODE_OF, ExitCode, FactError, LabError, RefusedError, RunFailure, type Stage } from '../../src/errors.js';

describe('errors become exit codes in one place', () => {
  it('maps every error class to its stage\'s code', () => {
    expect(describeError(new ConfigError('bad')).code).toBe(ExitCode.badInput);
    expect(describeError(new ConnectError('h', 'no route')).code).toBe(ExitCode.unreachable);
    expect(describeError(new FactError('h', 'no JSON')).code).toBe(ExitCode.unreachable);
    expect(describeError(new RefusedError('locked')).code).toBe(ExitCode.refused);
    expect(describeError(new LabError('no qemu')).code).toBe(ExitCode.lab);
  });

  it('gives each stage of a run its documented code', () => {
    const codes = (Object.keys(EXIT_CODE_OF) as Stage[]).map((stage) => [stage, describeError(new RunFailure(stage, 'x')).code]);
    expect(Object.fromEntries(codes)).toEqual({ config: 2, connect: 3, fact: 3, refused: 8, apply: 4, verify: 5, rollback: 6, lab: 7, interrupted: 130, internal: 1 });
  });

  it('tells a bug from an expected error: exit 1 with the stack', () => {
    const d = describeError(new TypeError('x is undefined'));
    expect(d.code).toBe(1);
    expect(d.message).toMatch(/^internal error \(a bug in teqlctl\): TypeError: x is undefined\n\s+at /);
  });

  it('maps a usage error of the parser to exit 2, and --help to 0', () => {
    expect(describeError(new CommanderError(1, 'commander.unknownOption', 'unknown option')).code).toBe(ExitCode.badInput);
    expect(describeError(new CommanderError(0, 'commander.helpDisplayed', '')).code).toBe(0);
  });

  it('prints the hint of an error under its message', () => {
    expect(describeError(new RefusedError('locked', 'teqlctl unlock')).message).toBe('error: locked\n  hint: teqlctl unlock');
  });
});

describe('play options: one default each', () => {
  const play = () => buildProgram().commands.find((c) => c.name() === 'play')!;

  it('the parser\'s defaults are PLAY_DEFAULTS', () => {
    const defaults = Object.fromEntries(play().options.filter((o) => o.defaultValue !== undefined).map((o) => [o.attributeName(), o.defaultValue]));
    expect(defaults).toEqual(PLAY_DEFAULTS);
  });

  it('refuses a --confirm-timeout outside 10..86400 s before reading any file', async () => {
    for (const confirmTimeout of ['5', '86401', '1.5', 'soon']) {
      const err = await runPlayCommand('/nonexistent/playbook.yml', { ...PLAY_DEFAULTS, inventory: ['/nonexistent/inventory.yml'], confirmTimeout }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).message).toContain('--confirm-timeout must be whole seconds between 10 and 86400');
    }
  });

  it('refuses a --forks that is not a positive integer', async () => {
    const err = await runPlayCommand('/nonexistent/playbook.yml', { ...PLAY_DEFAULTS, inventory: ['/nonexistent/inventory.yml'], forks: '0' }).catch((e: unknown) => e);
    expect(describeError(err).code).toBe(ExitCode.badInput);
  });
});

describe('-i as ansible-playbook takes it', () => {
  // Each command that reads an inventory, with the arguments it needs besides -i.
  it.each([
    ['play', ['playbook.yml']],
    ['status', []],
    ['rollback', []],
    ['unlock', []],
  ])('%s keeps every -i, in order (the last one used to win silently)', async (name, args) => {
    const program = buildProgram();
    const cmd = program.commands.find((c) => c.name() === name)!;
    let flags: { inventory?: unknown } = {};
    cmd.action((...got: unknown[]) => {
      flags = got.find((a) => a !== null && typeof a === 'object' && 'inventory' in a) as typeof flags;
    });
    await program.parseAsync(['node', 'teqlctl', name, ...args, '-i', 'staging', '--inventory', 'production', '-i', 'inventory/'], { from: 'node' });
    expect(flags.inventory).toEqual(['staging', 'production', 'inventory/']);
  });

  it('still requires one', async () => {
    const program = buildProgram();
    program.commands.forEach((c) => c.exitOverride().configureOutput({ writeErr: () => undefined }));
    await expect(program.parseAsync(['node', 'teqlctl', 'status'], { from: 'node' })).rejects.toMatchObject({ code: 'commander.missingMandatoryOptionValue' });
  });
});
