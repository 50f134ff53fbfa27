import type { Config } from "../core/config.ts";
import { InMemoryStateStore } from "../core/memory/in-memory-state-store.ts";
import type { ClusterSnapshot } from "../core/model/cluster-snapshot.ts";
import type { EniRecord } from "../core/model/eni-record.ts";
import type { Finding } from "../core/model/finding.ts";
import type { PlannedAction } from "../core/model/planned-action.ts";
import type { AccountObserver, ObserveProgress } from "../core/ports/account-observer.ts";
import { disabledNotifier } from "../core/ports/notifier.ts";
import type { ClusterSummary } from "../core/ports/state-store.ts";
import type { PassSummary } from "../core/reconcile/pass-summary.ts";
import { type PassLog, Reconciler } from "../core/reconcile/reconciler.ts";
import { CapturingObserver } from "./capturing-observer.ts";
import { type LeakCandidate, projectLeakCandidates } from "./leak-projection.ts";
import { readFailures } from "./read-failures.ts";
import { RecordingExecutor } from "./recording-executor.ts";

/** Everything one dry-run pass decided, for reports and explanations. */
export interface DryRunPass {
  readonly config: Config;
  readonly summary: PassSummary;
  /** Per cluster: status, VPC and ENI counts by state, as the status API would show them. */
  readonly clusters: readonly ClusterSummary[];
  /** The full snapshots the decisions were made from. */
  readonly snapshots: readonly ClusterSnapshot[];
  /** Every ENI record the pass wrote, by ENI id. */
  readonly records: ReadonlyMap<string, EniRecord>;
  /** Findings of every cluster, each cluster's ordered by kind then resource. */
  readonly findings: readonly Finding[];
  /** What enforce mode would do now, in the order the reconciler decided it. */
  readonly actions: readonly PlannedAction[];
  readonly candidates: readonly LeakCandidate[];
}

export interface DryRunPassOptions {
  readonly log: PassLog;
  /** Only this cluster (the configuration's `CLUSTERS` must allow it). */
  readonly cluster?: string;
  readonly onProgress?: (progress: ObserveProgress) => void;
}

const FINDINGS_PAGE = 500;

/**
 * One full reconcile pass that cannot change anything: the real reconciler and observer, with an
 * in-memory state store (no table), an executor that only records (no EC2 client), no notifications,
 * and `MODE=dry-run` whatever the configuration says. Leak candidates are projected, not decided:
 * see `projectLeakCandidates`.
 */
export const runDryRunPass = async (
  config: Config,
  observer: AccountObserver,
  options: DryRunPassOptions,
): Promise<DryRunPass> => {
  const dryRun: Config = { ...config, mode: "dry-run" };
  const store = new InMemoryStateStore();
  const capturing = new CapturingObserver(observer);
  const executor = new RecordingExecutor();
  const reconciler = new Reconciler({
    config: dryRun,
    observer: capturing,
    store,
    executor,
    notifier: disabledNotifier,
    log: options.log,
  });
  const summary = await reconciler.sweep({
    ...(options.cluster !== undefined ? { cluster: options.cluster } : {}),
    ...(options.onProgress !== undefined ? { onProgress: options.onProgress } : {}),
  });

  const records = new Map<string, EniRecord>();
  const findings: Finding[] = [];
  for (const { cluster } of summary.clusters) {
    for (const record of await store.loadClusterEnis(cluster)) records.set(record.eniId, record);
    let cursor: string | undefined;
    do {
      const page = await store.listFindings(cluster, { limit: FINDINGS_PAGE, ...(cursor ? { cursor } : {}) });
      findings.push(...page.items);
      cursor = page.cursor;
    } while (cursor !== undefined);
  }
  const snapshots = capturing.snapshots;
  return {
    config: dryRun,
    summary,
    clusters: await store.listClusters(),
    snapshots,
    records,
    findings,
    actions: executor.planned,
    candidates: projectLeakCandidates(snapshots, records, dryRun, new Date()),
  };
};

/**
 * What kept a pass from seeing or deciding everything: pass and cluster errors, skipped clusters,
 * and snapshot parts that failed to read. Empty for a complete pass.
 */
export const passProblems = (pass: DryRunPass): string[] => [
  ...pass.summary.errors,
  ...pass.summary.clusters.flatMap((cluster) => [
    ...cluster.errors.map((error) => `${cluster.cluster}: ${error}`),
    ...(cluster.skipped !== undefined ? [`${cluster.cluster}: skipped: ${cluster.skipped}`] : []),
  ]),
  ...pass.snapshots.flatMap((snapshot) =>
    readFailures(snapshot).map(
      (failure) => `${snapshot.cluster.name}: could not read ${failure.part}: ${failure.reason}`,
    ),
  ),
];
