import type { SimWorld } from "../../world.ts";
import { clusterNotFound, invalidParameter, nodegroupNotFound, resourceInUse } from "./eks-error.ts";
import type { CreateClusterInput, CreateNodegroupInput, EksCluster, EksNodegroup } from "./eks-resources.ts";

/** Kubernetes version of a cluster created without one. */
export const DEFAULT_KUBERNETES_VERSION = "1.33";

const CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/;
const NODEGROUP_NAME = /^[0-9A-Za-z][A-Za-z0-9\-_]{0,62}$/;

/** The description EKS gives the cluster security group it creates. */
export const CLUSTER_SG_DESCRIPTION =
  "EKS created security group applied to ENI that is attached to EKS Control Plane master nodes, as well as any managed workloads.";

/**
 * The account's EKS clusters and their managed node groups. Creating a cluster creates its cluster
 * security group in EC2; deleting it removes that group only if nothing uses it any more, which is
 * how deleted clusters leave security groups behind in real accounts.
 */
export class EksState {
  private readonly clusters = new Map<string, EksCluster>();
  private readonly nodegroups = new Map<string, Map<string, EksNodegroup>>();

  public constructor(private readonly world: SimWorld) {}

  public cluster(name: string): EksCluster | undefined {
    return this.clusters.get(name);
  }

  /** Every cluster, by name. */
  public listClusters(): EksCluster[] {
    return [...this.clusters.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  public requireCluster(name: string): EksCluster {
    const cluster = this.clusters.get(name);
    if (!cluster) throw clusterNotFound(name);
    return cluster;
  }

  public createCluster(input: CreateClusterInput): EksCluster {
    const { name } = input;
    if (!CLUSTER_NAME.test(name)) {
      throw invalidParameter(
        `The cluster name ${name} is invalid: it must start with an alphanumeric character and contain only alphanumerics, hyphens and underscores (at most 100).`,
        { clusterName: name },
      );
    }
    if (this.clusters.has(name))
      throw resourceInUse(`Cluster already exists with name: ${name}`, { clusterName: name });
    const vpcId = this.vpcOfSubnets(input.subnetIds, name);
    for (const groupId of input.securityGroupIds ?? []) {
      if (!this.world.ec2.securityGroupExists(groupId)) {
        throw invalidParameter(`The security group '${groupId}' does not exist`, { clusterName: name });
      }
    }
    const world = this.world;
    const digits = (BigInt(`0x${this.hex(12)}`) % 10_000_000_000n).toString().padStart(10, "0");
    const groupName = `eks-cluster-sg-${name}-${digits}`;
    const clusterSg = world.ec2.createSecurityGroup({
      vpcId,
      groupName,
      description: CLUSTER_SG_DESCRIPTION,
      tags: { [`kubernetes.io/cluster/${name}`]: "owned", "aws:eks:cluster-name": name, Name: groupName },
    });
    const endpointId = this.hex(32).toUpperCase();
    const vpcCidr = world.ec2.vpc(vpcId)?.cidrBlock ?? "";
    const cluster: EksCluster = {
      name,
      arn: `arn:aws:eks:${world.region}:${world.accountId}:cluster/${name}`,
      createdAt: world.clock.now(),
      version: input.version ?? DEFAULT_KUBERNETES_VERSION,
      platformVersion: "eks.1",
      roleArn: input.roleArn,
      endpoint: `https://${endpointId}.gr7.${world.region}.eks.amazonaws.com`,
      certificateAuthorityData: Buffer.from(
        `-----BEGIN CERTIFICATE-----\nsimulated ${name}\n-----END CERTIFICATE-----\n`,
      ).toString("base64"),
      oidcIssuer: `https://oidc.eks.${world.region}.amazonaws.com/id/${endpointId}`,
      subnetIds: [...input.subnetIds],
      securityGroupIds: [...(input.securityGroupIds ?? [])],
      clusterSecurityGroupId: clusterSg.groupId,
      vpcId,
      endpointPublicAccess: input.endpointPublicAccess ?? true,
      endpointPrivateAccess: input.endpointPrivateAccess ?? false,
      publicAccessCidrs: [...(input.publicAccessCidrs ?? ["0.0.0.0/0"])],
      // EKS avoids overlapping the VPC: 172.20.0.0/16 for VPCs in 10.0.0.0/8, else 10.100.0.0/16.
      serviceIpv4Cidr: vpcCidr.startsWith("10.") ? "172.20.0.0/16" : "10.100.0.0/16",
      tags: { ...(input.tags ?? {}) },
    };
    this.clusters.set(name, cluster);
    this.nodegroups.set(name, new Map());
    return cluster;
  }

  /**
   * Delete a cluster (refused while node groups remain), then its cluster security group if unused.
   * Returns the cluster as it was.
   */
  public deleteCluster(name: string): EksCluster {
    const cluster = this.requireCluster(name);
    if ((this.nodegroups.get(name)?.size ?? 0) > 0) {
      throw resourceInUse("Cluster has nodegroups attached", { clusterName: name });
    }
    this.clusters.delete(name);
    this.nodegroups.delete(name);
    this.world.ec2.deleteSecurityGroupIfUnused(cluster.clusterSecurityGroupId);
    return cluster;
  }

  public nodegroup(clusterName: string, nodegroupName: string): EksNodegroup {
    const group = this.groupsOf(clusterName).get(nodegroupName);
    if (!group) throw nodegroupNotFound(clusterName, nodegroupName);
    return group;
  }

  public listNodegroups(clusterName: string): EksNodegroup[] {
    return [...this.groupsOf(clusterName).values()].sort((a, b) => a.nodegroupName.localeCompare(b.nodegroupName));
  }

  public createNodegroup(input: CreateNodegroupInput): EksNodegroup {
    const { clusterName, nodegroupName } = input;
    const cluster = this.requireCluster(clusterName);
    const groups = this.groupsOf(clusterName);
    const fields = { clusterName, nodegroupName };
    if (!NODEGROUP_NAME.test(nodegroupName)) {
      throw invalidParameter(`The node group name ${nodegroupName} is invalid.`, fields);
    }
    if (groups.has(nodegroupName)) {
      throw resourceInUse(
        `NodeGroup already exists with name ${nodegroupName} and cluster name ${clusterName}`,
        fields,
      );
    }
    if (input.subnets.length === 0) throw invalidParameter("Subnets are required", fields);
    for (const subnetId of input.subnets) {
      const subnet = this.world.ec2.subnet(subnetId);
      if (!subnet) throw invalidParameter(`The subnet ID '${subnetId}' does not exist`, fields);
      if (subnet.vpcId !== cluster.vpcId) {
        throw invalidParameter(`Subnet ${subnetId} is not in the VPC of cluster ${clusterName}`, fields);
      }
    }
    const minSize = input.scalingConfig?.minSize ?? 1;
    const maxSize = input.scalingConfig?.maxSize ?? 2;
    const desiredSize = input.scalingConfig?.desiredSize ?? 2;
    if (minSize < 0 || maxSize < 1 || desiredSize < minSize || desiredSize > maxSize) {
      throw invalidParameter("Minimum capacity, desired size and maximum capacity are inconsistent", fields);
    }
    const id = this.world.ids.uuid();
    const version = input.version ?? cluster.version;
    const group: EksNodegroup = {
      nodegroupName,
      nodegroupArn: `arn:aws:eks:${this.world.region}:${this.world.accountId}:nodegroup/${clusterName}/${nodegroupName}/${id}`,
      clusterName,
      version,
      releaseVersion: `${version}.0-20251101`,
      createdAt: this.world.clock.now(),
      capacityType: input.capacityType ?? "ON_DEMAND",
      scalingConfig: { minSize, maxSize, desiredSize },
      instanceTypes: [...(input.instanceTypes ?? ["t3.medium"])],
      subnets: [...input.subnets],
      amiType: input.amiType ?? "AL2023_x86_64_STANDARD",
      nodeRole: input.nodeRole,
      diskSize: input.diskSize ?? 20,
      labels: { ...(input.labels ?? {}) },
      autoScalingGroupName: `eks-${nodegroupName}-${id}`,
      tags: { ...(input.tags ?? {}) },
    };
    groups.set(nodegroupName, group);
    return group;
  }

  /** Delete a node group; returns it as it was. */
  public deleteNodegroup(clusterName: string, nodegroupName: string): EksNodegroup {
    const group = this.nodegroup(clusterName, nodegroupName);
    this.groupsOf(clusterName).delete(nodegroupName);
    return group;
  }

  private groupsOf(clusterName: string): Map<string, EksNodegroup> {
    this.requireCluster(clusterName);
    let groups = this.nodegroups.get(clusterName);
    if (!groups) {
      groups = new Map();
      this.nodegroups.set(clusterName, groups);
    }
    return groups;
  }

  /** The one VPC of a cluster's subnets, which must exist and span two Availability Zones. */
  private vpcOfSubnets(subnetIds: readonly string[], clusterName: string): string {
    const fields = { clusterName };
    const subnets = subnetIds.map((subnetId) => {
      const subnet = this.world.ec2.subnet(subnetId);
      if (!subnet) {
        throw invalidParameter(
          `The subnet ID '${subnetId}' does not exist (Service: AmazonEC2; Status Code: 400; Error Code: InvalidSubnetID.NotFound)`,
          fields,
        );
      }
      return subnet;
    });
    const vpcIds = new Set(subnets.map((s) => s.vpcId));
    if (vpcIds.size > 1) throw invalidParameter("Subnets specified must be in the same VPC", fields);
    if (new Set(subnets.map((s) => s.availabilityZone)).size < 2) {
      throw invalidParameter("Subnets specified must be in at least two different AZs", fields);
    }
    const [vpcId] = vpcIds;
    if (vpcId === undefined) throw invalidParameter("Subnets are required", fields);
    return vpcId;
  }

  private hex(length: number): string {
    return this.world.ids.next("eks", length).slice("eks-".length);
  }
}
