import type { Mode } from "../config.ts";
import type { ActionOutcome } from "../model/action-record.ts";
import type { BranchEniState } from "../model/branch-eni-state.ts";
import type { SnapshotScope } from "../model/cluster-snapshot.ts";
import type { FindingKind } from "../model/finding.ts";
import type { ActionKind } from "../model/planned-action.ts";

/** What one pass did for one cluster: counts per decision and per action outcome. */
export interface ClusterPassSummary {
  readonly cluster: string;
  readonly status: "active" | "deleted" | "unknown";
  /** Present when the cluster was not processed (lease held elsewhere, EKS unreachable, …). */
  skipped?: string;
  /** Snapshot parts that could not be read completely; destructive actions relying on them were held. */
  incomplete: string[];
  /** Branch ENIs seen in the snapshot. */
  enisObserved: number;
  /** Transitions written, by the state entered. */
  transitions: Partial<Record<BranchEniState, number>>;
  /** Planned actions by kind and outcome. */
  actions: Partial<Record<ActionKind, Partial<Record<ActionOutcome, number>>>>;
  findings: Partial<Record<FindingKind, number>>;
  /** Leaked ENIs not deleted this pass (cap, partial view, …). */
  held: number;
  /** Record writes refused because another pass wrote first (it will be redone next pass). */
  writeConflicts: number;
  /** Errors that stopped part of the work, as `<what>: <message>`. */
  errors: string[];
}

/** The JSON summary a sweep or event pass returns and logs. */
export interface PassSummary {
  readonly passId: string;
  readonly cause: string;
  readonly mode: Mode;
  readonly scope: SnapshotScope["kind"] | "mixed";
  readonly startedAt: string;
  finishedAt: string;
  readonly clusters: ClusterPassSummary[];
  /** Errors outside any one cluster (discovery, notifications). */
  readonly errors: string[];
  /**
   * Suspects this pass asked to look at again when their grace elapses (earliest `dueAt`), or why
   * that could not be scheduled. Absent when there were none, or no scheduler is configured.
   */
  followUps?: { readonly scheduled: number; readonly dueAt?: string; readonly error?: string };
}

export const emptyClusterSummary = (cluster: string, status: ClusterPassSummary["status"]): ClusterPassSummary => ({
  cluster,
  status,
  incomplete: [],
  enisObserved: 0,
  transitions: {},
  actions: {},
  findings: {},
  held: 0,
  writeConflicts: 0,
  errors: [],
});

export const countAction = (summary: ClusterPassSummary, kind: ActionKind, outcome: ActionOutcome): void => {
  const byOutcome = summary.actions[kind] ?? {};
  byOutcome[outcome] = (byOutcome[outcome] ?? 0) + 1;
  summary.actions[kind] = byOutcome;
};

/** True when any cluster or the pass itself reported an error. */
export const hasErrors = (summary: PassSummary): boolean =>
  summary.errors.length > 0 || summary.clusters.some((cluster) => cluster.errors.length > 0);
