// The RefusedError a call throws (exit 8's refusals before any change); fails the test otherwise.
import { RefusedError } from '../../src/errors.js';

export function refusal(fn: () => unknown): RefusedError {
  try {
    fn();
  } catch (err) {
    if (err instanceof RefusedError) return err;
    throw err;
  }
  throw new Error('not refused');
}
