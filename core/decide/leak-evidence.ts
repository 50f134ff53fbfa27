import type { ClusterSnapshot } from "../model/cluster-snapshot.ts";
import type { LeakEvidence } from "../model/leak-evidence.ts";
import type { ObservedEni } from "../model/observed.ts";
import { TAGS } from "../model/tags.ts";
import { type EniContext, eniContextFromSnapshot, isInstanceGone } from "./eni-context.ts";

const availableDetail = (context: EniContext): string => {
  if (context.associationId === null) return "status is available and no trunk association exists";
  // An associated branch ENI is always in-use, so an unread association list hides nothing here.
  if (context.associationId === undefined) return "status is available";
  return `status is available although trunk association ${context.associationId} still exists`;
};

/**
 * Positive evidence that nothing uses this branch ENI, from what is known around it; undefined
 * when there is none. An in-use ENI whose trunk is observed and whose instance is not known to be
 * gone never yields evidence (controller issues #10 and #412 deleted live ENIs), whatever the
 * cluster's status; unknown things never count as absent.
 */
export const leakEvidenceIn = (context: EniContext): LeakEvidence | undefined => {
  const { eni } = context;
  if (eni.status === "available") return { kind: "available", detail: availableDetail(context) };
  // Other transitional statuses (attaching, detaching, …) say nothing either way.
  if (eni.status !== "in-use") return undefined;
  if (context.trunkEniId !== undefined && context.trunk === null) {
    return {
      kind: "trunk-missing",
      detail: `status is in-use but its trunk ENI ${context.trunkEniId} no longer exists`,
    };
  }
  if (context.instanceId !== undefined && isInstanceGone(context)) {
    return {
      kind: "instance-terminated",
      detail: `status is in-use but its node instance ${context.instanceId} is ${context.instance?.state}`,
    };
  }
  if (context.clusterStatus === "deleted" && context.trunkEniId === undefined && context.associationId === null) {
    return {
      kind: "cluster-deleted",
      detail: `cluster ${context.clusterName} no longer exists and the in-use ENI has no ${TAGS.trunkEniId} tag and no trunk association`,
    };
  }
  return undefined;
};

/** Leak evidence for one branch ENI in a snapshot; incomplete parts never produce evidence. */
export const findLeakEvidence = (eni: ObservedEni, snapshot: ClusterSnapshot): LeakEvidence | undefined =>
  leakEvidenceIn(eniContextFromSnapshot(eni, snapshot));
