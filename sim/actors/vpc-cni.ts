import {
  AttachNetworkInterfaceCommand,
  CreateNetworkInterfaceCommand,
  type EC2Client,
  ModifyNetworkInterfaceAttributeCommand,
  type Tag,
} from "@aws-sdk/client-ec2";
import type { ClusterNode } from "./cluster-node.ts";
import {
  ENI_OWNER_TAG,
  NODE_INSTANCE_ID_TAG,
  VPC_CNI_CLUSTER_NAME_TAG,
  VPC_CNI_CREATED_AT_TAG,
  VPC_CNI_OWNER,
  vpcCniDescription,
} from "./eni-tags.ts";
import { instanceLimits } from "./instance-limits.ts";
import { required } from "./required.ts";

export interface VpcCniOptions {
  /** EC2 client signed as the node's instance role (aws-node runs on the node). */
  readonly ec2: EC2Client;
  readonly cluster: string;
  /** Secondary IPs per ENI (WARM_IP_TARGET-ish); 0 leaves just the primary IP. Default 0. */
  readonly secondaryIps?: number;
  /** createdAt tag value; a fixed clock keeps scenarios reproducible. Default: now. */
  readonly now?: () => Date;
}

/**
 * The VPC CNI (aws-node) growing a node's pod IP pool with its own ENIs: description `aws-K8S-<instance>`,
 * owner `amazon-vpc-cni`. They are not Branchkeeper's: a reconciler must never touch them.
 * Sequence from amazon-vpc-cni-k8s `pkg/awsutils` (createENI → attachENI → DeleteOnTermination).
 */
export class VpcCni {
  private readonly ec2: EC2Client;
  private readonly cluster: string;
  private readonly secondaryIps: number;
  private readonly now: () => Date;
  private readonly deviceIndexes = new Map<string, number>();

  public constructor(options: VpcCniOptions) {
    this.ec2 = options.ec2;
    this.cluster = options.cluster;
    this.secondaryIps = options.secondaryIps ?? 0;
    this.now = options.now ?? (() => new Date());
  }

  /** Create an ENI for the node and attach it at the next device index, deleted with the instance. */
  public async addEni(node: ClusterNode): Promise<{ eniId: string; attachmentId: string; deviceIndex: number }> {
    const deviceIndex = (this.deviceIndexes.get(node.instanceId) ?? 0) + 1;
    if (deviceIndex >= instanceLimits(node.instanceType).maxEnis) {
      throw new Error(`${node.instanceId} (${node.instanceType}) has no ENI slot left for the VPC CNI`);
    }
    const eniId = await this.createEni(node);
    const attached = await this.ec2.send(
      new AttachNetworkInterfaceCommand({
        InstanceId: node.instanceId,
        NetworkInterfaceId: eniId,
        DeviceIndex: deviceIndex,
      }),
    );
    const attachmentId = required(attached.AttachmentId, "AttachNetworkInterface AttachmentId");
    await this.ec2.send(
      new ModifyNetworkInterfaceAttributeCommand({
        NetworkInterfaceId: eniId,
        Attachment: { AttachmentId: attachmentId, DeleteOnTermination: true },
      }),
    );
    this.deviceIndexes.set(node.instanceId, deviceIndex);
    return { eniId, attachmentId, deviceIndex };
  }

  /**
   * Create an ENI and stop there, as when aws-node dies between create and attach: an `available`
   * ENI with the CNI's owner tag, which only the CNI's own cleanup may delete.
   */
  public async createEni(node: ClusterNode): Promise<string> {
    const tags: Tag[] = [
      {
        Key: VPC_CNI_CREATED_AT_TAG,
        Value: this.now()
          .toISOString()
          .replace(/\.\d{3}Z$/, "Z"),
      },
      { Key: NODE_INSTANCE_ID_TAG, Value: node.instanceId },
      { Key: VPC_CNI_CLUSTER_NAME_TAG, Value: this.cluster },
      { Key: ENI_OWNER_TAG, Value: VPC_CNI_OWNER },
    ];
    const created = await this.ec2.send(
      new CreateNetworkInterfaceCommand({
        Description: vpcCniDescription(node.instanceId),
        SubnetId: node.subnetId,
        Groups: [...node.securityGroupIds],
        ...(this.secondaryIps > 0 ? { SecondaryPrivateIpAddressCount: this.secondaryIps } : {}),
        TagSpecifications: [{ ResourceType: "network-interface", Tags: tags }],
      }),
    );
    return required(created.NetworkInterface?.NetworkInterfaceId, "CreateNetworkInterface NetworkInterfaceId");
  }
}
