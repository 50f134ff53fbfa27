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
  /** These ENIs (one or many: a merged batch of events reads them together). */
  | { readonly kind: "eni"; readonly ids: readonly string[] }
  /** These nodes: their trunks, their branch ENIs, and the instances themselves. */
  | { readonly kind: "instance"; readonly ids: readonly string[] }
  /** These security groups, and the ENIs using them. */
  | { readonly kind: "security-group"; readonly ids: readonly string[] }
  /** These target groups: read as the whole load-balancing side (see below). */
  | { readonly kind: "target-group"; readonly ids: readonly string[] }
  /**
   * The clusters' whole load-balancing side (target groups, load balancers, target ENIs, their security
   * groups and rules) without branch or trunk ENI pages: what backend-rule decisions need, since the
   * LBC merges ports across all of a cluster's bindings.
   */
  | { readonly kind: "load-balancing" };

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
  /**
   * Ids this snapshot asked EC2 for by id (filter on the id). For these, absence from the maps above
   * (with the part complete) is authoritative: EC2 does not know them. In a scoped snapshot these are
   * the only ENIs whose absence means anything; `instances` is always read by id, so an instance
   * absent but not looked up was simply not asked for. Absent = nothing was looked up by id.
   */
  readonly lookedUp?: {
    readonly eniIds: ReadonlySet<string>;
    readonly instanceIds: ReadonlySet<string>;
  };
}

/** True when every listed part was read completely. */
export const isComplete = (snapshot: ClusterSnapshot, ...parts: SnapshotPart[]): boolean =>
  parts.every((part) => !snapshot.incomplete.has(part));

/**
 * True when the snapshot proves that an ENI (branch or trunk) no longer exists: it is in neither map,
 * and either the snapshot is a full one whose `part` is complete, or the ENI was looked up by id and
 * that part is complete. A scoped snapshot never proves anything about ENIs it did not ask for.
 */
export const isEniConfirmedAbsent = (
  snapshot: ClusterSnapshot,
  eniId: string,
  part: "branch-enis" | "trunk-enis" = "branch-enis",
): boolean => {
  if (snapshot.branchEnis.has(eniId) || snapshot.trunkEnis.has(eniId) || !isComplete(snapshot, part)) return false;
  return snapshot.scope.kind === "full" || snapshot.lookedUp?.eniIds.has(eniId) === true;
};

/** True when the instance was asked for by id, `instances` is complete, and EC2 did not return it. */
export const isInstanceConfirmedAbsent = (snapshot: ClusterSnapshot, instanceId: string): boolean =>
  !snapshot.instances.has(instanceId) &&
  isComplete(snapshot, "instances") &&
  snapshot.lookedUp?.instanceIds.has(instanceId) === true;
