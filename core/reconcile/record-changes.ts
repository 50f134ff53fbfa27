import type { BranchEniState } from "../model/branch-eni-state.ts";
import type { EniRecord, EniTransition } from "../model/eni-record.ts";

/** The record after Branchkeeper itself moved it (deleting, deleted, gone), and the history step. */
export const moveRecord = (
  record: EniRecord,
  to: BranchEniState,
  reason: string,
  at: Date,
  cause: string,
): { record: EniRecord; transition: EniTransition } => {
  const iso = at.toISOString();
  // Never move the observation time backwards (the store refuses such a write).
  const observedAt = new Date(Math.max(Date.parse(record.observedAt), at.getTime())).toISOString();
  return {
    record: { ...record, state: to, reason, stateSince: iso, observedAt, version: record.version + 1 },
    transition: { eniId: record.eniId, cluster: record.cluster, at: iso, from: record.state, to, reason, cause },
  };
};

/** Per-state count changes of a list of transitions (for event passes, between full sweeps). */
export const countDeltas = (transitions: readonly EniTransition[]): Partial<Record<BranchEniState, number>> => {
  const deltas: Partial<Record<BranchEniState, number>> = {};
  for (const t of transitions) {
    if (t.from !== undefined) deltas[t.from] = (deltas[t.from] ?? 0) - 1;
    deltas[t.to] = (deltas[t.to] ?? 0) + 1;
  }
  return deltas;
};
