import type { Config } from "../config.ts";
import type { ClusterSnapshot } from "../model/cluster-snapshot.ts";
import type { EniRecord } from "../model/eni-record.ts";
import type { Finding } from "../model/finding.ts";
import type { PlannedAction } from "../model/planned-action.ts";
import { decideBackendRules } from "./backend-rules.ts";
import { decideClusterTags } from "./cluster-tags.ts";
import { decideEniRecord, type EniDecision, type PassInfo } from "./eni-lifecycle.ts";
import { eniOwnership } from "./eni-ownership.ts";
import { type HeldDeletion, planLeakDeletions } from "./leak-reclamation.ts";
import { sortedUnique } from "./ordering.ts";

export interface ClusterPlan {
  /** Records to write (and history steps to append), by ENI id. */
  readonly records: readonly EniDecision[];
  /** Deletions, then tag changes, then rule authorizations and revocations. */
  readonly actions: readonly PlannedAction[];
  /** Cluster-tag findings, then backend-rule findings. */
  readonly findings: readonly Finding[];
  /** Leaked ENIs not deleted in this pass, and why. */
  readonly held: readonly HeldDeletion[];
}

export interface PlanOptions {
  /** Deletions still allowed in this run (the per-run cap spans clusters); `maxDeletesPerRun` by default. */
  readonly deleteBudget?: number;
}

/**
 * Everything one pass decides for one cluster, from one snapshot and the stored records:
 * lifecycle first, then deletions based on the new records, then cluster tags and backend rules.
 * Pure and deterministic: the same inputs give the same plan, in the same order.
 */
export const planCluster = (
  snapshot: ClusterSnapshot,
  records: ReadonlyMap<string, EniRecord>,
  pass: PassInfo,
  config: Pick<Config, "leakGraceSeconds" | "maxDeletesPerRun" | "retag" | "backendRules">,
  options: PlanOptions = {},
): ClusterPlan => {
  const ours = [...records.values()].filter((record) => record.cluster === snapshot.cluster.name);
  const known = new Map(ours.map((record) => [record.eniId, record]));
  // Foreign ENIs (VPC CNI, other owners) are not tracked unless a record already exists.
  const observedIds = [...snapshot.branchEnis.values()]
    .filter((eni) => known.has(eni.eniId) || eniOwnership(eni).verdict !== "foreign")
    .map((eni) => eni.eniId);

  const decisions: EniDecision[] = [];
  const next = new Map(known);
  for (const eniId of sortedUnique([...known.keys(), ...observedIds])) {
    const decision = decideEniRecord(known.get(eniId), snapshot.branchEnis.get(eniId), snapshot, pass, config);
    if (decision === undefined) continue;
    decisions.push(decision);
    next.set(eniId, decision.record);
  }

  const deletions = planLeakDeletions(next.values(), snapshot, config, pass.now, options.deleteBudget);
  const tags = decideClusterTags(snapshot, config);
  const rules = decideBackendRules(snapshot, config);
  return {
    records: decisions,
    actions: [...deletions.actions, ...tags.actions, ...rules.actions],
    findings: [...tags.findings, ...rules.findings],
    held: deletions.held,
  };
};
