import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { EksControlPlane } from "../actors/eks-control-plane.ts";
import { clusterTagKey } from "../actors/eni-tags.ts";
import { PlatformOperator } from "../actors/platform-operator.ts";
import { WELL_KNOWN_ACCESS_KEYS } from "../control/identities.ts";
import { mapConcurrent } from "./concurrency.ts";
import {
  type GenerateOptions,
  type GenerationPlan,
  PLAN_CLUSTER_SG,
  type PlannedCluster,
  planAccount,
} from "./generate-plan.ts";
import { buildSlice, type ClusterBase, type Slice, type SliceResult } from "./generate-slice.ts";
import type { SliceWorkerInput } from "./generate-worker.ts";
import { type ActorClients, actorClients, NODE_INSTANCE_ROLE_KEY } from "./scenario-clients.ts";

export type { GenerateOptions } from "./generate-plan.ts";

/** How the generator spends its calls, on top of what `GenerateOptions` plans. */
export interface GenerateRunOptions {
  /**
   * Worker threads sharing the SDK work (the simulator stays in this thread); 0 = none. Default: none below
   * 10,000 ENIs, else one per spare CPU (2 to 4).
   */
  readonly workers?: number;
  /** CreateNetworkInterfacePermission per branch ENI, as the controller does. Default true. */
  readonly branchPermissions?: boolean;
}

export interface GeneratedCluster {
  readonly name: string;
  readonly vpcId: string;
  readonly subnetIds: readonly string[];
  readonly clusterSecurityGroupId: string;
  readonly podSecurityGroupIds: Readonly<Record<string, string>>;
  readonly nodes: number;
  readonly terminatedNodes: number;
  readonly branchEnis: number;
  readonly leakedEnis: number;
}

/** What the generator built, with the ids a benchmark or test looks for. */
export interface GeneratedAccount {
  readonly seed: number;
  readonly buildMs: number;
  readonly clusters: readonly GeneratedCluster[];
  readonly branchEnis: number;
  /** Branch ENIs left `available` by their terminated nodes. */
  readonly leakedEniIds: readonly string[];
  readonly inUseEniIds: readonly string[];
  /** Branch ENIs whose groups carry no cluster tag, and two (live or leaked). */
  readonly zeroClusterTagEniIds: readonly string[];
  readonly twoClusterTagEniIds: readonly string[];
  readonly runningInstances: number;
  readonly terminatedInstances: number;
  readonly vpcCniEnis: number;
}

/**
 * Build a large account from a seeded plan (`planAccount`) through the simulator's API, with the same actors
 * as the demo and `concurrency` calls in flight per thread: per cluster a VPC with four subnets, an EKS cluster
 * and pod security groups; nodes launched in batches of a hundred; each node's VPC CNI ENIs and trunk; each
 * pod's branch ENI; then the leaking nodes terminated, a thousand per call. The plan is reproducible for a
 * seed; resource ids are too when `concurrency` is 1 and there are no workers (else call order, so ids, vary).
 */
export const generateAccount = async (
  endpoint: string,
  options: GenerateOptions & GenerateRunOptions,
): Promise<GeneratedAccount> => {
  const started = performance.now();
  const plan = planAccount(options);
  const concurrency = Math.max(1, options.concurrency ?? 32);
  const branchPermissions = options.branchPermissions ?? true;
  const socket = { maxSockets: concurrency };
  const clients = {
    operator: actorClients(endpoint, WELL_KNOWN_ACCESS_KEYS.operator, socket),
    eks: actorClients(endpoint, WELL_KNOWN_ACCESS_KEYS.eks, socket),
    vpcResourceController: actorClients(endpoint, WELL_KNOWN_ACCESS_KEYS.vpcResourceController, socket),
    node: actorClients(endpoint, NODE_INSTANCE_ROLE_KEY, socket),
  };
  try {
    const bases = await mapConcurrent(plan.clusters, concurrency, (cluster) =>
      buildBase(cluster, clients.operator, clients.eks),
    );
    const workers = Math.max(0, options.workers ?? defaultWorkers(options.enis));
    const all: Slice = plan.clusters.map((cluster) => cluster.nodes.map((_, n) => n));
    const results =
      workers === 0
        ? [await buildSlice(plan, bases, all, clients, concurrency, branchPermissions)]
        : await Promise.all(
            Array.from({ length: workers }, (_, w) =>
              runWorker({
                endpoint,
                options,
                bases,
                slice: all.map((indexes) => indexes.filter((n) => n % workers === w)),
                concurrency,
                branchPermissions,
              }),
            ),
          );
    const built = merge(plan, results);
    const control = new EksControlPlane({ eks: clients.operator.eks, ec2: clients.eks.ec2 });
    for (const [c, cluster] of plan.clusters.entries()) {
      await control.terminateNodes(
        cluster.nodes.flatMap((node, n) => (node.leaked ? [built[c]?.[n]?.instanceId ?? ""] : [])),
      );
    }
    return summarize(options.seed, started, plan, bases, built);
  } finally {
    for (const client of Object.values(clients)) client.destroy();
  }
};

/** Below 10k ENIs thread start-up costs more than it saves; above, the SDK's work outweighs the simulator's. */
const defaultWorkers = (enis: number): number =>
  enis < 10_000 ? 0 : Math.min(4, Math.max(2, availableParallelism() - 1));

const buildBase = async (plan: PlannedCluster, operatorClients: ActorClients, eksClients: ActorClients) => {
  const operator = new PlatformOperator(operatorClients);
  const control = new EksControlPlane({ eks: operatorClients.eks, ec2: eksClients.ec2 });
  const { vpcId, subnetIds } = await operator.createVpc(plan.name, plan.vpcCidr, plan.subnets);
  const eks = await control.createCluster({ name: plan.name, subnetIds });
  const groupIds: Record<string, string> = { [PLAN_CLUSTER_SG]: eks.clusterSecurityGroupId };
  for (const group of plan.securityGroups) {
    groupIds[group.name] = await operator.createSecurityGroup({
      vpcId,
      name: group.name,
      description: `pods of ${plan.name}`,
      ...(group.clusterTag ? { tags: { [clusterTagKey(plan.name)]: group.clusterTag } } : {}),
    });
  }
  return {
    name: plan.name,
    vpcId,
    subnetIds,
    clusterSecurityGroupId: eks.clusterSecurityGroupId,
    groupIds,
  } satisfies ClusterBase;
};

/** The worker runs TypeScript: it registers tsx's loader before importing its entry. */
const workerBootstrap = (): string => {
  const tsx = import.meta.resolve("tsx/esm/api");
  const entry = new URL("./generate-worker.ts", import.meta.url).href;
  return `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
};

const runWorker = (input: SliceWorkerInput): Promise<SliceResult> =>
  new Promise((resolve, reject) => {
    const worker = new Worker(workerBootstrap(), { eval: true, workerData: input });
    worker.once("message", (message: { ok: true; result: SliceResult } | { ok: false; message: string }) => {
      void worker.terminate();
      if (message.ok) resolve(message.result);
      else reject(new Error(`generator worker failed: ${message.message}`));
    });
    worker.once("error", reject);
    worker.once("exit", (code) => reject(new Error(`generator worker exited with code ${code}`)));
  });

/** Per cluster, per planned node: its instance id and its branch ENI ids. */
type Built = { instanceId: string; eniIds: readonly string[] }[][];

const merge = (plan: GenerationPlan, results: readonly SliceResult[]): Built => {
  const built: Built = plan.clusters.map((cluster) => cluster.nodes.map(() => ({ instanceId: "", eniIds: [] })));
  for (const result of results) {
    for (const [c, nodes] of result.entries()) {
      for (const { node, instanceId, eniIds } of nodes) {
        const row = built[c];
        if (row) row[node] = { instanceId, eniIds };
      }
    }
  }
  return built;
};

const summarize = (
  seed: number,
  started: number,
  plan: GenerationPlan,
  bases: readonly ClusterBase[],
  built: Built,
): GeneratedAccount => {
  const leakedEniIds: string[] = [];
  const inUseEniIds: string[] = [];
  const zeroClusterTagEniIds: string[] = [];
  const twoClusterTagEniIds: string[] = [];
  const clusters = plan.clusters.map((cluster, c) => {
    for (const [n, node] of cluster.nodes.entries()) {
      const eniIds = built[c]?.[n]?.eniIds ?? [];
      (node.leaked ? leakedEniIds : inUseEniIds).push(...eniIds);
      for (const [p, pod] of node.pods.entries()) {
        if (pod.policy === cluster.zeroTagPolicy) zeroClusterTagEniIds.push(eniIds[p] ?? "");
        if (pod.policy === cluster.twoTagPolicy) twoClusterTagEniIds.push(eniIds[p] ?? "");
      }
    }
    const base = bases[c] as ClusterBase;
    const leaked = cluster.nodes.filter((node) => node.leaked);
    return {
      name: cluster.name,
      vpcId: base.vpcId,
      subnetIds: base.subnetIds,
      clusterSecurityGroupId: base.clusterSecurityGroupId,
      podSecurityGroupIds: Object.fromEntries(
        Object.entries(base.groupIds).filter(([name]) => name !== PLAN_CLUSTER_SG),
      ),
      nodes: cluster.nodes.length,
      terminatedNodes: leaked.length,
      branchEnis: cluster.nodes.reduce((sum, node) => sum + node.pods.length, 0),
      leakedEnis: leaked.reduce((sum, node) => sum + node.pods.length, 0),
    };
  });
  const nodes = clusters.reduce((sum, c) => sum + c.nodes, 0);
  const terminated = clusters.reduce((sum, c) => sum + c.terminatedNodes, 0);
  return {
    seed,
    buildMs: Math.round(performance.now() - started),
    clusters,
    branchEnis: leakedEniIds.length + inUseEniIds.length,
    leakedEniIds,
    inUseEniIds,
    zeroClusterTagEniIds,
    twoClusterTagEniIds,
    runningInstances: nodes - terminated,
    terminatedInstances: terminated,
    vpcCniEnis: (nodes - terminated) * plan.vpcCniEnisPerNode,
  };
};
