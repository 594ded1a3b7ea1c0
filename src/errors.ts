// One small hierarchy, split by stage. Each stage has one exit code, in EXIT_CODE_OF below (the one
// place); only the CLI entry point turns errors into messages and exit codes.

export const ExitCode = {
  ok: 0,
  /** A bug in teqlctl; a run first rolls back every router it changed (run-play.ts). */
  internal: 1,
  badInput: 2,
  unreachable: 3,
  applyFailed: 4,
  verifyFailed: 5,
  rollbackIncomplete: 6,
  lab: 7,
  refused: 8,
  /** Not a failure: `--check --detailed-exitcode` found changes to make (Terraform's plan uses 2, taken here by bad input). */
  changesPending: 9,
  /** Some bundles failed (and were rolled back, both ends), the others converged and were confirmed. */
  someBundlesFailed: 10,
  interrupted: 130,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** Where a run stopped: each stage is one exit code. */
export type Stage = 'config' | 'connect' | 'fact' | 'refused' | 'apply' | 'verify' | 'rollback' | 'lab' | 'interrupted' | 'internal';

export const EXIT_CODE_OF: Record<Stage, ExitCodeValue> = {
  config: ExitCode.badInput,
  connect: ExitCode.unreachable,
  // A router that answers but cannot be read is as unusable as one that does not answer.
  fact: ExitCode.unreachable,
  refused: ExitCode.refused,
  apply: ExitCode.applyFailed,
  verify: ExitCode.verifyFailed,
  rollback: ExitCode.rollbackIncomplete,
  lab: ExitCode.lab,
  interrupted: ExitCode.interrupted,
  internal: ExitCode.internal,
};

export interface SourcePos {
  file: string;
  line: number; // 1-based
  col: number; // 1-based
}

export class TeqlError extends Error {
  constructor(
    message: string,
    readonly stage: Stage,
    readonly hint?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
  get exitCode(): ExitCodeValue {
    return EXIT_CODE_OF[this.stage];
  }
}

/** Bad inventory, playbook or option: nothing was contacted. */
export class ConfigError extends TeqlError {
  constructor(
    message: string,
    readonly pos?: SourcePos,
    hint?: string,
  ) {
    super(message, 'config', hint);
  }
  /** `file:line:col: message` as compilers print it, so editors can jump to it. */
  get located(): string {
    return this.pos ? `${this.pos.file}:${this.pos.line}:${this.pos.col}: ${this.message}` : this.message;
  }
}

/** Several input problems found in one pass, reported together. */
export class ConfigErrors extends TeqlError {
  constructor(readonly errors: ConfigError[]) {
    super(errors.map((e) => e.located).join('\n'), 'config');
  }
}

/** Unreachable host, failed authentication or host key refused: nothing changed. */
export class ConnectError extends TeqlError {
  constructor(
    readonly host: string,
    message: string,
    hint?: string,
  ) {
    super(message, 'connect', hint);
  }
}

/** A fact could not be read or parsed. */
export class FactError extends TeqlError {
  constructor(
    readonly host: string,
    message: string,
  ) {
    super(message, 'fact');
  }
}

/** The router's state forbids the plan (conflicting qdisc, management path, ...): nothing changed. */
export class RefusedError extends TeqlError {
  constructor(
    message: string,
    hint?: string,
    /** The task whose plan met the conflict, where one did: a hub then fails that task's bundle alone. */
    readonly at?: { task: string; pos: SourcePos },
  ) {
    super(message, 'refused', hint);
  }
}

/** Problems of the built-in lab: missing tools, ports in use, a router that did not boot. */
export class LabError extends TeqlError {
  constructor(message: string, hint?: string) {
    super(message, 'lab', hint);
  }
}

/** How a run ended when it did not converge: the stage that stopped it and why, across all hosts. */
export class RunFailure extends TeqlError {
  constructor(stage: Stage, message: string) {
    super(message, stage);
  }
}

/** The exit code of anything thrown: a TeqlError's stage, else 1 (a bug in teqlctl). */
export function exitCodeOf(err: unknown): number {
  return err instanceof TeqlError ? err.exitCode : 1;
}

/** A remote command that failed: what it was, its exit code, and what it said. */
export class RemoteCommandError extends TeqlError {
  constructor(
    readonly host: string,
    readonly result: { code: number; stdout: string; stderr: string },
    what: string,
    stage: Stage,
  ) {
    const said = (result.stderr.trim() || result.stdout.trim()).split('\n').slice(-3).join(' / ').slice(0, 300);
    super(`${host}: ${what} failed (exit ${result.code})${said ? `: ${said}` : ''}`, stage);
  }
}
