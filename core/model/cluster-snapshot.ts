import type {
  ClusterInfo,
  ObservedEni,
  ObservedInstance,
  ObservedLoadBalancer,
  ObservedSecurityGroup,
  ObservedTargetGroup,
  TrunkAssociation,
} from "./observed.ts";

/** The parts of a snapshot, each read with its own Describe calls. */
export const SNAPSHOT_PARTS = [
  "branch-enis",
  "trunk-enis",
  "associations",
  "instances",
  "security-groups",
  "target-groups",
  "load-balancers",
  "target-enis",
] as const;

export type SnapshotPart = (typeof SNAPSHOT_PARTS)[number];

/** What one event touched, for a scoped (cheap) observation instead of a full sweep. */
export type SnapshotScope =
  | { readonly kind: "full" }
  | { readonly kind: "eni"; readonly id: string }
  | { readonly kind: "instance"; readonly id: string }
  | { readonly kind: "security-group"; readonly id: string }
  | { readonly kind: "target-group"; readonly id: string };

/**
 * Everything Branchkeeper saw of one cluster at one moment: the input of every decision.
 * A part listed in `incomplete` failed to read (some Describe page failed): decisions must not
 * delete or revoke anything whose justification depends on that part.
 */
export interface ClusterSnapshot {
  readonly cluster: ClusterInfo;
  readonly observedAt: Date;
  readonly scope: SnapshotScope;
  /** Parts that could not be read completely, with the error that stopped them. */
  readonly incomplete: ReadonlyMap<SnapshotPart, string>;
  /** Branch ENIs of the cluster (owner tag + branch description), by ENI id. */
  readonly branchEnis: ReadonlyMap<string, ObservedEni>;
  /** Trunk ENIs of the cluster, by ENI id. */
  readonly trunkEnis: ReadonlyMap<string, ObservedEni>;
  /** Live trunk associations, by branch ENI id. */
  readonly associations: ReadonlyMap<string, TrunkAssociation>;
  /** Instances referenced by trunks, branch tags and targets, by instance id. */
  readonly instances: ReadonlyMap<string, ObservedInstance>;
  /** Security groups used by the ENIs above, the backend SG and LB SGs, by group id. */
  readonly securityGroups: ReadonlyMap<string, ObservedSecurityGroup>;
  /** The cluster's target groups (tagged `elbv2.k8s.aws/cluster`), with their targets. */
  readonly targetGroups: readonly ObservedTargetGroup[];
  /** Load balancers of those target groups, by ARN. */
  readonly loadBalancers: ReadonlyMap<string, ObservedLoadBalancer>;
  /** ENIs behind targets: node primary ENIs (instance mode) and ENIs owning target IPs (ip mode), by ENI id. */
  readonly targetEnis: ReadonlyMap<string, ObservedEni>;
  /** The LBC's shared backend SG of this cluster, when one exists. */
  readonly backendSecurityGroupId?: string;
}

/** True when every listed part was read completely. */
export const isComplete = (snapshot: ClusterSnapshot, ...parts: SnapshotPart[]): boolean =>
  parts.every((part) => !snapshot.incomplete.has(part));
