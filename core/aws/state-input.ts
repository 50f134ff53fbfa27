import { BRANCH_ENI_STATES } from "../model/branch-eni-state.ts";
import type { EniRecord, EniTransition } from "../model/eni-record.ts";
import type { Finding } from "../model/finding.ts";
import { StateStoreError } from "../ports/state-store-errors.ts";
import { historyKey, keyDigest, type TableKey } from "./state-keys.ts";

const SECONDS_PER_DAY = 86_400;

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

/**
 * The port's rules for `putEni`'s input, the same for every store: key parts present, a known
 * state, a valid observation time, and a version that advances by exactly one (otherwise two
 * writers holding the same version could both succeed). Returns the observation time in ms.
 */
export const checkEniWrite = (operation: string, record: EniRecord, expectedVersion: number | undefined): number => {
  requireKeyPart(operation, "eniId", record.eniId);
  requireKeyPart(operation, "cluster", record.cluster);
  requireThat(operation, BRANCH_ENI_STATES.includes(record.state), `unknown state ${JSON.stringify(record.state)}`);
  const observedAtMs = epochMsOf(operation, "observedAt", record.observedAt);
  const version =
    expectedVersion === undefined ? 0 : requirePositiveInteger(operation, "expectedVersion", expectedVersion);
  requireThat(
    operation,
    record.version === version + 1,
    `record.version must be ${version + 1} (expectedVersion + 1, or 1 for a new record), got ${record.version}`,
  );
  return observedAtMs;
};

/** The port's rules for `replaceFindings`' input: every finding is the cluster's. Returns the pass time in ms. */
export const checkFindingsReplacement = (
  operation: string,
  cluster: string,
  findings: readonly Finding[],
  observedAt: string,
): number => {
  requireKeyPart(operation, "cluster", cluster);
  const observedAtMs = epochMsOf(operation, "observedAt", observedAt);
  for (const finding of findings) {
    requireThat(
      operation,
      finding.cluster === cluster,
      `a finding of cluster ${finding.cluster} was given for ${cluster}`,
    );
  }
  return observedAtMs;
};

/**
 * The port's rules for a history step, the same for every store: an ENI id, a valid time and a
 * positive retention. Returns where the step is kept (the same step always has the same key) and
 * when it expires (epoch seconds, `ttlDays` after it happened).
 */
export const checkHistoryStep = (
  operation: string,
  transition: EniTransition,
  ttlDays: number,
): { readonly key: TableKey; readonly expiresAt: number } => {
  requireKeyPart(operation, "eniId", transition.eniId);
  requireThat(operation, Number.isFinite(ttlDays) && ttlDays > 0, `ttlDays must be positive, got ${ttlDays}`);
  const atMs = epochMsOf(operation, "at", transition.at);
  return {
    key: historyKey(transition.eniId, atMs, keyDigest(transition.from, transition.to, transition.cause)),
    expiresAt: Math.floor(atMs / 1000) + Math.round(ttlDays * SECONDS_PER_DAY),
  };
};
