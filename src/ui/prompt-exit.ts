// Ctrl-C (or a closed terminal) inside a prompt: inquirer rejects with ExitPromptError. Apart from
// prompts.ts, so that telling it needs no prompt library (the connection's secrets ask through it).

export function isPromptExit(err: unknown): boolean {
  return err instanceof Error && (err.name === 'ExitPromptError' || err.name === 'AbortPromptError');
}
