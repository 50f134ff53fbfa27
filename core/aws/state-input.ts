import { StateStoreError } from "../ports/state-store-errors.ts";

/**
 * Checks of values handed to the store. A bad value is a caller's bug, never a passing condition, so
 * each failure is a terminal `StateStoreError` naming the operation and the value.
 */

const invalid = (operation: string, message: string): StateStoreError =>
  new StateStoreError(`${operation}: ${message}`, { operation, retryable: false, cause: new TypeError(message) });

/** Milliseconds since the epoch of an ISO-8601 time; times order items and guard writes, so they must parse. */
export const epochMsOf = (operation: string, field: string, value: string): number => {
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) throw invalid(operation, `${field} is not an ISO-8601 time: ${JSON.stringify(value)}`);
  return ms;
};

/** A key part (cluster name, ENI id, …): empty would address another item's key range. */
export const requireKeyPart = (operation: string, field: string, value: string): string => {
  if (value.length === 0) throw invalid(operation, `${field} must not be empty`);
  return value;
};

export const requirePositiveInteger = (operation: string, field: string, value: number): number => {
  if (!Number.isInteger(value) || value < 1)
    throw invalid(operation, `${field} must be a positive integer, got ${value}`);
  return value;
};

/** Fail with a terminal error when a caller-side invariant does not hold. */
export function requireThat(operation: string, condition: boolean, message: string): asserts condition {
  if (!condition) throw invalid(operation, message);
}
