import { createHash } from "node:crypto";
import type { BranchEniState } from "../model/branch-eni-state.ts";
import type { FindingKind } from "../model/finding.ts";
import type { ActionKind } from "../model/planned-action.ts";

/**
 * The key patterns of the state table (see the table of `state-table.ts`). Fixed words come first and
 * free-form values last, so distinct values never build the same key.
 */

/** A table key. */
export interface TableKey {
  readonly pk: string;
  readonly sk: string;
}

/** The normalized ISO-8601 UTC form of a time: fixed width, so it sorts by time as a string. */
export const sortableTime = (epochMs: number): string => new Date(epochMs).toISOString();

/** A short, stable digest distinguishing items that share every other key part. */
export const keyDigest = (...parts: readonly (string | undefined)[]): string =>
  createHash("sha256")
    .update(JSON.stringify(parts.map((part) => part ?? null)))
    .digest("hex")
    .slice(0, 16);

export const eniPartition = (eniId: string): string => `ENI#${eniId}`;
export const eniKey = (eniId: string): TableKey => ({ pk: eniPartition(eniId), sk: "ENI" });
export const enisByClusterPartition = (cluster: string): string => `ENIS#${cluster}`;
/** Sort key prefix of one state within a cluster's ENIs (GSI1). */
export const eniStatePrefix = (state: BranchEniState): string => `${state}#`;
export const eniByClusterSort = (state: BranchEniState, eniId: string): string => `${eniStatePrefix(state)}${eniId}`;

export const HISTORY_PREFIX = "HISTORY#";
export const historyKey = (eniId: string, atMs: number, digest: string): TableKey => ({
  pk: eniPartition(eniId),
  sk: `${HISTORY_PREFIX}${sortableTime(atMs)}#${digest}`,
});

export const findingsPartition = (cluster: string): string => `FINDINGS#${cluster}`;
export const FINDING_PREFIX = "FINDING#";
export const findingKey = (cluster: string, kind: FindingKind, resourceId: string, detail: string): TableKey => ({
  pk: findingsPartition(cluster),
  // The detail digest keeps two findings of one kind on one resource (e.g. two missing rules on one SG) apart.
  sk: `${FINDING_PREFIX}${kind}#${resourceId}#${keyDigest(detail)}`,
});
export const findingsPassKey = (cluster: string): TableKey => ({ pk: findingsPartition(cluster), sk: "PASS" });

export const actionsPartition = (cluster: string): string => `ACTIONS#${cluster}`;
/** Partition of one kind's actions in one cluster (GSI1). */
export const actionsByKindPartition = (kind: ActionKind, cluster: string): string => `ACTIONKIND#${kind}#${cluster}`;
/** Partition of every action of every cluster (GSI2). */
export const ALL_ACTIONS_PARTITION = "ACTIONS";
/** Partition of one kind's actions across clusters (GSI3). */
export const actionsOfKindPartition = (kind: ActionKind): string => `ACTIONKIND#${kind}`;
/** Sort key of an action in every partition that holds it: newest last, so listings read descending. */
export const actionSort = (atMs: number, actionId: string): string => `${sortableTime(atMs)}#${actionId}`;

export const CLUSTERS_PARTITION = "CLUSTERS";
export const CLUSTER_PREFIX = "CLUSTER#";
export const clusterKey = (name: string): TableKey => ({ pk: CLUSTERS_PARTITION, sk: `${CLUSTER_PREFIX}${name}` });

export const leaseKey = (cluster: string): TableKey => ({ pk: `LEASE#${cluster}`, sk: "LEASE" });
