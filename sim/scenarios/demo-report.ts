import type { BackendRule } from "../actors/restricted-rules.ts";
import type { Census } from "./census.ts";

/** A live cluster of the demo, with the ids tests and the local run look things up by. */
export interface DemoClusterReport {
  readonly name: string;
  readonly clusterSecurityGroupId: string;
  readonly backendSecurityGroupId: string;
  /** Its security groups by name (`cluster` = the cluster security group). */
  readonly securityGroupIds: Readonly<Record<string, string>>;
  /** Running nodes. */
  readonly nodeInstanceIds: readonly string[];
  readonly trunkEniIds: readonly string[];
  /** Branch ENIs of running pods (`in-use`, associated). */
  readonly branchEniIds: readonly string[];
  /** By `<namespace>/<name>` of the Ingress or Service. */
  readonly loadBalancerArns: Readonly<Record<string, string>>;
  /** By the scenario's key, e.g. `shop/web`. */
  readonly targetGroupArns: Readonly<Record<string, string>>;
}

/** The demo account: what is healthy, and precisely what is damaged. */
export interface DemoReport {
  readonly scenario: "demo";
  readonly buildMs: number;
  readonly vpcId: string;
  readonly subnetIds: Readonly<Record<string, string>>;
  readonly sharedSecurityGroupIds: Readonly<Record<string, string>>;
  readonly clusters: { readonly alpha: DemoClusterReport; readonly beta: DemoClusterReport };
  readonly damage: {
    /** An alpha node scaled in: EC2 deleted its trunk, its branch ENIs are `available`. */
    readonly terminatedNode: {
      readonly cluster: "alpha";
      readonly instanceId: string;
      readonly trunkEniId: string;
      readonly leakedEniIds: readonly string[];
    };
    /** A beta pod deleted while DeleteNetworkInterface was denied: disassociated, then forgotten (trunk alive). */
    readonly forgottenBranch: {
      readonly cluster: "beta";
      readonly eniId: string;
      readonly trunkEniId: string;
      readonly instanceId: string;
    };
    /** gamma, deleted with EKS DeleteCluster after its nodes: its branch ENIs, backend group and rules stay. */
    readonly deletedCluster: {
      readonly cluster: "gamma";
      readonly terminatedInstanceIds: readonly string[];
      readonly leakedEniIds: readonly string[];
      readonly backendSecurityGroupId: string;
      readonly securityGroupIds: Readonly<Record<string, string>>;
      readonly leftoverRules: readonly BackendRule[];
      readonly deletedLoadBalancerArn: string;
      readonly deletedTargetGroupArn: string;
    };
    /** A branch ENI (target of `shop/legacy`) none of whose groups carries the alpha cluster tag. */
    readonly zeroClusterTagEni: ClusterTagDamage;
    /** A branch ENI (target of `shop/canary`) two of whose groups carry the alpha cluster tag. */
    readonly twoClusterTagEni: ClusterTagDamage;
    /** beta's reports NLB and target group deleted by hand while the LBC was down: their rule stays. */
    readonly staleBackendRule: {
      readonly cluster: "beta";
      readonly rule: BackendRule;
      readonly deletedLoadBalancerArn: string;
      readonly deletedTargetGroupArn: string;
    };
    /** alpha's payments rule, revoked by hand (aws-load-balancer-controller #4889). */
    readonly missingBackendRule: { readonly cluster: "alpha"; readonly rule: BackendRule };
  };
  /** Things that look like work for a reconciler and must be left alone. */
  readonly traps: {
    /** A VPC CNI ENI created but never attached (`available`, owner `amazon-vpc-cni`). */
    readonly unattachedVpcCniEniId: string;
    /** An `available` ENI with the branch description but without the owner tag. */
    readonly impostorEniId: string;
    /** One of gamma's leaked branch ENIs, tagged `branchkeeper.io/skip=true` by the operator. */
    readonly skipTaggedEniId: string;
  };
  /** Every branch ENI with leak evidence (terminated node, forgotten, deleted cluster), skip-tagged one included. */
  readonly leakedEniIds: readonly string[];
  /** The backend rules the LBCs of alpha and beta would write now (restricted mode). */
  readonly expectedBackendRules: readonly BackendRule[];
  readonly census: Census;
}

export interface ClusterTagDamage {
  readonly cluster: "alpha";
  readonly eniId: string;
  readonly securityGroupIds: readonly string[];
  readonly targetGroupArn: string;
}
