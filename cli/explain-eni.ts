import { clusterNamesOf } from "../core/aws/owned-enis.ts";
import type { Config } from "../core/config.ts";
import { decideEniRecord } from "../core/decide/eni-lifecycle.ts";
import { type EniOwnership, eniOwnership } from "../core/decide/eni-ownership.ts";
import { findLeakEvidence } from "../core/decide/leak-evidence.ts";
import type { BranchEniState } from "../core/model/branch-eni-state.ts";
import type { Finding } from "../core/model/finding.ts";
import type { LeakEvidence } from "../core/model/leak-evidence.ts";
import type { ClusterInfo, ObservedEni } from "../core/model/observed.ts";
import { TAGS } from "../core/model/tags.ts";
import type { AccountObserver, BranchEniRecheck, ObserveProgress } from "../core/ports/account-observer.ts";
import type { PassLog } from "../core/reconcile/reconciler.ts";
import { CliError } from "./cli-errors.ts";
import { passProblems, runDryRunPass } from "./dry-run-pass.ts";
import { projectLeakCandidates } from "./leak-projection.ts";
import { actionMentions, findingMentions } from "./mentions.ts";
import { type ReadFailure, readFailures } from "./read-failures.ts";
import { type ReportedAction, reportedAction } from "./reported-action.ts";

/** What Branchkeeper would do about an ENI: delete it after the grace, hold it, or nothing at all. */
export interface EniVerdict {
  readonly outcome: "reclaim-after-grace" | "held" | "nothing";
  readonly reason: string;
}

/** Everything `explain <eni-id>` reports. */
export interface EniExplanation {
  readonly kind: "eni";
  readonly eniId: string;
  /** What EC2 shows right now. */
  readonly observed: ObservedEni;
  readonly trunk?: { readonly eniId: string; readonly exists: boolean };
  readonly instance?: { readonly instanceId: string; readonly state: string };
  readonly ownership: EniOwnership;
  /** The cluster it belongs to, when its tags (or its trunk's, or `--cluster`) name one. */
  readonly cluster?: ClusterInfo;
  /** `branch`: a VPC resource controller branch ENI of the cluster; `trunk`: its trunk; `other`: neither. */
  readonly role: "branch" | "trunk" | "other";
  /** The state and reason a pass seeing it now would record (branch ENIs only). */
  readonly state?: BranchEniState;
  readonly reason?: string;
  readonly evidence?: LeakEvidence;
  readonly verdict: EniVerdict;
  /** Parts of the scoped observation that failed to read. */
  readonly unread: readonly ReadFailure[];
  /** Findings and planned actions of its cluster's full plan that mention it. */
  readonly findings: readonly Finding[];
  readonly actions: readonly ReportedAction[];
  /** False when the observation or the plan could not read everything. */
  readonly complete: boolean;
}

export interface ExplainOptions {
  readonly log: PassLog;
  readonly cluster?: string;
  readonly onProgress?: (progress: ObserveProgress) => void;
}

const trunkOf = (recheck: BranchEniRecheck): EniExplanation["trunk"] => {
  const trunkId = recheck.eni?.tags[TAGS.trunkEniId] ?? recheck.trunk?.eniId;
  if (trunkId === undefined || recheck.trunk === undefined) return undefined;
  return { eniId: trunkId, exists: recheck.trunk !== null };
};

/** Why an ENI that is not a branch ENI of the cluster is left alone. */
const leftAlone = (role: "trunk" | "other", ownership: EniOwnership, cluster: string | undefined): EniVerdict => {
  if (role === "trunk") {
    return {
      outcome: "nothing",
      reason:
        "it is a trunk ENI: Branchkeeper never deletes trunks; EC2 deletes a trunk with its node, and a missing trunk is leak evidence for its branches.",
    };
  }
  const where =
    cluster === undefined
      ? " It names no cluster (kubernetes.io/cluster/<name>), so no pass looks at it."
      : ` No pass of cluster ${cluster} tracks it.`;
  return { outcome: "nothing", reason: `${ownership.reason}${where}` };
};

/**
 * Explain one ENI: what EC2 shows (a fresh single-ENI describe), whose it is, the state and leak
 * evidence a pass would record from a scoped observation of it (as an event about it would), what a
 * later pass would do after the grace, and the findings and actions of its cluster's full dry-run
 * plan that mention it. Nothing is changed.
 */
export const explainEni = async (
  eniId: string,
  config: Config,
  observer: AccountObserver,
  options: ExplainOptions,
): Promise<EniExplanation> => {
  const recheck = await observer.recheckBranchEni(eniId, { context: true });
  const eni = recheck.eni;
  if (eni === undefined) throw new CliError(`EC2 does not know ${eniId} (InvalidNetworkInterfaceID.NotFound)`);
  const ownership = eniOwnership(eni);
  const trunk = trunkOf(recheck);
  const instance = recheck.instance
    ? { instanceId: recheck.instance.instanceId, state: recheck.instance.state }
    : undefined;
  const base = {
    kind: "eni" as const,
    eniId,
    observed: eni,
    ownership,
    ...(trunk ? { trunk } : {}),
    ...(instance ? { instance } : {}),
  };

  const name =
    options.cluster ??
    clusterNamesOf(eni.tags)[0] ??
    (recheck.trunk ? clusterNamesOf(recheck.trunk.tags)[0] : undefined);
  if (name === undefined) {
    return {
      ...base,
      role: "other",
      verdict: leftAlone("other", ownership, undefined),
      unread: [],
      findings: [],
      actions: [],
      complete: true,
    };
  }

  const [info = { name, status: "unknown" as const }] = await observer.discoverClusters([name]);
  const [snapshot] = await observer.observe([info], { kind: "eni", ids: [eniId] });
  // The ENI's own cluster is planned whatever CLUSTERS says, as `--cluster` would.
  const plan = await runDryRunPass({ ...config, clusters: [name] }, observer, {
    log: options.log,
    cluster: name,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  const findings = plan.findings.filter((finding) => findingMentions(finding, eniId));
  const actions = plan.actions.filter((action) => actionMentions(action, eniId)).map(reportedAction);
  const unread = snapshot ? readFailures(snapshot) : [];
  const planComplete = passProblems(plan).length === 0;
  const common = { ...base, cluster: info, unread, findings, actions };

  const branch = snapshot?.branchEnis.get(eniId);
  if (snapshot === undefined || branch === undefined) {
    const role = snapshot?.trunkEnis.has(eniId) ? "trunk" : "other";
    return {
      ...common,
      role,
      verdict: leftAlone(role, ownership, name),
      complete: planComplete && unread.length === 0,
    };
  }

  const now = new Date();
  const decided = decideEniRecord(undefined, branch, snapshot, { now, passId: "explain", cause: "explain" }, config);
  const evidence = findLeakEvidence(branch, snapshot);
  let verdict: EniVerdict = {
    outcome: "nothing",
    reason: `it shows no leak evidence: ${decided?.record.reason ?? "nothing decided"}`,
  };
  if (evidence !== undefined && decided !== undefined) {
    const [candidate] = projectLeakCandidates([snapshot], new Map([[eniId, decided.record]]), config, now);
    if (candidate !== undefined) verdict = { outcome: candidate.outcome, reason: candidate.reason };
  }
  return {
    ...common,
    role: "branch",
    ...(decided ? { state: decided.record.state, reason: decided.record.reason } : {}),
    ...(evidence ? { evidence } : {}),
    verdict,
    complete: planComplete && unread.length === 0,
  };
};
