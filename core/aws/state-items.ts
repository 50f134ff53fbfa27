import { z } from "zod";
import { MODES } from "../config.ts";
import type { ActionOutcome, ActionRecord } from "../model/action-record.ts";
import { BRANCH_ENI_STATES, type BranchEniState } from "../model/branch-eni-state.ts";
import type { EniRecord, EniTransition } from "../model/eni-record.ts";
import { FINDING_KINDS, type Finding } from "../model/finding.ts";
import { LEAK_EVIDENCE_KINDS } from "../model/leak-evidence.ts";
import { ACTION_KINDS } from "../model/planned-action.ts";
import type { ClusterSummary, EniListItem } from "../ports/state-store.ts";
import { StateStoreError } from "../ports/state-store-errors.ts";
import {
  ALL_ACTIONS_PARTITION,
  actionSort,
  actionsByKindPartition,
  actionsOfKindPartition,
  actionsPartition,
  clusterKey,
  eniByClusterSort,
  eniKey,
  enisByClusterPartition,
  findingKey,
  type TableKey,
} from "./state-keys.ts";
import { GSI1, GSI2, GSI3, ITEM_TYPE_ATTRIBUTE, STATE_TABLE_TTL_ATTRIBUTE } from "./state-table.ts";

/**
 * Mapping between the domain model and stored items. Writes list every field explicitly (nothing a
 * caller's object happens to carry is stored); reads validate, so an item written by another version
 * fails loudly instead of leaking a half-shaped record into decisions.
 */

/** The `itemType` of every kind of item. */
export const ITEM_TYPES = {
  eni: "eni",
  transition: "eni-transition",
  finding: "finding",
  findingsPass: "findings-pass",
  action: "action",
  cluster: "cluster",
  lease: "lease",
} as const;

export type ItemType = (typeof ITEM_TYPES)[keyof typeof ITEM_TYPES];

/** A stored item as the document client returns it. */
export type StoredItem = Record<string, unknown>;

const ACTION_OUTCOMES = [
  "succeeded",
  "already-done",
  "dry-run",
  "suppressed",
  "failed",
  "started",
] as const satisfies readonly ActionOutcome[];

const eniRecordSchema = z.object({
  eniId: z.string(),
  cluster: z.string(),
  state: z.enum(BRANCH_ENI_STATES),
  reason: z.string(),
  stateSince: z.string(),
  trunkEniId: z.string().optional(),
  vlanId: z.number().optional(),
  instanceId: z.string().optional(),
  subnetId: z.string().optional(),
  vpcId: z.string().optional(),
  securityGroupIds: z.array(z.string()),
  firstSeenAt: z.string(),
  lastSeenAt: z.string(),
  evidence: z
    .object({
      kind: z.enum(LEAK_EVIDENCE_KINDS),
      detail: z.string(),
      firstRecordedAt: z.string(),
      firstPassId: z.string(),
    })
    .optional(),
  observedAt: z.string(),
  version: z.number().int(),
}) satisfies z.ZodType<EniRecord>;

const eniListItemSchema = eniRecordSchema.pick({
  eniId: true,
  state: true,
  trunkEniId: true,
  vlanId: true,
  instanceId: true,
  securityGroupIds: true,
  firstSeenAt: true,
  lastSeenAt: true,
  reason: true,
}) satisfies z.ZodType<EniListItem>;

const transitionSchema = z.object({
  eniId: z.string(),
  cluster: z.string(),
  at: z.string(),
  from: z.enum(BRANCH_ENI_STATES).optional(),
  to: z.enum(BRANCH_ENI_STATES),
  reason: z.string(),
  cause: z.string(),
}) satisfies z.ZodType<EniTransition>;

const findingSchema = z.object({
  cluster: z.string(),
  kind: z.enum(FINDING_KINDS),
  resourceId: z.string(),
  detail: z.string(),
  action: z.string(),
  observedAt: z.string(),
}) satisfies z.ZodType<Finding>;

const actionSchema = z.object({
  id: z.string(),
  at: z.string(),
  kind: z.enum(ACTION_KINDS),
  cluster: z.string(),
  target: z.string(),
  mode: z.enum(MODES),
  outcome: z.enum(ACTION_OUTCOMES),
  reason: z.string(),
  detail: z.string().optional(),
}) satisfies z.ZodType<ActionRecord>;

const clusterSchema = z.object({
  name: z.string(),
  status: z.enum(["active", "deleted", "unknown"]),
  vpcId: z.string().optional(),
  // Counts grow by ADD, so a state may be missing (never counted) or unknown (written by a newer version).
  counts: z.record(z.string(), z.number()),
  lastSweepAt: z.string(),
});

/** Validate a stored item of the expected type into its domain shape, or fail terminally. */
const parse = <T>(schema: z.ZodType<T>, type: ItemType, item: StoredItem, operation: string): T => {
  const problem = (cause: unknown) =>
    new StateStoreError(
      `${operation}: malformed ${type} item ${String(item.pk)} / ${String(item.sk)}: ${cause instanceof Error ? cause.message : String(cause)}`,
      { operation, retryable: false, cause },
    );
  if (item[ITEM_TYPE_ATTRIBUTE] !== type) {
    throw problem(new TypeError(`itemType is ${JSON.stringify(item[ITEM_TYPE_ATTRIBUTE])}, expected ${type}`));
  }
  const parsed = schema.safeParse(item);
  if (!parsed.success) throw problem(parsed.error);
  return parsed.data;
};

const typed = (type: ItemType, key: TableKey) => ({ ...key, [ITEM_TYPE_ATTRIBUTE]: type });

/** The stored item of an ENI record; `observedAtMs` backs the "never move backwards" condition. */
export const eniToItem = (record: EniRecord, observedAtMs: number): StoredItem => ({
  ...typed(ITEM_TYPES.eni, eniKey(record.eniId)),
  [GSI1.partitionKey]: enisByClusterPartition(record.cluster),
  [GSI1.sortKey]: eniByClusterSort(record.state, record.eniId),
  eniId: record.eniId,
  cluster: record.cluster,
  state: record.state,
  reason: record.reason,
  stateSince: record.stateSince,
  trunkEniId: record.trunkEniId,
  vlanId: record.vlanId,
  instanceId: record.instanceId,
  subnetId: record.subnetId,
  vpcId: record.vpcId,
  securityGroupIds: [...record.securityGroupIds],
  firstSeenAt: record.firstSeenAt,
  lastSeenAt: record.lastSeenAt,
  evidence: record.evidence && {
    kind: record.evidence.kind,
    detail: record.evidence.detail,
    firstRecordedAt: record.evidence.firstRecordedAt,
    firstPassId: record.evidence.firstPassId,
  },
  observedAt: record.observedAt,
  observedAtMs,
  version: record.version,
});

export const eniFromItem = (item: StoredItem, operation: string): EniRecord =>
  parse(eniRecordSchema, ITEM_TYPES.eni, item, operation);

/** The attributes an {@link EniListItem} is read from: a listing's projection. */
export const ENI_LIST_ITEM_ATTRIBUTES: readonly string[] = Object.keys(eniListItemSchema.shape);

export const eniListItemFromItem = (item: StoredItem, operation: string): EniListItem =>
  parse(eniListItemSchema, ITEM_TYPES.eni, item, operation);

/** The table key and GSI1 sort key of a listed ENI item, rebuilt from its listed attributes as `eniToItem` built them. */
export const eniListItemKey = (item: StoredItem, operation: string): Record<string, string> => {
  const { eniId, state } = eniListItemFromItem(item, operation);
  return { ...eniKey(eniId), [GSI1.sortKey]: eniByClusterSort(state, eniId) };
};

export const transitionToItem = (transition: EniTransition, key: TableKey, expiresAt: number): StoredItem => ({
  ...typed(ITEM_TYPES.transition, key),
  eniId: transition.eniId,
  cluster: transition.cluster,
  at: transition.at,
  from: transition.from,
  to: transition.to,
  reason: transition.reason,
  cause: transition.cause,
  [STATE_TABLE_TTL_ATTRIBUTE]: expiresAt,
});

export const transitionFromItem = (item: StoredItem, operation: string): EniTransition =>
  parse(transitionSchema, ITEM_TYPES.transition, item, operation);

export const findingToItem = (finding: Finding): StoredItem => ({
  ...typed(ITEM_TYPES.finding, findingKey(finding.cluster, finding.kind, finding.resourceId, finding.detail)),
  cluster: finding.cluster,
  kind: finding.kind,
  resourceId: finding.resourceId,
  detail: finding.detail,
  action: finding.action,
  observedAt: finding.observedAt,
});

export const findingFromItem = (item: StoredItem, operation: string): Finding =>
  parse(findingSchema, ITEM_TYPES.finding, item, operation);

/** One audit entry, keyed into the four partitions it is listed from (cluster, cluster+kind, all, kind). */
export const actionToItem = (action: ActionRecord, atMs: number): StoredItem => {
  const sort = actionSort(atMs, action.id);
  return {
    ...typed(ITEM_TYPES.action, { pk: actionsPartition(action.cluster), sk: sort }),
    [GSI1.partitionKey]: actionsByKindPartition(action.kind, action.cluster),
    [GSI1.sortKey]: sort,
    [GSI2.partitionKey]: ALL_ACTIONS_PARTITION,
    [GSI2.sortKey]: sort,
    [GSI3.partitionKey]: actionsOfKindPartition(action.kind),
    [GSI3.sortKey]: sort,
    id: action.id,
    at: action.at,
    kind: action.kind,
    cluster: action.cluster,
    target: action.target,
    mode: action.mode,
    outcome: action.outcome,
    reason: action.reason,
    detail: action.detail,
  };
};

/** The attributes an action record is read from: the audit log's projection (not the other listings' keys). */
export const ACTION_ATTRIBUTES: readonly string[] = Object.keys(actionSchema.shape);

export const actionFromItem = (item: StoredItem, operation: string): ActionRecord =>
  parse(actionSchema, ITEM_TYPES.action, item, operation);

/** Every state with a count, zero when never counted: the summary always reports all seven. */
export const fullCounts = (counts: Readonly<Partial<Record<string, number>>>): Record<BranchEniState, number> =>
  Object.fromEntries(BRANCH_ENI_STATES.map((state) => [state, counts[state] ?? 0])) as Record<BranchEniState, number>;

export const clusterToItem = (summary: ClusterSummary, lastSweepAtMs: number): StoredItem => ({
  ...typed(ITEM_TYPES.cluster, clusterKey(summary.name)),
  name: summary.name,
  status: summary.status,
  vpcId: summary.vpcId,
  counts: fullCounts(summary.counts),
  lastSweepAt: summary.lastSweepAt,
  lastSweepAtMs,
});

export const clusterFromItem = (item: StoredItem, operation: string): ClusterSummary => {
  const parsed = parse(clusterSchema, ITEM_TYPES.cluster, item, operation);
  return {
    name: parsed.name,
    status: parsed.status,
    ...(parsed.vpcId === undefined ? {} : { vpcId: parsed.vpcId }),
    counts: fullCounts(parsed.counts),
    lastSweepAt: parsed.lastSweepAt,
  };
};
