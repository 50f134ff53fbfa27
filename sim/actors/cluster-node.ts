/** A worker node of an EKS cluster, as the in-cluster actors know it. */
export interface ClusterNode {
  readonly cluster: string;
  readonly instanceId: string;
  readonly instanceType: string;
  readonly subnetId: string;
  readonly availabilityZone: string;
  readonly privateIpAddress: string;
  /** The node's primary ENI (device index 0): the target ENI of instance-mode target groups. */
  readonly primaryEniId: string;
  /** The primary ENI's security groups, which the trunk and the VPC CNI's ENIs get too. */
  readonly securityGroupIds: readonly string[];
}

/** A pod that a SecurityGroupPolicy matched: it gets a branch ENI with the policy's groups. */
export interface PodSpec {
  readonly namespace: string;
  readonly name: string;
  readonly node: ClusterNode;
  readonly securityGroupIds: readonly string[];
}

/** `namespace/name`, the key the controller keeps branch ENIs under. */
export const podKey = (pod: Pick<PodSpec, "namespace" | "name">): string => `${pod.namespace}/${pod.name}`;

/** A node's trunk ENI. */
export interface TrunkEni {
  readonly eniId: string;
  readonly instanceId: string;
  readonly attachmentId: string;
  readonly deviceIndex: number;
}

/** A pod's branch ENI, associated to its node's trunk over a VLAN. */
export interface BranchEni {
  readonly eniId: string;
  readonly pod: string;
  readonly instanceId: string;
  readonly trunkEniId: string;
  readonly vlanId: number;
  readonly associationId: string;
  readonly privateIpAddress: string;
  readonly securityGroupIds: readonly string[];
}
