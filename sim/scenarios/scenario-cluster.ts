import type { BranchEni, ClusterNode, PodSpec } from "../actors/cluster-node.ts";
import { type EksCluster, EksControlPlane } from "../actors/eks-control-plane.ts";
import { clusterTagKey } from "../actors/eni-tags.ts";
import { instanceLimits } from "../actors/instance-limits.ts";
import type {
  BackendRulesReconciliation,
  ManagedLoadBalancer,
  ManagedTargetGroup,
} from "../actors/load-balancer-controller.ts";
import {
  LoadBalancerController,
  type LoadBalancerSpec,
  type TargetGroupSpec,
} from "../actors/load-balancer-controller.ts";
import type { PlatformOperator } from "../actors/platform-operator.ts";
import { VpcCni } from "../actors/vpc-cni.ts";
import { VpcResourceController } from "../actors/vpc-resource-controller.ts";
import type { ActorClients } from "./scenario-clients.ts";
import type { SeededRandom } from "./seeded-random.ts";

/** The name policies use for the cluster security group EKS creates. */
export const CLUSTER_SG = "cluster";

export interface NodegroupSpec {
  readonly name: string;
  readonly instanceType: string;
  readonly size: number;
  /** Subnet names, round-robin. */
  readonly subnets: readonly string[];
  /** Security groups (by name) the nodes get besides the cluster security group. */
  readonly extraSecurityGroups?: readonly string[];
}

export interface PodSecurityGroupSpec {
  readonly name: string;
  readonly description: string;
  /** The `kubernetes.io/cluster/<cluster>` tag value, if the group carries it. */
  readonly clusterTag?: "owned" | "shared";
}

/** A Deployment whose pods a SecurityGroupPolicy matches. */
export interface WorkloadSpec {
  readonly namespace: string;
  readonly name: string;
  /** Key of `ClusterSpec.policies`. */
  readonly policy: string;
  readonly replicas: number;
}

export type TargetsSpec = { readonly workload: string } | { readonly nodegroups: readonly string[] };

export interface ScenarioTargetGroupSpec extends TargetGroupSpec {
  /** How the scenario and its report name this target group. */
  readonly key: string;
  readonly targets: TargetsSpec;
}

export interface ScenarioLoadBalancerSpec extends Omit<LoadBalancerSpec, "subnetIds"> {
  readonly subnets: readonly string[];
  readonly targetGroups: readonly ScenarioTargetGroupSpec[];
}

export interface ClusterSpec {
  readonly name: string;
  /** Subnet names of the cluster (at least two zones). */
  readonly subnets: readonly string[];
  readonly nodegroups: readonly NodegroupSpec[];
  readonly securityGroups: readonly PodSecurityGroupSpec[];
  /** SecurityGroupPolicies: security group names (`cluster`, the cluster's own, or the VPC's shared ones). */
  readonly policies: Readonly<Record<string, readonly string[]>>;
  readonly workloads: readonly WorkloadSpec[];
  readonly loadBalancers: readonly ScenarioLoadBalancerSpec[];
  /** False for a resource controller from before 2025 (branch ENIs without the instance id tag). */
  readonly tagBranchInstanceId?: boolean;
}

/** Where and as whom a cluster is built. */
export interface ClusterContext {
  readonly vpcId: string;
  readonly subnetIds: ReadonlyMap<string, string>;
  /** VPC-wide security groups by name, usable in any cluster's policies. */
  readonly sharedGroupIds: ReadonlyMap<string, string>;
  readonly operator: PlatformOperator;
  readonly clients: {
    readonly operator: ActorClients;
    readonly eks: ActorClients;
    readonly vpcResourceController: ActorClients;
    readonly loadBalancerController: ActorClients;
    readonly node: ActorClients;
  };
  readonly random: SeededRandom;
}

/** A pod with its branch ENI. */
export interface RunningPod extends PodSpec {
  readonly workload: string;
  readonly branch: BranchEni;
}

const lookup = <K, V>(map: ReadonlyMap<K, V>, key: K, what: string): V => {
  const value = map.get(key);
  if (value === undefined) throw new Error(`unknown ${what}: ${String(key)}`);
  return value;
};

/**
 * One EKS cluster of a scenario with its in-cluster actors: the VPC resource controller, the VPC CNI and
 * the LBC. It schedules pods over its nodes (round-robin within branch capacity) and keeps track of what
 * runs where, so scenarios can damage it and report precisely what they did.
 */
export class ScenarioCluster {
  public readonly nodes = new Map<string, ClusterNode[]>();
  public readonly groupIds = new Map<string, string>();
  public readonly pods: RunningPod[] = [];
  public readonly loadBalancers = new Map<string, ManagedLoadBalancer>();
  public readonly targetGroups = new Map<string, ManagedTargetGroup>();
  public readonly vpcResourceController: VpcResourceController;
  public readonly vpcCni: VpcCni;
  public readonly loadBalancerController: LoadBalancerController;
  public readonly control: EksControlPlane;
  public initialRules: BackendRulesReconciliation | undefined;
  private eksCluster: EksCluster | undefined;
  private readonly live = new Set<string>();
  private readonly branchCount = new Map<string, number>();
  private readonly templateHashes = new Map<string, string>();
  private cursor = 0;

  private constructor(
    public readonly spec: ClusterSpec,
    private readonly context: ClusterContext,
  ) {
    const { clients } = context;
    this.control = new EksControlPlane({ eks: clients.operator.eks, ec2: clients.eks.ec2 });
    this.vpcResourceController = new VpcResourceController({
      ec2: clients.vpcResourceController.ec2,
      cluster: spec.name,
      tagBranchInstanceId: spec.tagBranchInstanceId ?? true,
    });
    this.vpcCni = new VpcCni({ ec2: clients.node.ec2, cluster: spec.name, secondaryIps: 2 });
    this.loadBalancerController = new LoadBalancerController({
      ec2: clients.loadBalancerController.ec2,
      elbv2: clients.loadBalancerController.elbv2,
      cluster: spec.name,
      vpcId: context.vpcId,
    });
  }

  /**
   * Build the whole cluster in a fixed order (so ids repeat run after run): EKS cluster, pod groups, node
   * groups, each node's VPC CNI ENI and trunk, the LBC's load balancers, the pods and their targets, and
   * one LBC reconcile of the backend rules.
   */
  public static async build(spec: ClusterSpec, context: ClusterContext): Promise<ScenarioCluster> {
    const cluster = new ScenarioCluster(spec, context);
    await cluster.buildControlPlane();
    await cluster.buildNodes();
    await cluster.buildLoadBalancers();
    for (const workload of spec.workloads) {
      for (let replica = 0; replica < workload.replicas; replica++) await cluster.createPod(workload.name);
    }
    for (const [key, tg] of cluster.targetGroups) {
      await cluster.loadBalancerController.registerTargets(tg, cluster.targetsOf(cluster.targetGroupSpec(key).targets));
    }
    cluster.initialRules = await cluster.loadBalancerController.reconcileBackendRules();
    return cluster;
  }

  public get name(): string {
    return this.spec.name;
  }

  public get eks(): EksCluster {
    if (!this.eksCluster) throw new Error(`cluster ${this.name} is not built`);
    return this.eksCluster;
  }

  /** Nodes whose instances still run. */
  public get liveNodes(): ClusterNode[] {
    return [...this.nodes.values()].flat().filter((n) => this.live.has(n.instanceId));
  }

  public podsOn(instanceId: string): RunningPod[] {
    return this.pods.filter((p) => p.node.instanceId === instanceId);
  }

  public podsOf(workload: string): RunningPod[] {
    return this.pods.filter((p) => p.workload === workload);
  }

  public groupId(name: string): string {
    return lookup(this.groupIds, name, `security group of ${this.name}`);
  }

  public targetGroup(key: string): ManagedTargetGroup {
    return lookup(this.targetGroups, key, `target group of ${this.name}`);
  }

  /** Schedule one more pod of a workload and give it its branch ENI (not yet registered anywhere). */
  public async createPod(workloadName: string): Promise<RunningPod> {
    const workload = this.spec.workloads.find((w) => w.name === workloadName);
    if (!workload) throw new Error(`unknown workload ${workloadName} in ${this.name}`);
    const node = this.nextNode();
    const hash = this.templateHashes.get(workload.name) ?? this.context.random.suffix(10);
    this.templateHashes.set(workload.name, hash);
    const spec: PodSpec = {
      namespace: workload.namespace,
      name: `${workload.name}-${hash}-${this.context.random.suffix(5)}`,
      node,
      securityGroupIds: this.policyGroupIds(workload.policy),
    };
    const branch = await this.vpcResourceController.createBranch(spec);
    const pod: RunningPod = { ...spec, workload: workload.name, branch };
    this.pods.push(pod);
    this.branchCount.set(node.instanceId, (this.branchCount.get(node.instanceId) ?? 0) + 1);
    return pod;
  }

  /** Register pods with every ip-mode target group serving their workload. */
  public async registerPods(pods: readonly RunningPod[]): Promise<void> {
    for (const lb of this.spec.loadBalancers) {
      for (const tg of lb.targetGroups) {
        const managed = this.targetGroups.get(tg.key);
        if (!managed || !("workload" in tg.targets)) continue;
        const { workload } = tg.targets;
        const ips = pods.filter((p) => p.workload === workload).map((p) => p.branch.privateIpAddress);
        if (ips.length > 0) await this.loadBalancerController.registerTargets(managed, ips);
      }
    }
  }

  /** Deregister pods from every ip-mode target group serving their workload. */
  public async deregisterPods(pods: readonly RunningPod[]): Promise<void> {
    for (const lb of this.spec.loadBalancers) {
      for (const tg of lb.targetGroups) {
        const managed = this.targetGroups.get(tg.key);
        if (!managed || !("workload" in tg.targets)) continue;
        const { workload } = tg.targets;
        const ips = pods.filter((p) => p.workload === workload).map((p) => p.branch.privateIpAddress);
        if (ips.length > 0) await this.loadBalancerController.deregisterTargets(managed, ips);
      }
    }
  }

  /** A load balancer and its target groups are gone (deleted by hand): the LBC drops their bindings. */
  public forgetLoadBalancer(key: string): void {
    const spec = this.spec.loadBalancers.find((lb) => `${lb.namespace}/${lb.name}` === key);
    for (const tg of spec?.targetGroups ?? []) {
      const managed = this.targetGroups.get(tg.key);
      if (managed) this.loadBalancerController.forgetBinding(managed.arn);
      this.targetGroups.delete(tg.key);
    }
    this.loadBalancers.delete(key);
  }

  /** The pod is gone from the cluster's books (its ENI, in EC2, is the caller's business). */
  public forgetPod(pod: RunningPod): void {
    this.pods.splice(this.pods.indexOf(pod), 1);
    this.branchCount.set(pod.node.instanceId, (this.branchCount.get(pod.node.instanceId) ?? 1) - 1);
  }

  /** Instances are gone: no more scheduling on them; the resource controller forgets them and their pods. */
  public forgetNodes(instanceIds: readonly string[]): RunningPod[] {
    const gone: RunningPod[] = [];
    for (const instanceId of instanceIds) {
      this.live.delete(instanceId);
      this.vpcResourceController.forgetNode(instanceId);
      for (const pod of this.podsOn(instanceId)) {
        gone.push(pod);
        this.forgetPod(pod);
      }
    }
    return gone;
  }

  private async buildControlPlane(): Promise<void> {
    const { operator, subnetIds, vpcId } = this.context;
    const subnets = this.spec.subnets.map((name) => lookup(subnetIds, name, "subnet"));
    this.eksCluster = await this.control.createCluster({ name: this.name, subnetIds: subnets });
    this.groupIds.set(CLUSTER_SG, this.eks.clusterSecurityGroupId);
    for (const group of this.spec.securityGroups) {
      const id = await operator.createSecurityGroup({
        vpcId,
        name: group.name,
        description: group.description,
        ...(group.clusterTag ? { tags: { [clusterTagKey(this.name)]: group.clusterTag } } : {}),
      });
      this.groupIds.set(group.name, id);
    }
  }

  private async buildNodes(): Promise<void> {
    for (const group of this.spec.nodegroups) {
      const nodes = await this.control.createNodegroup({
        cluster: this.eks,
        nodegroup: group.name,
        instanceType: group.instanceType,
        subnetIds: group.subnets.map((name) => lookup(this.context.subnetIds, name, "subnet")),
        size: group.size,
        securityGroupIds: [CLUSTER_SG, ...(group.extraSecurityGroups ?? [])].map((name) => this.anyGroupId(name)),
      });
      this.nodes.set(group.name, nodes);
      for (const node of nodes) {
        this.live.add(node.instanceId);
        await this.vpcCni.addEni(node);
        await this.vpcResourceController.createTrunk(node);
      }
    }
  }

  private async buildLoadBalancers(): Promise<void> {
    for (const spec of this.spec.loadBalancers) {
      const lb = await this.loadBalancerController.createLoadBalancer({
        ...spec,
        subnetIds: spec.subnets.map((name) => lookup(this.context.subnetIds, name, "subnet")),
      });
      this.loadBalancers.set(`${spec.namespace}/${spec.name}`, lb);
      for (const tg of spec.targetGroups) {
        this.targetGroups.set(tg.key, await this.loadBalancerController.addTargetGroup(lb, tg));
      }
    }
  }

  private targetGroupSpec(key: string): ScenarioTargetGroupSpec {
    const spec = this.spec.loadBalancers.flatMap((lb) => lb.targetGroups).find((tg) => tg.key === key);
    if (!spec) throw new Error(`unknown target group ${key}`);
    return spec;
  }

  private targetsOf(targets: TargetsSpec): string[] {
    if ("workload" in targets) return this.podsOf(targets.workload).map((p) => p.branch.privateIpAddress);
    return targets.nodegroups.flatMap((name) => lookup(this.nodes, name, "node group").map((n) => n.instanceId));
  }

  private policyGroupIds(policy: string): string[] {
    const names = this.spec.policies[policy];
    if (!names) throw new Error(`unknown SecurityGroupPolicy ${policy} in ${this.name}`);
    return names.map((name) => this.anyGroupId(name));
  }

  private anyGroupId(name: string): string {
    return this.groupIds.get(name) ?? lookup(this.context.sharedGroupIds, name, "security group");
  }

  /** Round-robin over live trunk nodes with branch capacity left. */
  private nextNode(): ClusterNode {
    const candidates = [...this.nodes.values()].flat();
    for (let tried = 0; tried < candidates.length; tried++) {
      const node = candidates[(this.cursor + tried) % candidates.length];
      if (!node || !this.live.has(node.instanceId)) continue;
      if ((this.branchCount.get(node.instanceId) ?? 0) >= instanceLimits(node.instanceType).branchEnis) continue;
      this.cursor = (this.cursor + tried + 1) % candidates.length;
      return node;
    }
    throw new Error(`cluster ${this.name} has no branch capacity left`);
  }
}
