// `serial:` and `max_fail_percentage:` of a play, as Ansible writes them: the run goes batch by
// batch (a batch is a number of sites, or a percentage of them), and stops starting batches once
// one failed more than max_fail_percentage of its bundles. A list of batch sizes is refused (one
// size is supported), never read as something else.
import type { Node } from 'yaml';
import type { SourcePos } from '../errors.js';
import type { Problems } from './problems.js';
import { posOf, toJS, type YamlFile } from './source.js';

export type Serial = { count: number; pos: SourcePos } | { percent: number; pos: SourcePos };

export function readSerial(y: YamlFile, node: Node | undefined, problems: Problems): Serial | undefined | null {
  if (!node) return undefined;
  const value = toJS(y, node);
  const pos = posOf(y, node);
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1) return { count: value, pos };
  const m = typeof value === 'string' ? /^(\d{1,3})%$/.exec(value.trim()) : null;
  if (m && Number(m[1]) >= 1 && Number(m[1]) <= 100) return { percent: Number(m[1]), pos };
  const hint = Array.isArray(value) ? 'a list of batch sizes is not supported: give one size, such as serial: 10 or serial: "25%"' : 'write serial: 10 (sites per batch) or serial: "25%" (of the sites)';
  problems.add(`serial: must be a whole number of at least 1 or a percentage from 1% to 100%, not ${JSON.stringify(value)}`, pos, hint);
  return null;
}

export function readMaxFail(y: YamlFile, node: Node | undefined, problems: Problems): number | undefined | null {
  if (!node) return undefined;
  const value = toJS(y, node);
  if (typeof value === 'number' && value >= 0 && value <= 100) return value;
  problems.add(`max_fail_percentage: must be a number from 0 to 100, not ${JSON.stringify(value)}`, posOf(y, node), 'write max_fail_percentage: 20: the batches after one whose failed bundles exceed 20% are not started');
  return null;
}

/** Sites per batch: a percentage is of all the sites, rounded down, at least one (as Ansible does with hosts). */
export function batchSize(serial: Serial, sites: number): number {
  return 'count' in serial ? serial.count : Math.max(1, Math.floor((sites * serial.percent) / 100));
}
