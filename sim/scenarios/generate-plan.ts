import { instanceLimits } from "../actors/instance-limits.ts";
import type { SubnetSpec } from "../actors/platform-operator.ts";
import { SeededRandom } from "./seeded-random.ts";

export interface GenerateOptions {
  /** Branch ENIs in all. */
  readonly enis: number;
  /** Share of them leaked: on nodes that are then terminated (trunk gone, ENI `available`). 0..1. */
  readonly leakRatio: number;
  readonly seed: number;
  /** Clusters, each in its own VPC; default one per 25,000 ENIs. */
  readonly clusters?: number;
  /** Requests in flight. Default 32. */
  readonly concurrency?: number;
  /** Trunk-capable node type. Default m5.2xlarge (38 branches). */
  readonly instanceType?: string;
  /** Branch ENIs per node, at most the type's capacity. Default 30. */
  readonly podsPerNode?: number;
  /** Pod security groups per cluster, besides the cluster's own (at least 4). Default 6. */
  readonly podSecurityGroups?: number;
  /** Share of branch ENIs whose groups carry zero or two cluster tags (half each). Default 0. */
  readonly conflictRatio?: number;
  /** VPC CNI ENIs per node. Default 1. */
  readonly vpcCniEnisPerNode?: number;
}

/** The name policies use for the cluster security group. */
export const PLAN_CLUSTER_SG = "cluster";

export interface PlannedPod {
  readonly namespace: string;
  readonly name: string;
  /** Index into the cluster's policies. */
  readonly policy: number;
}

export interface PlannedNode {
  /** Index into the cluster's subnets. */
  readonly subnet: number;
  /** Terminated once its branches exist. */
  readonly leaked: boolean;
  readonly pods: readonly PlannedPod[];
}

export interface PlannedSecurityGroup {
  readonly name: string;
  readonly clusterTag?: "shared";
}

export interface PlannedCluster {
  readonly name: string;
  readonly vpcCidr: string;
  readonly subnets: readonly SubnetSpec[];
  /** False: a resource controller from before 2025, no instance id tag on branch ENIs. */
  readonly tagBranchInstanceId: boolean;
  readonly securityGroups: readonly PlannedSecurityGroup[];
  /** SecurityGroupPolicies as group names; the last two have zero and two cluster-tagged groups. */
  readonly policies: readonly (readonly string[])[];
  /** Index of the zero-tag policy (the one before last) and of the two-tag policy (the last). */
  readonly zeroTagPolicy: number;
  readonly twoTagPolicy: number;
  readonly nodes: readonly PlannedNode[];
}

export interface GenerationPlan {
  readonly instanceType: string;
  readonly vpcCniEnisPerNode: number;
  readonly clusters: readonly PlannedCluster[];
}

const ZONES = ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d"];
const NAMESPACES = ["checkout", "catalog", "search", "payments", "identity", "ledger", "media", "reports"];
/** Addresses a cluster's /16 offers in its four /18 subnets (5 reserved per subnet). */
const ADDRESSES_PER_CLUSTER = 4 * (16384 - 5);

const share = (total: number, parts: number, index: number) =>
  Math.floor(total / parts) + (index < total % parts ? 1 : 0);

/**
 * The seeded plan of a generated account: clusters, their groups and policies, nodes (some to be
 * terminated) and pods. Pure: the same options give the same plan.
 */
export const planAccount = (options: GenerateOptions): GenerationPlan => {
  const instanceType = options.instanceType ?? "m5.2xlarge";
  const capacity = instanceLimits(instanceType).branchEnis;
  const podsPerNode = options.podsPerNode ?? Math.min(30, capacity);
  const groupCount = options.podSecurityGroups ?? 6;
  const vpcCniEnisPerNode = options.vpcCniEnisPerNode ?? 1;
  if (!Number.isInteger(options.enis) || options.enis < 0) throw new Error("enis must be a whole number");
  if (!(options.leakRatio >= 0 && options.leakRatio <= 1)) throw new Error("leakRatio must be within 0..1");
  if (podsPerNode < 1 || podsPerNode > capacity) throw new Error(`podsPerNode must be within 1..${capacity}`);
  if (groupCount < 4) throw new Error("podSecurityGroups must be at least 4");
  if (vpcCniEnisPerNode + 2 > instanceLimits(instanceType).maxEnis) {
    throw new Error(`${instanceType} has no room for ${vpcCniEnisPerNode} VPC CNI ENIs and a trunk`);
  }
  const clusterCount = options.clusters ?? Math.max(1, Math.ceil(options.enis / 25_000));
  const leaked = Math.round(options.enis * options.leakRatio);
  const random = new SeededRandom(options.seed);
  const clusters: PlannedCluster[] = [];
  for (let index = 0; index < clusterCount; index++) {
    const enis = share(options.enis, clusterCount, index);
    const leakedEnis = share(leaked, clusterCount, index);
    clusters.push(
      planCluster(random, index, { enis, leakedEnis, podsPerNode, groupCount, vpcCniEnisPerNode }, options),
    );
  }
  return { instanceType, vpcCniEnisPerNode, clusters };
};

interface ClusterSizing {
  readonly enis: number;
  readonly leakedEnis: number;
  readonly podsPerNode: number;
  readonly groupCount: number;
  readonly vpcCniEnisPerNode: number;
}

const planCluster = (random: SeededRandom, index: number, sizing: ClusterSizing, options: GenerateOptions) => {
  const name = `cluster-${String(index + 1).padStart(2, "0")}`;
  const octet = 100 + index;
  const { enis, leakedEnis, podsPerNode, groupCount } = sizing;
  const nodeCount = Math.ceil(leakedEnis / podsPerNode) + Math.ceil((enis - leakedEnis) / podsPerNode);
  if (enis + nodeCount * (2 + sizing.vpcCniEnisPerNode) > ADDRESSES_PER_CLUSTER) {
    throw new Error(`${name} would need more addresses than its VPC has: use more clusters`);
  }

  const taggedCount = Math.max(1, Math.ceil(groupCount / 3));
  const securityGroups: PlannedSecurityGroup[] = Array.from({ length: groupCount }, (_, g) => ({
    name: `${name}-pods-${g}`,
    ...(g < taggedCount ? { clusterTag: "shared" as const } : {}),
  }));
  const tagged = [PLAN_CLUSTER_SG, ...securityGroups.filter((g) => g.clusterTag).map((g) => g.name)];
  const untagged = securityGroups.filter((g) => !g.clusterTag).map((g) => g.name);
  const policies: string[][] = Array.from({ length: 8 }, () => [
    random.pick(tagged),
    ...random.shuffle(untagged).slice(0, random.int(3)),
  ]);
  const [firstUntagged, secondUntagged] = untagged;
  const firstTaggedPodGroup = tagged[1];
  if (!firstUntagged || !secondUntagged || !firstTaggedPodGroup) throw new Error("too few pod security groups");
  policies.push([firstUntagged, secondUntagged], [PLAN_CLUSTER_SG, firstTaggedPodGroup]);
  const zeroTagPolicy = policies.length - 2;
  const twoTagPolicy = policies.length - 1;

  const conflicts = Math.round(enis * (options.conflictRatio ?? 0));
  const conflictAt = new Map<number, number>();
  const positions = conflicts > 0 ? random.shuffle(Array.from({ length: enis }, (_, i) => i)).slice(0, conflicts) : [];
  for (const [n, position] of positions.entries()) conflictAt.set(position, n % 2 === 0 ? zeroTagPolicy : twoTagPolicy);

  const shapes: { leaked: boolean; pods: number }[] = [];
  for (const [count, isLeaked] of [
    [leakedEnis, true],
    [enis - leakedEnis, false],
  ] as const) {
    for (let left = count; left > 0; left -= podsPerNode)
      shapes.push({ leaked: isLeaked, pods: Math.min(podsPerNode, left) });
  }
  let position = 0;
  const nodes: PlannedNode[] = random.shuffle(shapes).map((shape, n) => ({
    subnet: n % ZONES.length,
    leaked: shape.leaked,
    pods: Array.from({ length: shape.pods }, () => {
      const pod = position++;
      const namespace = random.pick(NAMESPACES);
      return {
        namespace,
        name: `${namespace}-${pod}-${random.suffix(5)}`,
        policy: conflictAt.get(pod) ?? random.int(zeroTagPolicy),
      };
    }),
  }));

  return {
    name,
    vpcCidr: `10.${octet}.0.0/16`,
    subnets: ZONES.map((zone, z) => ({
      name: `${name}-private-${zone.slice(-1)}`,
      cidr: `10.${octet}.${z * 64}.0/18`,
      availabilityZone: zone,
    })),
    tagBranchInstanceId: random.float() < 0.75,
    securityGroups,
    policies,
    zeroTagPolicy,
    twoTagPolicy,
    nodes,
  } satisfies PlannedCluster;
};
