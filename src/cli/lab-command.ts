import type { Command } from 'commander';
// Placeholder until the lab lands; replaced by the lab's own command registration.
export function registerLabCommand(_program: Command): void {}
