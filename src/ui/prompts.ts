// The prompt library lives behind this one module, so the rest never imports it. The ask* functions
// take plain question objects and an optional inquirer context, so tests can render them directly.
import { checkbox, confirm, input, password, select } from '@inquirer/prompts';

type Context = Parameters<typeof input>[1];

export interface TextQuestion {
  message: string;
  default?: string;
  /** True, or why the answer is refused (shown under the prompt). */
  validate?: (value: string) => true | string;
}

export interface Choice<T> {
  value: T;
  name: string;
  /** What the answer line shows once chosen (default: name). */
  short?: string;
  description?: string;
  /** Shown but not selectable; a string says why. */
  disabled?: boolean | string;
  checked?: boolean;
}

export interface SelectQuestion<T> {
  message: string;
  choices: Array<Choice<T>>;
  default?: T;
}

export interface CheckboxQuestion<T> {
  message: string;
  choices: Array<Choice<T>>;
  validate?: (values: T[]) => true | string;
}

/** A yes/no question; `signal` ends it unanswered (the prompt rejects with AbortPromptError). */
export async function askYesNo(message: string, fallback = false, signal?: AbortSignal): Promise<boolean> {
  return confirm({ message, default: fallback }, signal ? { signal } : undefined);
}

export async function askSecret(message: string): Promise<string> {
  return password({ message, mask: true });
}

/** A hidden answer (sudo password, key passphrase); `output` moves the prompt off stdout (for --json). */
export function askHidden(message: string, output?: NodeJS.WritableStream): Promise<string> {
  return password({ message, mask: true }, output ? { output } : undefined);
}

export function askConfirm(q: { message: string; default?: boolean }, context?: Context): ReturnType<typeof confirm> {
  return confirm({ message: q.message, default: q.default ?? false }, context);
}

export function askText(q: TextQuestion, context?: Context): ReturnType<typeof input> {
  return input({ message: q.message, default: q.default, validate: q.validate, theme: { validationFailureMode: 'keep' } }, context);
}

export function askSelect<T>(q: SelectQuestion<T>, context?: Context): Promise<T> & { cancel: () => void } {
  return select<T>({ message: q.message, choices: q.choices.map(({ checked: _c, ...c }) => c), default: q.default, pageSize: 12, loop: false }, context);
}

export function askCheckbox<T>(q: CheckboxQuestion<T>, context?: Context): Promise<T[]> & { cancel: () => void } {
  const validate = q.validate;
  return checkbox<T>({
    message: q.message,
    choices: q.choices,
    pageSize: 12,
    loop: false,
    ...(validate ? { validate: (chosen: ReadonlyArray<{ value: T }>) => validate(chosen.map((c) => c.value)) } : {}),
  }, context);
}

export { isPromptExit } from './prompt-exit.js';
