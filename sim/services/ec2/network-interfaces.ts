import { invalidParameterValue, missingParameter, SimError } from "../../protocol/sim-error.ts";
import type { Ec2State } from "./ec2-state.ts";
import { type FilterSchema, tagIndexers } from "./filters.ts";
import { IndexedCollection, type Stored } from "./indexed-collection.ts";
import {
  ATTACHMENT,
  INSTANCE,
  NETWORK_INTERFACE,
  notFound,
  resolveAll,
  resolveOne,
  SECURITY_GROUP,
} from "./resource-ids.ts";

/** An ENI's attachment to an instance, as the `Attachment` block shows it. */
export interface EniAttachment {
  readonly attachmentId: string;
  readonly instanceId: string;
  readonly deviceIndex: number;
  deleteOnTermination: boolean;
  readonly attachTime: Date;
}

/** An elastic network interface: a subnet's addresses, security groups, and where it is plugged in. */
export interface NetworkInterface extends Stored {
  readonly subnetId: string;
  readonly vpcId: string;
  readonly availabilityZone: string;
  description: string;
  /** `interface`, `trunk`, `branch`, `efa`, … (a branch keeps its type after disassociation). */
  interfaceType: string;
  groupIds: string[];
  readonly macAddress: string;
  readonly privateIpAddress: string;
  readonly secondaryPrivateIpAddresses: readonly string[];
  sourceDestCheck: boolean;
  readonly requesterManaged: boolean;
  readonly requesterId: string | undefined;
  /** Present while attached to an instance (a branch ENI never is: it is associated instead). */
  attachment: EniAttachment | undefined;
  /** The trunk association while this ENI is a branch on a trunk's VLAN. */
  trunkAssociationId: string | undefined;
  readonly tags: Map<string, string>;
}

/** The ENI statuses the simulator produces (EC2's transient ones are instantaneous here). */
export type EniStatus = "available" | "in-use";

/** EC2's status: `in-use` when attached to an instance or associated to a trunk, else `available`. */
export const eniStatus = (eni: NetworkInterface): EniStatus =>
  eni.attachment || eni.trunkAssociationId ? "in-use" : "available";

/** Primary then secondary private addresses. */
export const allPrivateIps = (eni: NetworkInterface): string[] => [
  eni.privateIpAddress,
  ...eni.secondaryPrivateIpAddresses,
];

/** What CreateNetworkInterface takes. */
export interface CreateNetworkInterfaceInput {
  readonly subnetId: string;
  readonly description?: string;
  /** Security groups; the VPC's default group when omitted. */
  readonly groupIds?: readonly string[];
  readonly privateIpAddress?: string;
  readonly secondaryPrivateIpAddressCount?: number;
  readonly interfaceType?: string;
  readonly tags?: ReadonlyMap<string, string>;
  readonly clientToken?: string;
  /** ENIs AWS services create in the account (load balancers, …). */
  readonly requesterManaged?: boolean;
  readonly requesterId?: string;
}

/** EC2's default quota of security groups per network interface. */
export const MAX_GROUPS_PER_INTERFACE = 5;

const CREATABLE_TYPES = new Set(["interface", "trunk", "branch", "efa", "efa-only"]);

const inUse = (eniId: string) =>
  new SimError("InvalidNetworkInterface.InUse", `Network interface '${eniId}' is currently in use.`);

/** Network interfaces, indexed for fast filtered Describes over 100,000 of them. */
export class NetworkInterfaceManager {
  public readonly enis = new IndexedCollection<NetworkInterface>({
    vpc: (eni) => [eni.vpcId],
    subnet: (eni) => [eni.subnetId],
    status: (eni) => [eniStatus(eni)],
    interfaceType: (eni) => [eni.interfaceType],
    description: (eni) => [eni.description],
    instance: (eni) => (eni.attachment ? [eni.attachment.instanceId] : []),
    attachment: (eni) => (eni.attachment ? [eni.attachment.attachmentId] : []),
    group: (eni) => eni.groupIds,
    privateIp: allPrivateIps,
    ...tagIndexers<NetworkInterface>(),
  });
  private readonly clientTokens = new Map<string, string>();

  public constructor(private readonly state: Ec2State) {}

  public require(eniId: string): NetworkInterface {
    return resolveOne(NETWORK_INTERFACE, eniId, (id) => this.enis.get(id));
  }

  /** Create an ENI in a subnet, taking its addresses from the subnet's pool. */
  public create(input: CreateNetworkInterfaceInput): NetworkInterface {
    const replay = input.clientToken ? this.clientTokens.get(input.clientToken) : undefined;
    const previous = replay === undefined ? undefined : this.enis.get(replay);
    if (previous) return previous;
    const subnet = this.state.vpcs.requireSubnet(input.subnetId);
    const interfaceType = input.interfaceType ?? "interface";
    if (!CREATABLE_TYPES.has(interfaceType)) {
      throw invalidParameterValue(`Value (${interfaceType}) for parameter interfaceType is invalid.`);
    }
    const groupIds = this.validGroups(subnet.vpcId, subnet.id, input.groupIds);
    const secondaryCount = input.secondaryPrivateIpAddressCount ?? 0;
    if (secondaryCount < 0) throw invalidParameterValue("SecondaryPrivateIpAddressCount must be positive.");
    const taken: string[] = [];
    try {
      taken.push(this.state.vpcs.allocateAddress(subnet, input.privateIpAddress));
      for (let i = 0; i < secondaryCount; i++) taken.push(this.state.vpcs.allocateAddress(subnet));
    } catch (error) {
      for (const ip of taken) subnet.pool.release(ip);
      throw error;
    }
    const id = this.state.newId("eni");
    const eni = this.enis.insert({
      id,
      seq: this.state.nextSeq(),
      subnetId: subnet.id,
      vpcId: subnet.vpcId,
      availabilityZone: subnet.availabilityZone,
      description: input.description ?? "",
      interfaceType,
      groupIds,
      macAddress: `02:${(id.slice(4, 14).match(/../g) ?? []).join(":")}`,
      privateIpAddress: taken[0] as string,
      secondaryPrivateIpAddresses: taken.slice(1),
      sourceDestCheck: true,
      requesterManaged: input.requesterManaged ?? false,
      requesterId: input.requesterId,
      attachment: undefined,
      trunkAssociationId: undefined,
      tags: new Map(input.tags),
    });
    if (input.clientToken) this.clientTokens.set(input.clientToken, eni.id);
    return eni;
  }

  /** Delete an ENI that is neither attached, associated as a branch, nor a trunk with branches. */
  public delete(eniId: string): NetworkInterface {
    const eni = this.require(eniId);
    if (eniStatus(eni) === "in-use" || this.state.trunks.associations.lookup("trunk", eniId).size > 0) {
      throw inUse(eniId);
    }
    return this.remove(eni);
  }

  /** Remove an ENI unconditionally and give its addresses back (termination cascade). */
  public remove(eni: NetworkInterface): NetworkInterface {
    for (const ip of allPrivateIps(eni)) this.state.vpcs.releaseAddress(eni.subnetId, ip);
    this.enis.delete(eni.id);
    return eni;
  }

  /** Attach an available ENI to a running instance in the same zone at a free device index. */
  public attach(eniId: string, instanceId: string, deviceIndex: number | undefined, deleteOnTermination = false) {
    const eni = this.require(eniId);
    const instance = resolveOne(INSTANCE, instanceId, (id) => this.state.instances.instances.get(id));
    if (deviceIndex === undefined) throw missingParameter("deviceIndex");
    if (instance.state !== "running" && instance.state !== "stopped") {
      throw new SimError(
        "IncorrectInstanceState",
        `The instance '${instance.id}' is not in a valid state for this operation.`,
      );
    }
    if (eniStatus(eni) === "in-use") throw inUse(eniId);
    if (eni.availabilityZone !== instance.availabilityZone) {
      throw new SimError(
        "InvalidParameterCombination",
        "You may not attach a network interface to an instance if they are not in the same availability zone",
      );
    }
    if (this.attachedTo(instance.id).some((other) => other.attachment?.deviceIndex === deviceIndex)) {
      throw invalidParameterValue(
        `Instance '${instance.id}' already has an interface attached at device index '${deviceIndex}'.`,
      );
    }
    return this.enis.update(eni.id, (target) => {
      target.attachment = {
        attachmentId: this.state.newId("eni-attach"),
        instanceId: instance.id,
        deviceIndex,
        deleteOnTermination,
        attachTime: this.state.now(),
      };
    });
  }

  /** Detach by attachment id; the primary interface (device index 0) cannot be detached. */
  public detach(attachmentId: string): NetworkInterface {
    const eni = this.byAttachment(attachmentId);
    if (eni.attachment?.deviceIndex === 0) {
      throw new SimError("OperationNotPermitted", "The network interface at device index 0 cannot be detached.");
    }
    return this.enis.update(eni.id, (target) => {
      target.attachment = undefined;
    });
  }

  /** Detach without the primary-interface rule (termination cascade). */
  public release(eni: NetworkInterface): void {
    this.enis.update(eni.id, (target) => {
      target.attachment = undefined;
    });
  }

  public setGroups(eniId: string, groupIds: readonly string[]): NetworkInterface {
    const eni = this.require(eniId);
    const valid = this.validGroups(eni.vpcId, eni.subnetId, groupIds);
    return this.enis.update(eni.id, (target) => {
      target.groupIds = valid;
    });
  }

  public setDescription(eniId: string, description: string): NetworkInterface {
    return this.enis.update(this.require(eniId).id, (target) => {
      target.description = description;
    });
  }

  public setSourceDestCheck(eniId: string, value: boolean): NetworkInterface {
    return this.enis.update(this.require(eniId).id, (target) => {
      target.sourceDestCheck = value;
    });
  }

  public setDeleteOnTermination(eniId: string, attachmentId: string, value: boolean): NetworkInterface {
    const eni = this.require(eniId);
    if (eni.attachment?.attachmentId !== attachmentId) throw notFound(ATTACHMENT, [attachmentId]);
    return this.enis.update(eni.id, (target) => {
      if (target.attachment) target.attachment.deleteOnTermination = value;
    });
  }

  /** ENIs attached to an instance, by device index. */
  public attachedTo(instanceId: string): NetworkInterface[] {
    return [...this.enis.lookup("instance", instanceId)]
      .map((id) => this.enis.get(id))
      .filter((eni): eni is NetworkInterface => eni !== undefined)
      .sort((a, b) => (a.attachment?.deviceIndex ?? 0) - (b.attachment?.deviceIndex ?? 0));
  }

  /** The ENI of a VPC holding a private IP (primary or secondary). */
  public byPrivateIp(vpcId: string, ip: string): NetworkInterface | undefined {
    for (const id of this.enis.lookup("privateIp", ip)) {
      const eni = this.enis.get(id);
      if (eni?.vpcId === vpcId) return eni;
    }
    return undefined;
  }

  private byAttachment(attachmentId: string): NetworkInterface {
    const [eniId] = this.enis.lookup("attachment", attachmentId);
    const eni = eniId === undefined ? undefined : this.enis.get(eniId);
    if (!eni) throw notFound(ATTACHMENT, [attachmentId]);
    return eni;
  }

  /** Existing groups of the ENI's VPC, at most five; the VPC's default group when none is named. */
  private validGroups(vpcId: string, subnetId: string, requested: readonly string[] | undefined): string[] {
    if (!requested || requested.length === 0) {
      const fallback = this.state.securityGroups.defaultOf(vpcId);
      return fallback ? [fallback.id] : [];
    }
    const unique = [...new Set(requested)];
    const groups = resolveAll(SECURITY_GROUP, unique, (id) => this.state.securityGroups.groups.get(id));
    const foreign = groups.find((group) => group.vpcId !== vpcId);
    if (foreign) {
      throw new SimError(
        "InvalidParameter",
        `Security group ${foreign.id} and subnet ${subnetId} belong to different networks.`,
      );
    }
    if (unique.length > MAX_GROUPS_PER_INTERFACE) {
      throw new SimError(
        "SecurityGroupsPerInterfaceLimitExceeded",
        "The maximum number of security groups per interface has been reached.",
      );
    }
    return unique;
  }

  public readonly filters: FilterSchema<NetworkInterface> = {
    tags: (eni) => eni.tags,
    fields: {
      "network-interface-id": { values: (eni) => eni.id },
      description: { values: (eni) => eni.description, index: "description" },
      "interface-type": { values: (eni) => eni.interfaceType, index: "interfaceType" },
      status: { values: eniStatus, index: "status" },
      "vpc-id": { values: (eni) => eni.vpcId, index: "vpc" },
      "subnet-id": { values: (eni) => eni.subnetId, index: "subnet" },
      "availability-zone": { values: (eni) => eni.availabilityZone },
      "group-id": { values: (eni) => eni.groupIds, index: "group" },
      "group-name": {
        values: (eni) => eni.groupIds.map((id) => this.state.securityGroups.groups.get(id)?.name ?? ""),
      },
      "mac-address": { values: (eni) => eni.macAddress },
      "owner-id": { values: () => this.state.accountId },
      "requester-managed": { values: (eni) => String(eni.requesterManaged) },
      "requester-id": { values: (eni) => eni.requesterId },
      "source-dest-check": { values: (eni) => String(eni.sourceDestCheck) },
      "private-ip-address": { values: allPrivateIps, index: "privateIp" },
      "addresses.private-ip-address": { values: allPrivateIps, index: "privateIp" },
      "addresses.primary": {
        values: (eni) => ["true", ...eni.secondaryPrivateIpAddresses.map(() => "false")],
      },
      "private-dns-name": { values: (eni) => this.state.privateDnsName(eni.privateIpAddress) },
      "attachment.instance-id": { values: (eni) => eni.attachment?.instanceId, index: "instance" },
      "attachment.attachment-id": { values: (eni) => eni.attachment?.attachmentId, index: "attachment" },
      "attachment.device-index": { values: (eni) => eni.attachment && String(eni.attachment.deviceIndex) },
      "attachment.status": { values: (eni) => eni.attachment && "attached" },
      "attachment.delete-on-termination": {
        values: (eni) => eni.attachment && String(eni.attachment.deleteOnTermination),
      },
      "attachment.instance-owner-id": { values: (eni) => eni.attachment && this.state.accountId },
      "attachment.attach-time": { values: (eni) => eni.attachment?.attachTime.toISOString() },
    },
  };
}
