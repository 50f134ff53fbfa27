import {
  DeleteNetworkInterfaceCommand,
  DescribeNetworkInterfacesCommand,
  type DescribeNetworkInterfacesCommandOutput,
} from "@aws-sdk/client-ec2";
import { isNotFound } from "../../sim/actors/aws-errors.ts";
import type { ClusterNode, PodSpec } from "../../sim/actors/cluster-node.ts";
import { EksControlPlane } from "../../sim/actors/eks-control-plane.ts";
import {
  BRANCH_ENI_DESCRIPTION,
  ENI_OWNER_TAG,
  NODE_INSTANCE_ID_TAG,
  VPC_CNI_OWNER,
  VPC_RESOURCE_CONTROLLER_OWNER,
} from "../../sim/actors/eni-tags.ts";
import { PlatformOperator } from "../../sim/actors/platform-operator.ts";
import { VpcCni } from "../../sim/actors/vpc-cni.ts";
import { VpcResourceController } from "../../sim/actors/vpc-resource-controller.ts";
import { WELL_KNOWN_ACCESS_KEYS } from "../../sim/index.ts";
import { mapConcurrent } from "../../sim/scenarios/concurrency.ts";
import { type ActorClients, actorClients, NODE_INSTANCE_ROLE_KEY } from "../../sim/scenarios/scenario-clients.ts";
import { setFaults } from "../../test/support/sim-clients.ts";
import type { ClusterPlan, NodePlan, PodPlan, ReclaimScenario, WorldAction } from "./scenario-types.ts";
import type { VirtualTime } from "./virtual-time.ts";

const NODEGROUP = "ng-1";
const NAMESPACE = "bench";
const BUILD_CONCURRENCY = 16;

/** The controller crashed (restart, leader change, cluster deleted) between disassociating and deleting. */
class ControllerCrashed extends Error {}

interface ClusterWorld {
  readonly plan: ClusterPlan;
  readonly vpcId: string;
  readonly subnetIds: readonly string[];
  /** Group ids by role. */
  readonly groupIds: ReadonlyMap<string, string>;
  readonly controller: VpcResourceController;
  readonly cni: VpcCni;
}

/** A difference between what the truth says the owner's node cleanup finds and what EC2 answered. */
export interface DriverMismatch {
  readonly at: number;
  readonly what: string;
}

/**
 * Applies a scenario to the simulator through the actors, each under its own identity: the platform
 * operator (VPCs, groups, look-alikes), EKS (clusters, node groups, terminations), the VPC resource
 * controller (trunks, branches, teardowns, its node cleanup) and the VPC CNI (its ENIs). Actions run as
 * tasks of the virtual time, at their scenario time; a teardown waits its window in virtual time.
 */
export class WorldDriver {
  /** Logical key → `eni-…`, and back. */
  public readonly eniIds = new Map<string, string>();
  public readonly keysByEniId = new Map<string, string>();
  public readonly mismatches: DriverMismatch[] = [];
  /** Actions applied, by kind. */
  public readonly applied: Record<string, number> = {};
  private readonly clients: Record<"operator" | "eks" | "controller" | "node", ActorClients>;
  private readonly clusters = new Map<string, ClusterWorld>();
  private readonly nodes = new Map<string, ClusterNode>();
  private readonly podSpecs = new Map<string, PodSpec>();
  private readonly operator: PlatformOperator;
  private readonly control: EksControlPlane;

  public constructor(
    private readonly endpoint: string,
    private readonly scenario: ReclaimScenario,
  ) {
    const sockets = { maxSockets: BUILD_CONCURRENCY };
    this.clients = {
      operator: actorClients(endpoint, WELL_KNOWN_ACCESS_KEYS.operator, sockets),
      eks: actorClients(endpoint, WELL_KNOWN_ACCESS_KEYS.eks, sockets),
      controller: actorClients(endpoint, WELL_KNOWN_ACCESS_KEYS.vpcResourceController, sockets),
      node: actorClients(endpoint, NODE_INSTANCE_ROLE_KEY, sockets),
    };
    this.operator = new PlatformOperator(this.clients.operator);
    this.control = new EksControlPlane({ eks: this.clients.operator.eks, ec2: this.clients.eks.ec2 });
  }

  /** Build every cluster as it is at the start: VPC, EKS cluster, groups, nodes with trunks, pods, look-alikes. */
  public async build(): Promise<void> {
    await Promise.all(this.scenario.clusters.map((plan, index) => this.buildCluster(plan, index)));
  }

  /** Schedule every action at `startMs` + its time. */
  public schedule(time: VirtualTime, startMs: number): void {
    for (const action of this.scenario.actions) {
      time.at(startMs + action.at * 1000, () => this.apply(action, time));
    }
  }

  public destroy(): void {
    for (const client of Object.values(this.clients)) client.destroy();
  }

  private async buildCluster(plan: ClusterPlan, index: number): Promise<void> {
    const name = plan.shape.name;
    const { vpcId, subnetIds } = await this.operator.createVpc(`${name}-vpc`, `10.${20 + index}.0.0/16`, [
      { name: "private-a", cidr: `10.${20 + index}.0.0/18`, availabilityZone: "us-east-1a" },
      { name: "private-b", cidr: `10.${20 + index}.64.0/18`, availabilityZone: "us-east-1b" },
    ]);
    const eks = await this.control.createCluster({ name, subnetIds });
    const groupIds = new Map<string, string>();
    for (const group of plan.groups) {
      groupIds.set(
        group.role,
        group.role === "cluster"
          ? eks.clusterSecurityGroupId
          : await this.operator.createSecurityGroup({
              vpcId,
              name: group.name,
              description: `${group.role} of ${name}`,
            }),
      );
    }
    const world: ClusterWorld = {
      plan,
      vpcId,
      subnetIds,
      groupIds,
      controller: new VpcResourceController({
        ec2: this.clients.controller.ec2,
        cluster: name,
        tagBranchInstanceId: plan.shape.controller === "current",
        grantBranchPermission: false,
      }),
      cni: new VpcCni({ ec2: this.clients.node.ec2, cluster: name }),
    };
    this.clusters.set(name, world);
    const launched = await this.control.createNodegroup({
      cluster: eks,
      nodegroup: NODEGROUP,
      instanceType: plan.shape.instanceType,
      subnetIds,
      size: plan.nodes.length,
      securityGroupIds: this.nodeGroupIds(world),
    });
    for (const [i, node] of plan.nodes.entries()) {
      const built = launched[i];
      if (!built) throw new Error(`node ${node.key} was not launched`);
      this.nodes.set(node.key, built);
    }
    await mapConcurrent(plan.nodes, BUILD_CONCURRENCY, (node) => this.prepareNode(world, node));
    await mapConcurrent(plan.pods, BUILD_CONCURRENCY, (pod) => this.createPod(pod));
    for (const lookAlike of plan.lookAlikes) {
      const eniId = await this.operator.createNetworkInterface({
        subnetId: subnetIds[0] ?? "",
        securityGroupIds: [this.groupId(world, "web")],
        description: BRANCH_ENI_DESCRIPTION,
        tags: { Name: "copied-from-a-runbook", ...(lookAlike.owner ? { [ENI_OWNER_TAG]: lookAlike.owner } : {}) },
      });
      this.remember(lookAlike.key, eniId);
    }
  }

  private nodeGroupIds(world: ClusterWorld): string[] {
    return [this.groupId(world, "cluster"), this.groupId(world, "shared-node")];
  }

  private groupId(world: ClusterWorld, role: string): string {
    const id = world.groupIds.get(role);
    if (!id) throw new Error(`no ${role} group in ${world.plan.shape.name}`);
    return id;
  }

  private cluster(name: string): ClusterWorld {
    const world = this.clusters.get(name);
    if (!world) throw new Error(`unknown cluster ${name}`);
    return world;
  }

  private node(key: string): ClusterNode {
    const node = this.nodes.get(key);
    if (!node) throw new Error(`unknown node ${key}`);
    return node;
  }

  private remember(key: string, eniId: string): void {
    this.eniIds.set(key, eniId);
    this.keysByEniId.set(eniId, key);
  }

  /** The node's VPC CNI ENI and its trunk, as when it joined the cluster. */
  private async prepareNode(world: ClusterWorld, plan: NodePlan): Promise<void> {
    const node = this.node(plan.key);
    await world.cni.addEni(node);
    await world.controller.createTrunk(node);
  }

  private async createPod(pod: PodPlan): Promise<void> {
    const world = this.cluster(pod.cluster);
    const policy = world.plan.policies.find((p) => p.name === pod.policy);
    if (!policy) throw new Error(`unknown policy ${pod.policy}`);
    const spec: PodSpec = {
      namespace: NAMESPACE,
      name: pod.key.replace("/", "-"),
      node: this.node(pod.node),
      securityGroupIds: policy.roles.map((role) => this.groupId(world, role)),
    };
    const branch = await world.controller.createBranch(spec);
    this.podSpecs.set(pod.key, spec);
    this.remember(pod.key, branch.eniId);
  }

  private async apply(action: WorldAction, time: VirtualTime): Promise<void> {
    this.applied[action.kind] = (this.applied[action.kind] ?? 0) + 1;
    switch (action.kind) {
      case "create-pod":
        return this.createPod(action.pod);
      case "teardown-pod":
        return this.teardown(action, time);
      case "terminate-nodes": {
        const ids = action.nodes.map((key) => this.node(key).instanceId);
        if (action.why === "cluster-deleted") await this.control.deleteNodegroup(action.cluster, NODEGROUP, ids);
        else await this.control.terminateNodes(ids);
        for (const id of ids) this.cluster(action.cluster).controller.forgetNode(id);
        return;
      }
      case "node-cleanup":
        return this.nodeCleanup(action);
      case "launch-node": {
        const world = this.cluster(action.node.cluster);
        const index = Number(action.node.key.slice(-3));
        const [node] = await this.control.launchNodes({
          cluster: action.node.cluster,
          nodegroup: NODEGROUP,
          count: 1,
          instanceType: world.plan.shape.instanceType,
          subnetId: world.subnetIds[index % world.subnetIds.length] ?? "",
          securityGroupIds: this.nodeGroupIds(world),
        });
        if (!node) throw new Error(`node ${action.node.key} was not launched`);
        this.nodes.set(action.node.key, node);
        return this.prepareNode(world, action.node);
      }
      case "delete-cluster":
        return this.control.deleteCluster(action.cluster);
      case "cni-trap": {
        const world = this.cluster(action.cluster);
        const eniId = await world.cni.createEni(this.node(action.node));
        this.remember(action.eni, eniId);
        await time.sleep(action.window * 1000);
        await this.clients.node.ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: eniId }));
        return;
      }
    }
  }

  /**
   * The controller's teardown (`deleteENI` after the cool-down): DisassociateTrunkInterface, then the
   * delete attempts `window` seconds later; a forgotten one is denied `MaxDeleteRetries` times (the
   * failed calls reach CloudTrail with an errorCode); a crash loses the teardown before any delete.
   */
  private async teardown(action: Extract<WorldAction, { kind: "teardown-pod" }>, time: VirtualTime): Promise<void> {
    const world = this.cluster(action.cluster);
    const pod = this.podSpecs.get(action.pod);
    if (!pod) throw new Error(`unknown pod ${action.pod}`);
    const deny = action.outcome === "forgotten";
    try {
      const outcome = await world.controller.deleteBranch(pod, {
        afterDisassociate: async () => {
          if (action.outcome === "crashed") {
            await time.sleep(((action.crashAt ?? action.at) - action.at) * 1000);
            throw new ControllerCrashed();
          }
          await time.sleep(action.window * 1000);
          if (deny) {
            await setFaults(this.endpoint, {
              deny: [
                { action: "ec2:DeleteNetworkInterface", accessKeyId: WELL_KNOWN_ACCESS_KEYS.vpcResourceController },
              ],
            });
          }
        },
      });
      if (outcome !== (deny ? "forgotten" : "deleted")) {
        this.mismatches.push({
          at: action.at,
          what: `teardown of ${action.pod} ended ${outcome}, not ${action.outcome}`,
        });
      }
    } catch (error) {
      if (!(error instanceof ControllerCrashed)) throw error;
    } finally {
      if (deny) await setFaults(this.endpoint, {});
    }
  }

  /**
   * The controller's `NodeTerminationCleaner` (`pkg/aws/ec2/api/cleanup/node_cleanup.go`): Describe
   * `status=available` + owner tag + `vpc-id` + `tag:node.k8s.amazonaws.com/instance_id=<node>`, delete
   * each. A cleanup that fails, and a delete that fails, are only logged: no call is modelled for
   * them. What it deletes must be what the truth says it deletes.
   */
  private async nodeCleanup(action: Extract<WorldAction, { kind: "node-cleanup" }>): Promise<void> {
    const { cluster, node: nodeKey, at } = action;
    if (!action.succeeds) return;
    const world = this.cluster(cluster);
    const ec2 = this.clients.controller.ec2;
    const found: string[] = [];
    let token: string | undefined;
    do {
      const page: DescribeNetworkInterfacesCommandOutput = await ec2.send(
        new DescribeNetworkInterfacesCommand({
          Filters: [
            { Name: "status", Values: ["available"] },
            { Name: `tag:${ENI_OWNER_TAG}`, Values: [VPC_RESOURCE_CONTROLLER_OWNER, VPC_CNI_OWNER] },
            { Name: "vpc-id", Values: [world.vpcId] },
            { Name: `tag:${NODE_INSTANCE_ID_TAG}`, Values: [this.node(nodeKey).instanceId] },
          ],
          MaxResults: 1000,
          NextToken: token,
        }),
      );
      for (const eni of page.NetworkInterfaces ?? []) found.push(eni.NetworkInterfaceId ?? "");
      token = page.NextToken;
    } while (token);
    const failing = new Set(action.failedDeletes.map((key) => this.eniIds.get(key)));
    const deleted = found.filter((eniId) => !failing.has(eniId));
    for (const eniId of deleted) {
      try {
        await ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: eniId }));
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    }
    const expected = this.scenario.truth
      .filter((eni) => eni.node === nodeKey && eni.phases.some((p) => p.at === at && p.status === "deleted"))
      .map((eni) => eni.key)
      .sort();
    const got = deleted.map((id) => this.keysByEniId.get(id) ?? id).sort();
    if (expected.join() !== got.join()) {
      this.mismatches.push({
        at,
        what: `node cleanup of ${nodeKey} found ${got.length}, truth says ${expected.length}`,
      });
    }
  }
}
