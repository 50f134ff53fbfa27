import type { Config } from "../config.ts";
import type { ClusterSnapshot } from "../model/cluster-snapshot.ts";
import type { EniRecord } from "../model/eni-record.ts";
import type { LeakEvidence } from "../model/leak-evidence.ts";
import type { PlannedAction } from "../model/planned-action.ts";
import { eniOwnership } from "./eni-ownership.ts";
import { findLeakEvidence } from "./leak-evidence.ts";
import { compareText } from "./ordering.ts";

/** A leaked ENI that is not deleted in this run, and why. */
export interface HeldDeletion {
  readonly eniId: string;
  readonly reason: string;
  /** Held only by the per-run cap: the next pass may delete it. */
  readonly capped?: true;
}

export type DeleteEniAction = Extract<PlannedAction, { kind: "delete-eni" }>;

export interface LeakDeletionPlan {
  /** `delete-eni` actions, oldest evidence first. */
  readonly actions: readonly DeleteEniAction[];
  /** Leaked ENIs held back, by ENI id. */
  readonly held: readonly HeldDeletion[];
}

interface Candidate {
  readonly record: EniRecord;
  readonly since: string;
  readonly evidence: LeakEvidence;
  readonly associationId?: string;
}

/** Records Branchkeeper would delete: `leaked`, and `deleting` (a deletion interrupted mid-way is retried). */
const RECLAIMABLE_STATES = new Set(["leaked", "deleting"]);

const byEvidenceAge = (a: Candidate, b: Candidate): number =>
  compareText(a.since, b.since) || compareText(a.record.eniId, b.record.eniId);

/**
 * Plan the deletion of leaked branch ENIs. Only `leaked` (or interrupted `deleting`) records whose
 * ENI this snapshot shows, owned by the VPC resource controller and not skip-tagged, whose leak
 * evidence still holds in this snapshot (evidence never rests on a partially read part), past the grace. At most `budget` deletions
 * (default `maxDeletesPerRun`), oldest evidence first; nothing when the branch ENI read is partial.
 * The executor must still confirm each with a fresh describe (`confirmLeakBeforeDelete`).
 */
export const planLeakDeletions = (
  records: Iterable<EniRecord>,
  snapshot: ClusterSnapshot,
  config: Pick<Config, "leakGraceSeconds" | "maxDeletesPerRun">,
  now: Date,
  budget: number = config.maxDeletesPerRun,
): LeakDeletionPlan => {
  const leaked = [...records]
    .filter((record) => record.cluster === snapshot.cluster.name && RECLAIMABLE_STATES.has(record.state))
    .sort((a, b) => compareText(a.eniId, b.eniId));
  const branchRead = snapshot.incomplete.get("branch-enis");
  if (branchRead !== undefined) {
    return {
      actions: [],
      held: leaked.map((record) => ({
        eniId: record.eniId,
        reason: `Branch ENIs could not be read completely (${branchRead}): nothing is deleted on a partial view.`,
      })),
    };
  }

  const held: HeldDeletion[] = [];
  const candidates: Candidate[] = [];
  for (const record of leaked) {
    const hold = (reason: string) => held.push({ eniId: record.eniId, reason });
    const observed = snapshot.branchEnis.get(record.eniId);
    if (observed === undefined) {
      hold(`${record.eniId} is not in this snapshot, so its evidence cannot be confirmed.`);
      continue;
    }
    const ownership = eniOwnership(observed);
    if (ownership.verdict !== "reclaimable") {
      hold(ownership.reason);
      continue;
    }
    // Evidence never comes from a partially read part, so whatever it rests on was read completely.
    const evidence = findLeakEvidence(observed, snapshot);
    if (evidence === undefined) {
      const unread = [...snapshot.incomplete].map(([part, error]) => `${part} (${error})`);
      hold(
        `${record.eniId} shows no leak evidence in this snapshot${unread.length === 0 ? "" : `; could not be read completely: ${unread.join(", ")}`}.`,
      );
      continue;
    }
    const since = record.evidence?.firstRecordedAt;
    if (since === undefined || now.getTime() - Date.parse(since) < config.leakGraceSeconds * 1000) {
      hold(`${record.eniId} has not shown evidence for the ${config.leakGraceSeconds} s grace yet.`);
      continue;
    }
    const associationId = snapshot.associations.get(record.eniId)?.associationId;
    candidates.push({ record, since, evidence, ...(associationId === undefined ? {} : { associationId }) });
  }

  candidates.sort(byEvidenceAge);
  const limit = Math.max(0, budget);
  const actions = candidates.slice(0, limit).map(
    (candidate): DeleteEniAction => ({
      kind: "delete-eni",
      cluster: snapshot.cluster.name,
      eniId: candidate.record.eniId,
      evidence: candidate.evidence,
      ...(candidate.associationId === undefined ? {} : { associationId: candidate.associationId }),
      reason: `Leaked: ${candidate.evidence.detail} since ${candidate.since}; grace ${config.leakGraceSeconds} s elapsed${
        candidate.associationId === undefined ? "" : `; disassociate ${candidate.associationId} first`
      }.`,
    }),
  );
  for (const candidate of candidates.slice(limit)) {
    held.push({
      eniId: candidate.record.eniId,
      reason: `Per-run cap: at most ${config.maxDeletesPerRun} deletions per run (MAX_DELETES_PER_RUN); older evidence goes first.`,
      capped: true,
    });
  }
  held.sort((a, b) => compareText(a.eniId, b.eniId));
  return { actions, held };
};
