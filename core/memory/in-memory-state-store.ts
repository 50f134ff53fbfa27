import {
  checkEniWrite,
  checkFindingsReplacement,
  checkHistoryStep,
  epochMsOf,
  requireKeyPart,
  requirePositiveInteger,
  requireThat,
} from "../aws/state-input.ts";
import { actionSort, eniByClusterSort, findingKey } from "../aws/state-keys.ts";
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
import { allOf, type Keyed, pageOf } from "./memory-pages.ts";
import {
  copyAction,
  copyEni,
  copyFinding,
  copySummary,
  copyTransition,
  eniListItemOf,
  fullCounts,
} from "./record-copies.ts";

export interface InMemoryStateStoreOptions {
  /** Time of history expiry; defaults to the system clock. */
  readonly clock?: Clock;
}

interface StoredTransition {
  readonly transition: EniTransition;
  /** Epoch seconds after which the step is gone, as DynamoDB TTL would remove it. */
  readonly expiresAt: number;
}

interface StoredFindings {
  /** Observation time of the last pass applied; older passes change nothing. */
  observedAtMs: number;
  /** By the DynamoDB store's sort key: kind, resource, detail digest. */
  readonly items: Map<string, Finding>;
}

interface StoredSummary {
  summary: ClusterSummary;
  lastSweepAtMs: number;
  /** The id of the last count adjustment applied (a retried one is not counted twice). */
  lastAdjustmentId?: string;
}

interface StoredLease {
  readonly owner: string;
  readonly untilMs: number;
}

/**
 * The state store in process memory: the `StateStore` port with the DynamoDB store's semantics
 * (conditional writes, versions, `observedAt` ordering, key orders, opaque query-bound cursors,
 * limits, leases), for runs that need no table, such as `branchkeeper plan`, and for
 * tests. Everything is lost with the process.
 *
 * Each method checks its conditions and writes without yielding in between, so concurrent callers
 * of one store see the same outcomes as concurrent conditional writes to DynamoDB: of many writers
 * of the same version, exactly one wins.
 */
export class InMemoryStateStore implements StateStore {
  private readonly clock: Clock;
  private readonly enis = new Map<string, EniRecord>();
  private readonly history = new Map<string, Map<string, StoredTransition>>();
  private readonly findings = new Map<string, StoredFindings>();
  private readonly actions = new Map<string, Keyed<ActionRecord>>();
  private readonly clusters = new Map<string, StoredSummary>();
  private readonly leases = new Map<string, StoredLease>();

  public constructor(options: InMemoryStateStoreOptions = {}) {
    this.clock = options.clock ?? systemClock;
  }

  public async getEni(eniId: string): Promise<EniRecord | undefined> {
    const stored = this.enis.get(requireKeyPart("getEni", "eniId", eniId));
    return stored && copyEni(stored);
  }

  public async getEnis(eniIds: readonly string[]): Promise<ReadonlyMap<string, EniRecord>> {
    const found = new Map<string, EniRecord>();
    for (const eniId of eniIds) {
      const stored = this.enis.get(requireKeyPart("getEnis", "eniId", eniId));
      if (stored) found.set(eniId, copyEni(stored));
    }
    return found;
  }

  public async putEni(record: EniRecord, expectedVersion?: number): Promise<WriteOutcome> {
    const operation = "putEni";
    const observedAtMs = checkEniWrite(operation, record, expectedVersion);
    const stored = this.enis.get(record.eniId);
    const holds =
      expectedVersion === undefined
        ? stored === undefined
        : stored !== undefined && stored.version === expectedVersion && Date.parse(stored.observedAt) <= observedAtMs;
    if (!holds) return "conflict";
    this.enis.set(record.eniId, copyEni(record));
    return "written";
  }

  public async listEnis(cluster: string, request: ListEnisRequest): Promise<Page<EniRecord>> {
    return this.enisPage("listEnis", cluster, request);
  }

  public async listEniItems(cluster: string, request: ListEnisRequest): Promise<Page<EniListItem>> {
    const page = this.enisPage("listEniItems", cluster, request);
    return { ...page, items: page.items.map(eniListItemOf) };
  }

  public async loadClusterEnis(
    cluster: string,
    options: { readonly states?: readonly BranchEniState[] } = {},
  ): Promise<EniRecord[]> {
    const operation = "loadClusterEnis";
    requireKeyPart(operation, "cluster", cluster);
    if (options.states === undefined) return allOf(this.clusterEnis(cluster));
    // One range per state, in the order asked, as the DynamoDB store reads them.
    return [...new Set(options.states)].flatMap((state) =>
      allOf(this.clusterEnis(cluster, [this.checkState(operation, state)])),
    );
  }

  public async appendTransition(transition: EniTransition, ttlDays: number): Promise<"appended" | "duplicate"> {
    return this.keepStep(transition, checkHistoryStep("appendTransition", transition, ttlDays));
  }

  public async appendTransitions(transitions: readonly EniTransition[], ttlDays: number): Promise<void> {
    // Every step is checked before any is kept, as the DynamoDB store builds its batch first.
    const steps = transitions.map((t) => [t, checkHistoryStep("appendTransitions", t, ttlDays)] as const);
    for (const [transition, placed] of steps) this.keepStep(transition, placed);
  }

  private keepStep(
    transition: EniTransition,
    { key, expiresAt }: ReturnType<typeof checkHistoryStep>,
  ): "appended" | "duplicate" {
    let steps = this.history.get(transition.eniId);
    if (!steps) {
      steps = new Map();
      this.history.set(transition.eniId, steps);
    }
    if (steps.has(key.sk)) return "duplicate";
    steps.set(key.sk, { transition: copyTransition(transition), expiresAt });
    return "appended";
  }

  public async listHistory(eniId: string, request: PageRequest): Promise<Page<EniTransition>> {
    const operation = "listHistory";
    requireKeyPart(operation, "eniId", eniId);
    const nowSeconds = Math.floor(this.clock.now() / 1000);
    const steps = [...(this.history.get(eniId) ?? [])]
      .filter(([, step]) => step.expiresAt > nowSeconds)
      .map(([sortKey, step]) => ({ sortKey, value: copyTransition(step.transition) }));
    return pageOf(operation, { scope: ["history", eniId], descending: true }, steps, request);
  }

  public async replaceFindings(
    cluster: string,
    findings: readonly Finding[],
    observedAt: string,
  ): Promise<ReplaceFindingsResult> {
    const operation = "replaceFindings";
    const observedAtMs = checkFindingsReplacement(operation, cluster, findings, observedAt);
    const stored = this.findings.get(cluster) ?? { observedAtMs, items: new Map<string, Finding>() };
    // A pass older than the last one applied must not undo it.
    if (stored.observedAtMs > observedAtMs) return { outcome: "stale", written: 0, deleted: 0 };
    stored.observedAtMs = observedAtMs;
    this.findings.set(cluster, stored);

    const wanted = new Map(
      findings.map((finding) => [
        findingKey(cluster, finding.kind, finding.resourceId, finding.detail).sk,
        copyFinding(finding),
      ]),
    );
    let written = 0;
    for (const [key, finding] of wanted) {
      // Kind, resource and detail are the key; only the action changes in place. Unchanged findings
      // keep their observedAt, which then tells since when they hold.
      if (stored.items.get(key)?.action === finding.action) continue;
      stored.items.set(key, finding);
      written += 1;
    }
    let deleted = 0;
    for (const key of [...stored.items.keys()]) {
      if (wanted.has(key)) continue;
      stored.items.delete(key);
      deleted += 1;
    }
    return { outcome: "replaced", written, deleted };
  }

  public async listFindings(cluster: string, request: PageRequest): Promise<Page<Finding>> {
    const operation = "listFindings";
    requireKeyPart(operation, "cluster", cluster);
    const items = [...(this.findings.get(cluster)?.items ?? [])].map(([sortKey, finding]) => ({
      sortKey,
      value: copyFinding(finding),
    }));
    return pageOf(operation, { scope: ["findings", cluster] }, items, request);
  }

  public async recordAction(action: ActionRecord): Promise<"recorded" | "duplicate"> {
    const operation = "recordAction";
    requireKeyPart(operation, "id", action.id);
    requireKeyPart(operation, "cluster", action.cluster);
    const atMs = epochMsOf(operation, "at", action.at);
    if (this.actions.has(action.id) && this.actions.get(action.id)?.value.outcome !== "started") return "duplicate";
    this.actions.set(action.id, { sortKey: actionSort(atMs, action.id), value: copyAction(action) });
    return "recorded";
  }

  public async listActions(request: ListActionsRequest): Promise<Page<ActionRecord>> {
    const operation = "listActions";
    const { cluster, kind } = request;
    if (cluster !== undefined) requireKeyPart(operation, "cluster", cluster);
    const matching = [...this.actions.values()]
      .filter(
        ({ value }) => (cluster === undefined || value.cluster === cluster) && (kind ?? value.kind) === value.kind,
      )
      .map(({ sortKey, value }) => ({ sortKey, value: copyAction(value) }));
    return pageOf(
      operation,
      { scope: ["actions", cluster ?? null, kind ?? null], descending: true },
      matching,
      request,
    );
  }

  public async putClusterSummary(summary: ClusterSummary): Promise<WriteOutcome> {
    const operation = "putClusterSummary";
    requireKeyPart(operation, "name", summary.name);
    const lastSweepAtMs = epochMsOf(operation, "lastSweepAt", summary.lastSweepAt);
    const stored = this.clusters.get(summary.name);
    if (stored !== undefined && stored.lastSweepAtMs > lastSweepAtMs) return "conflict";
    this.clusters.set(summary.name, { summary: copySummary(summary), lastSweepAtMs });
    return "written";
  }

  public async adjustClusterCounts(
    cluster: string,
    deltas: Readonly<Partial<Record<BranchEniState, number>>>,
    adjustmentId: string,
  ): Promise<"adjusted" | "no-summary" | "duplicate"> {
    const operation = "adjustClusterCounts";
    requireKeyPart(operation, "cluster", cluster);
    const changes = Object.entries(deltas).filter(([, delta]) => delta !== undefined && delta !== 0);
    for (const [state, delta] of changes) {
      this.checkState(operation, state);
      requireThat(operation, Number.isInteger(delta), `the delta of ${state} must be an integer, got ${delta}`);
    }
    if (changes.length === 0) return "adjusted";
    const stored = this.clusters.get(cluster);
    if (stored === undefined) return "no-summary";
    if (stored.lastAdjustmentId === adjustmentId) return "duplicate";
    stored.lastAdjustmentId = adjustmentId;
    const counts: Partial<Record<BranchEniState, number>> = { ...stored.summary.counts };
    for (const [state, delta] of changes) {
      const known = this.checkState(operation, state);
      counts[known] = (counts[known] ?? 0) + (delta ?? 0);
    }
    stored.summary = { ...stored.summary, counts: fullCounts(counts) };
    return "adjusted";
  }

  public async listClusters(): Promise<ClusterSummary[]> {
    return allOf([...this.clusters].map(([name, stored]) => ({ sortKey: name, value: copySummary(stored.summary) })));
  }

  public async getCluster(name: string): Promise<ClusterSummary | undefined> {
    const stored = this.clusters.get(requireKeyPart("getCluster", "name", name));
    return stored && copySummary(stored.summary);
  }

  public async getHealth(): Promise<Health> {
    let newest: StoredSummary | undefined;
    for (const stored of this.clusters.values()) {
      if (newest === undefined || stored.lastSweepAtMs > newest.lastSweepAtMs) newest = stored;
    }
    return newest === undefined ? {} : { lastSweepAt: newest.summary.lastSweepAt };
  }

  public async acquireLease(cluster: string, owner: string, ttlSeconds: number, now: Date): Promise<boolean> {
    const operation = "acquireLease";
    requireKeyPart(operation, "cluster", cluster);
    requireKeyPart(operation, "owner", owner);
    requirePositiveInteger(operation, "ttlSeconds", ttlSeconds);
    const nowMs = now.getTime();
    requireThat(operation, Number.isFinite(nowMs), "now is not a valid date");
    const held = this.leases.get(cluster);
    if (held !== undefined && held.owner !== owner && held.untilMs > nowMs) return false;
    this.leases.set(cluster, { owner, untilMs: nowMs + ttlSeconds * 1000 });
    return true;
  }

  public async releaseLease(cluster: string, owner: string): Promise<boolean> {
    requireKeyPart("releaseLease", "cluster", cluster);
    if (this.leases.get(cluster)?.owner !== owner) return false;
    this.leases.delete(cluster);
    return true;
  }

  /** One page of a cluster's records; `listEnis` and `listEniItems` list the same pages, with the same cursors. */
  private enisPage(operation: string, cluster: string, request: ListEnisRequest): Page<EniRecord> {
    requireKeyPart(operation, "cluster", cluster);
    const state = request.state === undefined ? undefined : this.checkState(operation, request.state);
    return pageOf(
      operation,
      { scope: ["enis", cluster, state ?? null] },
      this.clusterEnis(cluster, state === undefined ? undefined : [state]),
      request,
    );
  }

  /** A cluster's records keyed as the DynamoDB store orders them: by state name, then ENI id. */
  private clusterEnis(cluster: string, states?: readonly BranchEniState[]): Keyed<EniRecord>[] {
    return [...this.enis.values()]
      .filter((record) => record.cluster === cluster && (states === undefined || states.includes(record.state)))
      .map((record) => ({ sortKey: eniByClusterSort(record.state, record.eniId), value: copyEni(record) }));
  }

  private checkState(operation: string, state: string): BranchEniState {
    const known = BRANCH_ENI_STATES.find((candidate) => candidate === state);
    requireThat(operation, known !== undefined, `unknown state ${JSON.stringify(state)}`);
    return known;
  }
}
