import type { ClusterNode } from "../actors/cluster-node.ts";
import { EksControlPlane } from "../actors/eks-control-plane.ts";
import { VpcCni } from "../actors/vpc-cni.ts";
import { VpcResourceController } from "../actors/vpc-resource-controller.ts";
import { mapConcurrent } from "./concurrency.ts";
import type { GenerationPlan } from "./generate-plan.ts";
import type { ActorClients } from "./scenario-clients.ts";

/** What exists of a generated cluster before its nodes: plain data, so worker threads can receive it. */
export interface ClusterBase {
  readonly name: string;
  readonly vpcId: string;
  readonly subnetIds: readonly string[];
  readonly clusterSecurityGroupId: string;
  /** Security group ids by plan name (`cluster` included). */
  readonly groupIds: Readonly<Record<string, string>>;
}

/** The nodes (by index into the cluster plan's nodes) one builder takes care of, per cluster. */
export type Slice = readonly (readonly number[])[];

/** Per cluster, per planned node of the slice: its instance and its pods' branch ENIs in plan order. */
export type SliceResult = { readonly node: number; readonly instanceId: string; readonly eniIds: string[] }[][];

export interface SliceClients {
  readonly eks: ActorClients;
  readonly vpcResourceController: ActorClients;
  readonly node: ActorClients;
}

/** How many instances one RunInstances call launches. */
const LAUNCH_BATCH = 100;

/**
 * Build a slice of the planned nodes: launch them in batches per subnet, give each its VPC CNI ENIs and
 * trunk, then each pod its branch ENI, `concurrency` calls in flight. Slices never share a node, so
 * several builders (threads) can work on one cluster at once.
 */
export const buildSlice = async (
  plan: GenerationPlan,
  bases: readonly ClusterBase[],
  slice: Slice,
  clients: SliceClients,
  concurrency: number,
  branchPermissions: boolean,
): Promise<SliceResult> => {
  const control = new EksControlPlane({ eks: clients.eks.eks, ec2: clients.eks.ec2 });
  const clusters = plan.clusters.map((cluster, c) => ({
    cluster,
    base: bases[c] as ClusterBase,
    indexes: slice[c] ?? [],
    nodes: new Map<number, ClusterNode>(),
    controller: new VpcResourceController({
      ec2: clients.vpcResourceController.ec2,
      cluster: cluster.name,
      tagBranchInstanceId: cluster.tagBranchInstanceId,
      grantBranchPermission: branchPermissions,
    }),
    cni: new VpcCni({ ec2: clients.node.ec2, cluster: cluster.name }),
  }));

  const batches = clusters.flatMap((entry) =>
    entry.base.subnetIds.flatMap((subnetId, subnet) => {
      const mine = entry.indexes.filter((n) => entry.cluster.nodes[n]?.subnet === subnet);
      const out: { entry: (typeof clusters)[number]; subnetId: string; indexes: number[] }[] = [];
      for (let start = 0; start < mine.length; start += LAUNCH_BATCH) {
        out.push({ entry, subnetId, indexes: mine.slice(start, start + LAUNCH_BATCH) });
      }
      return out;
    }),
  );
  await mapConcurrent(batches, concurrency, async ({ entry, subnetId, indexes }) => {
    const launched = await control.launchNodes({
      cluster: entry.cluster.name,
      nodegroup: "generated",
      count: indexes.length,
      instanceType: plan.instanceType,
      subnetId,
      securityGroupIds: [entry.base.clusterSecurityGroupId],
    });
    for (const [i, n] of indexes.entries()) entry.nodes.set(n, launched[i] as ClusterNode);
  });

  const nodeTasks = clusters.flatMap((entry) => entry.indexes.map((n) => ({ entry, node: entry.nodes.get(n) })));
  await mapConcurrent(nodeTasks, concurrency, async ({ entry, node }) => {
    if (!node) throw new Error(`a node of ${entry.cluster.name} was not launched`);
    for (let k = 0; k < plan.vpcCniEnisPerNode; k++) await entry.cni.addEni(node);
    await entry.controller.createTrunk(node);
  });

  const podTasks = clusters.flatMap((entry) =>
    entry.indexes.flatMap((n) => (entry.cluster.nodes[n]?.pods ?? []).map((pod) => ({ entry, n, pod }))),
  );
  const branches = await mapConcurrent(podTasks, concurrency, ({ entry, n, pod }) =>
    entry.controller.createBranch({
      namespace: pod.namespace,
      name: pod.name,
      node: entry.nodes.get(n) as ClusterNode,
      securityGroupIds: (entry.cluster.policies[pod.policy] ?? []).map((name) => entry.base.groupIds[name] ?? name),
    }),
  );

  const eniIds = new Map<string, string[]>();
  for (const [i, { entry, n }] of podTasks.entries()) {
    const key = `${entry.cluster.name}/${n}`;
    eniIds.set(key, [...(eniIds.get(key) ?? []), branches[i]?.eniId ?? ""]);
  }
  return clusters.map((entry) =>
    entry.indexes.map((n) => ({
      node: n,
      instanceId: entry.nodes.get(n)?.instanceId ?? "",
      eniIds: eniIds.get(`${entry.cluster.name}/${n}`) ?? [],
    })),
  );
};
