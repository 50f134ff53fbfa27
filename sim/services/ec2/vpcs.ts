import { SimError } from "../../protocol/sim-error.ts";
import type { Ec2State } from "./ec2-state.ts";
import { type FilterSchema, tagIndexers } from "./filters.ts";
import { IndexedCollection, type Stored } from "./indexed-collection.ts";
import { AddressPool, type Cidr, cidrContains, cidrsOverlap, parseCidr } from "./ip-allocation.ts";
import { availabilityZonesOf, requireZone } from "./regional-names.ts";
import { resolveOne, SUBNET, VPC } from "./resource-ids.ts";

/** A VPC with one IPv4 block. */
export interface Vpc extends Stored {
  readonly cidr: Cidr;
  readonly cidrAssociationId: string;
  readonly dhcpOptionsId: string;
  readonly instanceTenancy: string;
  readonly tags: Map<string, string>;
}

/** A subnet of a VPC in one availability zone. */
export interface Subnet extends Stored {
  readonly vpcId: string;
  readonly cidr: Cidr;
  readonly availabilityZone: string;
  /** The subnet's private addresses; `available` is its AvailableIpAddressCount. */
  readonly pool: AddressPool;
  readonly tags: Map<string, string>;
}

/** What CreateVpc takes. */
export interface CreateVpcInput {
  readonly cidrBlock: string;
  readonly instanceTenancy?: string;
  readonly tags?: ReadonlyMap<string, string>;
}

/** What CreateSubnet takes. */
export interface CreateSubnetInput {
  readonly vpcId: string;
  readonly cidrBlock: string;
  readonly availabilityZone?: string;
  readonly tags?: ReadonlyMap<string, string>;
}

/** VPCs and subnets, and the private address pools of the subnets. */
export class VpcManager {
  public readonly vpcs = new IndexedCollection<Vpc>({ ...tagIndexers<Vpc>() });
  public readonly subnets = new IndexedCollection<Subnet>({
    vpc: (subnet) => [subnet.vpcId],
    ...tagIndexers<Subnet>(),
  });

  public constructor(private readonly state: Ec2State) {}

  /** Create a VPC (/16 to /28) with its default security group, as EC2 does. */
  public createVpc(input: CreateVpcInput): Vpc {
    const cidr = parseCidr(input.cidrBlock, true);
    if (!cidr) {
      throw new SimError(
        "InvalidParameterValue",
        `Value (${input.cidrBlock}) for parameter cidrBlock is invalid. This is not a valid CIDR block.`,
      );
    }
    if (cidr.prefix < 16 || cidr.prefix > 28) {
      throw new SimError("InvalidVpc.Range", `The CIDR '${input.cidrBlock}' is invalid.`);
    }
    const vpc = this.vpcs.insert({
      id: this.state.newId("vpc"),
      seq: this.state.nextSeq(),
      cidr,
      cidrAssociationId: this.state.newId("vpc-cidr-assoc"),
      dhcpOptionsId: this.state.defaultDhcpOptionsId,
      instanceTenancy: input.instanceTenancy ?? "default",
      tags: new Map(input.tags),
    });
    this.state.securityGroups.createDefault(vpc.id);
    return vpc;
  }

  /** Create a subnet inside the VPC's block, not overlapping its other subnets. */
  public createSubnet(input: CreateSubnetInput): Subnet {
    const vpc = this.requireVpc(input.vpcId);
    const cidr = parseCidr(input.cidrBlock, true);
    if (!cidr || cidr.prefix < 16 || cidr.prefix > 28 || !cidrContains(vpc.cidr, cidr)) {
      throw new SimError("InvalidSubnet.Range", `The CIDR '${input.cidrBlock}' is invalid.`);
    }
    for (const id of this.subnets.lookup("vpc", vpc.id)) {
      const other = this.subnets.get(id);
      if (other && cidrsOverlap(other.cidr, cidr)) {
        throw new SimError("InvalidSubnet.Conflict", `The CIDR '${input.cidrBlock}' conflicts with another subnet`);
      }
    }
    const zone = input.availabilityZone
      ? requireZone(this.state.region, input.availabilityZone)
      : (availabilityZonesOf(this.state.region)[0] as string);
    return this.subnets.insert({
      id: this.state.newId("subnet"),
      seq: this.state.nextSeq(),
      vpcId: vpc.id,
      cidr,
      availabilityZone: zone,
      pool: new AddressPool(cidr),
      tags: new Map(input.tags),
    });
  }

  public requireVpc(id: string): Vpc {
    return resolveOne(VPC, id, (vpcId) => this.vpcs.get(vpcId));
  }

  public requireSubnet(id: string): Subnet {
    return resolveOne(SUBNET, id, (subnetId) => this.subnets.get(subnetId));
  }

  /**
   * Take an address from the subnet: the requested one, or the next free one. A full subnet
   * fails as EC2 does when leaked ENIs have exhausted it.
   */
  public allocateAddress(subnet: Subnet, requested?: string): string {
    if (requested === undefined) {
      const ip = subnet.pool.allocate();
      if (ip === undefined) {
        throw new SimError("InsufficientFreeAddressesInSubnet", "insufficient free address to allocate 1 address");
      }
      return ip;
    }
    const problem = subnet.pool.claim(requested);
    if (problem === "in-use") {
      throw new SimError("InvalidIPAddress.InUse", `Address ${requested} is in use.`);
    }
    if (problem) {
      throw new SimError(
        "InvalidParameterValue",
        `Address ${requested} does not fall within the subnet's address range`,
      );
    }
    return requested;
  }

  public releaseAddress(subnetId: string, ip: string): void {
    this.subnets.get(subnetId)?.pool.release(ip);
  }

  public readonly vpcFilters: FilterSchema<Vpc> = {
    tags: (vpc) => vpc.tags,
    fields: {
      "vpc-id": { values: (vpc) => vpc.id },
      cidr: { values: (vpc) => vpc.cidr.text },
      "cidr-block-association.cidr-block": { values: (vpc) => vpc.cidr.text },
      "cidr-block-association.association-id": { values: (vpc) => vpc.cidrAssociationId },
      "cidr-block-association.state": { values: () => "associated" },
      "dhcp-options-id": { values: (vpc) => vpc.dhcpOptionsId },
      "is-default": { values: () => "false" },
      "owner-id": { values: () => this.state.accountId },
      state: { values: () => "available" },
    },
  };

  public readonly subnetFilters: FilterSchema<Subnet> = {
    tags: (subnet) => subnet.tags,
    fields: {
      "subnet-id": { values: (subnet) => subnet.id },
      "vpc-id": { values: (subnet) => subnet.vpcId, index: "vpc" },
      "availability-zone": { values: (subnet) => subnet.availabilityZone },
      "availability-zone-id": { values: (subnet) => this.state.zoneId(subnet.availabilityZone) },
      "available-ip-address-count": { values: (subnet) => String(subnet.pool.available) },
      "cidr-block": { values: (subnet) => subnet.cidr.text },
      cidr: { values: (subnet) => subnet.cidr.text },
      "default-for-az": { values: () => "false" },
      "owner-id": { values: () => this.state.accountId },
      "subnet-arn": { values: (subnet) => this.state.arn("subnet", subnet.id) },
      state: { values: () => "available" },
    },
  };
}
