import type { Mode } from "../../core/config.ts";
import type { ActionOutcome } from "../../core/model/action-record.ts";
import type { BranchEniState } from "../../core/model/branch-eni-state.ts";
import type { FindingKind } from "../../core/model/finding.ts";
import type { ActionKind } from "../../core/model/planned-action.ts";
import type { Page, PageRequest, StateStore } from "../../core/ports/state-store.ts";
import { MAX_PAGE_LIMIT } from "../../core/ports/state-store.ts";
import type { PassSummary } from "../../core/reconcile/pass-summary.ts";
import type { EventCounts } from "./event-pump.ts";
import { reportNotes } from "./report-notes.ts";
import type { SimStats } from "./sim-control.ts";

/**
 * Targets per action kind, by the outcome of the latest action on each: a rule authorized, then found
 * already there, counts once as `already-done`; an ENI held in one pass and deleted in the next, once as
 * `succeeded`.
 */
export type ActionCounts = Partial<Record<ActionKind, Partial<Record<ActionOutcome, number>>>>;

export interface ReportedFinding {
  readonly kind: FindingKind;
  readonly resourceId: string;
  readonly detail: string;
  /** What was done, or would be done in dry-run. */
  readonly action: string;
}

/** One cluster, as the state table holds it after the run. */
export interface ClusterReport {
  readonly name: string;
  readonly status: string;
  readonly vpcId?: string;
  readonly lastSweepAt: string;
  /** Branch ENIs tracked, by state (what `GET /v1/clusters` answers). */
  readonly enis: Readonly<Record<BranchEniState, number>>;
  /** When the first `suspect` ENI becomes reclaimable: its evidence's first record plus the grace. */
  readonly suspectReclaimableFrom?: string;
  /** Leaked ENIs the last sweep did not delete (skip tag, per-run cap, partial view, …). */
  readonly held: number;
  /** The audit log of the run. */
  readonly actions: ActionCounts;
  /** Current cluster-tag and backend-rule findings (of the cluster's last full pass). */
  readonly findings: readonly ReportedFinding[];
  /** Errors the last sweep reported for this cluster. */
  readonly errors: readonly string[];
}

export interface SweepReport {
  readonly passId: string;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly errors: readonly string[];
}

/** AWS API calls the run made, from the simulator's counters (reset just before the run). */
export interface ApiCallReport {
  readonly total: number;
  /** Calls per service (`ec2`, `elbv2`, `eks`, `dynamodb`, `sts`, …). */
  readonly byService: Readonly<Record<string, number>>;
  /** EC2 calls per action, most first: the budget Branchkeeper shares with everything else in the account. */
  readonly ec2: Readonly<Record<string, number>>;
  readonly throttled: number;
  readonly errors: number;
}

/** Where the run took its time, in milliseconds. */
export interface RunTimings {
  /** Booting the simulator and building the demo account. */
  readonly simulatorMs: number;
  /** Replaying the bus through the rules into the events function. */
  readonly eventsMs: number;
  readonly sweepsMs: number;
  /** Waiting out a short grace between the sweeps. */
  readonly graceWaitMs: number;
  readonly totalMs: number;
}

/** What `npm start` prints: as text, or as this JSON with `--json`. */
export interface LocalReport {
  readonly mode: Mode;
  readonly leakGraceSeconds: number;
  readonly tableName: string;
  readonly simulator: { readonly endpoint: string; readonly scenario: "demo"; readonly buildMs: number };
  /** Base URL of the status API; absent with `--once`. */
  readonly statusApi?: string;
  readonly events: EventCounts;
  readonly sweeps: readonly SweepReport[];
  readonly clusters: readonly ClusterReport[];
  readonly apiCalls: ApiCallReport;
  /** Sentences an operator should read: what the mode means, why leaks still wait, busy ports, failures. */
  readonly notes: readonly string[];
  readonly timings: RunTimings;
}

/** Every item of a paginated listing. */
const readAll = async <T>(list: (request: PageRequest) => Promise<Page<T>>): Promise<T[]> => {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await list({ limit: MAX_PAGE_LIMIT, ...(cursor === undefined ? {} : { cursor }) });
    items.push(...page.items);
    cursor = page.cursor;
  } while (cursor !== undefined);
  return items;
};

/** Per cluster: how many targets of each kind ended in each outcome. */
const actionCountsByCluster = async (store: StateStore): Promise<Map<string, ActionCounts>> => {
  const byCluster = new Map<string, ActionCounts>();
  const seen = new Set<string>();
  // The audit log lists newest first: the first entry of a target is its latest.
  for (const action of await readAll((request) => store.listActions(request))) {
    const target = JSON.stringify([action.cluster, action.kind, action.target]);
    if (seen.has(target)) continue;
    seen.add(target);
    const counts = byCluster.get(action.cluster) ?? {};
    const outcomes = counts[action.kind] ?? {};
    outcomes[action.outcome] = (outcomes[action.outcome] ?? 0) + 1;
    counts[action.kind] = outcomes;
    byCluster.set(action.cluster, counts);
  }
  return byCluster;
};

const earliestReclaimable = async (
  store: StateStore,
  cluster: string,
  graceSeconds: number,
): Promise<string | undefined> => {
  const suspects = await readAll((request) => store.listEnis(cluster, { ...request, state: "suspect" }));
  const firsts = suspects.flatMap((record) => (record.evidence ? [Date.parse(record.evidence.firstRecordedAt)] : []));
  return firsts.length === 0 ? undefined : new Date(Math.min(...firsts) + graceSeconds * 1000).toISOString();
};

/** Calls per service and EC2 calls per action, from `service:Action` counters. */
export const apiCallReport = (stats: SimStats): ApiCallReport => {
  const byService: Record<string, number> = {};
  const ec2: [string, number][] = [];
  for (const [key, n] of Object.entries(stats.calls)) {
    const [service = key, action = ""] = key.split(":");
    byService[service] = (byService[service] ?? 0) + n;
    if (service === "ec2") ec2.push([action, n]);
  }
  const sum = (counts: Readonly<Record<string, number>>) => Object.values(counts).reduce((a, b) => a + b, 0);
  return {
    total: stats.totalCalls,
    byService,
    ec2: Object.fromEntries(ec2.sort(([a, x], [b, y]) => y - x || a.localeCompare(b))),
    throttled: sum(stats.throttled),
    errors: sum(stats.errors),
  };
};

/** What the report is made of. */
export interface ReportInputs {
  readonly mode: Mode;
  readonly graceSeconds: number;
  readonly tableName: string;
  readonly endpoint: string;
  readonly buildMs: number;
  readonly statusApi?: string;
  readonly store: StateStore;
  readonly events: EventCounts;
  readonly sweeps: readonly { readonly summary: PassSummary; readonly durationMs: number }[];
  readonly stats: SimStats;
  /** Notes about the run itself (busy ports), before those derived from the report. */
  readonly notes: readonly string[];
  readonly timings: RunTimings;
}

const passErrors = (summary: PassSummary): string[] => [
  ...summary.errors,
  ...summary.clusters.flatMap((cluster) => cluster.errors.map((error) => `${cluster.cluster}: ${error}`)),
];

/** The report of a run: clusters, states and findings as the state table holds them, actions from its audit log. */
export const buildLocalReport = async (inputs: ReportInputs): Promise<LocalReport> => {
  const { store } = inputs;
  const actions = await actionCountsByCluster(store);
  const lastSweep = inputs.sweeps.at(-1)?.summary;
  const clusters = await Promise.all(
    (await store.listClusters()).map(async (cluster): Promise<ClusterReport> => {
      const findings = await readAll((request) => store.listFindings(cluster.name, request));
      const swept = lastSweep?.clusters.find((c) => c.cluster === cluster.name);
      const reclaimableFrom =
        cluster.counts.suspect > 0 ? await earliestReclaimable(store, cluster.name, inputs.graceSeconds) : undefined;
      return {
        name: cluster.name,
        status: cluster.status,
        ...(cluster.vpcId === undefined ? {} : { vpcId: cluster.vpcId }),
        lastSweepAt: cluster.lastSweepAt,
        enis: cluster.counts,
        ...(reclaimableFrom === undefined ? {} : { suspectReclaimableFrom: reclaimableFrom }),
        held: swept?.held ?? 0,
        actions: actions.get(cluster.name) ?? {},
        findings: findings.map(({ kind, resourceId, detail, action }) => ({ kind, resourceId, detail, action })),
        errors: swept?.errors ?? [],
      };
    }),
  );
  const report: Omit<LocalReport, "notes"> = {
    mode: inputs.mode,
    leakGraceSeconds: inputs.graceSeconds,
    tableName: inputs.tableName,
    simulator: { endpoint: inputs.endpoint, scenario: "demo", buildMs: inputs.buildMs },
    ...(inputs.statusApi === undefined ? {} : { statusApi: inputs.statusApi }),
    events: inputs.events,
    sweeps: inputs.sweeps.map(({ summary, durationMs }) => ({
      passId: summary.passId,
      startedAt: summary.startedAt,
      durationMs: Math.round(durationMs),
      errors: passErrors(summary),
    })),
    clusters,
    apiCalls: apiCallReport(inputs.stats),
    timings: inputs.timings,
  };
  return { ...report, notes: [...inputs.notes, ...reportNotes(report)] };
};
