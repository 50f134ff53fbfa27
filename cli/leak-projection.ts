import type { Config } from "../core/config.ts";
import { planCluster } from "../core/decide/reconcile-plan.ts";
import type { BranchEniState } from "../core/model/branch-eni-state.ts";
import type { ClusterSnapshot } from "../core/model/cluster-snapshot.ts";
import type { EniRecord, RecordedEvidence } from "../core/model/eni-record.ts";

/** What a later pass would do with a leak candidate: delete it, or hold it (and why). */
export type CandidateOutcome = "reclaim-after-grace" | "held";

/** A branch ENI with leak evidence recorded in this pass. */
export interface LeakCandidate {
  readonly cluster: string;
  readonly eniId: string;
  readonly state: BranchEniState;
  readonly evidence: RecordedEvidence;
  readonly outcome: CandidateOutcome;
  /** The condition of the deletion, or the reconciler's own reason for holding it. */
  readonly reason: string;
}

const PROJECTION_PASS = "projection-after-grace";

/** Records whose evidence a later pass would act on (`deleting` ones are already being reclaimed). */
const CANDIDATE_STATES: ReadonlySet<BranchEniState> = new Set(["suspect", "leaked"]);

/**
 * What a later pass would decide for the leak candidates of this one if it saw exactly the same
 * account once `LEAK_GRACE_SECONDS` have passed: the reconciler's own decisions (`planCluster`,
 * with ownership, skip tags, partial views and the per-run cap), run on the same snapshots dated
 * after the grace. Nothing is executed; a candidate marked `reclaim-after-grace` is deleted only if
 * a real later pass still sees the evidence and a fresh describe confirms it.
 */
export const projectLeakCandidates = (
  snapshots: readonly ClusterSnapshot[],
  records: ReadonlyMap<string, EniRecord>,
  config: Pick<Config, "leakGraceSeconds" | "maxDeletesPerRun" | "retag" | "backendRules">,
  now: Date,
): LeakCandidate[] => {
  const later = new Date(now.getTime() + (config.leakGraceSeconds + 1) * 1000);
  const pass = { now: later, passId: PROJECTION_PASS, cause: `projection:${PROJECTION_PASS}` };
  const condition = `would be reclaimed after the grace (LEAK_GRACE_SECONDS=${config.leakGraceSeconds} s) if the evidence persists in a later pass and a fresh describe still shows it`;
  let budget = config.maxDeletesPerRun;
  const candidates: LeakCandidate[] = [];
  for (const snapshot of snapshots) {
    const cluster = snapshot.cluster.name;
    const own = [...records.values()].filter(
      (record): record is EniRecord & { readonly evidence: RecordedEvidence } =>
        record.cluster === cluster && record.evidence !== undefined && CANDIDATE_STATES.has(record.state),
    );
    if (own.length === 0) continue;
    const plan = planCluster({ ...snapshot, observedAt: later }, records, pass, config, { deleteBudget: budget });
    const deleted = new Set(plan.actions.flatMap((action) => (action.kind === "delete-eni" ? [action.eniId] : [])));
    budget -= deleted.size;
    const held = new Map(plan.held.map((hold) => [hold.eniId, hold.reason]));
    for (const record of own) {
      const base = { cluster, eniId: record.eniId, state: record.state, evidence: record.evidence };
      candidates.push(
        deleted.has(record.eniId)
          ? { ...base, outcome: "reclaim-after-grace", reason: condition }
          : {
              ...base,
              outcome: "held",
              reason: held.get(record.eniId) ?? "the later pass would not decide a deletion from this observation",
            },
      );
    }
  }
  return candidates;
};
