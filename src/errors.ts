// One small hierarchy, split by stage. Only the CLI entry point turns these into messages and exit codes.

export const ExitCode = {
  ok: 0,
  badInput: 2,
  unreachable: 3,
  applyFailed: 4,
  verifyFailed: 5,
  rollbackIncomplete: 6,
  lab: 7,
  refused: 8,
  interrupted: 130,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export interface SourcePos {
  file: string;
  line: number; // 1-based
  col: number; // 1-based
}

export class TeqlError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCodeValue,
    readonly hint?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad inventory, playbook or option: nothing was contacted. */
export class ConfigError extends TeqlError {
  constructor(
    message: string,
    readonly pos?: SourcePos,
    hint?: string,
  ) {
    super(message, ExitCode.badInput, hint);
  }
  /** `file:line:col: message` as compilers print it, so editors can jump to it. */
  get located(): string {
    return this.pos ? `${this.pos.file}:${this.pos.line}:${this.pos.col}: ${this.message}` : this.message;
  }
}

/** Several input problems found in one pass, reported together. */
export class ConfigErrors extends TeqlError {
  constructor(readonly errors: ConfigError[]) {
    super(errors.map((e) => e.located).join('\n'), ExitCode.badInput);
  }
}

/** Unreachable host, failed authentication or host key refused: nothing changed. */
export class ConnectError extends TeqlError {
  constructor(
    readonly host: string,
    message: string,
    hint?: string,
  ) {
    super(message, ExitCode.unreachable, hint);
  }
}

/** A fact could not be read or parsed. */
export class FactError extends TeqlError {
  constructor(
    readonly host: string,
    message: string,
  ) {
    super(message, ExitCode.unreachable);
  }
}

/** The router's state forbids the plan (conflicting qdisc, management path, ...): nothing changed. */
export class RefusedError extends TeqlError {
  constructor(message: string, hint?: string) {
    super(message, ExitCode.refused, hint);
  }
}

/** Problems of the built-in lab: missing tools, ports in use, a router that did not boot. */
export class LabError extends TeqlError {
  constructor(message: string, hint?: string) {
    super(message, ExitCode.lab, hint);
  }
}
