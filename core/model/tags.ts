/** Tag keys and values with a meaning to the VPC resource controller, the LBC or Branchkeeper. */
export const TAGS = {
  eniOwner: "eks:eni:owner",
  eniOwnerVpcResourceController: "eks-vpc-resource-controller",
  trunkEniId: "vpcresources.k8s.aws/trunk-eni-id",
  vlanId: "vpcresources.k8s.aws/vlan-id",
  instanceId: "node.k8s.amazonaws.com/instance_id",
  clusterPrefix: "kubernetes.io/cluster/",
  elbv2Cluster: "elbv2.k8s.aws/cluster",
  elbv2Resource: "elbv2.k8s.aws/resource",
  /** Branchkeeper never touches a resource carrying this key. */
  skip: "branchkeeper.io/skip",
  /** Marks a cluster tag Branchkeeper added, so that only those are ever removed. */
  taggedBy: "branchkeeper.io/tagged-by",
  /** An operator's choice of the SG to carry the cluster tag. */
  preferred: "branchkeeper.io/preferred",
} as const;

export const BRANCH_ENI_DESCRIPTION = "aws-k8s-branch-eni";
export const TRUNK_ENI_DESCRIPTION = "aws-k8s-trunk-eni";
/** Description of the LBC's backend rules. */
export const LBC_RULE_DESCRIPTION = "elbv2.k8s.aws/targetGroupBinding=shared";
/** Value Branchkeeper writes for the tagged-by marker. */
export const TAGGED_BY_VALUE = "branchkeeper";

export const clusterTagKey = (cluster: string): string => `${TAGS.clusterPrefix}${cluster}`;
