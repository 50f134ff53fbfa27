import {
  DescribeNetworkInterfacesCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
} from "@aws-sdk/client-ec2";
import { BRANCH_ENI_DESCRIPTION } from "../../sim/actors/eni-tags.ts";
import { PlatformOperator, type SubnetSpec } from "../../sim/actors/platform-operator.ts";
import { WELL_KNOWN_ACCESS_KEYS } from "../../sim/index.ts";
import { actorClients, NODE_INSTANCE_ROLE_KEY } from "../../sim/scenarios/scenario-clients.ts";
import {
  CLUSTER_SG,
  type ClusterSpec,
  type RunningPod,
  ScenarioCluster,
} from "../../sim/scenarios/scenario-cluster.ts";
import { SeededRandom } from "../../sim/scenarios/seeded-random.ts";
import { setFaults, simControl } from "./sim-clients.ts";

/**
 * A small account for reliability tests, built with the simulator's actors (VPC resource controller,
 * VPC CNI, LBC, EKS, an operator) in a VPC of its own, so several worlds can share one simulator.
 * About 200 calls: well under a second.
 *
 * Cluster `<name>`: three m5.large nodes; pods `web` ×3 (cluster SG + web), `api` ×2 (api, tagged),
 * `legacy` ×1 (legacy + db, neither tagged: Branchkeeper must tag one), `canary` ×1 (cluster SG +
 * canary, both tagged: a conflict it may only report); an ALB (web, api with a health-check port,
 * legacy) and an NLB `reports` on the api pods.
 */
export const worldSpec = (name: string): ClusterSpec => ({
  name,
  subnets: ["private-a", "private-b"],
  nodegroups: [{ name: "general", instanceType: "m5.large", size: 3, subnets: ["private-a", "private-b"] }],
  securityGroups: [
    { name: `${name}-web`, description: "web pods" },
    { name: `${name}-api`, description: "api pods", clusterTag: "shared" },
    { name: `${name}-legacy`, description: "legacy pods" },
    { name: `${name}-db`, description: "database clients" },
    { name: `${name}-canary`, description: "canary pods", clusterTag: "shared" },
  ],
  policies: {
    web: [CLUSTER_SG, `${name}-web`],
    api: [`${name}-api`],
    legacy: [`${name}-legacy`, `${name}-db`],
    canary: [CLUSTER_SG, `${name}-canary`],
  },
  workloads: [
    { namespace: "shop", name: "web", policy: "web", replicas: 3 },
    { namespace: "shop", name: "api", policy: "api", replicas: 2 },
    { namespace: "shop", name: "legacy", policy: "legacy", replicas: 1 },
    { namespace: "shop", name: "canary", policy: "canary", replicas: 1 },
  ],
  loadBalancers: [
    {
      kind: "ingress",
      namespace: "shop",
      name: "shop",
      subnets: ["public-a", "public-b"],
      listeners: [{ port: 80, protocol: "HTTP" }],
      targetGroups: [
        tg("shop/web", "web", 8080, { listenerPort: 80 }),
        tg("shop/api", "api", 9000, { listenerPort: 80, healthCheckPort: 9001, pathPattern: "/api/*" }),
        tg("shop/legacy", "legacy", 8080, { listenerPort: 80, pathPattern: "/legacy/*" }),
      ],
    },
    {
      kind: "service",
      namespace: "reports",
      name: "reports",
      subnets: ["public-a", "public-b"],
      listeners: [{ port: 443, protocol: "TCP" }],
      targetGroups: [{ ...tg("reports/api", "api", 7000, { listenerPort: 443 }), protocol: "TCP" }],
    },
  ],
});

const tg = (
  key: string,
  workload: string,
  port: number,
  extra: { listenerPort: number; healthCheckPort?: number; pathPattern?: string },
) => ({
  key,
  serviceName: workload,
  servicePort: 80,
  targetType: "ip" as const,
  protocol: "HTTP",
  port,
  targets: { workload },
  ...extra,
});

const subnetsFor = (index: number): SubnetSpec[] => [
  { name: "private-a", cidr: `10.${index}.0.0/19`, availabilityZone: "us-east-1a" },
  { name: "private-b", cidr: `10.${index}.32.0/19`, availabilityZone: "us-east-1b" },
  { name: "public-a", cidr: `10.${index}.128.0/24`, availabilityZone: "us-east-1a" },
  { name: "public-b", cidr: `10.${index}.129.0/24`, availabilityZone: "us-east-1b" },
];

export interface WorldDamage {
  /** Branch ENIs left `available` by a node terminated while the controller restarted. */
  readonly terminatedNodeLeaks: readonly string[];
  readonly terminatedInstanceId: string;
  /** A branch the controller disassociated but could not delete, then forgot. */
  readonly forgottenLeak: string;
  /** A leak tagged `branchkeeper.io/skip`: never to be deleted. */
  readonly skipTaggedLeak: string;
  /** An unattached VPC CNI ENI and an ENI that merely looks like a branch: never to be touched. */
  readonly traps: readonly string[];
}

export interface ReliabilityWorld {
  readonly name: string;
  readonly vpcId: string;
  readonly cluster: ScenarioCluster;
  readonly operator: PlatformOperator;
  readonly damage: WorldDamage;
  /** Branch ENIs Branchkeeper must reclaim (the leaks minus the skip-tagged one). */
  readonly reclaimable: readonly string[];
  /** Branch ENIs of running pods: never to be deleted. */
  liveBranches(): string[];
  /** A stable name for every ENI and security group of the world, for comparing two worlds. */
  roles(): Promise<Map<string, string>>;
  destroy(): void;
}

let worlds = 0;

/**
 * Build the world, then damage it the ways accounts get damaged: a node scaled in while the resource
 * controller restarted (its branch ENIs leak), a branch the controller forgot (an SCP denied its
 * delete), the `reports` NLB deleted by hand (its backend rule goes stale), web's backend rule revoked
 * by hand, and three traps. Damage is optional (`damage: false` leaves a healthy cluster).
 */
export const buildReliabilityWorld = async (
  endpoint: string,
  options: { name: string; seed?: number; damage?: boolean },
): Promise<ReliabilityWorld> => {
  worlds += 1;
  const clients = {
    operator: actorClients(endpoint, WELL_KNOWN_ACCESS_KEYS.operator),
    eks: actorClients(endpoint, WELL_KNOWN_ACCESS_KEYS.eks),
    vpcResourceController: actorClients(endpoint, WELL_KNOWN_ACCESS_KEYS.vpcResourceController),
    loadBalancerController: actorClients(endpoint, WELL_KNOWN_ACCESS_KEYS.loadBalancerController),
    node: actorClients(endpoint, NODE_INSTANCE_ROLE_KEY),
  };
  const operator = new PlatformOperator(clients.operator);
  const subnets = subnetsFor(worlds % 200);
  const { vpcId, subnetIds } = await operator.createVpc(`${options.name}-vpc`, `10.${worlds % 200}.0.0/16`, subnets);
  const cluster = await ScenarioCluster.build(worldSpec(options.name), {
    vpcId,
    subnetIds: new Map(subnets.map((s, i) => [s.name, subnetIds[i] ?? ""])),
    sharedGroupIds: new Map(),
    operator,
    clients,
    random: new SeededRandom(options.seed ?? 7),
  });
  const damage =
    options.damage === false
      ? { terminatedNodeLeaks: [], terminatedInstanceId: "", forgottenLeak: "", skipTaggedLeak: "", traps: [] }
      : await damageWorld(endpoint, cluster, operator);
  const reclaimable = [...damage.terminatedNodeLeaks, damage.forgottenLeak].filter(
    (id) => id !== "" && id !== damage.skipTaggedLeak,
  );
  const names = new Map<string, string>();
  for (const pod of cluster.pods) names.set(pod.branch.eniId, `pod:${pod.namespace}/${pod.name}`);
  for (const [i, id] of damage.terminatedNodeLeaks.entries()) names.set(id, `leak:terminated#${i}`);
  if (damage.forgottenLeak) names.set(damage.forgottenLeak, "leak:forgotten");
  for (const [i, id] of damage.traps.entries()) names.set(id, `trap#${i}`);
  return {
    name: options.name,
    vpcId,
    cluster,
    operator,
    damage,
    reclaimable,
    liveBranches: () => cluster.pods.map((p) => p.branch.eniId),
    roles: async () => {
      const roles = new Map(names);
      for (const pod of cluster.pods) roles.set(pod.branch.eniId, `pod:${pod.namespace}/${pod.name}`);
      const groups = await clients.operator.ec2.send(
        new DescribeSecurityGroupsCommand({ Filters: [{ Name: "vpc-id", Values: [vpcId] }] }),
      );
      for (const group of groups.SecurityGroups ?? []) {
        const tags = Object.fromEntries((group.Tags ?? []).map((t) => [t.Key, t.Value]));
        const stack = tags["ingress.k8s.aws/stack"] ?? tags["service.k8s.aws/stack"];
        const role =
          tags["elbv2.k8s.aws/resource"] === "backend-sg"
            ? "sg:backend"
            : stack !== undefined
              ? `sg:lb:${stack}`
              : group.GroupId === cluster.eks.clusterSecurityGroupId
                ? "sg:cluster"
                : `sg:${(group.GroupName ?? "").replaceAll(options.name, "C")}`;
        roles.set(group.GroupId ?? "", role);
      }
      return roles;
    },
    destroy: () => {
      for (const c of Object.values(clients)) c.destroy();
    },
  };
};

const damageWorld = async (
  endpoint: string,
  cluster: ScenarioCluster,
  operator: PlatformOperator,
): Promise<WorldDamage> => {
  // A node scaled in while the resource controller restarted: the trunk goes with the instance.
  const node = cluster.liveNodes.at(-1);
  if (!node) throw new Error("no node to scale in");
  const pods = cluster.podsOn(node.instanceId);
  await cluster.deregisterPods(pods);
  await cluster.control.terminateNodes([node.instanceId]);
  cluster.forgetNodes([node.instanceId]);
  const replacements: RunningPod[] = [];
  for (const pod of pods) replacements.push(await cluster.createPod(pod.workload));
  await cluster.registerPods(replacements);
  await cluster.loadBalancerController.reconcileBackendRules();

  // A web pod deleted while an SCP denied the controller's DeleteNetworkInterface: disassociated, then forgotten.
  const victim = cluster.podsOf("web").at(0);
  if (!victim) throw new Error("no web pod");
  await cluster.deregisterPods([victim]);
  await setFaults(endpoint, {
    deny: [{ action: "ec2:DeleteNetworkInterface", accessKeyId: WELL_KNOWN_ACCESS_KEYS.vpcResourceController }],
  });
  try {
    const outcome = await cluster.vpcResourceController.deleteBranch(victim);
    if (outcome !== "forgotten") throw new Error(`expected a forgotten branch, got ${outcome}`);
  } finally {
    await setFaults(endpoint, {});
  }
  cluster.forgetPod(victim);
  await cluster.createPod("web").then((pod) => cluster.registerPods([pod]));

  // The reports NLB deleted by hand (its Service's finalizer removed): the LBC's rule on the api group stays.
  const reports = cluster.loadBalancers.get("reports/reports");
  if (!reports) throw new Error("no reports NLB");
  await operator.deleteLoadBalancer(reports.arn);
  await operator.deleteTargetGroup(cluster.targetGroup("reports/api").arn);
  cluster.forgetLoadBalancer("reports/reports");
  await operator.deleteSecurityGroup(reports.managedSecurityGroupId);

  // Someone revokes web's backend rule (on the cluster security group, the web pods' tagged group).
  const webRule = cluster.initialRules?.rules.find((r) => r.groupId === cluster.eks.clusterSecurityGroupId);
  if (!webRule) throw new Error("no web rule");
  await operator.revokeBackendRule(webRule);

  // Traps: an unattached VPC CNI ENI, an impostor with the branch description, a skip-tagged leak.
  const host = cluster.liveNodes.at(0);
  if (!host) throw new Error("no live node");
  const cni = await cluster.vpcCni.createEni(host);
  const impostor = await operator.createNetworkInterface({
    subnetId: host.subnetId,
    securityGroupIds: [cluster.groupId(`${cluster.name}-web`)],
    description: BRANCH_ENI_DESCRIPTION,
    tags: { Name: "copied-from-a-runbook" },
  });
  const leaks = pods.map((p) => p.branch.eniId);
  const skipTaggedLeak = leaks.at(-1);
  if (!skipTaggedLeak) throw new Error("the scaled-in node ran no pod");
  await operator.tag([skipTaggedLeak], { "branchkeeper.io/skip": "true" });
  return {
    terminatedNodeLeaks: leaks,
    terminatedInstanceId: node.instanceId,
    forgottenLeak: victim.branch.eniId,
    skipTaggedLeak,
    traps: [cni, impostor],
  };
};

/** What the world looks like in EC2 and in Branchkeeper's table, with every id replaced by its role. */
export interface NormalizedState {
  readonly existing: string[];
  readonly taggedGroups: string[];
  readonly rules: string[];
}

/** EC2's side of a world, by role: ENIs that still exist, groups carrying the cluster tag, LBC rules. */
export const normalizedEc2State = async (
  world: ReliabilityWorld,
  ec2: import("@aws-sdk/client-ec2").EC2Client,
): Promise<NormalizedState> => {
  const roles = await world.roles();
  const role = (id: string | undefined) => roles.get(id ?? "") ?? `unknown:${id}`;
  const enis = await ec2.send(
    new DescribeNetworkInterfacesCommand({ Filters: [{ Name: "vpc-id", Values: [world.vpcId] }], MaxResults: 1000 }),
  );
  const tracked = new Set([...roles.keys()].filter((id) => id.startsWith("eni-")));
  const existing = (enis.NetworkInterfaces ?? [])
    .map((e) => e.NetworkInterfaceId ?? "")
    .filter((id) => tracked.has(id))
    .map(role)
    .sort();
  const groups = await ec2.send(
    new DescribeSecurityGroupsCommand({ Filters: [{ Name: "vpc-id", Values: [world.vpcId] }] }),
  );
  const key = `kubernetes.io/cluster/${world.name}`;
  const taggedGroups = (groups.SecurityGroups ?? [])
    .filter((g) => g.Tags?.some((t) => t.Key === key))
    .map((g) => `${role(g.GroupId)}${g.Tags?.some((t) => t.Key === "branchkeeper.io/tagged-by") ? "+marker" : ""}`)
    .sort();
  const groupIds = new Set((groups.SecurityGroups ?? []).map((g) => g.GroupId));
  const rules: string[] = [];
  let token: string | undefined;
  do {
    const page = await ec2.send(new DescribeSecurityGroupRulesCommand({ MaxResults: 1000, NextToken: token }));
    for (const r of page.SecurityGroupRules ?? []) {
      if (r.IsEgress || !groupIds.has(r.GroupId) || r.Description !== "elbv2.k8s.aws/targetGroupBinding=shared")
        continue;
      rules.push(
        `${role(r.GroupId)}|${r.IpProtocol}|${r.FromPort}-${r.ToPort}|${role(r.ReferencedGroupInfo?.GroupId)}`,
      );
    }
    token = page.NextToken;
  } while (token);
  return { existing, taggedGroups, rules: rules.sort() };
};

/**
 * Replace every `eni-…`, `sg-…` and `sgr-…` id in a text by its role, and the VPC's octet of every
 * private IP (worlds differ only in their VPC's CIDR, `10.<n>.0.0/16`).
 */
export const withRoles = (text: string, roles: ReadonlyMap<string, string>): string =>
  text
    .replace(/\b(?:eni|sgr|sg)-[0-9a-f]+\b/g, (id) => roles.get(id) ?? id)
    .replace(/\b10\.\d+\.(\d+\.\d+)\b/g, "10.X.$1");

/** Calls, throttles and errors per `service:Action` since the last reset. */
export interface SimStats {
  calls: Record<string, number>;
  throttled: Record<string, number>;
  errors: Record<string, number>;
  totalCalls: number;
}

export const simStats = (endpoint: string) => simControl<SimStats>(endpoint, "/_sim/stats");
export const resetSimStats = (endpoint: string) => simControl(endpoint, "/_sim/stats", { method: "DELETE" });

/** Sum of the counters whose key matches. */
export const sumOf = (counters: Record<string, number>, match: (key: string) => boolean): number =>
  Object.entries(counters)
    .filter(([key]) => match(key))
    .reduce((n, [, v]) => n + v, 0);

/** A CloudTrail record of a DeleteNetworkInterface call, as the simulator puts it on the bus. */
interface TrailDetail {
  readonly eventName?: string;
  readonly errorCode?: string;
  readonly userIdentity?: { readonly arn?: string };
  readonly requestParameters?: { readonly networkInterfaceId?: string };
}

/**
 * Branchkeeper's DeleteNetworkInterface calls since `cursor`, from CloudTrail: per ENI id, how many
 * succeeded and how many were attempted (failed ones included).
 */
export const deletionsByBranchkeeper = async (
  endpoint: string,
  cursor: string,
): Promise<{ succeeded: Record<string, number>; attempted: Record<string, number> }> => {
  const events: { detail?: TrailDetail }[] = [];
  for (let after = cursor; ; ) {
    const page = await simControl<{ events: { detail?: TrailDetail }[]; cursor: string }>(
      endpoint,
      `/_sim/events?after=${after}`,
    );
    if (page.events.length === 0) break;
    events.push(...page.events);
    after = page.cursor;
  }
  const succeeded: Record<string, number> = {};
  const attempted: Record<string, number> = {};
  for (const { detail } of events) {
    if (detail?.eventName !== "DeleteNetworkInterface" || !detail.userIdentity?.arn?.includes("branchkeeper")) continue;
    const id = detail.requestParameters?.networkInterfaceId ?? "";
    attempted[id] = (attempted[id] ?? 0) + 1;
    if (!detail.errorCode) succeeded[id] = (succeeded[id] ?? 0) + 1;
  }
  return { succeeded, attempted };
};

/** The current end of the simulator's event log. */
export const eventCursor = async (endpoint: string): Promise<string> => {
  let cursor = "0";
  for (;;) {
    const page = await simControl<{ events: unknown[]; cursor: string }>(endpoint, `/_sim/events?after=${cursor}`);
    if (page.events.length === 0) return cursor;
    cursor = page.cursor;
  }
};
