/**
 * What Branchkeeper observed in AWS, in its own terms (adapters translate SDK shapes into these).
 * Tags are plain records; absent optional fields mean AWS did not report them.
 */
export type Tags = Readonly<Record<string, string>>;

export interface ObservedEni {
  readonly eniId: string;
  readonly vpcId: string;
  readonly subnetId: string;
  /** `available`, `in-use`, `attaching`, … as EC2 reports it. */
  readonly status: string;
  /** `branch`, `trunk`, `interface`, … */
  readonly interfaceType: string;
  readonly description: string;
  readonly securityGroupIds: readonly string[];
  readonly tags: Tags;
  /** Primary first, then secondary addresses. */
  readonly privateIps: readonly string[];
  readonly attachment?: { readonly instanceId?: string; readonly deviceIndex?: number; readonly status?: string };
}

export interface TrunkAssociation {
  readonly associationId: string;
  readonly branchEniId: string;
  readonly trunkEniId: string;
  readonly vlanId?: number;
}

export interface ObservedInstance {
  readonly instanceId: string;
  /** `pending`, `running`, `stopping`, `stopped`, `shutting-down`, `terminated`. */
  readonly state: string;
  readonly instanceType?: string;
}

export interface SecurityGroupRule {
  readonly ruleId: string;
  readonly groupId: string;
  /** `tcp`, `udp`, `-1`, … */
  readonly protocol: string;
  readonly fromPort: number;
  readonly toPort: number;
  readonly sourceGroupId?: string;
  readonly cidr?: string;
  readonly description?: string;
}

export interface ObservedSecurityGroup {
  readonly groupId: string;
  readonly groupName: string;
  readonly vpcId: string;
  readonly tags: Tags;
  readonly ingress: readonly SecurityGroupRule[];
}

export interface ObservedTarget {
  /** Instance id (instance mode) or IP address (ip mode). */
  readonly id: string;
  readonly port: number;
}

export interface ObservedTargetGroup {
  readonly arn: string;
  readonly name: string;
  readonly targetType: "ip" | "instance" | "lambda" | "alb";
  /** `HTTP`, `HTTPS`, `TCP`, `TLS`, `UDP`, `TCP_UDP`, … */
  readonly protocol: string;
  readonly port: number;
  /** `traffic-port` or a port number as a string, as ELBv2 reports it. */
  readonly healthCheckPort: string;
  readonly loadBalancerArns: readonly string[];
  readonly tags: Tags;
  readonly targets: readonly ObservedTarget[];
}

export interface ObservedLoadBalancer {
  readonly arn: string;
  readonly securityGroupIds: readonly string[];
  readonly tags: Tags;
}

/** A cluster as Branchkeeper knows it: from EKS when it exists, from EC2 tags when it was deleted. */
export interface ClusterInfo {
  readonly name: string;
  /** `active` (EKS knows it), `deleted` (EKS does not; only tags remain), `unknown` (EKS could not be asked). */
  readonly status: "active" | "deleted" | "unknown";
  readonly vpcId?: string;
  readonly clusterSecurityGroupId?: string;
}
