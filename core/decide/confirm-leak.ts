import type { LeakEvidence } from "../model/leak-evidence.ts";
import type { ClusterInfo, ObservedEni, ObservedInstance } from "../model/observed.ts";
import { TAGS } from "../model/tags.ts";
import { eniOwnership } from "./eni-ownership.ts";
import { leakEvidenceIn } from "./leak-evidence.ts";

/** A fresh single-ENI re-describe, done immediately before the delete call. */
export interface FreshEniView {
  /** The ENI; undefined when EC2 answered `InvalidNetworkInterfaceID.NotFound`. */
  readonly eni?: ObservedEni;
  /** Its trunk: observed, `null` when confirmed absent (NotFound), undefined when not checked. */
  readonly trunk?: ObservedEni | null;
  /** Its node instance: observed, `null` when not found, undefined when not checked. */
  readonly instance?: ObservedInstance | null;
  /** Its live trunk association, when one exists (absent = none). */
  readonly associationId?: string;
}

export interface LeakConfirmation {
  readonly verdict: "delete" | "already-gone" | "abort";
  readonly reason: string;
  /** Disassociate this first, when deleting. */
  readonly associationId?: string;
}

/** The cluster an ENI's `kubernetes.io/cluster/<name>` tag names, for reasons only. */
const clusterNameOf = (eni: ObservedEni): string =>
  Object.keys(eni.tags)
    .find((key) => key.startsWith(TAGS.clusterPrefix))
    ?.slice(TAGS.clusterPrefix.length) ?? "(untagged)";

/**
 * The last check before deleting a branch ENI: the fresh view must still show leak evidence (of any
 * kind) and ownership must still hold; a NotFound ENI counts as done.
 */
export const confirmLeakBeforeDelete = (
  fresh: FreshEniView,
  expected: LeakEvidence,
  clusterStatus: ClusterInfo["status"],
): LeakConfirmation => {
  const { eni } = fresh;
  if (eni === undefined) {
    return { verdict: "already-gone", reason: "EC2 no longer knows the ENI (InvalidNetworkInterfaceID.NotFound)." };
  }
  const ownership = eniOwnership(eni);
  if (ownership.verdict !== "reclaimable") return { verdict: "abort", reason: `Not deleted: ${ownership.reason}` };

  const trunkEniId = eni.tags[TAGS.trunkEniId] ?? fresh.trunk?.eniId;
  const instanceId = eni.tags[TAGS.instanceId] ?? fresh.trunk?.attachment?.instanceId;
  const evidence = leakEvidenceIn({
    eni,
    clusterName: clusterNameOf(eni),
    clusterStatus,
    associationId: fresh.associationId ?? null,
    trunk: fresh.trunk,
    instance: fresh.instance,
    ...(trunkEniId === undefined ? {} : { trunkEniId }),
    ...(instanceId === undefined ? {} : { instanceId }),
  });
  if (evidence === undefined) {
    return {
      verdict: "abort",
      reason: `Not deleted: a fresh describe no longer shows leak evidence (expected ${expected.kind}: ${expected.detail}).`,
    };
  }
  const changed = evidence.kind === expected.kind ? "" : ` (evidence changed from ${expected.kind})`;
  return {
    verdict: "delete",
    reason: `A fresh describe confirms: ${evidence.detail}${changed}.`,
    ...(fresh.associationId === undefined ? {} : { associationId: fresh.associationId }),
  };
};
