// Shell completion, generated from the program's own commands: the scripts parse (bash -n, zsh -n),
// and completing words gives the options and subcommands the parser knows. bash runs the real
// function; zsh runs its dispatch with _arguments and _describe stubbed to print what they were given.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/program.js';
import { commandTree } from '../../src/cli/command-tree.js';
import { bashCompletion } from '../../src/cli/completion-bash.js';
import { zshCompletion } from '../../src/cli/completion-zsh.js';
import { runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'teqlctl-completion-'));
const tree = commandTree(buildProgram());
const bashFile = join(dir, 'teqlctl.bash');
const zshFile = join(dir, '_teqlctl');
writeFileSync(bashFile, bashCompletion(tree));
writeFileSync(zshFile, zshCompletion(tree));

/** What bash's completion offers for the words typed (the last one is the word being completed). */
function bashComplete(...words: string[]): string[] {
  const script = `source ${bashFile}; COMP_WORDS=("$@"); COMP_CWORD=$((\${#COMP_WORDS[@]} - 1)); _teqlctl; printf '%s\\n' "\${COMPREPLY[@]}"`;
  return execFileSync('bash', ['-c', script, 'bash', 'teqlctl', ...words], { encoding: 'utf8' }).split('\n').filter(Boolean);
}

function zshDispatch(...words: string[]): string {
  const script = [
    'compdef() { print -r -- "compdef $*" }',
    '_arguments() { print -r -- "ARGUMENTS words[1]=${words[1]} CURRENT=$CURRENT: $*" }',
    '_describe() { local -a c; c=("${(@P)4}"); print -r -- "DESCRIBE ${c[@]%%:*}" }',
    `source ${zshFile}`,
    'words=(teqlctl "$@"); CURRENT=${#words}; _teqlctl',
  ].join('\n');
  return execFileSync('zsh', ['-f', '-c', script, 'zsh', ...words], { encoding: 'utf8' });
}

const PLAY_OPTIONS = ['--inventory', '--check', '--detailed-exitcode', '--json', '--verbose', '--syntax-check', '--list-hosts', '--list-tasks', '--limit', '--extra-vars'];

describe('bash completion', () => {
  it('is valid bash', () => {
    execFileSync('bash', ['-n', bashFile]);
  });

  it('completes commands, subcommands and an argument\'s choices', () => {
    expect(bashComplete('')).toEqual(['play', 'status', 'rollback', 'unlock', 'lab', 'demo', 'wizard', 'completion', 'help']);
    expect(bashComplete('lab', 're')).toEqual(['reset', 'reboot', 'restore']);
    expect(bashComplete('completion', '')).toEqual(['bash', 'zsh']);
  });

  it('completes play\'s options, from the parser', () => {
    const offered = bashComplete('play', '-i', 'inv.yml', '--');
    expect(offered).toEqual(expect.arrayContaining(PLAY_OPTIONS));
    expect(offered).not.toContain('--debug-hold-before-confirm');
    expect(bashComplete('play', '--list')).toEqual(['--list-hosts', '--list-tasks']);
  });

  it('offers no word for a value (files come from `complete -o default`)', () => {
    expect(bashComplete('play', '-i', '')).toEqual([]);
    expect(bashComplete('lab', 'up', '--links', '')).toEqual([]);
  });
});

describe('zsh completion', () => {
  it('is valid zsh, and registers itself when sourced', () => {
    execFileSync('zsh', ['-n', zshFile]);
    expect(zshDispatch('')).toContain('compdef _teqlctl teqlctl');
  });

  it('describes the subcommands of the command typed so far', () => {
    expect(zshDispatch('')).toContain('DESCRIBE play status rollback unlock lab demo wizard completion');
    expect(zshDispatch('lab', '')).toContain('DESCRIBE up down status reset reboot cut restore ssh');
  });

  it('hands play\'s options and its playbook argument to _arguments, as if `play` were typed alone', () => {
    const out = zshDispatch('play', '-i', 'inv.yml', '--');
    expect(out).toContain('ARGUMENTS words[1]=play CURRENT=4:');
    // `*` marks the options that may be repeated (-e, -v).
    for (const o of PLAY_OPTIONS) expect(out).toMatch(new RegExp(` \\*?${o}\\[`));
    expect(out).toContain(' *--extra-vars[');
    // -i is repeatable now (several inventories merge in order), so it carries zsh's `*`.
    expect(out).toContain(' *-i[inventory file (YAML or INI) or folder of them; repeat -i to merge several, in order]:file:_files');
    expect(out).toContain('1:playbook:_files');
    expect(zshDispatch('completion', '')).toContain('1:shell:(bash zsh)');
  });
});

describe('teqlctl completion', () => {
  it('prints the same scripts, and refuses another shell with exit 2', async () => {
    expect((await runCli(['completion', 'bash'])).stdout).toBe(bashCompletion(tree));
    expect((await runCli(['completion', 'zsh'])).stdout).toBe(zshCompletion(tree));
    const fish = await runCli(['completion', 'fish']);
    expect(fish.code).toBe(2);
    expect(fish.stderr).toContain('Allowed choices are bash, zsh');
  });
});
