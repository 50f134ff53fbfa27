import type { Config } from "../config.ts";
import { confirmLeakBeforeDelete } from "../decide/confirm-leak.ts";
import type { PassInfo } from "../decide/eni-lifecycle.ts";
import { mergeFollowUps, planCappedFollowUp, planFollowUp } from "../decide/follow-up.ts";
import type { DeleteEniAction } from "../decide/leak-reclamation.ts";
import { planCluster } from "../decide/reconcile-plan.ts";
import type { ReconcileTrigger } from "../events/reconcile-trigger.ts";
import type { ActionOutcome, ActionRecord } from "../model/action-record.ts";
import { BRANCH_ENI_STATES, type BranchEniState } from "../model/branch-eni-state.ts";
import type { ClusterSnapshot, SnapshotScope } from "../model/cluster-snapshot.ts";
import type { EniRecord, EniTransition } from "../model/eni-record.ts";
import type { ClusterInfo } from "../model/observed.ts";
import { actionTarget, type PlannedAction } from "../model/planned-action.ts";
import type { AccountObserver, ObserveProgress } from "../ports/account-observer.ts";
import type { ActionExecutor, ExecutedAction } from "../ports/action-executor.ts";
import type { FollowUp, FollowUpScheduler } from "../ports/follow-up-scheduler.ts";
import type { Notification, Notifier } from "../ports/notifier.ts";
import type { StateStore } from "../ports/state-store.ts";
import { mapWithLimit } from "../support/map-with-limit.ts";
import { DeleteBudget } from "./delete-budget.ts";
import { changeNotifications, conflictNotifications, leakedNotifications } from "./pass-notifications.ts";
import { type ClusterPassSummary, countAction, emptyClusterSummary, type PassSummary } from "./pass-summary.ts";
import { countDeltas, moveRecord } from "./record-changes.ts";

/**
 * How long an event pass may reuse the cluster list of an earlier pass. Sweeps and events that name
 * a cluster (EKS DeleteCluster, …) always discover afresh, so a deleted cluster is never missed.
 */
const DISCOVERY_REUSE_MS = 5 * 60_000;

/** Record and history writes in flight at once: a first sweep of 100k ENIs writes 200k items. */
const STORE_WRITE_CONCURRENCY = 16;

/** Where a pass reports what it does; the Lambda functions pass the Powertools logger. */
export interface PassLog {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface ReconcilerDependencies {
  readonly config: Config;
  readonly observer: AccountObserver;
  readonly store: StateStore;
  readonly executor: ActionExecutor;
  readonly notifier: Notifier;
  readonly log: PassLog;
  /** Schedules a pass for when suspects leave their grace; without it, the next sweep reclaims them. */
  readonly followUps?: FollowUpScheduler;
  readonly now?: () => Date;
  readonly newId?: () => string;
  /** History steps expire after this many days (DynamoDB TTL). Default 90. */
  readonly historyTtlDays?: number;
  /** A full pass holds its clusters' leases this long; longer than a Lambda can run. Default 900. */
  readonly leaseSeconds?: number;
}

export interface SweepOptions {
  /** Only this cluster (it must be configured, or `CLUSTERS=*`). */
  readonly cluster?: string;
  readonly onProgress?: (progress: ObserveProgress) => void;
}

/** Where an audit entry is stored: its id and time, kept from `started` to the outcome. */
interface AuditEntry {
  readonly id: string;
  readonly at: string;
}

interface Pass {
  readonly info: PassInfo;
  readonly summary: PassSummary;
  /** Deletions still allowed in this run (MAX_DELETES_PER_RUN spans clusters, and a batch's passes). */
  readonly deleteBudget: DeleteBudget;
  readonly notifications: Notification[];
  /** The pass is itself a follow-up: suspects still within their grace get another one. */
  readonly followUp: boolean;
  readonly followUps: FollowUp[];
  /** Leaked ENIs whose deletion the per-run cap stopped, by cluster. */
  readonly capped: Map<string, string[]>;
}

/**
 * The reconciler: observe → decide (pure, `core/decide`) → persist → act → record → notify.
 *
 * Safety lives in the order of these steps: records (and so leak evidence) are written before any
 * action; a deletion happens only for a record this pass wrote or confirmed as `leaked`, after a
 * fresh single-ENI describe still shows evidence, and only after the record says `deleting`.
 */
export class Reconciler {
  private readonly d: ReconcilerDependencies;
  private readonly now: () => Date;
  private readonly newId: () => string;
  private discovered: { readonly at: number; readonly clusters: ClusterInfo[] } | undefined;
  /** Results whose audit entry `executeAudited` already wrote. */
  private readonly audited = new WeakSet<ExecutedAction>();

  public constructor(dependencies: ReconcilerDependencies) {
    this.d = dependencies;
    this.now = dependencies.now ?? (() => new Date());
    this.newId = dependencies.newId ?? (() => crypto.randomUUID());
  }

  /** A full pass over every configured cluster (or one), one cluster lease each. */
  public async sweep(options: SweepOptions = {}): Promise<PassSummary> {
    const passId = `sweep-${this.newId()}`;
    const pass = this.startPass(passId, `sweep:${passId}`, "full", false);
    const clusters = await this.discover(pass, options.cluster ? [options.cluster] : undefined);
    await this.runScope(pass, clusters, { kind: "full" }, options.onProgress);
    return this.finish(pass);
  }

  /** A fresh `MAX_DELETES_PER_RUN` budget, for passes that make one run together (`handleTrigger`). */
  public deleteBudget(): DeleteBudget {
    return new DeleteBudget(this.d.config.maxDeletesPerRun);
  }

  /**
   * A pass for one event (or a merged batch of them): only what it touched, unless it asks for a
   * full view. Passes given the same `budget` share `MAX_DELETES_PER_RUN`; without one, the pass
   * has its own.
   */
  public async handleTrigger(trigger: ReconcileTrigger, budget?: DeleteBudget): Promise<PassSummary> {
    const passId = `event-${trigger.eventId}`;
    const kinds = new Set(trigger.scopes.map((scope) => scope.kind));
    const scopeKind = kinds.size === 1 ? (trigger.scopes[0]?.kind ?? "full") : "mixed";
    const pass = this.startPass(passId, `event:${trigger.eventId}`, scopeKind, trigger.followUp === true, budget);
    const clusters = await this.discover(pass, trigger.clusters, true);
    for (const scope of trigger.scopes) await this.runScope(pass, clusters, scope);
    return this.finish(pass);
  }

  private startPass(
    passId: string,
    cause: string,
    scope: PassSummary["scope"],
    followUp: boolean,
    budget?: DeleteBudget,
  ): Pass {
    const now = this.now();
    return {
      info: { now, passId, cause },
      summary: {
        passId,
        cause,
        mode: this.d.config.mode,
        scope,
        startedAt: now.toISOString(),
        finishedAt: "",
        clusters: [],
        errors: [],
      },
      deleteBudget: budget ?? this.deleteBudget(),
      notifications: [],
      followUp,
      followUps: [],
      capped: new Map(),
    };
  }

  /**
   * The clusters to look at: the configured ones, narrowed to `requested` when given. With `reuse`, an
   * event pass that names no cluster takes the last complete discovery if it is recent: with
   * `CLUSTERS=*` a discovery lists every owned ENI, far more than the scoped pass itself costs.
   */
  private async discover(pass: Pass, requested: readonly string[] | undefined, reuse = false): Promise<ClusterInfo[]> {
    const configured = this.d.config.clusters;
    const wanted =
      requested === undefined
        ? configured
        : configured === "*"
          ? requested
          : requested.filter((name) => configured.includes(name));
    if (wanted !== "*" && wanted.length === 0) {
      pass.summary.errors.push(
        `discover: none of ${requested?.join(", ")} is a configured cluster (CLUSTERS=${configured === "*" ? "*" : configured.join(",")})`,
      );
      return [];
    }
    const everyConfigured = requested === undefined;
    const now = this.now().getTime();
    if (everyConfigured && reuse && this.discovered && now - this.discovered.at < DISCOVERY_REUSE_MS) {
      return this.discovered.clusters;
    }
    try {
      const clusters = await this.d.observer.discoverClusters(wanted, {
        onError: (error) => this.d.log.warn("cluster discovery call failed", { error: error.message }),
      });
      // Only a complete answer is worth reusing: an `unknown` cluster must be asked about again.
      if (everyConfigured && clusters.every((cluster) => cluster.status !== "unknown")) {
        this.discovered = { at: now, clusters };
      }
      return clusters;
    } catch (error) {
      pass.summary.errors.push(`discover: ${messageOf(error)}`);
      this.d.log.error("cluster discovery failed", { error: messageOf(error) });
      return [];
    }
  }

  private async runScope(
    pass: Pass,
    clusters: readonly ClusterInfo[],
    scope: SnapshotScope,
    onProgress?: (progress: ObserveProgress) => void,
  ): Promise<void> {
    const full = scope.kind === "full";
    const ready: ClusterInfo[] = [];
    for (const cluster of clusters) {
      const summary = this.clusterSummary(pass, cluster);
      if (cluster.status === "unknown") {
        summary.skipped = "EKS could not be asked about this cluster: nothing is decided on an unknown status";
        // An error, so that an event pass is retried (SQS redelivers it) rather than acknowledged.
        summary.errors.push("discover: EKS could not be asked about this cluster; retry later");
        continue;
      }
      if (
        full &&
        !(await this.d.store.acquireLease(cluster.name, pass.info.passId, this.d.leaseSeconds ?? 900, this.now()))
      ) {
        summary.skipped = "another pass holds this cluster's lease";
        summary.errors.push("lease: another pass holds this cluster's lease; retry later");
        continue;
      }
      ready.push(cluster);
    }
    if (ready.length === 0) return;
    try {
      const snapshots = await this.d.observer.observe(ready, scope, {
        ...(onProgress ? { onProgress } : {}),
        onError: (error) => this.d.log.warn("describe call failed", { error: error.message, scope: scope.kind }),
      });
      for (const snapshot of snapshots) {
        const summary = this.clusterSummary(pass, snapshot.cluster);
        try {
          await this.processCluster(pass, snapshot, summary);
        } catch (error) {
          summary.errors.push(`process: ${messageOf(error)}`);
          this.d.log.error("cluster pass failed", { cluster: snapshot.cluster.name, error: messageOf(error) });
        }
      }
    } catch (error) {
      pass.summary.errors.push(`observe ${scope.kind}: ${messageOf(error)}`);
      this.d.log.error("observation failed", { scope: scope.kind, error: messageOf(error) });
    } finally {
      if (full) {
        await Promise.all(ready.map((cluster) => this.releaseLease(cluster.name, pass.info.passId)));
      }
    }
  }

  /**
   * A lease that could not be released expires by itself: until then other full passes skip the
   * cluster (event passes do not take leases), so say so rather than fail a pass whose work is done.
   */
  private async releaseLease(cluster: string, passId: string): Promise<void> {
    try {
      await this.d.store.releaseLease(cluster, passId);
    } catch (error) {
      this.d.log.warn("cluster lease not released: full passes skip the cluster until it expires", {
        cluster,
        leaseSeconds: this.d.leaseSeconds ?? 900,
        error: messageOf(error),
      });
    }
  }

  private async processCluster(pass: Pass, snapshot: ClusterSnapshot, summary: ClusterPassSummary): Promise<void> {
    const { config, store } = this.d;
    const name = snapshot.cluster.name;
    const full = snapshot.scope.kind === "full";
    summary.enisObserved = snapshot.branchEnis.size;
    summary.incomplete = [...snapshot.incomplete.keys()];

    const records = full
      ? new Map((await store.loadClusterEnis(name)).map((record) => [record.eniId, record] as const))
      : await store.getEnis([...new Set([...snapshot.branchEnis.keys(), ...(snapshot.lookedUp?.eniIds ?? [])])]);
    const plan = planCluster(snapshot, records, pass.info, config, { deleteBudget: pass.deleteBudget.remaining });
    summary.held = plan.held.length;

    // Persist first: evidence must be durable before anything acts on it.
    const current = new Map(records);
    const transitions: EniTransition[] = [];
    const outcomes = await mapWithLimit(plan.records, STORE_WRITE_CONCURRENCY, (decision) =>
      store.putEni(decision.record, records.get(decision.record.eniId)?.version),
    );
    plan.records.forEach((decision, i) => {
      if (outcomes[i] === "conflict") {
        summary.writeConflicts += 1;
        return;
      }
      current.set(decision.record.eniId, decision.record);
      if (decision.transition) transitions.push(decision.transition);
    });
    // History too: a process that dies while acting must not leave a record without its steps.
    await this.d.store.appendTransitions(transitions, this.historyTtlDays);

    const deletions = plan.actions.filter((a): a is DeleteEniAction => a.kind === "delete-eni");
    const others = plan.actions.filter((a) => a.kind !== "delete-eni");
    const executed: ExecutedAction[] = [];
    for (const action of deletions) {
      const record = current.get(action.eniId);
      // Only act on what this pass holds durably as leaked: a lost write means another pass knows better.
      if (!record || (record.state !== "leaked" && record.state !== "deleting")) continue;
      // A deletion another pass began may still be under way: retry it only once that pass must be over.
      if (record.state === "deleting" && !this.interrupted(record, pass.info.now)) {
        summary.held += 1;
        continue;
      }
      const result = await this.reclaim(pass, action, record, snapshot, { transitions, current, summary });
      executed.push(result);
    }
    executed.push(...(await this.executeAudited(others, summary)));
    for (const result of executed) if (!this.audited.has(result)) await this.audit(result, summary);

    // Every step is in the history already (above, and as `reclaim` moved records): count them.
    for (const transition of transitions) {
      summary.transitions[transition.to] = (summary.transitions[transition.to] ?? 0) + 1;
    }
    for (const finding of plan.findings) summary.findings[finding.kind] = (summary.findings[finding.kind] ?? 0) + 1;
    const followUp = planFollowUp(name, current.values(), pass.info, config.leakGraceSeconds, pass.followUp);
    if (followUp) pass.followUps.push(followUp);
    const capped =
      config.mode === "enforce"
        ? planCappedFollowUp(
            name,
            [...plan.held.filter((h) => h.capped).map((h) => h.eniId), ...(pass.capped.get(name) ?? [])],
            pass.info.now,
          )
        : undefined;
    if (capped) pass.followUps.push(capped);

    const known = full ? await this.knownConflicts(name) : new Set<string>();
    if (full) await store.replaceFindings(name, plan.findings, snapshot.observedAt.toISOString());
    pass.notifications.push(
      ...leakedNotifications(transitions),
      ...changeNotifications(executed),
      ...(full ? conflictNotifications(plan.findings, known) : []),
    );

    if (full) {
      const counts = Object.fromEntries(BRANCH_ENI_STATES.map((s) => [s, 0])) as Record<BranchEniState, number>;
      for (const record of current.values()) if (record.cluster === name) counts[record.state] += 1;
      await store.putClusterSummary({
        name,
        status: snapshot.cluster.status,
        ...(snapshot.cluster.vpcId ? { vpcId: snapshot.cluster.vpcId } : {}),
        counts,
        lastSweepAt: pass.info.now.toISOString(),
      });
    } else if (transitions.length > 0) {
      await store.adjustClusterCounts(name, countDeltas(transitions), pass.info.passId);
    }
  }

  /**
   * Delete one leaked ENI, guarded: a fresh describe must still show evidence (any kind), the record
   * moves to `deleting` before the call, and to `deleted` only when EC2 accepted it (or says NotFound).
   * In dry-run the guard is not consulted: nothing is sent, and the audit says what would happen.
   */
  private async reclaim(
    pass: Pass,
    action: DeleteEniAction,
    record: EniRecord,
    snapshot: ClusterSnapshot,
    into: {
      readonly transitions: EniTransition[];
      readonly current: Map<string, EniRecord>;
      readonly summary: ClusterPassSummary;
    },
  ): Promise<ExecutedAction> {
    const { transitions, current, summary } = into;
    const { config, store, observer, executor } = this.d;
    if (pass.deleteBudget.remaining <= 0) {
      pass.capped.set(action.cluster, [...(pass.capped.get(action.cluster) ?? []), action.eniId]);
      return { action, outcome: "suppressed", detail: `MAX_DELETES_PER_RUN (${config.maxDeletesPerRun}) reached` };
    }
    if (config.mode === "dry-run") {
      // The cap spans clusters in dry-run too, so the audit shows exactly what enforce would do.
      pass.deleteBudget.spend();
      return (await executor.execute([action], "dry-run"))[0] ?? { action, outcome: "dry-run" };
    }

    let fresh: Awaited<ReturnType<AccountObserver["recheckBranchEni"]>>;
    try {
      fresh = await observer.recheckBranchEni(action.eniId);
    } catch (error) {
      return {
        action,
        outcome: "suppressed",
        detail: `fresh describe failed, not deleting on a partial view: ${messageOf(error)}`,
      };
    }
    const confirmation = confirmLeakBeforeDelete(fresh, action.evidence, snapshot.cluster.status);
    const at = this.now();
    const write = async (
      next: { record: EniRecord; transition: EniTransition },
      expected: number,
    ): Promise<boolean> => {
      if ((await store.putEni(next.record, expected)) === "conflict") return false;
      await this.appendHistory(next.transition);
      transitions.push(next.transition);
      current.set(next.record.eniId, next.record);
      return true;
    };
    if (confirmation.verdict === "abort") return { action, outcome: "suppressed", detail: confirmation.reason };
    if (confirmation.verdict === "already-gone") {
      // An interrupted deletion of ours may have gone through before the interruption.
      const gone =
        record.state === "deleting"
          ? moveRecord(record, "deleted", `Deleted by Branchkeeper: ${confirmation.reason}`, at, pass.info.cause)
          : moveRecord(
              record,
              "gone",
              `Gone before Branchkeeper deleted it: ${confirmation.reason}`,
              at,
              pass.info.cause,
            );
      if (!(await write(gone, record.version))) {
        return {
          action,
          outcome: "suppressed",
          detail: "the record changed during this pass (another pass handled it); the next pass decides again",
        };
      }
      return { action, outcome: "already-done", detail: confirmation.reason };
    }

    // The claim: of passes racing for this ENI, only the one whose conditional write lands deletes it.
    // An interrupted deletion is claimed again too (a `deleting` → `deleting` step in its history).
    const retry = record.state === "deleting" ? "Retrying an interrupted deletion. " : "";
    const claim = moveRecord(
      record,
      "deleting",
      `${retry}Deleting: ${action.reason} Fresh describe confirmed: ${confirmation.reason}`,
      at,
      pass.info.cause,
    );
    if (!(await write(claim, record.version))) {
      return {
        action,
        outcome: "suppressed",
        detail: "the record changed during this pass; the next pass decides again",
      };
    }
    const deleting = claim.record;
    pass.deleteBudget.spend();
    const guarded: DeleteEniAction = {
      ...action,
      ...(confirmation.associationId ? { associationId: confirmation.associationId } : {}),
    };
    const [result] = await this.executeAudited([guarded], summary, { maxDeletes: 1 });
    const outcome = result ?? {
      action: guarded,
      outcome: "failed" as ActionOutcome,
      detail: "the executor returned no result",
    };
    if (outcome.outcome === "succeeded" || outcome.outcome === "already-done") {
      const deleted = (from: EniRecord) =>
        moveRecord(from, "deleted", `Deleted by Branchkeeper: ${action.reason}`, this.now(), pass.info.cause);
      if (!(await write(deleted(deleting), deleting.version))) {
        // Another pass rewrote the record meanwhile (it saw the deletion under way): the deletion happened.
        const latest = await store.getEni(action.eniId);
        if (latest?.state === "deleting") await write(deleted(latest), latest.version);
      }
    }
    return outcome;
  }

  /** Days a history step is kept (DynamoDB TTL). */
  private get historyTtlDays(): number {
    return this.d.historyTtlDays ?? 90;
  }

  private async appendHistory(transition: EniTransition): Promise<void> {
    await this.d.store.appendTransition(transition, this.historyTtlDays);
  }

  /**
   * True when the deletion a `deleting` record stands for cannot still be under way: it began longer
   * ago than any pass can run (the lease duration, longer than a Lambda's 15 minutes).
   */
  private interrupted(record: EniRecord, now: Date): boolean {
    return now.getTime() - Date.parse(record.stateSince) >= (this.d.leaseSeconds ?? 900) * 1000;
  }

  /**
   * Execute actions with a write-ahead audit: in enforce mode each entry is recorded `started` before
   * the call and replaced by its outcome after it, so a process that dies in between leaves a trace.
   */
  private async executeAudited(
    actions: readonly PlannedAction[],
    summary: ClusterPassSummary,
    options?: { readonly maxDeletes?: number },
  ): Promise<ExecutedAction[]> {
    const { config, executor } = this.d;
    if (actions.length === 0) return [];
    if (config.mode === "dry-run") return executor.execute(actions, "dry-run", options);
    const entries = actions.map((action) => ({ action, id: this.newId(), at: this.now().toISOString() }));
    await mapWithLimit(entries, STORE_WRITE_CONCURRENCY, (entry) =>
      this.d.store.recordAction(this.auditRecord({ action: entry.action, outcome: "started" }, entry)),
    );
    const results = await executor.execute(actions, "enforce", options);
    for (const [i, result] of results.entries()) {
      await this.audit(result, summary, entries[i]);
      this.audited.add(result);
    }
    return results;
  }

  private auditRecord(result: ExecutedAction, entry: AuditEntry): ActionRecord {
    const action: PlannedAction = result.action;
    return {
      id: entry.id,
      at: entry.at,
      kind: action.kind,
      cluster: action.cluster,
      target: actionTarget(action),
      mode: this.d.config.mode,
      outcome: result.outcome,
      reason: action.reason,
      ...(result.detail ? { detail: result.detail } : {}),
    };
  }

  private async audit(
    result: ExecutedAction,
    summary: ClusterPassSummary,
    entry: AuditEntry = { id: this.newId(), at: this.now().toISOString() },
  ): Promise<void> {
    const action: PlannedAction = result.action;
    countAction(summary, action.kind, result.outcome);
    await this.d.store.recordAction(this.auditRecord(result, entry));
    if (result.outcome === "failed")
      this.d.log.warn("action failed", { kind: action.kind, target: actionTarget(action), detail: result.detail });
  }

  /** Conflict findings already stored, so that a conflict is notified once, not every sweep. */
  private async knownConflicts(cluster: string): Promise<Set<string>> {
    const known = new Set<string>();
    let cursor: string | undefined;
    do {
      const page = await this.d.store.listFindings(cluster, { limit: 500, ...(cursor ? { cursor } : {}) });
      for (const f of page.items) known.add(`${f.kind}:${f.resourceId}`);
      cursor = page.cursor;
    } while (cursor);
    return known;
  }

  private clusterSummary(pass: Pass, cluster: ClusterInfo): ClusterPassSummary {
    let summary = pass.summary.clusters.find((c) => c.cluster === cluster.name);
    if (!summary) {
      summary = emptyClusterSummary(cluster.name, cluster.status);
      pass.summary.clusters.push(summary);
    }
    return summary;
  }

  private async finish(pass: Pass): Promise<PassSummary> {
    if (pass.notifications.length > 0 && this.d.notifier.enabled) {
      try {
        await this.d.notifier.notify(pass.notifications);
      } catch (error) {
        pass.summary.errors.push(`notify: ${messageOf(error)}`);
        this.d.log.error("notifications not delivered", { error: messageOf(error), count: pass.notifications.length });
      }
    }
    await this.scheduleFollowUps(pass);
    pass.summary.finishedAt = this.now().toISOString();
    return pass.summary;
  }

  /**
   * Ask for a pass when this pass's suspects leave their grace. A failure is reported, not raised:
   * the evidence is recorded, and the next sweep reclaims them (later than it could have).
   */
  private async scheduleFollowUps(pass: Pass): Promise<void> {
    if (pass.followUps.length === 0 || !this.d.followUps) return;
    const followUps = mergeFollowUps(pass.followUps);
    const eniCount = followUps.reduce((n, followUp) => n + followUp.eniIds.length, 0);
    try {
      await this.d.followUps.schedule(followUps, this.now());
      pass.summary.followUps = { scheduled: eniCount, dueAt: followUps.map((f) => f.dueAt).sort()[0] ?? "" };
    } catch (error) {
      pass.summary.followUps = { scheduled: 0, error: messageOf(error) };
      this.d.log.warn("follow-up not scheduled: the next sweep reclaims these suspects after their grace", {
        error: messageOf(error),
        enis: eniCount,
      });
    }
  }
}

const messageOf = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);
