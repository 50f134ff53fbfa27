import {
  type _InstanceType,
  AttachNetworkInterfaceCommand,
  CreateNetworkInterfaceCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  type EC2Client,
  ModifyNetworkInterfaceAttributeCommand,
  RunInstancesCommand,
  type Tag,
} from "@aws-sdk/client-ec2";
import { simControl } from "../../support/sim-clients.ts";

/** The tags the VPC resource controller puts on trunk and branch ENIs (DOMAIN.md §1). */
export const controllerTags = (cluster = "demo"): Tag[] => [
  { Key: "eks:eni:owner", Value: "eks-vpc-resource-controller" },
  { Key: `kubernetes.io/cluster/${cluster}`, Value: "owned" },
];

const required = <T>(value: T | undefined, what: string): T => {
  if (value === undefined) throw new Error(`missing ${what}`);
  return value;
};

/** A VPC with one subnet and one security group, created through the SDK. */
export const createNetwork = async (
  ec2: EC2Client,
  options: { vpcCidr?: string; subnetCidr?: string; zone?: string } = {},
): Promise<{ vpcId: string; subnetId: string; groupId: string }> => {
  const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: options.vpcCidr ?? "10.0.0.0/16" }));
  const vpcId = required(vpc.Vpc?.VpcId, "VpcId");
  const subnet = await ec2.send(
    new CreateSubnetCommand({
      VpcId: vpcId,
      CidrBlock: options.subnetCidr ?? "10.0.1.0/24",
      AvailabilityZone: options.zone ?? "us-east-1a",
    }),
  );
  const group = await ec2.send(
    new CreateSecurityGroupCommand({ VpcId: vpcId, GroupName: "pods", Description: "pods" }),
  );
  return {
    vpcId,
    subnetId: required(subnet.Subnet?.SubnetId, "SubnetId"),
    groupId: required(group.GroupId, "GroupId"),
  };
};

export const launchNode = async (
  ec2: EC2Client,
  subnetId: string,
  instanceType: _InstanceType = "m5.large",
): Promise<string> => {
  const run = await ec2.send(
    new RunInstancesCommand({
      ImageId: "ami-0123456789abcdef0",
      InstanceType: instanceType,
      MinCount: 1,
      MaxCount: 1,
      SubnetId: subnetId,
    }),
  );
  return required(run.Instances?.[0]?.InstanceId, "InstanceId");
};

/** A trunk ENI attached to the node with DeleteOnTermination, as the VPC resource controller sets it up. */
export const createTrunk = async (ec2: EC2Client, subnetId: string, instanceId: string): Promise<string> => {
  const created = await ec2.send(
    new CreateNetworkInterfaceCommand({
      SubnetId: subnetId,
      Description: "aws-k8s-trunk-eni",
      InterfaceType: "trunk",
      TagSpecifications: [{ ResourceType: "network-interface", Tags: controllerTags() }],
    }),
  );
  const trunkId = required(created.NetworkInterface?.NetworkInterfaceId, "trunk id");
  const attached = await ec2.send(
    new AttachNetworkInterfaceCommand({ NetworkInterfaceId: trunkId, InstanceId: instanceId, DeviceIndex: 1 }),
  );
  await ec2.send(
    new ModifyNetworkInterfaceAttributeCommand({
      NetworkInterfaceId: trunkId,
      Attachment: { AttachmentId: attached.AttachmentId, DeleteOnTermination: true },
    }),
  );
  return trunkId;
};

/** A branch ENI as the controller creates it: a plain CreateNetworkInterface with the pod's groups. */
export const createBranch = async (
  ec2: EC2Client,
  subnetId: string,
  groupIds: string[],
  tags: Tag[] = controllerTags(),
): Promise<string> => {
  const created = await ec2.send(
    new CreateNetworkInterfaceCommand({
      SubnetId: subnetId,
      Description: "aws-k8s-branch-eni",
      Groups: groupIds,
      TagSpecifications: [{ ResourceType: "network-interface", Tags: tags }],
    }),
  );
  return required(created.NetworkInterface?.NetworkInterfaceId, "branch id");
};

/** The rejection of a call that must fail (fails the test if it succeeds). */
export const failureOf = async (
  call: Promise<unknown>,
): Promise<Error & { $metadata?: { httpStatusCode?: number } }> => {
  try {
    await call;
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`non-Error rejection: ${String(error)}`);
  }
  throw new Error("expected the call to fail, it succeeded");
};

export interface SimEvent {
  "detail-type": string;
  source: string;
  resources: string[];
  detail: Record<string, unknown> & {
    eventName?: string;
    errorCode?: string;
    requestParameters?: unknown;
    responseElements?: unknown;
    userIdentity?: { arn?: string; sessionContext?: { sessionIssuer?: { arn?: string } } };
  };
}

/** Every event on the default bus so far. */
export const readEvents = async (endpoint: string): Promise<SimEvent[]> =>
  (await simControl<{ events: SimEvent[] }>(endpoint, "/_sim/events?after=0")).events;

/** CloudTrail events of one API action, in order. */
export const trailEvents = async (endpoint: string, eventName: string): Promise<SimEvent[]> =>
  (await readEvents(endpoint)).filter(
    (event) => event["detail-type"] === "AWS API Call via CloudTrail" && event.detail.eventName === eventName,
  );
