import type { ObservedEni } from "../model/observed.ts";
import { BRANCH_ENI_DESCRIPTION, TAGS } from "../model/tags.ts";

/** The VPC CNI's own ENIs: `aws-K8S-<instance-id>` (upper-case K8S). */
const VPC_CNI_DESCRIPTION_PREFIX = "aws-K8S-";

/**
 * Whose ENI this is, as far as Branchkeeper may act on it.
 *
 * - `reclaimable`: a VPC resource controller branch ENI; Branchkeeper may delete it on evidence.
 * - `protected`: such an ENI tagged `branchkeeper.io/skip`; tracked and reported, never deleted.
 * - `foreign`: not a controller branch ENI (VPC CNI, another owner, another description); never touched.
 */
export type OwnershipVerdict = "reclaimable" | "protected" | "foreign";

export interface EniOwnership {
  readonly verdict: OwnershipVerdict;
  /** One sentence saying why. */
  readonly reason: string;
}

/**
 * Decide whether a branch ENI is Branchkeeper's to touch: it needs the owner tag
 * `eks:eni:owner=eks-vpc-resource-controller` AND the description `aws-k8s-branch-eni`; a VPC CNI
 * ENI or any other owner's ENI is foreign; a skip-tagged one is protected.
 */
export const eniOwnership = (eni: ObservedEni): EniOwnership => {
  if (eni.description.startsWith(VPC_CNI_DESCRIPTION_PREFIX)) {
    return {
      verdict: "foreign",
      reason: `${eni.eniId} has description ${eni.description}, a VPC CNI ENI, which Branchkeeper never touches.`,
    };
  }
  const owner = eni.tags[TAGS.eniOwner];
  if (owner !== TAGS.eniOwnerVpcResourceController) {
    return {
      verdict: "foreign",
      reason:
        owner === undefined
          ? `${eni.eniId} has no ${TAGS.eniOwner} tag, so it is not a VPC resource controller branch ENI.`
          : `${eni.eniId} is owned by ${owner} (${TAGS.eniOwner}), not ${TAGS.eniOwnerVpcResourceController}.`,
    };
  }
  if (eni.description !== BRANCH_ENI_DESCRIPTION) {
    return {
      verdict: "foreign",
      reason: `${eni.eniId} has description "${eni.description}", not ${BRANCH_ENI_DESCRIPTION}.`,
    };
  }
  if (TAGS.skip in eni.tags) {
    return {
      verdict: "protected",
      reason: `${eni.eniId} is tagged ${TAGS.skip}: tracked and reported, never deleted.`,
    };
  }
  return {
    verdict: "reclaimable",
    reason: `${eni.eniId} is a branch ENI of ${TAGS.eniOwnerVpcResourceController} (${BRANCH_ENI_DESCRIPTION}).`,
  };
};
