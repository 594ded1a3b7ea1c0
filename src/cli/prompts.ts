// The prompt library lives behind this one module, so the rest never imports it.
import { confirm, password } from '@inquirer/prompts';

export async function askYesNo(message: string, fallback = false): Promise<boolean> {
  return confirm({ message, default: fallback });
}

export async function askSecret(message: string): Promise<string> {
  return password({ message, mask: true });
}
