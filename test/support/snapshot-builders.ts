import type { Config } from "../../core/config.ts";
import type { ClusterSnapshot, SnapshotPart, SnapshotScope } from "../../core/model/cluster-snapshot.ts";
import type {
  ClusterInfo,
  ObservedEni,
  ObservedInstance,
  ObservedLoadBalancer,
  ObservedSecurityGroup,
  ObservedTargetGroup,
  SecurityGroupRule,
  Tags,
  TrunkAssociation,
} from "../../core/model/observed.ts";
import { BRANCH_ENI_DESCRIPTION, clusterTagKey, TAGS, TRUNK_ENI_DESCRIPTION } from "../../core/model/tags.ts";

export const CLUSTER = "alpha";
export const VPC = "vpc-1";
/** A fixed clock: every test reads the same times. */
export const T0 = new Date("2026-03-01T10:00:00.000Z");

export const secondsAfter = (start: Date, seconds: number): Date => new Date(start.getTime() + seconds * 1000);

/** Branchkeeper's configuration with the documented defaults, MODE=enforce. */
export const testConfig = (overrides: Partial<Config> = {}): Config => ({
  tableName: "branchkeeper",
  mode: "enforce",
  clusters: "*",
  leakGraceSeconds: 600,
  maxDeletesPerRun: 100,
  ec2MutationsPerSecond: 2,
  retag: "add-missing",
  backendRules: "repair",
  ...overrides,
});

/** A branch ENI as the VPC resource controller creates it: in use, associated to trunk `eni-trunk-1` over VLAN 1. */
export const branchEni = (eniId: string, overrides: Partial<ObservedEni> & { extraTags?: Tags } = {}): ObservedEni => {
  const { extraTags, ...rest } = overrides;
  return {
    eniId,
    vpcId: VPC,
    subnetId: "subnet-1",
    status: "in-use",
    interfaceType: "branch",
    description: BRANCH_ENI_DESCRIPTION,
    securityGroupIds: ["sg-pod"],
    privateIps: [],
    ...rest,
    tags: {
      [TAGS.eniOwner]: TAGS.eniOwnerVpcResourceController,
      [clusterTagKey(CLUSTER)]: "owned",
      [TAGS.trunkEniId]: "eni-trunk-1",
      [TAGS.vlanId]: "1",
      ...(rest.tags ?? {}),
      ...extraTags,
    },
  };
};

/** Tags without one key (e.g. an older branch ENI without the instance tag). */
export const withoutTag = (eni: ObservedEni, key: string): ObservedEni => {
  const { [key]: _removed, ...tags } = eni.tags;
  return { ...eni, tags };
};

/** A trunk ENI attached to `instanceId` (DeviceIndex 1). */
export const trunkEni = (eniId: string, instanceId: string): ObservedEni => ({
  eniId,
  vpcId: VPC,
  subnetId: "subnet-1",
  status: "in-use",
  interfaceType: "trunk",
  description: TRUNK_ENI_DESCRIPTION,
  securityGroupIds: ["sg-node"],
  privateIps: ["10.0.0.10"],
  tags: { [TAGS.eniOwner]: TAGS.eniOwnerVpcResourceController, [TAGS.instanceId]: instanceId },
  attachment: { instanceId, deviceIndex: 1, status: "attached" },
});

export const instance = (instanceId: string, state = "running"): ObservedInstance => ({
  instanceId,
  state,
  instanceType: "m5.large",
});

/** A node's primary ENI (DeviceIndex 0), with its secondary IPs. */
export const nodeEni = (
  eniId: string,
  instanceId: string,
  securityGroupIds: string[],
  privateIps: string[] = [],
): ObservedEni => ({
  eniId,
  vpcId: VPC,
  subnetId: "subnet-1",
  status: "in-use",
  interfaceType: "interface",
  description: "",
  securityGroupIds,
  privateIps,
  tags: {},
  attachment: { instanceId, deviceIndex: 0, status: "attached" },
});

export const association = (branchEniId: string, trunkEniId = "eni-trunk-1", vlanId = 1): TrunkAssociation => ({
  associationId: `trunk-assoc-${branchEniId}`,
  branchEniId,
  trunkEniId,
  vlanId,
});

export const securityGroup = (
  groupId: string,
  tags: Tags = {},
  ingress: readonly SecurityGroupRule[] = [],
): ObservedSecurityGroup => ({ groupId, groupName: groupId, vpcId: VPC, tags, ingress });

export interface SnapshotParts {
  readonly observedAt?: Date;
  readonly cluster?: Partial<ClusterInfo>;
  readonly scope?: SnapshotScope;
  readonly incomplete?: Partial<Record<SnapshotPart, string>>;
  readonly branchEnis?: readonly ObservedEni[];
  readonly trunkEnis?: readonly ObservedEni[];
  readonly associations?: readonly TrunkAssociation[];
  readonly instances?: readonly ObservedInstance[];
  readonly securityGroups?: readonly ObservedSecurityGroup[];
  readonly targetGroups?: readonly ObservedTargetGroup[];
  readonly loadBalancers?: readonly ObservedLoadBalancer[];
  readonly targetEnis?: readonly ObservedEni[];
  readonly backendSecurityGroupId?: string;
  /** ENI and instance ids the snapshot asked EC2 for by id. */
  readonly lookedUp?: { readonly eniIds?: readonly string[]; readonly instanceIds?: readonly string[] };
}

const byId = <T>(items: readonly T[] | undefined, id: (item: T) => string): ReadonlyMap<string, T> =>
  new Map((items ?? []).map((item) => [id(item), item]));

/** A full, complete snapshot of cluster `alpha` at T0 unless told otherwise. */
export const snapshot = (parts: SnapshotParts = {}): ClusterSnapshot => ({
  cluster: { name: CLUSTER, status: "active", vpcId: VPC, clusterSecurityGroupId: "sg-cluster", ...parts.cluster },
  observedAt: parts.observedAt ?? T0,
  scope: parts.scope ?? { kind: "full" },
  incomplete: new Map(Object.entries(parts.incomplete ?? {}) as [SnapshotPart, string][]),
  branchEnis: byId(parts.branchEnis, (eni) => eni.eniId),
  trunkEnis: byId(parts.trunkEnis, (eni) => eni.eniId),
  associations: byId(parts.associations, (a) => a.branchEniId),
  instances: byId(parts.instances, (i) => i.instanceId),
  securityGroups: byId(parts.securityGroups, (group) => group.groupId),
  targetGroups: parts.targetGroups ?? [],
  loadBalancers: byId(parts.loadBalancers, (lb) => lb.arn),
  targetEnis: byId(parts.targetEnis, (eni) => eni.eniId),
  ...(parts.backendSecurityGroupId === undefined ? {} : { backendSecurityGroupId: parts.backendSecurityGroupId }),
  ...(parts.lookedUp === undefined
    ? {}
    : {
        lookedUp: {
          eniIds: new Set(parts.lookedUp.eniIds ?? []),
          instanceIds: new Set(parts.lookedUp.instanceIds ?? []),
        },
      }),
});

/** A healthy pod network: branch ENI `eniId` in use over trunk `eni-trunk-1` of running `i-1`; `eni` is the branch ENI. */
export const livePod = (eniId: string) => {
  const eni = branchEni(eniId, { extraTags: { [TAGS.instanceId]: "i-1" } });
  return {
    eni,
    branchEnis: [eni],
    trunkEnis: [trunkEni("eni-trunk-1", "i-1")],
    associations: [association(eniId)],
    instances: [instance("i-1")],
  };
};

export const targetGroup = (
  overrides: Partial<ObservedTargetGroup> & Pick<ObservedTargetGroup, "arn">,
): ObservedTargetGroup => ({
  name: overrides.arn.split("/").at(-2) ?? overrides.arn,
  targetType: "ip",
  protocol: "TCP",
  port: 80,
  healthCheckPort: "traffic-port",
  loadBalancerArns: ["arn:lb/app-1"],
  tags: { [TAGS.elbv2Cluster]: CLUSTER },
  targets: [],
  ...overrides,
});

export const loadBalancer = (arn: string, securityGroupIds: string[]): ObservedLoadBalancer => ({
  arn,
  securityGroupIds,
  tags: { [TAGS.elbv2Cluster]: CLUSTER },
});

/** An ingress rule as EC2 describes it. */
export const rule = (
  ruleId: string,
  groupId: string,
  overrides: Partial<SecurityGroupRule> = {},
): SecurityGroupRule => ({
  ruleId,
  groupId,
  protocol: "tcp",
  fromPort: 8080,
  toPort: 8080,
  sourceGroupId: "sg-backend",
  description: "elbv2.k8s.aws/targetGroupBinding=shared",
  ...overrides,
});
