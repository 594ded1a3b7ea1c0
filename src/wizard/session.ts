// What the wizard holds between its steps: the open connections, what was read from each router,
// and a scratch folder for the preview's copies (removed at the end, whatever happens).
import { readLocalSsh, type LocalSsh } from '../connect/local-ssh.js';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSshConfig, type SshConfigBlock } from '../connect/ssh-config.js';
import type { Facts } from '../gather/facts.js';
import { progressMode, type ProgressMode } from '../ui/progress.js';
import type { ConnectedRouter } from './connect-router.js';
import type { LinkRow } from './links.js';
import type { RouterAnswers, Side } from './model.js';
import type { ExistingAddress } from './addressing.js';

export interface Connected {
  answers: RouterAnswers;
  conn: ConnectedRouter;
}

export interface Router extends Connected {
  facts: Facts;
  rows: LinkRow[];
}

export const other = (side: Side): Side => (side === 'a' ? 'b' : 'a');

export class WizardSession {
  readonly conns = new Map<Side, Connected>();
  readonly routers = new Map<Side, Router>();
  readonly sshConfig: SshConfigBlock[];
  private local: Promise<LocalSsh> | undefined;
  // As play chooses: TERM=dumb cannot redraw, and got the redrawing display (a review).
  readonly mode: ProgressMode = progressMode(false);
  /** What was written so far (a trusted host key, the files), for the message of an interruption. */
  readonly wrote: string[] = [];
  private tempDir: string | undefined;
  private closed = false;

  /** `dir`: where inventories/ and playbooks/ are written. */
  constructor(readonly dir: string) {
    const file = join(homedir(), '.ssh', 'config');
    this.sshConfig = existsSync(file) ? parseSshConfig(readFileSync(file, 'utf8'), file) : [];
  }

  /** This machine's ssh setup, read once: what `teqlctl play` resolves hosts with. */
  localSsh(): Promise<LocalSsh> {
    return (this.local ??= readLocalSsh());
  }

  router(side: Side): Router {
    return this.routers.get(side)!;
  }

  /**
   * Every address both routers hold, for the clash checks of the addressing step; and, on both, the
   * address each router sees this machine's SSH session come from and its gateway there: a link
   * subnet holding one takes the session's replies over that link (the plan refuses it; a review
   * found the wizard proposing a /31 with the operator's own address in it).
   */
  existingAddresses(): ExistingAddress[] {
    const sides = ['a', 'b'] as const;
    const name = (side: 'a' | 'b') => (side === 'a' ? 'A' as const : 'B' as const);
    const held = sides.flatMap((side) => this.router(side).facts.addresses.map((x) => ({ router: name(side), dev: x.dev, cidr: x.cidr })));
    const session = sides.flatMap((side) => {
      const m = this.router(side).facts.management;
      if (!m) return [];
      return [[m.clientIp, `the address ${name(side)} sees this machine's SSH session come from`], ...(m.via ? [[m.via, `the gateway of ${name(side)}'s SSH session`]] : [])]
        .filter(([ip]) => /^\d+\.\d+\.\d+\.\d+$/.test(ip!))
        .flatMap(([ip, what]) => sides.map((on) => ({ router: name(on), dev: '', cidr: `${ip}/32`, what: what! })));
    });
    return [...held, ...session];
  }

  scratchDir(): string {
    this.tempDir ??= mkdtempSync(join(tmpdir(), 'teqlctl-wizard-'));
    return this.tempDir;
  }

  /** Synchronous, so that it can run from a signal handler. */
  discard(): void {
    if (this.tempDir) rmSync(this.tempDir, { recursive: true, force: true });
    this.tempDir = undefined;
  }

  /** Closes one router's connection and forgets what was read from it (to ask for it again). */
  async forget(side: Side): Promise<void> {
    await this.conns.get(side)?.conn.transport.close().catch(() => undefined);
    this.conns.delete(side);
    this.routers.delete(side);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.conns.values()].map((r) => r.conn.transport.close().catch(() => undefined)));
  }
}
