/**
 * What really happened to every ENI of a scenario, in seconds from the start of the run: the ground truth
 * the world driver applies to the simulator, every model reads, and every deletion is judged against.
 */

export type EniKind = "branch" | "vpc-cni" | "look-alike";
export type EniStatus = "in-use" | "available" | "deleted";

/** What the ENI's owner is in the middle of doing: deleting it now is racing it. */
export type OwnerAction = "pod-teardown" | "node-cleanup" | "cni-attach";

/** Why a branch ENI leaked (nobody will ever delete it). */
export type LeakCause = "node-terminated" | "cluster-deleted" | "teardown-failed" | "controller-crash";

/** Leaks whose start no EventBridge event announces (DOMAIN §1/§5): only a sweep can find them. */
export const EVENTLESS_CAUSES: ReadonlySet<LeakCause> = new Set(["teardown-failed", "controller-crash"]);

export interface Phase {
  readonly at: number;
  readonly status: EniStatus;
}

export interface Window {
  readonly from: number;
  readonly to: number;
  readonly what: OwnerAction;
}

export interface EniTruth {
  /** Logical id (`alpha/p0042`, `alpha/cni-3`, `alpha/look-alike-1`); the driver maps it to an `eni-…`. */
  readonly key: string;
  readonly kind: EniKind;
  readonly cluster: string;
  /** The node (logical id) a branch or VPC CNI ENI belongs to. */
  readonly node?: string;
  readonly description: string;
  /** `eks:eni:owner`, when tagged. */
  readonly owner?: string;
  /** Carries its cluster's tag (what the controller's cleaner filters on). */
  readonly clusterTagged: boolean;
  /** Security group names. */
  readonly securityGroups: readonly string[];
  /** Status from each `at` until the next; the first phase is its creation. */
  readonly phases: readonly Phase[];
  /** Times its owner is acting on it (teardown under way, node cleanup pending, CNI attaching). */
  readonly ownerActing: readonly Window[];
  /** Set when it leaked: from then on it is `available` and no owner will ever act on it. */
  readonly leak?: { readonly at: number; readonly cause: LeakCause };
}

/** Status at `t` (before creation: undefined). A phase applies from its `at` on. */
export const statusAt = (eni: EniTruth, t: number): EniStatus | undefined => {
  let status: EniStatus | undefined;
  for (const phase of eni.phases) {
    if (phase.at > t) break;
    status = phase.status;
  }
  return status;
};

/** What the owner is doing at `t`, if anything. */
export const ownerActionAt = (eni: EniTruth, t: number): OwnerAction | undefined =>
  eni.ownerActing.find((w) => w.from <= t && t < w.to)?.what;

/** Owned by the VPC resource controller, as a branch ENI: the only ENIs a reclaimer may delete. */
export const isControllerBranch = (eni: EniTruth): boolean =>
  eni.kind === "branch" && eni.owner === "eks-vpc-resource-controller" && eni.description === "aws-k8s-branch-eni";

/** What a deletion at `t` was. */
export type DeletionVerdict =
  | { readonly kind: "reclaimed"; readonly seconds: number }
  | { readonly kind: "wrong"; readonly reason: WrongReason }
  /** The ENI no longer existed (a NotFound): changes nothing. */
  | { readonly kind: "no-op" };

export type WrongReason = "foreign" | "in-use" | OwnerAction | "not-leaked";

/**
 * Judge one deletion: of a leak (reclaimed, with its time to reclaim), or wrong: not the controller's
 * branch ENI (`foreign`), `in-use`, racing its owner (`pod-teardown`, `node-cleanup`, `cni-attach`), or
 * available with nobody acting and yet not a leak (cannot happen in a generated world: `not-leaked`).
 */
export const judgeDeletion = (eni: EniTruth, t: number): DeletionVerdict => {
  const status = statusAt(eni, t);
  if (status === undefined || status === "deleted") return { kind: "no-op" };
  if (!isControllerBranch(eni)) return { kind: "wrong", reason: "foreign" };
  if (status === "in-use") return { kind: "wrong", reason: "in-use" };
  const acting = ownerActionAt(eni, t);
  if (acting !== undefined) return { kind: "wrong", reason: acting };
  if (eni.leak !== undefined && t >= eni.leak.at) return { kind: "reclaimed", seconds: t - eni.leak.at };
  return { kind: "wrong", reason: "not-leaked" };
};
