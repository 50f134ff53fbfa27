import {
  AssociateTrunkInterfaceCommand,
  AttachNetworkInterfaceCommand,
  CreateNetworkInterfaceCommand,
  CreateNetworkInterfacePermissionCommand,
  DeleteNetworkInterfaceCommand,
  DescribeInstancesCommand,
  DisassociateTrunkInterfaceCommand,
  type EC2Client,
  ModifyNetworkInterfaceAttributeCommand,
  type Tag,
} from "@aws-sdk/client-ec2";
import { isNotFound } from "./aws-errors.ts";
import { type BranchEni, type ClusterNode, type PodSpec, podKey, type TrunkEni } from "./cluster-node.ts";
import {
  BRANCH_ENI_DESCRIPTION,
  clusterTagKey,
  ENI_OWNER_TAG,
  NODE_INSTANCE_ID_TAG,
  TRUNK_ENI_DESCRIPTION,
  TRUNK_ENI_ID_TAG,
  VLAN_ID_TAG,
  VPC_RESOURCE_CONTROLLER_OWNER,
} from "./eni-tags.ts";
import { instanceLimits } from "./instance-limits.ts";
import { required } from "./required.ts";
import { VlanPool } from "./vlan-pool.ts";

export interface VpcResourceControllerOptions {
  /** EC2 client signed as the controller (`WELL_KNOWN_ACCESS_KEYS.vpcResourceController`). */
  readonly ec2: EC2Client;
  readonly cluster: string;
  /** Controllers before 2025 did not tag branch ENIs with the node's instance id. Default true. */
  readonly tagBranchInstanceId?: boolean;
  /** The EKS control-plane account granted INSTANCE-ATTACH (the wrapper adds its own account id). */
  readonly controlPlaneAccountId?: string;
  /**
   * CreateNetworkInterfacePermission before each association, as the controller does. Default true;
   * large generated accounts may skip it to save a third of their calls.
   */
  readonly grantBranchPermission?: boolean;
  /** Delete attempts before a branch ENI is forgotten (`MaxDeleteRetries`). Default 3. */
  readonly maxDeleteAttempts?: number;
}

export interface DeleteBranchOptions {
  /**
   * Runs between DisassociateTrunkInterface and DeleteNetworkInterface: the window in which the
   * ENI is `available`, which a reconciler must not mistake for a leak.
   */
  readonly afterDisassociate?: () => Promise<void>;
}

/** How a branch deletion ended: deleted, or given up after the delete attempts and forgotten (leaked). */
export type DeleteBranchOutcome = "deleted" | "forgotten";

interface TrunkState {
  readonly trunk: TrunkEni;
  readonly node: ClusterNode;
  readonly vlans: VlanPool;
}

/**
 * The EKS VPC resource controller's EC2 side of security groups for pods, one instance per cluster,
 * with its in-memory view of trunks and branches (lost on restart, as the real one's is).
 * Call sequences follow `pkg/aws/ec2/api/helper.go` and `pkg/provider/branch/trunk/trunk.go`.
 */
export class VpcResourceController {
  private readonly ec2: EC2Client;
  private readonly cluster: string;
  private readonly tagBranchInstanceId: boolean;
  private readonly controlPlaneAccountId: string;
  private readonly maxDeleteAttempts: number;
  private readonly grantBranchPermission: boolean;
  private readonly trunks = new Map<string, TrunkState>();
  private readonly branches = new Map<string, BranchEni>();

  public constructor(options: VpcResourceControllerOptions) {
    this.ec2 = options.ec2;
    this.cluster = options.cluster;
    this.tagBranchInstanceId = options.tagBranchInstanceId ?? true;
    this.controlPlaneAccountId = options.controlPlaneAccountId ?? "111122223333";
    this.maxDeleteAttempts = options.maxDeleteAttempts ?? 3;
    this.grantBranchPermission = options.grantBranchPermission ?? true;
  }

  /**
   * Give a node its trunk ENI: CreateNetworkInterface (InterfaceType trunk) → CreateNetworkInterfacePermission →
   * AttachNetworkInterface at the lowest free device index → ModifyNetworkInterfaceAttribute (DeleteOnTermination).
   */
  public async createTrunk(node: ClusterNode): Promise<TrunkEni> {
    const existing = this.trunks.get(node.instanceId);
    if (existing) return existing.trunk;
    const limits = instanceLimits(node.instanceType);
    if (limits.branchEnis === 0) throw new Error(`${node.instanceType} does not support trunking`);
    const deviceIndex = await this.freeDeviceIndex(node.instanceId, limits.maxEnis);

    const created = await this.ec2.send(
      new CreateNetworkInterfaceCommand({
        Description: TRUNK_ENI_DESCRIPTION,
        SubnetId: node.subnetId,
        Groups: [...node.securityGroupIds],
        InterfaceType: "trunk",
        TagSpecifications: [
          {
            ResourceType: "network-interface",
            Tags: [{ Key: NODE_INSTANCE_ID_TAG, Value: node.instanceId }, ...this.controllerTags()],
          },
        ],
      }),
    );
    const eniId = required(created.NetworkInterface?.NetworkInterfaceId, "CreateNetworkInterface NetworkInterfaceId");
    await this.grantAttach(eniId);
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
    const trunk: TrunkEni = { eniId, instanceId: node.instanceId, attachmentId, deviceIndex };
    this.trunks.set(node.instanceId, { trunk, node, vlans: new VlanPool(limits.branchEnis) });
    return trunk;
  }

  /**
   * Give a pod its branch ENI in its node's subnet with its policy's groups: CreateNetworkInterface →
   * CreateNetworkInterfacePermission → AssociateTrunkInterface on the lowest free VLAN.
   */
  public async createBranch(pod: PodSpec): Promise<BranchEni> {
    const key = podKey(pod);
    if (this.branches.has(key)) throw new Error(`pod ${key} already has a branch ENI`);
    const state = this.trunks.get(pod.node.instanceId);
    if (!state) throw new Error(`node ${pod.node.instanceId} has no trunk ENI`);
    const vlanId = state.vlans.allocate();
    if (vlanId === undefined) throw new Error(`trunk ${state.trunk.eniId} is at its branch capacity`);
    try {
      const tags: Tag[] = [
        { Key: VLAN_ID_TAG, Value: String(vlanId) },
        { Key: TRUNK_ENI_ID_TAG, Value: state.trunk.eniId },
        ...(this.tagBranchInstanceId ? [{ Key: NODE_INSTANCE_ID_TAG, Value: pod.node.instanceId }] : []),
        ...this.controllerTags(),
      ];
      const created = await this.ec2.send(
        new CreateNetworkInterfaceCommand({
          Description: BRANCH_ENI_DESCRIPTION,
          SubnetId: pod.node.subnetId,
          Groups: [...pod.securityGroupIds],
          TagSpecifications: [{ ResourceType: "network-interface", Tags: tags }],
        }),
      );
      const eniId = required(created.NetworkInterface?.NetworkInterfaceId, "CreateNetworkInterface NetworkInterfaceId");
      if (this.grantBranchPermission) await this.grantAttach(eniId);
      const associated = await this.ec2.send(
        new AssociateTrunkInterfaceCommand({
          BranchInterfaceId: eniId,
          TrunkInterfaceId: state.trunk.eniId,
          VlanId: vlanId,
        }),
      );
      const branch: BranchEni = {
        eniId,
        pod: key,
        instanceId: pod.node.instanceId,
        trunkEniId: state.trunk.eniId,
        vlanId,
        associationId: required(
          associated.InterfaceAssociation?.AssociationId,
          "AssociateTrunkInterface AssociationId",
        ),
        privateIpAddress: created.NetworkInterface?.PrivateIpAddress ?? "",
        securityGroupIds: [...pod.securityGroupIds],
      };
      this.branches.set(key, branch);
      return branch;
    } catch (error) {
      state.vlans.release(vlanId);
      throw error;
    }
  }

  /**
   * Tear down a pod's branch ENI: DisassociateTrunkInterface (NotFound ignored) → DeleteNetworkInterface
   * (NotFound = done), retried up to the delete attempts; then the controller forgets the ENI, leaking it.
   */
  public async deleteBranch(pod: Pick<PodSpec, "namespace" | "name">, options: DeleteBranchOptions = {}) {
    const key = podKey(pod);
    const branch = this.branches.get(key);
    if (!branch) throw new Error(`pod ${key} has no branch ENI`);
    try {
      await this.ec2.send(new DisassociateTrunkInterfaceCommand({ AssociationId: branch.associationId }));
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    await options.afterDisassociate?.();
    let outcome: DeleteBranchOutcome = "forgotten";
    for (let attempt = 0; attempt < this.maxDeleteAttempts && outcome === "forgotten"; attempt++) {
      try {
        await this.ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: branch.eniId }));
        outcome = "deleted";
      } catch (error) {
        if (isNotFound(error)) outcome = "deleted";
      }
    }
    this.branches.delete(key);
    this.trunks.get(branch.instanceId)?.vlans.release(branch.vlanId);
    return outcome;
  }

  /** Forget a node whose instance is gone (its trunk went with it) without touching its branches in EC2. */
  public forgetNode(instanceId: string): BranchEni[] {
    this.trunks.delete(instanceId);
    const orphans = [...this.branches.values()].filter((b) => b.instanceId === instanceId);
    for (const branch of orphans) this.branches.delete(branch.pod);
    return orphans;
  }

  public trunkOf(instanceId: string): TrunkEni | undefined {
    return this.trunks.get(instanceId)?.trunk;
  }

  public branchOf(pod: Pick<PodSpec, "namespace" | "name">): BranchEni | undefined {
    return this.branches.get(podKey(pod));
  }

  private controllerTags(): Tag[] {
    return [
      { Key: ENI_OWNER_TAG, Value: VPC_RESOURCE_CONTROLLER_OWNER },
      { Key: clusterTagKey(this.cluster), Value: "owned" },
    ];
  }

  private async grantAttach(eniId: string): Promise<void> {
    await this.ec2.send(
      new CreateNetworkInterfacePermissionCommand({
        NetworkInterfaceId: eniId,
        Permission: "INSTANCE-ATTACH",
        AwsAccountId: this.controlPlaneAccountId,
      }),
    );
  }

  /** The lowest device index the instance does not use, as the controller finds it (GetInstanceDetails). */
  private async freeDeviceIndex(instanceId: string, maxEnis: number): Promise<number> {
    const described = await this.ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
    const instance = described.Reservations?.[0]?.Instances?.[0];
    if (!instance) throw new Error(`instance ${instanceId} not found`);
    const used = new Set((instance.NetworkInterfaces ?? []).map((n) => n.Attachment?.DeviceIndex));
    for (let index = 1; index < maxEnis; index++) if (!used.has(index)) return index;
    throw new Error(`instance ${instanceId} has no free network interface slot for a trunk`);
  }
}
