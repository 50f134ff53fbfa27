import {
  DescribeInstancesCommand,
  type EC2Client,
  type Instance,
  RunInstancesCommand,
  TerminateInstancesCommand,
} from "@aws-sdk/client-ec2";
import {
  CreateClusterCommand,
  CreateNodegroupCommand,
  DeleteClusterCommand,
  DeleteNodegroupCommand,
  DescribeClusterCommand,
  type EKSClient,
} from "@aws-sdk/client-eks";
import { DEFAULT_ACCOUNT_ID } from "../world.ts";
import { errorCode } from "./aws-errors.ts";
import type { ClusterNode } from "./cluster-node.ts";
import { clusterTagKey } from "./eni-tags.ts";
import { required } from "./required.ts";

export interface EksControlPlaneOptions {
  /** EKS client of whoever creates and deletes clusters: an operator, or their IaC. */
  readonly eks: EKSClient;
  /** EC2 client signed as EKS (`WELL_KNOWN_ACCESS_KEYS.eks`): managed node groups launch and end nodes. */
  readonly ec2: EC2Client;
  /** The node AMI. */
  readonly imageId?: string;
  /** The account the clusters' IAM roles live in. */
  readonly accountId?: string;
  /** How long to wait for a cluster to become ACTIVE or instances to run, in polls of 25 ms. Default 80. */
  readonly maxPolls?: number;
}

export interface EksCluster {
  readonly name: string;
  readonly arn: string;
  readonly status: string;
  readonly vpcId: string;
  readonly subnetIds: readonly string[];
  /** `eks-cluster-sg-<name>-…`, tagged `kubernetes.io/cluster/<name>=owned`: the nodes' group. */
  readonly clusterSecurityGroupId: string;
}

export interface CreateNodegroupInput {
  readonly cluster: EksCluster;
  readonly nodegroup: string;
  readonly instanceType: string;
  /** Nodes are spread evenly over these subnets. */
  readonly subnetIds: readonly string[];
  readonly size: number;
  /** The nodes' groups (a launch template's); default: the cluster security group alone. */
  readonly securityGroupIds?: readonly string[];
}

export interface LaunchNodesInput {
  readonly cluster: string;
  readonly nodegroup: string;
  readonly count: number;
  readonly instanceType: string;
  readonly subnetId: string;
  readonly securityGroupIds: readonly string[];
}

const EKS_NODE_AMI = "ami-0e5a1b2c3d4e5f607";
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * EKS as seen from the account: clusters created and deleted through the EKS API, and the managed
 * node groups' instances, launched and terminated in EC2 under EKS's identity.
 */
export class EksControlPlane {
  private readonly eks: EKSClient;
  private readonly ec2: EC2Client;
  private readonly imageId: string;
  private readonly maxPolls: number;
  private readonly accountId: string;

  public constructor(options: EksControlPlaneOptions) {
    this.eks = options.eks;
    this.ec2 = options.ec2;
    this.imageId = options.imageId ?? EKS_NODE_AMI;
    this.maxPolls = options.maxPolls ?? 80;
    this.accountId = options.accountId ?? DEFAULT_ACCOUNT_ID;
  }

  /** CreateCluster (EKS makes the cluster security group), then wait (bounded) for ACTIVE. */
  public async createCluster(input: {
    name: string;
    subnetIds: readonly string[];
    version?: string;
  }): Promise<EksCluster> {
    await this.eks.send(
      new CreateClusterCommand({
        name: input.name,
        version: input.version ?? "1.33",
        roleArn: `arn:aws:iam::${this.accountId}:role/${input.name}-cluster-role`,
        resourcesVpcConfig: { subnetIds: [...input.subnetIds], endpointPrivateAccess: true },
      }),
    );
    let cluster = await this.describe(input.name);
    for (let poll = 0; cluster.status === "CREATING" && poll < this.maxPolls; poll++) {
      await sleep(25);
      cluster = await this.describe(input.name);
    }
    return {
      name: input.name,
      arn: required(cluster.arn, "DescribeCluster cluster.arn"),
      status: cluster.status ?? "UNKNOWN",
      vpcId: required(cluster.resourcesVpcConfig?.vpcId, "DescribeCluster vpcId"),
      subnetIds: [...input.subnetIds],
      clusterSecurityGroupId: required(
        cluster.resourcesVpcConfig?.clusterSecurityGroupId,
        "DescribeCluster clusterSecurityGroupId",
      ),
    } satisfies EksCluster;
  }

  /** DeleteCluster, then wait (bounded) until EKS no longer knows it. */
  public async deleteCluster(name: string): Promise<void> {
    await this.eks.send(new DeleteClusterCommand({ name }));
    for (let poll = 0; poll < this.maxPolls; poll++) {
      try {
        await this.describe(name);
      } catch (error) {
        if (errorCode(error) === "ResourceNotFoundException") return;
        throw error;
      }
      await sleep(25);
    }
  }

  /**
   * A managed node group: CreateNodegroup through the EKS API, then its instances, spread over the
   * subnets in order, launched under EKS's identity. Nodes come back grouped by subnet.
   */
  public async createNodegroup(input: CreateNodegroupInput): Promise<ClusterNode[]> {
    const { cluster, nodegroup, size } = input;
    await this.eks.send(
      new CreateNodegroupCommand({
        clusterName: cluster.name,
        nodegroupName: nodegroup,
        subnets: [...input.subnetIds],
        instanceTypes: [input.instanceType],
        scalingConfig: { minSize: 0, maxSize: Math.max(1, size * 2), desiredSize: size },
        nodeRole: `arn:aws:iam::${this.accountId}:role/${cluster.name}-node-role`,
      }),
    );
    const nodes: ClusterNode[] = [];
    for (const [index, subnetId] of input.subnetIds.entries()) {
      const count = Math.floor(size / input.subnetIds.length) + (index < size % input.subnetIds.length ? 1 : 0);
      if (count === 0) continue;
      nodes.push(
        ...(await this.launchNodes({
          cluster: cluster.name,
          nodegroup,
          count,
          instanceType: input.instanceType,
          subnetId,
          securityGroupIds: input.securityGroupIds ?? [cluster.clusterSecurityGroupId],
        })),
      );
    }
    return nodes;
  }

  /** A node group going away: its instances terminated under EKS's identity, then DeleteNodegroup. */
  public async deleteNodegroup(cluster: string, nodegroup: string, instanceIds: readonly string[]): Promise<void> {
    await this.terminateNodes(instanceIds);
    await this.eks.send(new DeleteNodegroupCommand({ clusterName: cluster, nodegroupName: nodegroup }));
  }

  /** A node group scaling out: one RunInstances for `count` nodes in one subnet, then wait for `running`. */
  public async launchNodes(input: LaunchNodesInput): Promise<ClusterNode[]> {
    const launched = await this.ec2.send(
      new RunInstancesCommand({
        ImageId: this.imageId,
        InstanceType: input.instanceType as RunInstancesCommand["input"]["InstanceType"],
        MinCount: input.count,
        MaxCount: input.count,
        SubnetId: input.subnetId,
        SecurityGroupIds: [...input.securityGroupIds],
        TagSpecifications: [
          {
            ResourceType: "instance",
            Tags: [
              { Key: "Name", Value: `${input.cluster}-${input.nodegroup}-Node` },
              { Key: clusterTagKey(input.cluster), Value: "owned" },
              { Key: "eks:cluster-name", Value: input.cluster },
              { Key: "eks:nodegroup-name", Value: input.nodegroup },
            ],
          },
        ],
      }),
    );
    const ids = (launched.Instances ?? []).map((i) => required(i.InstanceId, "RunInstances InstanceId"));
    const instances = await this.waitRunning(ids);
    return instances.map((instance) => toNode(input.cluster, instance));
  }

  /** Nodes scaled in or replaced: TerminateInstances, in calls of up to 1000 ids. */
  public async terminateNodes(instanceIds: readonly string[]): Promise<void> {
    for (let start = 0; start < instanceIds.length; start += 1000) {
      await this.ec2.send(new TerminateInstancesCommand({ InstanceIds: instanceIds.slice(start, start + 1000) }));
    }
  }

  private async describe(name: string) {
    const answer = await this.eks.send(new DescribeClusterCommand({ name }));
    return required(answer.cluster, "DescribeCluster cluster");
  }

  private async waitRunning(ids: readonly string[]): Promise<Instance[]> {
    let instances: Instance[] = [];
    for (let poll = 0; poll <= this.maxPolls; poll++) {
      instances = [];
      for (let start = 0; start < ids.length; start += 1000) {
        const page = await this.ec2.send(new DescribeInstancesCommand({ InstanceIds: ids.slice(start, start + 1000) }));
        for (const reservation of page.Reservations ?? []) instances.push(...(reservation.Instances ?? []));
      }
      if (instances.every((i) => i.State?.Name === "running")) break;
      await sleep(25);
    }
    const byId = new Map(instances.map((i) => [i.InstanceId, i]));
    return ids.map((id) => required(byId.get(id), `DescribeInstances ${id}`));
  }
}

const toNode = (cluster: string, instance: Instance): ClusterNode => {
  const primary = (instance.NetworkInterfaces ?? []).find((n) => n.Attachment?.DeviceIndex === 0);
  return {
    cluster,
    instanceId: required(instance.InstanceId, "Instance InstanceId"),
    instanceType: required(instance.InstanceType, "Instance InstanceType"),
    subnetId: required(instance.SubnetId, "Instance SubnetId"),
    availabilityZone: instance.Placement?.AvailabilityZone ?? "",
    privateIpAddress: instance.PrivateIpAddress ?? "",
    primaryEniId: required(primary?.NetworkInterfaceId, "Instance primary NetworkInterfaceId"),
    securityGroupIds: (instance.SecurityGroups ?? []).map((g) => required(g.GroupId, "Instance GroupId")),
  };
};
