import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runWizardCommand } from '../../src/cli/wizard-command.js';
import { buildProgram, describeError } from '../../src/cli/program.js';
import { existing, stageFiles } from '../../src/wizard/write-files.js';

const dir = mkdtempSync(join(tmpdir(), 'teqlctl-wizard-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('teqlctl wizard without a terminal', () => {
  it('refuses with exit 2 and points to teqlctl play', async () => {
    expect(process.stdin.isTTY).toBeFalsy(); // vitest workers have no terminal
    const err = await runWizardCommand(dir).catch((e: unknown) => e);
    const { message, code } = describeError(err);
    expect(code).toBe(2);
    expect(message).toContain('teqlctl wizard asks questions and needs a terminal');
    expect(message).toContain('teqlctl play -i <inventory> <playbook> --yes');
  });

  it('is registered with a --dir option', () => {
    const wizard = buildProgram().commands.find((c) => c.name() === 'wizard')!;
    expect(wizard.options.map((o) => o.long)).toEqual(['--dir']);
  });
});

describe('teqlctl wizard --dir, checked before the first question', () => {
  const refusal = async (d: string) => describeError(await runWizardCommand(d).catch((e: unknown) => e));

  it('refuses a file, a path under a file, and an inventories/ that is a file, with exit 2', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, '');
    for (const [d, said] of [[file, `${file} is not a folder`], [join(file, 'sub'), `${file} is not a folder`]] as const) {
      const { message, code } = await refusal(d);
      expect(code).toBe(2);
      expect(message).toContain(said);
      expect(message).toContain('give a folder you can write to');
    }
    const odd = join(dir, 'odd');
    mkdirSync(odd);
    writeFileSync(join(odd, 'inventories'), '');
    expect((await refusal(odd)).message).toContain(`${join(odd, 'inventories')} is not a folder`);
  });

  it('refuses a folder that cannot be written', async () => {
    // /proc/1: no one may create a file there, root included (a 0555 folder would not stop root,
    // who runs CI), so the test runs, and means the same, for any user.
    const { message, code } = await refusal('/proc/1');
    expect(code).toBe(2);
    expect(message).toMatch(/^--dir \/proc\/1: \/proc\/1 cannot be written \((EPERM|EACCES)\)/);
  });

  it('refuses a path that cannot be looked at (EACCES for a user, here ELOOP and ENAMETOOLONG), with exit 2 and no stack', async () => {
    // A folder under another user's home gives EACCES, which root (CI) cannot provoke: a symlink
    // loop and an over-long name fail stat in the same way, for any user.
    const loop = join(dir, 'loop');
    symlinkSync(loop, loop);
    for (const [d, code] of [[join(loop, 'x'), 'ELOOP'], [join(dir, 'n'.repeat(300)), 'ENAMETOOLONG']] as const) {
      const refused = await refusal(d);
      expect(refused.code).toBe(2);
      expect(refused.message).toMatch(new RegExp(`^--dir .*: .* cannot be looked at \\(${code}\\)`));
      expect(refused.message).not.toContain('internal error');
    }
  });

  it('refuses a control character in the path (a line break broke both files\' header comments), with exit 2', async () => {
    for (const d of [join(dir, 'two\nlines'), join(dir, 'esc\u001b[2J'), join(dir, 'del\u007f')]) {
      const { message, code } = await refusal(d);
      expect(code).toBe(2);
      expect(message).toContain('the path holds a control character');
    }
    expect((await refusal(join(dir, 'two\nlines'))).message).toContain('(U+000A, a line break)');
  });

    it('takes a folder that does not exist yet (created when writing): the next refusal is the terminal', async () => {
    expect((await refusal(join(dir, 'new', 'deeper'))).message).toContain('needs a terminal');
  });
});

describe('writing the files', () => {
  const files = () => [
    { path: join(dir, 'inventories', 'x.yml'), text: 'inventory\n' },
    { path: join(dir, 'playbooks', 'x.yml'), text: 'playbook\n' },
  ];

  it('stages under temporary names and shows the real names only on commit', () => {
    const staged = stageFiles(files());
    expect(existing(files())).toEqual([]);
    expect(readdirSync(join(dir, 'inventories'))).toEqual([`.x.yml.wizard-${process.pid}.tmp`]);
    staged.commit();
    expect(readFileSync(join(dir, 'inventories', 'x.yml'), 'utf8')).toBe('inventory\n');
    expect(readdirSync(join(dir, 'playbooks'))).toEqual(['x.yml']);
    expect(existing(files())).toHaveLength(2);
  });

  it('discarding (Ctrl-C) leaves the old files and no temporaries', () => {
    mkdirSync(join(dir, 'inventories'), { recursive: true });
    writeFileSync(join(dir, 'inventories', 'x.yml'), 'old\n');
    const staged = stageFiles(files().map((f) => ({ ...f, text: 'new\n' })));
    staged.discard();
    expect(readFileSync(join(dir, 'inventories', 'x.yml'), 'utf8')).toBe('old\n');
    expect(readdirSync(join(dir, 'inventories'))).toEqual(['x.yml']);
    expect(existsSync(join(dir, 'playbooks', `.x.yml.wizard-${process.pid}.tmp`))).toBe(false);
  });
});
