import {
  AssociateTrunkInterfaceCommand,
  AttachNetworkInterfaceCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateNetworkInterfaceCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  type EC2Client,
  ModifyNetworkInterfaceAttributeCommand,
  RunInstancesCommand,
  type Tag,
} from "@aws-sdk/client-ec2";
import { CreateClusterCommand, DescribeClusterCommand } from "@aws-sdk/client-eks";
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  RegisterTargetsCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { WELL_KNOWN_ACCESS_KEYS } from "../../../sim/index.ts";
import { simClients } from "../../support/sim-clients.ts";

const OWNER: Tag = { Key: "eks:eni:owner", Value: "eks-vpc-resource-controller" };
const LBC_RULE = "elbv2.k8s.aws/targetGroupBinding=shared";
/** The value, or a clear failure when the simulator left it out. */
export const required = <T>(value: T | undefined, what = "a value"): T => {
  if (value === undefined) throw new Error(`the simulator answered without ${what}`);
  return value;
};

/** Handles on what `buildSmallWorld` created. */
export interface SmallWorld {
  readonly vpcId: string;
  readonly subnetId: string;
  readonly clusterSecurityGroupId: string;
  readonly nodes: readonly { instanceId: string; trunkId: string; primaryEniId: string }[];
  /** Branch ENIs associated to node 0's trunk (the first is an ip target). */
  readonly liveBranches: readonly { eniId: string; ip: string; associationId: string }[];
  /** An owner-tagged branch ENI that is `available` (never associated): a leak. */
  readonly leakedBranch: string;
  /** An `available` branch ENI of cluster `ghost`, which EKS does not know. */
  readonly ghostBranch: string;
  /** The VPC CNI's ENI on node 1 (not ours), whose secondary IP is an ip target. */
  readonly cniEni: { eniId: string; secondaryIp: string };
  readonly groups: { node: string; podA: string; podB: string; backend: string; lb: string; stale: string };
  readonly targetGroups: { ip: string; instance: string };
  readonly loadBalancerArn: string;
}

/** The clients (VPC resource controller, LBC, operator) a world is built with. */
export const worldClients = (endpoint: string) => ({
  operator: simClients(endpoint, WELL_KNOWN_ACCESS_KEYS.operator, 3),
  vpcrc: simClients(endpoint, WELL_KNOWN_ACCESS_KEYS.vpcResourceController, 3),
  lbc: simClients(endpoint, WELL_KNOWN_ACCESS_KEYS.loadBalancerController, 3),
  eks: simClients(endpoint, WELL_KNOWN_ACCESS_KEYS.eks, 3),
});

const createGroup = async (ec2: EC2Client, vpcId: string, name: string, tags: Tag[] = []) =>
  required(
    (
      await ec2.send(
        new CreateSecurityGroupCommand({
          VpcId: vpcId,
          GroupName: name,
          Description: name,
          ...(tags.length > 0 ? { TagSpecifications: [{ ResourceType: "security-group", Tags: tags }] } : {}),
        }),
      )
    ).GroupId,
    "GroupId",
  );

/** A branch ENI as the VPC resource controller creates it (not yet associated). */
export const createBranch = async (
  ec2: EC2Client,
  input: { subnetId: string; groups: string[]; cluster: string; trunkId: string; vlanId: number; instanceId?: string },
) => {
  const answer = await ec2.send(
    new CreateNetworkInterfaceCommand({
      SubnetId: input.subnetId,
      Description: "aws-k8s-branch-eni",
      Groups: input.groups,
      TagSpecifications: [
        {
          ResourceType: "network-interface",
          Tags: [
            OWNER,
            { Key: `kubernetes.io/cluster/${input.cluster}`, Value: "owned" },
            { Key: "vpcresources.k8s.aws/trunk-eni-id", Value: input.trunkId },
            { Key: "vpcresources.k8s.aws/vlan-id", Value: String(input.vlanId) },
            ...(input.instanceId ? [{ Key: "node.k8s.amazonaws.com/instance_id", Value: input.instanceId }] : []),
          ],
        },
      ],
    }),
  );
  const eni = required(answer.NetworkInterface, "NetworkInterface");
  return {
    eniId: required(eni.NetworkInterfaceId, "NetworkInterfaceId"),
    ip: required(eni.PrivateIpAddress, "PrivateIpAddress"),
  };
};

/**
 * A small account built with the SDK only: cluster `alpha` (EKS) in one VPC with two nodes, each
 * with a trunk; three live branches on node 0's trunk; one leaked (available) branch; one available
 * branch of the deleted cluster `ghost`; a VPC CNI ENI; pod, node, LB and backend SGs; an NLB with
 * an ip and an instance target group; one LBC rule in use and one stale.
 */
export const buildSmallWorld = async (endpoint: string): Promise<SmallWorld> => {
  const { operator, vpcrc, lbc, eks } = worldClients(endpoint);
  const vpcId = required(
    (await operator.ec2.send(new CreateVpcCommand({ CidrBlock: "10.0.0.0/16" }))).Vpc?.VpcId,
    "VpcId",
  );
  const subnetId = required(
    (
      await operator.ec2.send(
        new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: "10.0.0.0/20", AvailabilityZone: "us-east-1a" }),
      )
    ).Subnet?.SubnetId,
    "SubnetId",
  );
  const otherSubnetId = required(
    (
      await operator.ec2.send(
        new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: "10.0.16.0/20", AvailabilityZone: "us-east-1b" }),
      )
    ).Subnet?.SubnetId,
    "SubnetId",
  );
  await operator.eks.send(
    new CreateClusterCommand({
      name: "alpha",
      roleArn: "arn:aws:iam::123456789012:role/alpha-cluster-role",
      resourcesVpcConfig: { subnetIds: [subnetId, otherSubnetId] },
    }),
  );
  let cluster = (await operator.eks.send(new DescribeClusterCommand({ name: "alpha" }))).cluster;
  for (let poll = 0; cluster?.status === "CREATING" && poll < 80; poll++) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    cluster = (await operator.eks.send(new DescribeClusterCommand({ name: "alpha" }))).cluster;
  }
  const clusterSecurityGroupId = required(
    cluster?.resourcesVpcConfig?.clusterSecurityGroupId,
    "clusterSecurityGroupId",
  );

  const node = await createGroup(operator.ec2, vpcId, "node");
  const podA = await createGroup(operator.ec2, vpcId, "pod-a", [
    { Key: "kubernetes.io/cluster/alpha", Value: "shared" },
  ]);
  const podB = await createGroup(operator.ec2, vpcId, "pod-b");
  const stale = await createGroup(operator.ec2, vpcId, "stale");
  const backend = await createGroup(lbc.ec2, vpcId, "k8s-traffic-alpha-0123456789", [
    { Key: "elbv2.k8s.aws/cluster", Value: "alpha" },
    { Key: "elbv2.k8s.aws/resource", Value: "backend-sg" },
  ]);
  const lb = await createGroup(lbc.ec2, vpcId, "k8s-default-web", [{ Key: "elbv2.k8s.aws/cluster", Value: "alpha" }]);

  const launched = await eks.ec2.send(
    new RunInstancesCommand({
      ImageId: "ami-0eks0node",
      InstanceType: "m5.large",
      MinCount: 2,
      MaxCount: 2,
      SubnetId: subnetId,
      SecurityGroupIds: [node, clusterSecurityGroupId],
    }),
  );
  const nodes = [];
  for (const instance of launched.Instances ?? []) {
    const instanceId = required(instance.InstanceId, "InstanceId");
    const primaryEniId = required(
      instance.NetworkInterfaces?.find((n) => n.Attachment?.DeviceIndex === 0)?.NetworkInterfaceId,
      "primary ENI",
    );
    const trunk = await vpcrc.ec2.send(
      new CreateNetworkInterfaceCommand({
        SubnetId: subnetId,
        Description: "aws-k8s-trunk-eni",
        InterfaceType: "trunk",
        Groups: [node],
        TagSpecifications: [
          {
            ResourceType: "network-interface",
            Tags: [
              OWNER,
              { Key: "kubernetes.io/cluster/alpha", Value: "owned" },
              { Key: "node.k8s.amazonaws.com/instance_id", Value: instanceId },
            ],
          },
        ],
      }),
    );
    const trunkId = required(trunk.NetworkInterface?.NetworkInterfaceId, "trunk id");
    const attached = await vpcrc.ec2.send(
      new AttachNetworkInterfaceCommand({ NetworkInterfaceId: trunkId, InstanceId: instanceId, DeviceIndex: 1 }),
    );
    // As the controller does: the trunk goes with its instance.
    await vpcrc.ec2.send(
      new ModifyNetworkInterfaceAttributeCommand({
        NetworkInterfaceId: trunkId,
        Attachment: { AttachmentId: required(attached.AttachmentId, "AttachmentId"), DeleteOnTermination: true },
      }),
    );
    nodes.push({ instanceId, trunkId, primaryEniId });
  }
  const [node0, node1] = nodes;
  if (!node0 || !node1) throw new Error("RunInstances did not launch two nodes");

  const liveBranches = [];
  for (let vlanId = 1; vlanId <= 3; vlanId++) {
    const branch = await createBranch(vpcrc.ec2, {
      subnetId,
      groups: [podA, podB],
      cluster: "alpha",
      trunkId: node0.trunkId,
      vlanId,
      instanceId: node0.instanceId,
    });
    const associated = await vpcrc.ec2.send(
      new AssociateTrunkInterfaceCommand({
        BranchInterfaceId: branch.eniId,
        TrunkInterfaceId: node0.trunkId,
        VlanId: vlanId,
      }),
    );
    liveBranches.push({
      ...branch,
      associationId: required(associated.InterfaceAssociation?.AssociationId, "AssociationId"),
    });
  }
  const leaked = await createBranch(vpcrc.ec2, {
    subnetId,
    groups: [podB],
    cluster: "alpha",
    trunkId: node1.trunkId,
    vlanId: 9,
  });
  const ghost = await createBranch(vpcrc.ec2, {
    subnetId,
    groups: [podB],
    cluster: "ghost",
    trunkId: "eni-0ghosttrunk",
    vlanId: 1,
  });

  const cni = await eks.ec2.send(
    new CreateNetworkInterfaceCommand({
      SubnetId: subnetId,
      Description: `aws-K8S-${node1.instanceId}`,
      Groups: [node],
      SecondaryPrivateIpAddressCount: 1,
      TagSpecifications: [
        {
          ResourceType: "network-interface",
          Tags: [
            { Key: "eks:eni:owner", Value: "amazon-vpc-cni" },
            { Key: "node.k8s.amazonaws.com/instance_id", Value: node1.instanceId },
          ],
        },
      ],
    }),
  );
  const cniEniId = required(cni.NetworkInterface?.NetworkInterfaceId, "CNI ENI id");
  const secondaryIp = required(
    cni.NetworkInterface?.PrivateIpAddresses?.find((a) => !a.Primary)?.PrivateIpAddress,
    "CNI secondary IP",
  );
  await eks.ec2.send(
    new AttachNetworkInterfaceCommand({ NetworkInterfaceId: cniEniId, InstanceId: node1.instanceId, DeviceIndex: 2 }),
  );

  const clusterTags = [{ Key: "elbv2.k8s.aws/cluster", Value: "alpha" }];
  const loadBalancerArn = required(
    (
      await lbc.elbv2.send(
        new CreateLoadBalancerCommand({
          Name: "k8s-default-web",
          Type: "network",
          Subnets: [subnetId, otherSubnetId],
          SecurityGroups: [lb, backend],
          Tags: clusterTags,
        }),
      )
    ).LoadBalancers?.[0]?.LoadBalancerArn,
    "LoadBalancerArn",
  );
  const createTargetGroup = async (name: string, targetType: "ip" | "instance", port: number) =>
    required(
      (
        await lbc.elbv2.send(
          new CreateTargetGroupCommand({
            Name: name,
            Protocol: "TCP",
            Port: port,
            VpcId: vpcId,
            TargetType: targetType,
            Tags: clusterTags,
          }),
        )
      ).TargetGroups?.[0]?.TargetGroupArn,
      "TargetGroupArn",
    );
  const ipGroup = await createTargetGroup("k8s-default-web-ip", "ip", 8080);
  const instanceGroup = await createTargetGroup("k8s-default-web-node", "instance", 30080);
  for (const [port, group] of [
    [80, ipGroup],
    [81, instanceGroup],
  ] as const) {
    await lbc.elbv2.send(
      new CreateListenerCommand({
        LoadBalancerArn: loadBalancerArn,
        Protocol: "TCP",
        Port: port,
        DefaultActions: [{ Type: "forward", TargetGroupArn: group }],
      }),
    );
  }
  const firstBranch = required(liveBranches[0], "a live branch");
  await lbc.elbv2.send(
    new RegisterTargetsCommand({
      TargetGroupArn: ipGroup,
      Targets: [
        { Id: firstBranch.ip, Port: 8080 },
        { Id: secondaryIp, Port: 8080 },
      ],
    }),
  );
  await lbc.elbv2.send(
    new RegisterTargetsCommand({ TargetGroupArn: instanceGroup, Targets: [{ Id: node0.instanceId, Port: 30080 }] }),
  );

  const lbcRule = (groupId: string, port: number) =>
    lbc.ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: groupId,
        IpPermissions: [
          {
            IpProtocol: "tcp",
            FromPort: port,
            ToPort: port,
            UserIdGroupPairs: [{ GroupId: backend, Description: LBC_RULE }],
          },
        ],
      }),
    );
  await lbcRule(podA, 8080);
  await lbcRule(stale, 9999);

  return {
    vpcId,
    subnetId,
    clusterSecurityGroupId,
    nodes,
    liveBranches,
    leakedBranch: leaked.eniId,
    ghostBranch: ghost.eniId,
    cniEni: { eniId: cniEniId, secondaryIp },
    groups: { node, podA, podB, backend, lb, stale },
    targetGroups: { ip: ipGroup, instance: instanceGroup },
    loadBalancerArn,
  };
};
