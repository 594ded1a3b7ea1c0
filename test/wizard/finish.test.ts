// The last step, driven with scripted answers: what is written, and what is said, when the target
// is odd, the disk refuses, or Ctrl-C comes after the files were written.
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WizardSession } from '../../src/wizard/session.js';
import { labModel } from './fixtures.js';

/** Answers in order; an Error is thrown instead (Ctrl-C is an ExitPromptError). */
const script: unknown[] = [];
const next = async () => {
  if (script.length === 0) throw new Error('the test ran out of answers');
  const a = script.shift();
  if (a instanceof Error) throw a;
  return a;
};
vi.mock('../../src/ui/prompts.js', async (orig) => ({ ...(await orig<object>()), askText: next, askConfirm: next }));
const { finish } = await import('../../src/wizard/finish.js');
const { interruptedMessage } = await import('../../src/cli/wizard-command.js');
const { isPromptExit } = await import('../../src/ui/prompts.js');

const ctrlC = () => Object.assign(new Error('User force closed the prompt'), { name: 'ExitPromptError' });
const root = mkdtempSync(join(tmpdir(), 'teqlctl-wizard-finish-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let out = '';
beforeEach(() => {
  out = '';
  script.length = 0;
  vi.spyOn(process.stdout, 'write').mockImplementation((t) => ((out += String(t)), true));
});

function session(dir: string, secrets: { a?: string; b?: string } = {}): WizardSession {
  const m = labModel();
  const router = (side: 'a' | 'b') => ({ answers: m[side], facts: {}, rows: [], conn: { transport: {}, spec: {}, ...(secrets[side] !== undefined ? { becomePassword: secrets[side] } : {}) } });
  return { dir, router, wrote: [], conns: new Map([['a', router('a')], ['b', router('b')]]) } as unknown as WizardSession;
}
const choices = () => {
  const { links, addressing, networks } = labModel();
  return { links, addressing, networks };
};
const files = (dir: string) => ['inventories', 'playbooks'].flatMap((d) => (statSync(join(dir, d), { throwIfNoEntry: false })?.isDirectory() ? readdirSync(join(dir, d)).map((f) => `${d}/${f}`) : []));

describe('writing the files at the end of the wizard', () => {
  it('a playbook path that is a folder is refused before anything is written, and another name asked', async () => {
    const dir = join(root, 'folder');
    mkdirSync(join(dir, 'playbooks', 'x.yml'), { recursive: true });
    script.push('x', 'y', true, false); // name x (refused), name y, write: yes, apply: no
    await expect(finish(session(dir), choices(), true)).resolves.toBeUndefined();
    expect(out).toContain('playbooks/x.yml is not a file (a folder?): give another name');
    // Before: "Overwrite?", then the inventory renamed into place and a stack trace for the playbook.
    expect(files(dir).sort()).toEqual(['inventories/y.yml', 'playbooks/x.yml', 'playbooks/y.yml']);
  });

  it('"no" at "Write ...?" says what was written all the same (a host key trusted before), not "Nothing was written" (a review)', async () => {
    const dir = join(root, 'declined');
    mkdirSync(dir);
    const s = session(dir);
    script.push('x', false);
    await expect(finish(s, choices(), true)).resolves.toBeUndefined();
    expect(out).toContain('Nothing was written.');
    out = '';
    (s.wrote as string[]).push('the host key of [127.0.0.1]:2201 (to known_hosts)');
    script.push('x', false);
    await expect(finish(s, choices(), true)).resolves.toBeUndefined();
    expect(out).toContain('The files were not written (the host key of [127.0.0.1]:2201 (to known_hosts) was); no router was changed.');
    expect(out).not.toContain('Nothing was written');
    expect(files(dir)).toEqual([]);
  });

  it('a folder that cannot be written is said (no stack trace), the answers kept, and no temporary left', async () => {
    const dir = join(root, 'blocked');
    mkdirSync(dir);
    writeFileSync(join(dir, 'inventories'), ''); // mkdir inventories/ fails (ENOTDIR), as a read-only folder or a full disk would
    script.push('x', true, ctrlC());
    await expect(finish(session(dir), choices(), true)).rejects.toThrow('User force closed the prompt');
    expect(out).toContain('! could not write the files: ');
    expect(out).toContain('give the name again, or another name');
    expect(files(dir)).toEqual([]);
  });

  it('A and B with different sudo passwords: the files are written, the run is not offered (play takes one for every router), and it says why (a review)', async () => {
    const dir = join(root, 'two-passwords');
    script.push('x', true); // name, write: yes; no "Apply it now?" question follows
    await expect(finish(session(dir, { a: 'pw-a', b: 'pw-b' }), choices(), true)).resolves.toBeUndefined();
    expect(script).toEqual([]);
    expect(files(dir).sort()).toEqual(['inventories/x.yml', 'playbooks/x.yml']);
    expect(out).toContain('Not offering to run it now: A and B need different sudo passwords, and teqlctl play takes one for every router (--become-password-file).');
    // The same one on both: offered, and handed to the run.
    const same = join(root, 'one-password');
    script.push('x', true, true);
    await expect(finish(session(same, { a: 'pw', b: 'pw' }), choices(), true)).resolves.toMatchObject({ becomePassword: 'pw' });
  });

  it('Ctrl-C at "Apply it now?" says that the files were written (not "nothing was written")', async () => {
    const dir = join(root, 'applied');
    script.push('x', true, ctrlC());
    const err = await finish(session(dir), choices(), true).catch((e: unknown) => e);
    expect(files(dir).sort()).toEqual(['inventories/x.yml', 'playbooks/x.yml']);
    expect(interruptedMessage(err, isPromptExit)).toBe(`interrupted: ${join(dir, 'inventories/x.yml')} and ${join(dir, 'playbooks/x.yml')} were written; no router was changed`);
    expect(interruptedMessage(ctrlC(), isPromptExit)).toBe('interrupted: nothing was written and no router was changed');
  });

  it('a host_vars/ beside the written inventory that changes ansible_host: said, and only --check offered, never the run (a review)', async () => {
    const dir = join(root, 'host-vars');
    mkdirSync(join(dir, 'inventories', 'host_vars'), { recursive: true });
    writeFileSync(join(dir, 'inventories', 'host_vars', 'router_a.yml'), 'ansible_host: 192.0.2.99\n');
    script.push('x', true); // name, write: yes; no "Apply it now?" follows (before: it was asked, and the run would go to 192.0.2.99)
    await expect(finish(session(dir), choices(), true)).resolves.toBeUndefined();
    expect(script).toEqual([]);
    expect(out).toContain(`variables read from ${join(dir, 'inventories', 'host_vars')}`);
    expect(out).toContain('router_a: ansible_host is "192.0.2.99", the preview had "127.0.0.1"');
    expect(out).toContain('Not offering to run it now: what the run loads is not what the preview showed');
    expect(out).toContain('--check');
    expect(out).not.toMatch(/playbooks\/x\.yml\n/); // the run's command line (without --check) is not offered
  });

  it('a playbooks/group_vars/ that sets a variable the inventory leaves unset: said, and the run not offered', async () => {
    const dir = join(root, 'group-vars');
    mkdirSync(join(dir, 'playbooks', 'group_vars'), { recursive: true });
    writeFileSync(join(dir, 'playbooks', 'group_vars', 'routers.yml'), 'teql_device: teql1\n');
    script.push('x', true);
    await expect(finish(session(dir), choices(), true)).resolves.toBeUndefined();
    expect(script).toEqual([]);
    expect(out).toContain(`(variables read from ${join(dir, 'playbooks', 'group_vars')})`);
    expect(out).toContain('router_a: teql_device is "teql1", the preview had unset');
    expect(out).toContain('Not offering to run it now');
  });

  it('nothing beside the files: the run is offered as before', async () => {
    const dir = join(root, 'plain');
    script.push('x', true, false); // name, write, apply: no
    await expect(finish(session(dir), choices(), true)).resolves.toBeUndefined();
    expect(script).toEqual([]);
    expect(out).not.toContain('preview showed');
  });
});
