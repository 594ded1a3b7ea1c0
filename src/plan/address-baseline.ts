// An address a run replaced (the same IP with another prefix: an operator's 10.0.0.0/24 where the
// chapter wants 10.0.0.0/31) is recorded in the baseline, so that `state: absent` and the teardown
// put it back: they removed the /31 and the /24 never came back, though the docs promise "as
// before teqlctl" (a review of undo fidelity). One with a lifetime (a lease) is not: its client
// owns it, and a permanent copy of it would outlive the lease.
import type { AddressFact, AddressAttrs } from '../gather/facts.js';
import { addressAttrs } from '../gather/address-fact.js';
import { splitCidr } from '../router/ipv4.js';
import type { PlannedStep } from './ops.js';

export function addressKey(dev: string, ip: string): string {
  return `address:${dev}:${ip}`;
}

/** The step recording `replaced` before its removal, where the baseline holds nothing for its IP yet; undefined otherwise. */
export function recordReplaced(replaced: AddressFact, baseline: Readonly<Record<string, string>> | undefined): PlannedStep | undefined {
  const key = addressKey(replaced.dev, splitCidr(replaced.cidr).ip);
  if (baseline?.[key] !== undefined || replaced.lifetimes !== undefined) return undefined;
  const attrs = addressAttrs(replaced);
  const value = JSON.stringify({ cidr: replaced.cidr, ...(attrs ? { attrs } : {}) });
  return { op: { kind: 'baseline-set', key, value }, undo: [{ kind: 'baseline-unset', key }] };
}

/** A recorded address: undefined where the record is not one teqlctl wrote (it is then said, not guessed). */
export function parseRecorded(value: string): { cidr: string; attrs?: AddressAttrs } | undefined {
  try {
    const v = JSON.parse(value) as { cidr?: unknown; attrs?: unknown };
    if (typeof v.cidr !== 'string' || !/^\d+\.\d+\.\d+\.\d+\/\d+$/.test(v.cidr)) return undefined;
    return { cidr: v.cidr, ...(v.attrs && typeof v.attrs === 'object' ? { attrs: v.attrs as AddressAttrs } : {}) };
  } catch {
    return undefined;
  }
}
