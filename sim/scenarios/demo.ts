import { BRANCH_ENI_DESCRIPTION } from "../actors/eni-tags.ts";
import { PlatformOperator } from "../actors/platform-operator.ts";
import { type BackendRule, backendRuleKey } from "../actors/restricted-rules.ts";
import { WELL_KNOWN_ACCESS_KEYS } from "../control/identities.ts";
import { takeCensus } from "./census.ts";
import type { ClusterTagDamage, DemoClusterReport, DemoReport } from "./demo-report.ts";
import { ALPHA, BETA, DEMO_SHARED_GROUPS, DEMO_VPC, GAMMA } from "./demo-spec.ts";
import { actorClients, NODE_INSTANCE_ROLE_KEY } from "./scenario-clients.ts";
import { type ClusterContext, type RunningPod, ScenarioCluster } from "./scenario-cluster.ts";
import { SeededRandom } from "./seeded-random.ts";

const DEMO_SEED = 20251121;

/**
 * Build the demo account through the simulator's API, one call at a time in a fixed order so every run
 * gives the same ids: one VPC, clusters alpha and beta (healthy apart from the planted damage) and gamma
 * (deleted), then the damage and the traps listed in the report.
 */
export const buildDemo = async (endpoint: string): Promise<DemoReport> => {
  const started = performance.now();
  const clients = {
    operator: actorClients(endpoint, WELL_KNOWN_ACCESS_KEYS.operator),
    eks: actorClients(endpoint, WELL_KNOWN_ACCESS_KEYS.eks),
    vpcResourceController: actorClients(endpoint, WELL_KNOWN_ACCESS_KEYS.vpcResourceController),
    loadBalancerController: actorClients(endpoint, WELL_KNOWN_ACCESS_KEYS.loadBalancerController),
    node: actorClients(endpoint, NODE_INSTANCE_ROLE_KEY),
  };
  try {
    const operator = new PlatformOperator(clients.operator);
    const { vpcId, subnetIds } = await operator.createVpc(DEMO_VPC.name, DEMO_VPC.cidr, DEMO_VPC.subnets);
    const subnets = new Map(DEMO_VPC.subnets.map((s, i) => [s.name, subnetIds[i] ?? ""]));
    const shared = new Map<string, string>();
    for (const group of DEMO_SHARED_GROUPS) {
      shared.set(group.name, await operator.createSecurityGroup({ vpcId, ...group }));
    }
    const context: ClusterContext = {
      vpcId,
      subnetIds: subnets,
      sharedGroupIds: shared,
      operator,
      clients,
      random: new SeededRandom(DEMO_SEED),
    };
    const alpha = await ScenarioCluster.build(ALPHA, context);
    const beta = await ScenarioCluster.build(BETA, context);
    const gamma = await ScenarioCluster.build(GAMMA, context);

    const terminatedNode = await scaleInSmallNode(alpha);
    const forgottenBranch = await forgetWorkerBranch(beta, endpoint);
    const deletedCluster = await deleteCluster(gamma, operator);
    const staleBackendRule = await deleteReportsByHand(beta, operator);
    const missingBackendRule = await revokePaymentsRule(alpha, operator);
    const traps = await plantTraps(alpha, operator, deletedCluster.leakedEniIds);

    const expected = [
      ...(await alpha.loadBalancerController.planBackendRules()).rules,
      ...(await beta.loadBalancerController.planBackendRules()).rules,
    ].sort((a, b) => (backendRuleKey(a) < backendRuleKey(b) ? -1 : 1));
    const census = await takeCensus(clients.operator);
    return {
      scenario: "demo",
      buildMs: Math.round(performance.now() - started),
      vpcId,
      subnetIds: Object.fromEntries(subnets),
      sharedSecurityGroupIds: Object.fromEntries(shared),
      clusters: { alpha: await clusterReport(alpha), beta: await clusterReport(beta) },
      damage: {
        terminatedNode,
        forgottenBranch,
        deletedCluster,
        zeroClusterTagEni: tagDamage(alpha, "legacy", "shop/legacy"),
        twoClusterTagEni: tagDamage(alpha, "canary", "shop/canary"),
        staleBackendRule,
        missingBackendRule,
      },
      traps,
      leakedEniIds: [...terminatedNode.leakedEniIds, forgottenBranch.eniId, ...deletedCluster.leakedEniIds],
      expectedBackendRules: expected,
      census,
    };
  } finally {
    for (const client of Object.values(clients)) client.destroy();
  }
};

/**
 * The last `small` node of alpha is scaled in while the resource controller restarts: EC2 deletes the trunk
 * with the instance, the branch ENIs stay `available`. The LBC deregisters the dead pods; they come back on
 * other nodes with new branch ENIs.
 */
const scaleInSmallNode = async (alpha: ScenarioCluster) => {
  const node = alpha.nodes.get("small")?.at(-1);
  if (!node) throw new Error("alpha has no small node");
  const trunkEniId = alpha.vpcResourceController.trunkOf(node.instanceId)?.eniId ?? "";
  const pods = alpha.podsOn(node.instanceId);
  await alpha.deregisterPods(pods);
  await alpha.control.terminateNodes([node.instanceId]);
  alpha.forgetNodes([node.instanceId]);
  const replacements: RunningPod[] = [];
  for (const pod of pods) replacements.push(await alpha.createPod(pod.workload));
  await alpha.registerPods(replacements);
  await alpha.loadBalancerController.reconcileBackendRules();
  return {
    cluster: "alpha" as const,
    instanceId: node.instanceId,
    trunkEniId,
    leakedEniIds: pods.map((p) => p.branch.eniId),
  };
};

/**
 * A beta worker pod is deleted while the customer's role lacks ec2:DeleteNetworkInterface (an SCP): the
 * controller disassociates the branch, fails its three delete attempts and forgets it.
 */
const forgetWorkerBranch = async (beta: ScenarioCluster, endpoint: string) => {
  const pod = beta.podsOf("worker").at(0);
  if (!pod) throw new Error("beta has no worker pod");
  const faults = `${endpoint}/_sim/faults`;
  const previous: unknown = await (await fetch(faults)).json();
  const deny = { action: "ec2:DeleteNetworkInterface", accessKeyId: WELL_KNOWN_ACCESS_KEYS.vpcResourceController };
  const denied = { ...(previous as object), deny: [...((previous as { deny?: unknown[] }).deny ?? []), deny] };
  await fetch(faults, { method: "POST", body: JSON.stringify(denied) });
  try {
    const outcome = await beta.vpcResourceController.deleteBranch(pod);
    if (outcome !== "forgotten") throw new Error(`expected the branch of ${pod.name} to be forgotten, got ${outcome}`);
  } finally {
    await fetch(faults, { method: "POST", body: JSON.stringify(previous) });
  }
  beta.forgetPod(pod);
  return {
    cluster: "beta" as const,
    eniId: pod.branch.eniId,
    trunkEniId: pod.branch.trunkEniId,
    instanceId: pod.node.instanceId,
  };
};

/**
 * gamma is torn down the usual way with the LBC already gone: eksctl deletes its load balancer and target
 * group, the node group goes (trunks with it, branches `available`), then EKS DeleteCluster.
 */
const deleteCluster = async (gamma: ScenarioCluster, operator: PlatformOperator) => {
  const loadBalancer = gamma.loadBalancers.get("app/app");
  const targetGroup = gamma.targetGroup("app/app");
  if (!loadBalancer) throw new Error("gamma has no load balancer");
  const leftoverRules = gamma.initialRules?.rules ?? [];
  await operator.deleteLoadBalancer(loadBalancer.arn);
  await operator.deleteTargetGroup(targetGroup.arn);
  const instanceIds = [...gamma.nodes.values()].flat().map((n) => n.instanceId);
  await gamma.control.deleteNodegroup(gamma.name, "general", instanceIds);
  const pods = gamma.forgetNodes(instanceIds);
  await gamma.control.deleteCluster(gamma.name);
  return {
    cluster: "gamma" as const,
    terminatedInstanceIds: instanceIds,
    leakedEniIds: pods.map((p) => p.branch.eniId),
    backendSecurityGroupId: await gamma.loadBalancerController.ensureBackendSecurityGroup(),
    securityGroupIds: Object.fromEntries(gamma.groupIds),
    leftoverRules,
    deletedLoadBalancerArn: loadBalancer.arn,
    deletedTargetGroupArn: targetGroup.arn,
  };
};

/**
 * Service beta/reports was deleted while the LBC was down and its finalizer removed by hand; the operator
 * then deleted the NLB, its managed group and the target group. The LBC's rule on beta-reports stays.
 */
const deleteReportsByHand = async (beta: ScenarioCluster, operator: PlatformOperator) => {
  const loadBalancer = beta.loadBalancers.get("reports/reports");
  const targetGroup = beta.targetGroup("reports/reports");
  if (!loadBalancer) throw new Error("beta has no reports load balancer");
  const rule = findRule(beta.initialRules?.rules ?? [], beta.groupId("beta-reports"));
  await operator.deleteLoadBalancer(loadBalancer.arn);
  await operator.deleteTargetGroup(targetGroup.arn);
  await operator.deleteSecurityGroup(loadBalancer.managedSecurityGroupId);
  beta.forgetLoadBalancer("reports/reports");
  return {
    cluster: "beta" as const,
    rule,
    deletedLoadBalancerArn: loadBalancer.arn,
    deletedTargetGroupArn: targetGroup.arn,
  };
};

/** Someone revokes the rule that lets alpha's NLB reach the payments pods. */
const revokePaymentsRule = async (alpha: ScenarioCluster, operator: PlatformOperator) => {
  const rule = findRule(alpha.initialRules?.rules ?? [], alpha.groupId("alpha-payments"));
  await operator.revokeBackendRule(rule);
  return { cluster: "alpha" as const, rule };
};

/** What a reconciler must leave alone: a CNI ENI, an ENI that merely looks like a branch, a skip-tagged leak. */
const plantTraps = async (alpha: ScenarioCluster, operator: PlatformOperator, gammaLeaks: readonly string[]) => {
  const host = alpha.liveNodes.at(0);
  const skipTaggedEniId = gammaLeaks.at(-1);
  if (!host || !skipTaggedEniId) throw new Error("nothing to plant traps on");
  const unattachedVpcCniEniId = await alpha.vpcCni.createEni(host);
  const impostorEniId = await operator.createNetworkInterface({
    subnetId: host.subnetId,
    securityGroupIds: [alpha.groupId("alpha-web")],
    description: BRANCH_ENI_DESCRIPTION,
    tags: { Name: "copied-from-a-runbook" },
  });
  await operator.tag([skipTaggedEniId], { "branchkeeper.io/skip": "true", "kept-for": "incident-4711" });
  return { unattachedVpcCniEniId, impostorEniId, skipTaggedEniId };
};

const findRule = (rules: readonly BackendRule[], groupId: string): BackendRule => {
  const rule = rules.find((r) => r.groupId === groupId);
  if (!rule) throw new Error(`no backend rule on ${groupId}`);
  return rule;
};

const tagDamage = (alpha: ScenarioCluster, workload: string, targetGroupKey: string): ClusterTagDamage => {
  const pod = alpha.podsOf(workload).at(0);
  if (!pod) throw new Error(`alpha has no ${workload} pod`);
  return {
    cluster: "alpha",
    eniId: pod.branch.eniId,
    securityGroupIds: pod.branch.securityGroupIds,
    targetGroupArn: alpha.targetGroup(targetGroupKey).arn,
  };
};

const clusterReport = async (cluster: ScenarioCluster): Promise<DemoClusterReport> => {
  const nodes = cluster.liveNodes;
  return {
    name: cluster.name,
    clusterSecurityGroupId: cluster.eks.clusterSecurityGroupId,
    backendSecurityGroupId: await cluster.loadBalancerController.ensureBackendSecurityGroup(),
    securityGroupIds: Object.fromEntries(cluster.groupIds),
    nodeInstanceIds: nodes.map((n) => n.instanceId),
    trunkEniIds: nodes.flatMap((n) => cluster.vpcResourceController.trunkOf(n.instanceId)?.eniId ?? []),
    branchEniIds: cluster.pods.map((p) => p.branch.eniId),
    loadBalancerArns: Object.fromEntries([...cluster.loadBalancers].map(([key, lb]) => [key, lb.arn])),
    targetGroupArns: Object.fromEntries([...cluster.targetGroups].map(([key, tg]) => [key, tg.arn])),
  };
};
