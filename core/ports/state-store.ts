import type { ActionRecord } from "../model/action-record.ts";
import type { BranchEniState } from "../model/branch-eni-state.ts";
import type { EniRecord, EniTransition } from "../model/eni-record.ts";
import type { Finding } from "../model/finding.ts";
import type { ClusterInfo } from "../model/observed.ts";
import type { ActionKind } from "../model/planned-action.ts";

export {
  InvalidCursorError,
  InvalidLimitError,
  MAX_PAGE_LIMIT,
  StateStoreError,
} from "./state-store-errors.ts";

/** One page of a listing. */
export interface PageRequest {
  /** Page size, 1..500 (`MAX_PAGE_LIMIT`); anything else throws `InvalidLimitError`. */
  readonly limit: number;
  /** The `cursor` of the previous page of the very same query; absent for the first page. */
  readonly cursor?: string;
}

export interface Page<T> {
  readonly items: readonly T[];
  /** Present only when more items follow: pass it back to get the next page. Opaque. */
  readonly cursor?: string;
}

/** Result of a conditional write. `conflict`: the stored item was newer or changed meanwhile; re-read and retry. */
export type WriteOutcome = "written" | "conflict";

/** Per-cluster state counts plus what the last full sweep saw (`GET /v1/clusters`). */
export interface ClusterSummary {
  readonly name: string;
  readonly status: ClusterInfo["status"];
  readonly vpcId?: string;
  readonly counts: Readonly<Record<BranchEniState, number>>;
  /** ISO time of the last full sweep of this cluster. */
  readonly lastSweepAt: string;
}

export interface Health {
  /** The newest `lastSweepAt` over all clusters; absent before the first sweep. */
  readonly lastSweepAt?: string;
}

export interface ReplaceFindingsResult {
  /** `stale`: a pass observed later already replaced this cluster's findings; nothing was changed. */
  readonly outcome: "replaced" | "stale";
  /** Findings written because they were new or their detail/action changed. */
  readonly written: number;
  /** Stored findings removed because the pass no longer reported them. */
  readonly deleted: number;
}

export interface ListEnisRequest extends PageRequest {
  /** Only records in this state; all states (ordered by state, then ENI id) when absent. */
  readonly state?: BranchEniState;
}

/**
 * What a listing shows of one ENI record: the fields of `GET /v1/clusters/{c}/enis`. A store may read
 * only these, so a page of 500 costs the transfer and decoding of what is shown, not of whole records.
 */
export type EniListItem = Pick<
  EniRecord,
  | "eniId"
  | "state"
  | "trunkEniId"
  | "vlanId"
  | "instanceId"
  | "securityGroupIds"
  | "firstSeenAt"
  | "lastSeenAt"
  | "reason"
>;

export interface ListActionsRequest extends PageRequest {
  readonly cluster?: string;
  readonly kind?: ActionKind;
}

/**
 * Branchkeeper's durable state: ENI records and their history, findings, the audit log, cluster
 * summaries, and the bookkeeping that keeps passes idempotent and one-at-a-time.
 *
 * Listings never scan: each answers from one key range, so their cost depends on the page size,
 * not on how much the store holds. Listings are eventually consistent (a write may take a moment to
 * show); single-item reads (`getEni`, `getEnis`, `getCluster`) are strongly consistent, and every
 * write that could race is conditional, so reading slightly old data is never unsafe.
 *
 * Every method throws `StateStoreError` (`retryable` tells whether to try again), `InvalidCursorError`
 * or `InvalidLimitError`.
 */
export interface StateStore {
  /** The record of one branch ENI, or undefined when Branchkeeper never saw it. */
  getEni(eniId: string): Promise<EniRecord | undefined>;

  /** The records of many ENIs at once (any count; unknown ids are absent from the map). */
  getEnis(eniIds: readonly string[]): Promise<ReadonlyMap<string, EniRecord>>;

  /**
   * Write an ENI record, conditionally. Without `expectedVersion` it creates the record and
   * `record.version` must be 1; with it, the stored version must equal `expectedVersion`,
   * `record.version` must be `expectedVersion + 1`, and the stored `observedAt` must not be later
   * than `record.observedAt` (late or reordered events never move a record backwards).
   * Returns `conflict` when a condition does not hold; nothing is written then.
   */
  putEni(record: EniRecord, expectedVersion?: number): Promise<WriteOutcome>;

  /** One page of a cluster's ENI records, optionally in one state, ordered by state then ENI id. */
  listEnis(cluster: string, request: ListEnisRequest): Promise<Page<EniRecord>>;

  /**
   * The same page as `listEnis`, same order and same cursors (either method continues the other's), with
   * only the fields of an {@link EniListItem} (`GET /v1/clusters/{c}/enis`).
   */
  listEniItems(cluster: string, request: ListEnisRequest): Promise<Page<EniListItem>>;

  /** Every record of a cluster (all pages), optionally only those in the given states: a sweep's starting point. */
  loadClusterEnis(cluster: string, options?: { readonly states?: readonly BranchEniState[] }): Promise<EniRecord[]>;

  /**
   * Append one step to an ENI's history; it expires `ttlDays` after `transition.at` (DynamoDB TTL).
   * Appending the same step again (same ENI, time, from, to and cause) is a no-op: `duplicate`.
   */
  appendTransition(transition: EniTransition, ttlDays: number): Promise<"appended" | "duplicate">;

  /**
   * Append many steps, each as `appendTransition` does, in as few requests as the store allows (a
   * sweep's first sight of an account is one step per ENI). Appending a step again stores it once.
   */
  appendTransitions(transitions: readonly EniTransition[], ttlDays: number): Promise<void>;

  /** One page of an ENI's history, newest first. */
  listHistory(eniId: string, request: PageRequest): Promise<Page<EniTransition>>;

  /**
   * Make the stored findings of a cluster equal to those of a full pass observed at `observedAt`:
   * new or changed findings are written, findings the pass no longer reports are deleted, unchanged
   * ones are left alone (so their `observedAt` tells since when they hold). A pass older than the
   * last one applied changes nothing (`stale`).
   */
  replaceFindings(cluster: string, findings: readonly Finding[], observedAt: string): Promise<ReplaceFindingsResult>;

  /** One page of a cluster's findings, ordered by kind then resource. */
  listFindings(cluster: string, request: PageRequest): Promise<Page<Finding>>;

  /**
   * Add an entry to the audit log. An entry still `started` is replaced by its outcome (same id and
   * `at`); recording any other entry's id again is a no-op: `duplicate`.
   */
  recordAction(action: ActionRecord): Promise<"recorded" | "duplicate">;

  /** One page of the audit log, newest first, for one cluster or all, one kind or all. */
  listActions(request: ListActionsRequest): Promise<Page<ActionRecord>>;

  /** Set a cluster's summary after a full sweep. `conflict` when a later sweep's summary is already stored. */
  putClusterSummary(summary: ClusterSummary): Promise<WriteOutcome>;

  /**
   * Atomically add to a cluster's state counts (event-driven transitions between sweeps; negative
   * deltas subtract). `no-summary` when no sweep has stored a summary yet: there is no base to adjust,
   * and the first sweep will count from scratch. `duplicate` when the last adjustment applied carried
   * the same `adjustmentId` (a retried request whose first answer was lost is not counted twice).
   */
  adjustClusterCounts(
    cluster: string,
    deltas: Readonly<Partial<Record<BranchEniState, number>>>,
    adjustmentId: string,
  ): Promise<"adjusted" | "no-summary" | "duplicate">;

  /** Every cluster's summary, ordered by name. */
  listClusters(): Promise<ClusterSummary[]>;

  getCluster(name: string): Promise<ClusterSummary | undefined>;

  /** What `GET /v1/health` reports from the store. */
  getHealth(): Promise<Health>;

  /**
   * Take (or renew, for the same `owner`) the cluster's sweep lease until `now + ttlSeconds`.
   * False while another owner holds an unexpired lease; an expired lease is taken over.
   */
  acquireLease(cluster: string, owner: string, ttlSeconds: number, now: Date): Promise<boolean>;

  /** Release the lease if `owner` still holds it; false when it does not (expired and taken over). */
  releaseLease(cluster: string, owner: string): Promise<boolean>;
}
