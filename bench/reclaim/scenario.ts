import { SeededRandom } from "../../sim/scenarios/seeded-random.ts";
import { between } from "./random-range.ts";
import type {
  ClusterPlan,
  ClusterShape,
  ControllerRestart,
  DamageOptions,
  GroupPlan,
  NodePlan,
  PodPlan,
  PolicyPlan,
  ReclaimScenario,
  ScenarioOptions,
  WorldAction,
} from "./scenario-types.ts";
import { TimeQueue } from "./time-queue.ts";
import type { EniTruth, LeakCause, Phase, Window } from "./truth.ts";

export const BRANCH_DESCRIPTION = "aws-k8s-branch-eni";
export const CONTROLLER_OWNER = "eks-vpc-resource-controller";
export const VPC_CNI_OWNER = "amazon-vpc-cni";

/** The benchmark's damage rates and delays; tests override what they need. */
export const DEFAULT_DAMAGE: DamageOptions = {
  podDeletionsPerHour: 40,
  nodeTerminationsPerHour: 2.5,
  controllerRestarts: 2,
  restartDowntime: [60, 240],
  teardownWindow: [30, 90],
  teardownFailureRate: 0.02,
  nodeCleanupDelay: [45, 120],
  nodeCleanupFailureRate: 0.1,
  nodeCleanupDeleteFailureRate: 0.1,
  cniTrapsPerCluster: 6,
  cniTrapWindow: [20, 120],
  lookAlikesPerCluster: 2,
  replacementPodDelay: [2, 10],
  displacedPodDelay: [60, 120],
  replacementNodeDelay: [90, 180],
  eksctlCleanupAfter: 240,
  deleteClusterAfter: 300,
};

/**
 * SecurityGroupPolicies of every cluster. 65 % of branch ENIs carry only pod groups; 20 % also the
 * eksctl shared node group (pods that must reach node-local services); 15 % the EKS cluster group, whose
 * name (`eks-cluster-sg-…`) is not eksctl's. eksctl's cleanup sees only the 20 %.
 */
export const POLICIES: readonly PolicyPlan[] = [
  { name: "web", roles: ["web"], weight: 0.3 },
  { name: "api", roles: ["api", "db-client"], weight: 0.2 },
  { name: "worker", roles: ["worker"], weight: 0.15 },
  { name: "web-node", roles: ["shared-node", "web"], weight: 0.2 },
  { name: "api-cluster", roles: ["cluster", "api"], weight: 0.15 },
];

/** The groups of a cluster, named as eksctl and EKS name them (the suffix stands for CloudFormation's). */
export const clusterGroups = (cluster: string, suffix: string): GroupPlan[] => [
  { role: "cluster", name: `eks-cluster-sg-${cluster}` },
  { role: "shared-node", name: `eksctl-${cluster}-cluster-ClusterSharedNodeSecurityGroup-${suffix}` },
  { role: "web", name: `${cluster}-pods-web` },
  { role: "api", name: `${cluster}-pods-api` },
  { role: "db-client", name: `${cluster}-pods-db-client` },
  { role: "worker", name: `${cluster}-pods-worker` },
];

/** Branch ENIs per instance type (DOMAIN §1). */
const BRANCH_CAPACITY: Readonly<Record<string, number>> = {
  "m5.large": 9,
  "m5.xlarge": 18,
  "m5.2xlarge": 38,
  "m5.4xlarge": 54,
};

type GenEvent =
  | { kind: "pod-delete"; cluster: string }
  | { kind: "pod-create"; cluster: string; policy: string }
  | { kind: "teardown-end"; pod: string; outcome: "deleted" | "forgotten" | "crashed" }
  | { kind: "node-terminate"; cluster: string }
  | { kind: "node-launch"; cluster: string }
  | { kind: "cni-trap"; cluster: string }
  | { kind: "trap-end"; node: string }
  | { kind: "cluster-delete"; cluster: string };

interface NodeState {
  readonly plan: NodePlan;
  live: boolean;
  /** Branch slots taken (running pods, teardowns under way, crashed teardowns). */
  used: number;
  /** Teardowns under way, leaked branches and VPC CNI traps: such a node is not picked for termination. */
  busy: number;
}

interface PodState {
  readonly plan: PodPlan;
  running: boolean;
}

interface TruthDraft {
  key: string;
  kind: EniTruth["kind"];
  cluster: string;
  node?: string;
  description: string;
  owner?: string;
  clusterTagged: boolean;
  securityGroups: string[];
  phases: Phase[];
  ownerActing: Window[];
  leak?: { at: number; cause: LeakCause };
}

/** Event times of a Poisson process of `perHour` in [from, to). */
const poisson = (random: SeededRandom, perHour: number, from: number, to: number): number[] => {
  const times: number[] = [];
  if (perHour <= 0) return times;
  for (let t = from - (Math.log(1 - random.float()) * 3600) / perHour; t < to; ) {
    times.push(t);
    t -= (Math.log(1 - random.float()) * 3600) / perHour;
  }
  return times;
};

const pickWeighted = (random: SeededRandom, policies: readonly PolicyPlan[]): PolicyPlan => {
  let x = random.float() * policies.reduce((sum, p) => sum + p.weight, 0);
  for (const policy of policies) {
    x -= policy.weight;
    if (x < 0) return policy;
  }
  return policies[policies.length - 1] as PolicyPlan;
};

/**
 * A seeded damage scenario: clusters with nodes and pods, then over `damageSeconds` pod churn (teardowns
 * whose branch ENI is `available` for the teardown window), node terminations (the trunk goes, the
 * controller's node cleanup runs ~1 min later; it fails as a whole or for some ENIs some of the time,
 * and never finds the branch ENIs of a pre-2025 controller, which lack the node tag it filters on), controller restarts (a teardown under
 * way is lost: a leak without any event), deletes that fail their retries, one cluster deleted (its
 * nodes go, then its controller), VPC CNI ENIs briefly `available`, and look-alikes of other owners.
 * Everything is pure data: the actions to apply and the truth of every ENI.
 */
export const generateScenario = (options: ScenarioOptions): ReclaimScenario => {
  const random = new SeededRandom(options.seed);
  const d = options.damage;
  const truth = new Map<string, TruthDraft>();
  const actions: WorldAction[] = [];
  const nodes = new Map<string, NodeState>();
  const pods = new Map<string, PodState>();
  const queue = new TimeQueue<GenEvent>();
  const restarts: ControllerRestart[] = [];
  const counters = new Map<string, { pods: number; nodes: number; traps: number }>();
  const plans = new Map<string, ClusterPlan>();
  const shapes = new Map(options.clusters.map((shape) => [shape.name, shape] as const));

  const counter = (cluster: string) => {
    let c = counters.get(cluster);
    if (!c) {
      c = { pods: 0, nodes: 0, traps: 0 };
      counters.set(cluster, c);
    }
    return c;
  };
  const groupsOf = (cluster: string): readonly GroupPlan[] => plans.get(cluster)?.groups ?? [];
  const groupNames = (cluster: string, roles: readonly GroupPlan["role"][]): string[] =>
    roles.map((role) => groupsOf(cluster).find((g) => g.role === role)?.name ?? role);
  const deletionOf = (cluster: string) => {
    const at = shapes.get(cluster)?.deleteAt;
    return at === undefined
      ? undefined
      : { nodegroupAt: at, eksctlCleanupAt: at + d.eksctlCleanupAfter, clusterAt: at + d.deleteClusterAfter };
  };
  const gone = (cluster: string, t: number): boolean => {
    const deletion = deletionOf(cluster);
    return deletion !== undefined && t >= deletion.nodegroupAt;
  };
  const downAt = (cluster: string, t: number): ControllerRestart | undefined =>
    restarts.find((r) => r.cluster === cluster && r.at <= t && t < r.end);
  const capacity = (cluster: string): number => BRANCH_CAPACITY[shapes.get(cluster)?.instanceType ?? ""] ?? 0;

  const newNode = (cluster: string): NodeState => {
    const c = counter(cluster);
    const plan: NodePlan = { key: `${cluster}/n${String(c.nodes++).padStart(3, "0")}`, cluster };
    const state: NodeState = { plan, live: true, used: 0, busy: 0 };
    nodes.set(plan.key, state);
    return state;
  };
  const newPod = (cluster: string, node: NodeState, policy: PolicyPlan, at: number): PodPlan => {
    const c = counter(cluster);
    const plan: PodPlan = {
      key: `${cluster}/p${String(c.pods++).padStart(4, "0")}`,
      cluster,
      node: node.plan.key,
      policy: policy.name,
    };
    pods.set(plan.key, { plan, running: true });
    node.used += 1;
    truth.set(plan.key, {
      key: plan.key,
      kind: "branch",
      cluster,
      node: node.plan.key,
      description: BRANCH_DESCRIPTION,
      owner: CONTROLLER_OWNER,
      clusterTagged: true,
      securityGroups: groupNames(cluster, policy.roles),
      phases: [{ at, status: "in-use" }],
      ownerActing: [],
    });
    return plan;
  };
  const liveNodes = (cluster: string) => [...nodes.values()].filter((n) => n.live && n.plan.cluster === cluster);
  const leastLoaded = (cluster: string): NodeState | undefined =>
    liveNodes(cluster)
      .filter((n) => n.used < capacity(cluster))
      .sort((a, b) => a.used - b.used)[0];
  const leakAt = (draft: TruthDraft, at: number, cause: LeakCause) => {
    draft.leak = { at, cause };
  };

  // The clusters as they are at the start.
  for (const shape of options.clusters) {
    const suffix = Array.from({ length: 12 }, () => random.pick([..."ABCDEFGHJKLMNPQRSTUVWXYZ23456789"])).join("");
    const groups = clusterGroups(shape.name, suffix);
    const plan: ClusterPlan = {
      shape,
      groups,
      policies: POLICIES,
      nodes: [],
      pods: [],
      lookAlikes: Array.from({ length: d.lookAlikesPerCluster }, (_, i) => ({
        key: `${shape.name}/look-alike-${i}`,
        ...(i % 2 === 1 ? { owner: "platform-tooling" } : {}),
      })),
      ...(deletionOf(shape.name) ? { deletion: deletionOf(shape.name) } : {}),
    };
    plans.set(shape.name, plan);
    const startNodes = Array.from({ length: shape.nodes }, () => newNode(shape.name));
    const startPods = startNodes.flatMap((node) =>
      Array.from({ length: shape.podsPerNode }, () => newPod(shape.name, node, pickWeighted(random, POLICIES), 0)),
    );
    plans.set(shape.name, { ...plan, nodes: startNodes.map((n) => n.plan), pods: startPods });
    for (const lookAlike of plans.get(shape.name)?.lookAlikes ?? []) {
      truth.set(lookAlike.key, {
        key: lookAlike.key,
        kind: "look-alike",
        cluster: shape.name,
        description: BRANCH_DESCRIPTION,
        ...(lookAlike.owner ? { owner: lookAlike.owner } : {}),
        clusterTagged: false,
        securityGroups: groupNames(shape.name, ["web"]),
        phases: [{ at: 0, status: "available" }],
        ownerActing: [],
      });
    }
  }

  // Restarts, and the damage processes, per cluster.
  for (const shape of options.clusters) {
    const end = Math.min(options.damageSeconds, shape.deleteAt ?? Number.POSITIVE_INFINITY);
    const slot = (end - 1200) / Math.max(1, d.controllerRestarts);
    for (let i = 0; i < d.controllerRestarts && slot > 0; i++) {
      const at = 600 + i * slot + random.float() * slot * 0.8;
      restarts.push({ cluster: shape.name, at, end: at + between(random, d.restartDowntime) });
    }
    for (const t of poisson(random, d.podDeletionsPerHour, 60, end))
      queue.push(t, { kind: "pod-delete", cluster: shape.name });
    for (const t of poisson(random, d.nodeTerminationsPerHour, 300, end - 300)) {
      queue.push(t, { kind: "node-terminate", cluster: shape.name });
    }
    for (let i = 0; i < d.cniTrapsPerCluster; i++) {
      // Over before a node group deletion: a dead node's aws-node would never delete it.
      queue.push(60 + random.float() * (end - 360), { kind: "cni-trap", cluster: shape.name });
    }
    if (shape.deleteAt !== undefined) queue.push(shape.deleteAt, { kind: "cluster-delete", cluster: shape.name });
  }
  restarts.sort((a, b) => a.at - b.at);

  /** Node terminations: the trunk goes, branch ENIs become `available`; the node cleanup may follow. */
  const orphanNodes = (t: number, cluster: string, gone: NodeState[], why: "scale-in" | "cluster-deleted") => {
    const shape = shapes.get(cluster) as ClusterShape;
    const deletion = deletionOf(cluster);
    actions.push({ at: t, kind: "terminate-nodes", cluster, nodes: gone.map((n) => n.plan.key), why });
    for (const node of gone) {
      node.live = false;
      const orphans = [...pods.values()].filter((p) => p.running && p.plan.node === node.plan.key);
      for (const pod of orphans) pod.running = false;
      const drafts = orphans.map((p) => truth.get(p.plan.key) as TruthDraft);
      for (const draft of drafts) draft.phases.push({ at: t, status: "available" });
      const cause: LeakCause = why === "cluster-deleted" ? "cluster-deleted" : "node-terminated";
      if (shape.controller === "pre-2025") {
        // NodeTerminationCleaner filters on the node tag, which these branch ENIs do not carry.
        for (const draft of drafts) leakAt(draft, t, cause);
      } else {
        let at = t + between(random, d.nodeCleanupDelay);
        const down = downAt(cluster, at);
        if (down) at = down.end + between(random, [10, 60]);
        if (deletion && at >= deletion.clusterAt) {
          for (const draft of drafts) {
            draft.ownerActing.push({ from: t, to: deletion.clusterAt, what: "node-cleanup" });
            leakAt(draft, deletion.clusterAt, "cluster-deleted");
          }
        } else {
          const succeeds = random.float() >= d.nodeCleanupFailureRate;
          const failedDeletes = succeeds
            ? drafts.filter(() => random.float() < d.nodeCleanupDeleteFailureRate).map((draft) => draft.key)
            : [];
          actions.push({ at, kind: "node-cleanup", cluster, node: node.plan.key, succeeds, failedDeletes });
          for (const draft of drafts) {
            draft.ownerActing.push({ from: t, to: at, what: "node-cleanup" });
            if (succeeds && !failedDeletes.includes(draft.key)) draft.phases.push({ at, status: "deleted" });
            else leakAt(draft, at, cause);
          }
        }
      }
      if (why === "scale-in") {
        for (const pod of orphans) {
          queue.push(t + between(random, d.displacedPodDelay), {
            kind: "pod-create",
            cluster,
            policy: pod.plan.policy,
          });
        }
      }
    }
    if (why === "scale-in") queue.push(t + between(random, d.replacementNodeDelay), { kind: "node-launch", cluster });
  };

  for (let next = queue.pop(); next; next = queue.pop()) {
    const t = next.at;
    const event = next.item;
    switch (event.kind) {
      case "pod-delete": {
        if (gone(event.cluster, t)) break;
        const down = downAt(event.cluster, t);
        if (down) {
          // The controller finds the deleted pod when it is back (its recovery re-queues the branch).
          queue.push(down.end + between(random, [5, 30]), event);
          break;
        }
        const running = [...pods.values()].filter(
          (p) => p.running && p.plan.cluster === event.cluster && nodes.get(p.plan.node)?.live,
        );
        if (running.length === 0) break;
        const pod = random.pick(running);
        const node = nodes.get(pod.plan.node) as NodeState;
        const draft = truth.get(pod.plan.key) as TruthDraft;
        const window = between(random, d.teardownWindow);
        const deletion = deletionOf(event.cluster);
        const crash = [
          ...restarts.filter((r) => r.cluster === event.cluster && r.at > t && r.at < t + window).map((r) => r.at),
          ...(deletion && deletion.clusterAt > t && deletion.clusterAt < t + window ? [deletion.clusterAt] : []),
        ].sort((a, b) => a - b)[0];
        const outcome =
          crash !== undefined ? "crashed" : random.float() < d.teardownFailureRate ? "forgotten" : "deleted";
        pod.running = false;
        node.busy += 1;
        draft.phases.push({ at: t, status: "available" });
        const end = crash ?? t + window;
        draft.ownerActing.push({ from: t, to: end, what: "pod-teardown" });
        if (outcome === "deleted") draft.phases.push({ at: end, status: "deleted" });
        else leakAt(draft, end, outcome === "crashed" ? "controller-crash" : "teardown-failed");
        actions.push({
          at: t,
          kind: "teardown-pod",
          pod: pod.plan.key,
          cluster: event.cluster,
          window,
          outcome,
          ...(crash !== undefined ? { crashAt: crash } : {}),
        });
        queue.push(end, { kind: "teardown-end", pod: pod.plan.key, outcome });
        queue.push(t + between(random, d.replacementPodDelay), {
          kind: "pod-create",
          cluster: event.cluster,
          policy: pod.plan.policy,
        });
        break;
      }
      case "teardown-end": {
        const pod = pods.get(event.pod) as PodState;
        const node = nodes.get(pod.plan.node) as NodeState;
        if (event.outcome !== "crashed") node.used -= 1;
        if (event.outcome === "deleted") node.busy -= 1;
        break;
      }
      case "pod-create": {
        if (gone(event.cluster, t)) break;
        const down = downAt(event.cluster, t);
        if (down) {
          queue.push(down.end + between(random, [5, 30]), event);
          break;
        }
        const node = leastLoaded(event.cluster);
        const policy = POLICIES.find((p) => p.name === event.policy);
        if (!node || !policy) break;
        actions.push({ at: t, kind: "create-pod", pod: newPod(event.cluster, node, policy, t) });
        break;
      }
      case "node-terminate": {
        if (gone(event.cluster, t)) break;
        const live = liveNodes(event.cluster);
        const candidates = live.filter((n) => n.busy === 0);
        if (live.length <= 2 || candidates.length === 0) break;
        orphanNodes(t, event.cluster, [random.pick(candidates)], "scale-in");
        break;
      }
      case "node-launch": {
        if (gone(event.cluster, t)) break;
        actions.push({ at: t, kind: "launch-node", node: newNode(event.cluster).plan });
        break;
      }
      case "cni-trap": {
        if (gone(event.cluster, t)) break;
        const live = liveNodes(event.cluster);
        if (live.length === 0) break;
        const node = random.pick(live);
        const window = between(random, d.cniTrapWindow);
        const key = `${event.cluster}/cni-${counter(event.cluster).traps++}`;
        node.busy += 1;
        truth.set(key, {
          key,
          kind: "vpc-cni",
          cluster: event.cluster,
          node: node.plan.key,
          description: `aws-K8S-${node.plan.key}`,
          owner: VPC_CNI_OWNER,
          clusterTagged: true,
          securityGroups: groupNames(event.cluster, ["cluster", "shared-node"]),
          phases: [
            { at: t, status: "available" },
            { at: t + window, status: "deleted" },
          ],
          ownerActing: [{ from: t, to: t + window, what: "cni-attach" }],
        });
        actions.push({ at: t, kind: "cni-trap", cluster: event.cluster, node: node.plan.key, eni: key, window });
        queue.push(t + window, { kind: "trap-end", node: node.plan.key });
        break;
      }
      case "trap-end": {
        const node = nodes.get(event.node);
        if (node) node.busy -= 1;
        break;
      }
      case "cluster-delete": {
        const deletion = deletionOf(event.cluster);
        if (!deletion) break;
        orphanNodes(t, event.cluster, liveNodes(event.cluster), "cluster-deleted");
        actions.push({ at: deletion.clusterAt, kind: "delete-cluster", cluster: event.cluster });
        break;
      }
    }
  }

  actions.sort((a, b) => a.at - b.at);
  const freeze = (draft: TruthDraft): EniTruth => ({
    ...draft,
    phases: [...draft.phases].sort((a, b) => a.at - b.at),
    ownerActing: [...draft.ownerActing],
    ...(draft.leak ? { leak: { ...draft.leak } } : {}),
  });
  return {
    options,
    clusters: options.clusters.map((shape) => plans.get(shape.name) as ClusterPlan),
    actions,
    restarts,
    truth: [...truth.values()].map(freeze),
  };
};
