import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  type PutCommandInput,
  UpdateCommand,
  type UpdateCommandInput,
} from "@aws-sdk/lib-dynamodb";
import type { ActionRecord } from "../model/action-record.ts";
import { BRANCH_ENI_STATES, type BranchEniState } from "../model/branch-eni-state.ts";
import type { EniRecord, EniTransition } from "../model/eni-record.ts";
import type { Finding } from "../model/finding.ts";
import { type Clock, systemClock } from "../ports/clock.ts";
import type {
  ClusterSummary,
  EniListItem,
  Health,
  ListActionsRequest,
  ListEnisRequest,
  Page,
  PageRequest,
  ReplaceFindingsResult,
  StateStore,
  WriteOutcome,
} from "../ports/state-store.ts";
import {
  type BatchSettings,
  type BatchWrite,
  batchGetAll,
  batchWriteAll,
  DEFAULT_BATCH_SETTINGS,
} from "./dynamodb-batch.ts";
import { isConditionalCheckFailure, toStateStoreError } from "./dynamodb-errors.ts";
import { type KeyRange, queryAll, queryPage } from "./dynamodb-query.ts";
import {
  checkEniWrite,
  checkFindingsReplacement,
  checkHistoryStep,
  epochMsOf,
  requireKeyPart,
  requirePositiveInteger,
  requireThat,
} from "./state-input.ts";
import {
  ACTION_ATTRIBUTES,
  actionFromItem,
  actionToItem,
  clusterFromItem,
  clusterToItem,
  ENI_LIST_ITEM_ATTRIBUTES,
  eniFromItem,
  eniListItemFromItem,
  eniListItemKey,
  eniToItem,
  findingFromItem,
  findingToItem,
  ITEM_TYPES,
  type StoredItem,
  transitionFromItem,
  transitionToItem,
} from "./state-items.ts";
import {
  ALL_ACTIONS_PARTITION,
  actionsByKindPartition,
  actionsOfKindPartition,
  actionsPartition,
  CLUSTER_PREFIX,
  CLUSTERS_PARTITION,
  clusterKey,
  eniKey,
  eniPartition,
  eniStatePrefix,
  enisByClusterPartition,
  FINDING_PREFIX,
  findingsPartition,
  findingsPassKey,
  HISTORY_PREFIX,
  leaseKey,
  sortableTime,
} from "./state-keys.ts";
import { GSI1, GSI2, GSI3, ITEM_TYPE_ATTRIBUTE, STATE_TABLE_TTL_ATTRIBUTE } from "./state-table.ts";

export interface DynamoDbStateStoreOptions {
  /** The DynamoDB client to use (configured by the caller: region, endpoint, retries). */
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** Time of batch backoff and lease expiry; defaults to the system clock. */
  readonly clock?: Clock;
  /** Chunking, backoff and parallelism of batch calls. */
  readonly batch?: BatchSettings;
}

/** Attribute of an ENI item naming the put that wrote it (see `putEni`). */
const WRITE_ID_ATTRIBUTE = "writeId";

/** The stored item of one history step, expiring `ttlDays` after it happened. */
const historyItem = (operation: string, transition: EniTransition, ttlDays: number) => {
  const { key, expiresAt } = checkHistoryStep(operation, transition, ttlDays);
  return transitionToItem(transition, key, expiresAt);
};

/**
 * The state store on one DynamoDB table (`stateTableDefinition`), with single-item conditional writes
 * only (no transactions, which dynalite lacks and no decision needs): every write that could race
 * carries the condition that makes it safe on its own.
 *
 * @example
 * ```ts
 * const store = new DynamoDbStateStore({ client: new DynamoDBClient({}), tableName: config.tableName });
 * const page = await store.listEnis("alpha", { state: "leaked", limit: 100 });
 * ```
 */
export class DynamoDbStateStore implements StateStore {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly clock: Clock;
  private readonly batch: BatchSettings;

  public constructor(options: DynamoDbStateStoreOptions) {
    // Optional model fields are absent, not null: let the document client drop undefined attributes.
    this.client = DynamoDBDocumentClient.from(options.client, { marshallOptions: { removeUndefinedValues: true } });
    this.tableName = options.tableName;
    this.clock = options.clock ?? systemClock;
    this.batch = options.batch ?? DEFAULT_BATCH_SETTINGS;
  }

  public async getEni(eniId: string): Promise<EniRecord | undefined> {
    const operation = "getEni";
    const item = await this.getItem(operation, eniKey(requireKeyPart(operation, "eniId", eniId)));
    return item && eniFromItem(item, operation);
  }

  public async getEnis(eniIds: readonly string[]): Promise<ReadonlyMap<string, EniRecord>> {
    const operation = "getEnis";
    const unique = [...new Set(eniIds)].map((eniId) => eniKey(requireKeyPart(operation, "eniId", eniId)));
    const items = await this.run(operation, () =>
      batchGetAll(this.client, this.tableName, unique, operation, this.batch, this.clock),
    );
    return new Map(items.map((item) => eniFromItem(item, operation)).map((record) => [record.eniId, record]));
  }

  public async putEni(record: EniRecord, expectedVersion?: number): Promise<WriteOutcome> {
    const operation = "putEni";
    const observedAtMs = checkEniWrite(operation, record, expectedVersion);
    const condition: Pick<
      PutCommandInput,
      "ConditionExpression" | "ExpressionAttributeNames" | "ExpressionAttributeValues"
    > =
      expectedVersion === undefined
        ? { ConditionExpression: "attribute_not_exists(pk)" }
        : {
            ConditionExpression: "#version = :expected AND #observedAtMs <= :observedAtMs",
            ExpressionAttributeNames: { "#version": "version", "#observedAtMs": "observedAtMs" },
            ExpressionAttributeValues: { ":expected": expectedVersion, ":observedAtMs": observedAtMs },
          };
    // Marks this call's write: the SDK retries a put whose response was lost on the network, and the
    // retry then fails its own condition. Only the stored write id tells that apart from a real conflict.
    const writeId = crypto.randomUUID();
    const item = { ...eniToItem(record, observedAtMs), [WRITE_ID_ATTRIBUTE]: writeId };
    if (await this.putConditionally(operation, { Item: item, ...condition })) return "written";
    const stored = await this.getItem(operation, eniKey(record.eniId));
    return stored?.[WRITE_ID_ATTRIBUTE] === writeId ? "written" : "conflict";
  }

  public async listEnis(cluster: string, request: ListEnisRequest): Promise<Page<EniRecord>> {
    const operation = "listEnis";
    return this.page(operation, this.enisRange(operation, cluster, request), request, eniFromItem);
  }

  public async listEniItems(cluster: string, request: ListEnisRequest): Promise<Page<EniListItem>> {
    const operation = "listEniItems";
    const projection = { attributes: ENI_LIST_ITEM_ATTRIBUTES, keyOf: eniListItemKey };
    const range = { ...this.enisRange(operation, cluster, request), projection };
    return this.page(operation, range, request, eniListItemFromItem);
  }

  public async loadClusterEnis(
    cluster: string,
    options: { readonly states?: readonly BranchEniState[] } = {},
  ): Promise<EniRecord[]> {
    const operation = "loadClusterEnis";
    const partition = enisByClusterPartition(requireKeyPart(operation, "cluster", cluster));
    const ranges: KeyRange[] =
      options.states === undefined
        ? [{ scope: [], index: GSI1, partition }]
        : [...new Set(options.states)].map((state) => ({
            scope: [],
            index: GSI1,
            partition,
            sortPrefix: eniStatePrefix(this.checkState(operation, state)),
          }));
    const pages = await this.run(operation, () =>
      Promise.all(ranges.map((range) => queryAll(this.client, this.tableName, range))),
    );
    return pages.flat().map((item) => eniFromItem(item, operation));
  }

  public async appendTransition(transition: EniTransition, ttlDays: number): Promise<"appended" | "duplicate"> {
    const operation = "appendTransition";
    const written = await this.putConditionally(operation, {
      Item: historyItem(operation, transition, ttlDays),
      ConditionExpression: "attribute_not_exists(pk)",
    });
    return written ? "appended" : "duplicate";
  }

  public async appendTransitions(transitions: readonly EniTransition[], ttlDays: number): Promise<void> {
    const operation = "appendTransitions";
    // Unconditional puts, 25 to a request: a step appended again has the same key and the same content.
    const writes = transitions.map((transition) => ({ put: historyItem(operation, transition, ttlDays) }));
    await this.run(operation, () =>
      batchWriteAll(this.client, this.tableName, writes, operation, this.batch, this.clock),
    );
  }

  public async listHistory(eniId: string, request: PageRequest): Promise<Page<EniTransition>> {
    const operation = "listHistory";
    const range: KeyRange = {
      scope: ["history", eniId],
      partition: eniPartition(requireKeyPart(operation, "eniId", eniId)),
      sortPrefix: HISTORY_PREFIX,
      descending: true,
    };
    return this.page(operation, range, request, transitionFromItem);
  }

  public async replaceFindings(
    cluster: string,
    findings: readonly Finding[],
    observedAt: string,
  ): Promise<ReplaceFindingsResult> {
    const operation = "replaceFindings";
    const observedAtMs = checkFindingsReplacement(operation, cluster, findings, observedAt);
    // Claim the replacement first: a pass older than the last one applied must not undo it.
    const current = await this.updateConditionally(operation, {
      Key: findingsPassKey(cluster),
      UpdateExpression: "SET #type = :type, #observedAt = :observedAt, #observedAtMs = :observedAtMs",
      ConditionExpression: "attribute_not_exists(pk) OR #observedAtMs <= :observedAtMs",
      ExpressionAttributeNames: {
        "#type": ITEM_TYPE_ATTRIBUTE,
        "#observedAt": "observedAt",
        "#observedAtMs": "observedAtMs",
      },
      ExpressionAttributeValues: {
        ":type": ITEM_TYPES.findingsPass,
        ":observedAt": observedAt,
        ":observedAtMs": observedAtMs,
      },
    });
    if (!current) return { outcome: "stale", written: 0, deleted: 0 };

    const stored = await this.run(operation, () =>
      queryAll(this.client, this.tableName, {
        scope: [],
        partition: findingsPartition(cluster),
        sortPrefix: FINDING_PREFIX,
        consistent: true,
      }),
    );
    const storedBySk = new Map(stored.map((item) => [String(item.sk), item]));
    const wanted = new Map(findings.map(findingToItem).map((item) => [String(item.sk), item]));
    const writes: BatchWrite[] = [];
    for (const [sk, item] of wanted) {
      // Kind, resource and detail are in the key; only the action can change in place.
      if (storedBySk.get(sk)?.action !== item.action) writes.push({ put: item });
    }
    const written = writes.length;
    for (const [sk, item] of storedBySk) {
      if (!wanted.has(sk)) writes.push({ delete: { pk: String(item.pk), sk } });
    }
    await this.run(operation, () =>
      batchWriteAll(this.client, this.tableName, writes, operation, this.batch, this.clock),
    );
    return { outcome: "replaced", written, deleted: writes.length - written };
  }

  public async listFindings(cluster: string, request: PageRequest): Promise<Page<Finding>> {
    const operation = "listFindings";
    const range: KeyRange = {
      scope: ["findings", cluster],
      partition: findingsPartition(requireKeyPart(operation, "cluster", cluster)),
      sortPrefix: FINDING_PREFIX,
    };
    return this.page(operation, range, request, findingFromItem);
  }

  public async recordAction(action: ActionRecord): Promise<"recorded" | "duplicate"> {
    const operation = "recordAction";
    requireKeyPart(operation, "id", action.id);
    requireKeyPart(operation, "cluster", action.cluster);
    const atMs = epochMsOf(operation, "at", action.at);
    const written = await this.putConditionally(operation, {
      Item: actionToItem(action, atMs),
      ConditionExpression: "attribute_not_exists(pk) OR #outcome = :started",
      ExpressionAttributeNames: { "#outcome": "outcome" },
      ExpressionAttributeValues: { ":started": "started" },
    });
    return written ? "recorded" : "duplicate";
  }

  public async listActions(request: ListActionsRequest): Promise<Page<ActionRecord>> {
    const operation = "listActions";
    const { cluster, kind } = request;
    if (cluster !== undefined) requireKeyPart(operation, "cluster", cluster);
    // The other listings' index keys are half of an action item: read only the record and this range's keys.
    const listing = {
      scope: ["actions", cluster ?? null, kind ?? null],
      descending: true,
      projection: { attributes: ACTION_ATTRIBUTES },
    };
    // Each combination of filters has a partition of its own, so a filter never discards read items.
    const range: KeyRange =
      cluster !== undefined && kind !== undefined
        ? { ...listing, index: GSI1, partition: actionsByKindPartition(kind, cluster) }
        : cluster !== undefined
          ? { ...listing, partition: actionsPartition(cluster) }
          : kind !== undefined
            ? { ...listing, index: GSI3, partition: actionsOfKindPartition(kind) }
            : { ...listing, index: GSI2, partition: ALL_ACTIONS_PARTITION };
    return this.page(operation, range, request, actionFromItem);
  }

  public async putClusterSummary(summary: ClusterSummary): Promise<WriteOutcome> {
    const operation = "putClusterSummary";
    requireKeyPart(operation, "name", summary.name);
    const lastSweepAtMs = epochMsOf(operation, "lastSweepAt", summary.lastSweepAt);
    const written = await this.putConditionally(operation, {
      Item: clusterToItem(summary, lastSweepAtMs),
      ConditionExpression: "attribute_not_exists(pk) OR #lastSweepAtMs <= :lastSweepAtMs",
      ExpressionAttributeNames: { "#lastSweepAtMs": "lastSweepAtMs" },
      ExpressionAttributeValues: { ":lastSweepAtMs": lastSweepAtMs },
    });
    return written ? "written" : "conflict";
  }

  public async adjustClusterCounts(
    cluster: string,
    deltas: Readonly<Partial<Record<BranchEniState, number>>>,
    adjustmentId: string,
  ): Promise<"adjusted" | "no-summary" | "duplicate"> {
    const operation = "adjustClusterCounts";
    requireKeyPart(operation, "cluster", cluster);
    const changes = Object.entries(deltas).filter(([, delta]) => delta !== undefined && delta !== 0);
    if (changes.length === 0) return "adjusted";
    const names: Record<string, string> = { "#counts": "counts", "#adjustment": "lastAdjustmentId" };
    const values: Record<string, number | string> = { ":adjustment": adjustmentId };
    const additions = changes.map(([state, delta], i) => {
      this.checkState(operation, state);
      requireThat(operation, Number.isInteger(delta), `the delta of ${state} must be an integer, got ${delta}`);
      names[`#s${i}`] = state;
      values[`:d${i}`] = delta ?? 0;
      return `#counts.#s${i} :d${i}`;
    });
    const adjusted = await this.updateConditionally(operation, {
      Key: clusterKey(cluster),
      // ADD is atomic on the server: concurrent adjustments never lose one another.
      UpdateExpression: `ADD ${additions.join(", ")} SET #adjustment = :adjustment`,
      ConditionExpression: "attribute_exists(pk) AND (attribute_not_exists(#adjustment) OR #adjustment <> :adjustment)",
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    });
    if (adjusted) return "adjusted";
    return (await this.getItem(operation, clusterKey(cluster))) === undefined ? "no-summary" : "duplicate";
  }

  public async listClusters(): Promise<ClusterSummary[]> {
    const operation = "listClusters";
    const items = await this.run(operation, () =>
      queryAll(this.client, this.tableName, { scope: [], partition: CLUSTERS_PARTITION, sortPrefix: CLUSTER_PREFIX }),
    );
    return items.map((item) => clusterFromItem(item, operation));
  }

  public async getCluster(name: string): Promise<ClusterSummary | undefined> {
    const operation = "getCluster";
    const item = await this.getItem(operation, clusterKey(requireKeyPart(operation, "name", name)));
    return item && clusterFromItem(item, operation);
  }

  public async getHealth(): Promise<Health> {
    const clusters = await this.listClusters();
    const newest = clusters.reduce<{ at: string; ms: number } | undefined>((best, cluster) => {
      const ms = Date.parse(cluster.lastSweepAt);
      return best === undefined || ms > best.ms ? { at: cluster.lastSweepAt, ms } : best;
    }, undefined);
    return newest === undefined ? {} : { lastSweepAt: newest.at };
  }

  public async acquireLease(cluster: string, owner: string, ttlSeconds: number, now: Date): Promise<boolean> {
    const operation = "acquireLease";
    requireKeyPart(operation, "cluster", cluster);
    requireKeyPart(operation, "owner", owner);
    requirePositiveInteger(operation, "ttlSeconds", ttlSeconds);
    const nowMs = now.getTime();
    requireThat(operation, Number.isFinite(nowMs), "now is not a valid date");
    const untilMs = nowMs + ttlSeconds * 1000;
    return this.putConditionally(operation, {
      Item: {
        ...leaseKey(cluster),
        [ITEM_TYPE_ATTRIBUTE]: ITEM_TYPES.lease,
        cluster,
        owner,
        acquiredAt: sortableTime(nowMs),
        leaseUntil: sortableTime(untilMs),
        leaseUntilMs: untilMs,
        // An expired lease is as good as none, so TTL may remove it as soon as it expires.
        [STATE_TABLE_TTL_ATTRIBUTE]: Math.ceil(untilMs / 1000),
      },
      ConditionExpression: "attribute_not_exists(pk) OR #owner = :owner OR #leaseUntilMs <= :now",
      ExpressionAttributeNames: { "#owner": "owner", "#leaseUntilMs": "leaseUntilMs" },
      ExpressionAttributeValues: { ":owner": owner, ":now": nowMs },
    });
  }

  public async releaseLease(cluster: string, owner: string): Promise<boolean> {
    const operation = "releaseLease";
    const key = leaseKey(requireKeyPart(operation, "cluster", cluster));
    try {
      await this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: key,
          ConditionExpression: "#owner = :owner",
          ExpressionAttributeNames: { "#owner": "owner" },
          ExpressionAttributeValues: { ":owner": owner },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailure(error)) return false;
      throw toStateStoreError(operation, error);
    }
  }

  /** A cluster's ENIs on GSI1, all or one state's: one key range, so `listEnis` and `listEniItems` share cursors. */
  private enisRange(operation: string, cluster: string, request: ListEnisRequest): KeyRange {
    const state = request.state === undefined ? undefined : this.checkState(operation, request.state);
    return {
      scope: ["enis", cluster, state ?? null],
      index: GSI1,
      partition: enisByClusterPartition(requireKeyPart(operation, "cluster", cluster)),
      ...(state === undefined ? {} : { sortPrefix: eniStatePrefix(state) }),
    };
  }

  private checkState(operation: string, state: string): BranchEniState {
    const known = BRANCH_ENI_STATES.find((candidate) => candidate === state);
    requireThat(operation, known !== undefined, `unknown state ${JSON.stringify(state)}`);
    return known;
  }

  private async page<T>(
    operation: string,
    range: KeyRange,
    request: PageRequest,
    fromItem: (item: StoredItem, operation: string) => T,
  ): Promise<Page<T>> {
    const page = await this.run(operation, () => queryPage(this.client, this.tableName, range, request, operation));
    const items = page.items.map((item) => fromItem(item, operation));
    return page.cursor === undefined ? { items } : { items, cursor: page.cursor };
  }

  private async getItem(operation: string, key: { pk: string; sk: string }): Promise<StoredItem | undefined> {
    const answer = await this.run(operation, () =>
      this.client.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true })),
    );
    return answer.Item;
  }

  /** A conditional put: true when written, false when the condition did not hold. */
  private async putConditionally(operation: string, input: Omit<PutCommandInput, "TableName">): Promise<boolean> {
    try {
      await this.client.send(new PutCommand({ TableName: this.tableName, ...input }));
      return true;
    } catch (error) {
      if (isConditionalCheckFailure(error)) return false;
      throw toStateStoreError(operation, error);
    }
  }

  /** A conditional update: true when applied, false when the condition did not hold. */
  private async updateConditionally(operation: string, input: Omit<UpdateCommandInput, "TableName">): Promise<boolean> {
    try {
      await this.client.send(new UpdateCommand({ TableName: this.tableName, ...input }));
      return true;
    } catch (error) {
      if (isConditionalCheckFailure(error)) return false;
      throw toStateStoreError(operation, error);
    }
  }

  /** Run SDK calls, turning every failure into a classified `StateStoreError`. */
  private async run<T>(operation: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw toStateStoreError(operation, error);
    }
  }
}
