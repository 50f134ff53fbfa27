/**
 * Descriptions and tags the EKS networking controllers put on the ENIs they create
 * (DOMAIN.md §1; amazon-vpc-resource-controller-k8s `pkg/config/type.go`, amazon-vpc-cni-k8s `pkg/awsutils`).
 */

/** `eks:eni:owner`: the owner tag both controllers set, scoping their IAM permissions. */
export const ENI_OWNER_TAG = "eks:eni:owner";
/** Owner tag value of trunk and branch ENIs. */
export const VPC_RESOURCE_CONTROLLER_OWNER = "eks-vpc-resource-controller";
/** Owner tag value of the VPC CNI's secondary ENIs. */
export const VPC_CNI_OWNER = "amazon-vpc-cni";

export const TRUNK_ENI_DESCRIPTION = "aws-k8s-trunk-eni";
export const BRANCH_ENI_DESCRIPTION = "aws-k8s-branch-eni";

export const VLAN_ID_TAG = "vpcresources.k8s.aws/vlan-id";
export const TRUNK_ENI_ID_TAG = "vpcresources.k8s.aws/trunk-eni-id";
/** Node instance id, on trunk ENIs, on branch ENIs of controllers since 2025, and on VPC CNI ENIs. */
export const NODE_INSTANCE_ID_TAG = "node.k8s.amazonaws.com/instance_id";
export const VPC_CNI_CREATED_AT_TAG = "node.k8s.amazonaws.com/createdAt";
export const VPC_CNI_CLUSTER_NAME_TAG = "cluster.k8s.amazonaws.com/name";

/** `kubernetes.io/cluster/<cluster>`: on ENIs (`owned`), and the key the LBC looks for on security groups. */
export const clusterTagKey = (cluster: string): string => `kubernetes.io/cluster/${cluster}`;

/** The VPC CNI's description of its ENIs: upper-case `K8S`, unlike the resource controller's. */
export const vpcCniDescription = (instanceId: string): string => `aws-K8S-${instanceId}`;
