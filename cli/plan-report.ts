import { BRANCH_ENI_STATES } from "../core/model/branch-eni-state.ts";
import type { Finding } from "../core/model/finding.ts";
import type { ClusterSummary } from "../core/ports/state-store.ts";
import type { ClusterPassSummary, PassSummary } from "../core/reconcile/pass-summary.ts";
import { type DryRunPass, passProblems } from "./dry-run-pass.ts";
import type { LeakCandidate } from "./leak-projection.ts";
import { type ReadFailure, readFailures } from "./read-failures.ts";
import { type ReportedAction, reportedAction } from "./reported-action.ts";
import { renderTable, wrapParagraph } from "./text-table.ts";

export interface PlanCluster extends ClusterSummary {
  readonly enisObserved: number;
  readonly skipped?: string;
  /** Parts that failed to read: destructive actions relying on them were held. */
  readonly unread: readonly ReadFailure[];
  readonly errors: readonly string[];
}

/** The `plan --json` document. */
export interface PlanDocument {
  readonly mode: "dry-run";
  readonly settings: {
    readonly clusters: readonly string[] | "*";
    readonly leakGraceSeconds: number;
    readonly maxDeletesPerRun: number;
    readonly retag: string;
    readonly backendRules: string;
  };
  /** False when something could not be read or decided: the plan is partial. */
  readonly complete: boolean;
  readonly summary: PassSummary;
  readonly clusters: readonly PlanCluster[];
  readonly findings: readonly Finding[];
  readonly actions: readonly ReportedAction[];
  readonly candidates: readonly LeakCandidate[];
  /** What the candidates' outcomes mean. */
  readonly note: string;
}

const graceNote = (graceSeconds: number): string =>
  `Leak evidence was first recorded in this pass. Branchkeeper deletes a branch ENI only when the evidence still holds in a later pass at least LEAK_GRACE_SECONDS (${graceSeconds} s) after it was first recorded, and a fresh describe right before the call confirms it; nothing is deleted in a first pass.`;

const planClusters = (pass: DryRunPass): PlanCluster[] =>
  pass.summary.clusters.map((passed: ClusterPassSummary) => {
    const stored = pass.clusters.find((c) => c.name === passed.cluster);
    const snapshot = pass.snapshots.find((s) => s.cluster.name === passed.cluster);
    const counts = Object.fromEntries(BRANCH_ENI_STATES.map((state) => [state, stored?.counts[state] ?? 0]));
    return {
      name: passed.cluster,
      status: passed.status,
      ...(snapshot?.cluster.vpcId !== undefined ? { vpcId: snapshot.cluster.vpcId } : {}),
      counts: counts as ClusterSummary["counts"],
      lastSweepAt: stored?.lastSweepAt ?? pass.summary.startedAt,
      enisObserved: passed.enisObserved,
      ...(passed.skipped !== undefined ? { skipped: passed.skipped } : {}),
      unread: snapshot ? readFailures(snapshot) : [],
      errors: passed.errors,
    };
  });

/** The machine-readable plan. `logged` counts warnings and errors the pass logged. */
export const planDocument = (pass: DryRunPass, logged: number): PlanDocument => {
  const clusters = planClusters(pass);
  return {
    mode: "dry-run",
    settings: {
      clusters: pass.config.clusters,
      leakGraceSeconds: pass.config.leakGraceSeconds,
      maxDeletesPerRun: pass.config.maxDeletesPerRun,
      retag: pass.config.retag,
      backendRules: pass.config.backendRules,
    },
    complete: logged === 0 && passProblems(pass).length === 0,
    summary: pass.summary,
    clusters,
    findings: pass.findings,
    actions: pass.actions.map(reportedAction),
    candidates: pass.candidates,
    note: graceNote(pass.config.leakGraceSeconds),
  };
};

const countsLine = (cluster: PlanCluster): string => {
  const nonZero = BRANCH_ENI_STATES.filter((state) => cluster.counts[state] > 0).map(
    (state) => `${state} ${cluster.counts[state]}`,
  );
  return nonZero.length === 0 ? "none tracked" : nonZero.join(", ");
};

/** What happens to a candidate, in words. */
export const candidateOutcome = (candidate: LeakCandidate): string =>
  candidate.outcome === "reclaim-after-grace" ? candidate.reason : `held: ${candidate.reason}`;

/** The readable plan, as lines; `width` is the terminal's, for wrapping long cells. */
export const planText = (document: PlanDocument, width?: number): string[] => {
  const { settings } = document;
  const prose = (text: string) => wrapParagraph(text, width);
  const lines = [
    ...prose("Branchkeeper plan: dry-run, one pass. Nothing was changed in AWS and nothing was published."),
    ...prose(
      `Settings: CLUSTERS=${settings.clusters === "*" ? "*" : settings.clusters.join(",")} LEAK_GRACE_SECONDS=${settings.leakGraceSeconds} MAX_DELETES_PER_RUN=${settings.maxDeletesPerRun} RETAG=${settings.retag} BACKEND_RULES=${settings.backendRules}`,
    ),
  ];
  if (document.clusters.length === 0) lines.push("", "No cluster found to plan.");
  for (const cluster of document.clusters) {
    lines.push(
      "",
      ...prose(
        `Cluster ${cluster.name} (${cluster.status}${cluster.vpcId ? `, ${cluster.vpcId}` : ""}): ${cluster.enisObserved} branch ENIs observed`,
      ),
      ...prose(`  ENIs by state: ${countsLine(cluster)}`),
    );
    if (cluster.status === "deleted" && cluster.enisObserved === 0 && cluster.unread.length === 0) {
      // What discovery reports for a misspelt --cluster as well as for a cleaned-up deleted cluster.
      lines.push(...prose("  EKS does not know this cluster, and none of its branch ENIs exist: check the name."));
    }
    if (cluster.skipped !== undefined) lines.push(...prose(`  skipped: ${cluster.skipped}`));
    for (const failure of cluster.unread) lines.push(...prose(`  could not read ${failure.part}: ${failure.reason}`));
    for (const error of cluster.errors) lines.push(...prose(`  error: ${error}`));
  }
  for (const error of document.summary.errors) lines.push(...prose(`error: ${error}`));

  lines.push("", `Findings (${document.findings.length})`);
  if (document.findings.length > 0) {
    lines.push(
      ...renderTable(
        ["cluster", "kind", "resource", "detail"],
        document.findings.map((f) => [f.cluster, f.kind, f.resourceId, f.detail]),
        width,
      ),
    );
  }

  lines.push("", `Actions enforce mode would take now (${document.actions.length})`);
  if (document.actions.length > 0) {
    lines.push(
      ...renderTable(
        ["cluster", "kind", "target", "reason"],
        document.actions.map((a) => [a.cluster, a.kind, a.target, a.reason]),
        width,
      ),
    );
  }

  lines.push("", `Leak candidates (${document.candidates.length})`, ...prose(document.note));
  if (document.candidates.length > 0) {
    lines.push(
      ...renderTable(
        ["cluster", "eni", "evidence", "outcome"],
        document.candidates.map((c) => [c.cluster, c.eniId, c.evidence.kind, candidateOutcome(c)]),
        width,
      ),
    );
  }
  if (!document.complete) lines.push("", "This plan is INCOMPLETE: see the problems above.");
  return lines;
};
