// `teqlctl --version`: package.json's version, read at run time from the package itself (a clone,
// or an installed tarball), so it can never disagree with what npm installed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../lab/paths.js';

export function packageVersion(root: string = projectRoot()): string {
  return (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
}
