import type { ActionRecord } from "../model/action-record.ts";
import { BRANCH_ENI_STATES, type BranchEniState } from "../model/branch-eni-state.ts";
import type { EniRecord, EniTransition } from "../model/eni-record.ts";
import type { Finding } from "../model/finding.ts";
import type { ClusterSummary, EniListItem } from "../ports/state-store.ts";

/**
 * Copies of the model objects the in-memory store keeps and hands out. Each lists its fields
 * explicitly, as the DynamoDB items do: nothing extra a caller's object carries is kept, absent
 * optional fields stay absent (never `undefined`), and no caller can change stored state by
 * mutating an object it passed in or got back.
 */

/** `{ [key]: value }`, or nothing when the value is absent. */
const optional = <K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> =>
  value === undefined ? {} : ({ [key]: value } as Record<K, V>);

export const copyEni = (record: EniRecord): EniRecord => ({
  eniId: record.eniId,
  cluster: record.cluster,
  state: record.state,
  reason: record.reason,
  stateSince: record.stateSince,
  ...optional("trunkEniId", record.trunkEniId),
  ...optional("vlanId", record.vlanId),
  ...optional("instanceId", record.instanceId),
  ...optional("subnetId", record.subnetId),
  ...optional("vpcId", record.vpcId),
  securityGroupIds: [...record.securityGroupIds],
  firstSeenAt: record.firstSeenAt,
  lastSeenAt: record.lastSeenAt,
  ...optional(
    "evidence",
    record.evidence && {
      kind: record.evidence.kind,
      detail: record.evidence.detail,
      firstRecordedAt: record.evidence.firstRecordedAt,
      firstPassId: record.evidence.firstPassId,
    },
  ),
  observedAt: record.observedAt,
  version: record.version,
});

/** The fields of a record a listing shows (`listEniItems`), taken from a copy the store already made. */
export const eniListItemOf = (record: EniRecord): EniListItem => ({
  eniId: record.eniId,
  state: record.state,
  ...optional("trunkEniId", record.trunkEniId),
  ...optional("vlanId", record.vlanId),
  ...optional("instanceId", record.instanceId),
  securityGroupIds: record.securityGroupIds,
  firstSeenAt: record.firstSeenAt,
  lastSeenAt: record.lastSeenAt,
  reason: record.reason,
});

export const copyTransition = (transition: EniTransition): EniTransition => ({
  eniId: transition.eniId,
  cluster: transition.cluster,
  at: transition.at,
  ...optional("from", transition.from),
  to: transition.to,
  reason: transition.reason,
  cause: transition.cause,
});

export const copyFinding = (finding: Finding): Finding => ({
  cluster: finding.cluster,
  kind: finding.kind,
  resourceId: finding.resourceId,
  detail: finding.detail,
  action: finding.action,
  observedAt: finding.observedAt,
});

export const copyAction = (action: ActionRecord): ActionRecord => ({
  id: action.id,
  at: action.at,
  kind: action.kind,
  cluster: action.cluster,
  target: action.target,
  mode: action.mode,
  outcome: action.outcome,
  reason: action.reason,
  ...optional("detail", action.detail),
});

/** Every state with a count, zero when never counted: a summary always reports all seven. */
export const fullCounts = (counts: Readonly<Partial<Record<BranchEniState, number>>>): Record<BranchEniState, number> =>
  Object.fromEntries(BRANCH_ENI_STATES.map((state) => [state, counts[state] ?? 0])) as Record<BranchEniState, number>;

export const copySummary = (summary: ClusterSummary): ClusterSummary => ({
  name: summary.name,
  status: summary.status,
  ...optional("vpcId", summary.vpcId),
  counts: fullCounts(summary.counts),
  lastSweepAt: summary.lastSweepAt,
});
