import type { SimWorld } from "../../world.ts";
import { InstanceManager } from "./instances.ts";
import { NetworkInterfaceManager } from "./network-interfaces.ts";
import { availabilityZoneId, privateDnsName } from "./regional-names.ts";
import { ResourceTagManager } from "./resource-tags.ts";
import { SecurityGroupRuleManager } from "./security-group-rules.ts";
import { SecurityGroupManager } from "./security-groups.ts";
import { TrunkAssociationManager } from "./trunk-associations.ts";
import { VpcManager } from "./vpcs.ts";

/**
 * The EC2 resources of the simulated account: VPCs, subnets, instances, network interfaces,
 * trunk associations, security groups and their rules, and tags. Each concept lives in its own
 * manager; this class wires them together and offers the small API other services use.
 */
export class Ec2State {
  public readonly vpcs: VpcManager;
  public readonly securityGroups: SecurityGroupManager;
  public readonly rules: SecurityGroupRuleManager;
  public readonly networkInterfaces: NetworkInterfaceManager;
  public readonly instances: InstanceManager;
  public readonly trunks: TrunkAssociationManager;
  public readonly tags: ResourceTagManager;
  private sequence = 0;
  private dhcpOptionsId: string | undefined;

  public constructor(public readonly world: SimWorld) {
    this.vpcs = new VpcManager(this);
    this.securityGroups = new SecurityGroupManager(this);
    this.rules = new SecurityGroupRuleManager(this);
    this.networkInterfaces = new NetworkInterfaceManager(this);
    this.instances = new InstanceManager(this);
    this.trunks = new TrunkAssociationManager(this);
    this.tags = new ResourceTagManager(this);
  }

  /** The account's default DHCP options set, shared by every VPC (not modelled further). */
  public get defaultDhcpOptionsId(): string {
    this.dhcpOptionsId ??= this.newId("dopt");
    return this.dhcpOptionsId;
  }

  public get accountId(): string {
    return this.world.accountId;
  }

  public get region(): string {
    return this.world.region;
  }

  /** Creation order shared by every resource kind: the order Describe pages follow. */
  public nextSeq(): number {
    this.sequence += 1;
    return this.sequence;
  }

  public newId(prefix: string): string {
    return this.world.ids.next(prefix);
  }

  public now(): Date {
    return this.world.clock.now();
  }

  public arn(resourceType: string, id: string): string {
    return `arn:aws:ec2:${this.region}:${this.accountId}:${resourceType}/${id}`;
  }

  public zoneId(zone: string): string {
    return availabilityZoneId(this.region, zone);
  }

  public privateDnsName(ip: string): string {
    return privateDnsName(this.region, ip);
  }

  // The API other services and scenarios use (ELBv2, EKS, scenario builders).

  /** Create a security group (with EC2's default egress rule), as CreateSecurityGroup does. */
  public createSecurityGroup(input: {
    vpcId: string;
    groupName: string;
    description: string;
    tags?: Record<string, string>;
  }): { groupId: string } {
    const group = this.securityGroups.create({
      vpcId: input.vpcId,
      groupName: input.groupName,
      description: input.description,
      tags: new Map(Object.entries(input.tags ?? {})),
    });
    return { groupId: group.id };
  }

  public securityGroupExists(groupId: string): boolean {
    return this.securityGroups.groups.has(groupId);
  }

  /** Delete a group unless it is a default group or still has dependents; true when deleted. */
  public deleteSecurityGroupIfUnused(groupId: string): boolean {
    const group = this.securityGroups.groups.get(groupId);
    if (!group || group.isDefault || this.securityGroups.dependency(groupId) !== undefined) return false;
    this.securityGroups.delete(groupId);
    return true;
  }

  public subnet(
    subnetId: string,
  ): { subnetId: string; vpcId: string; availabilityZone: string; cidrBlock: string } | undefined {
    const subnet = this.vpcs.subnets.get(subnetId);
    return subnet
      ? {
          subnetId: subnet.id,
          vpcId: subnet.vpcId,
          availabilityZone: subnet.availabilityZone,
          cidrBlock: subnet.cidr.text,
        }
      : undefined;
  }

  public vpc(vpcId: string): { vpcId: string; cidrBlock: string } | undefined {
    const vpc = this.vpcs.vpcs.get(vpcId);
    return vpc ? { vpcId: vpc.id, cidrBlock: vpc.cidr.text } : undefined;
  }

  public instance(instanceId: string):
    | {
        instanceId: string;
        state: string;
        vpcId: string;
        subnetId: string;
        privateIpAddress: string;
        instanceType: string;
      }
    | undefined {
    const instance = this.instances.instances.get(instanceId);
    return instance
      ? {
          instanceId: instance.id,
          state: instance.state,
          vpcId: instance.vpcId,
          subnetId: instance.subnetId,
          privateIpAddress: instance.privateIpAddress,
          instanceType: instance.instanceType,
        }
      : undefined;
  }

  /** The ENI of a VPC holding a private IP (primary or secondary), e.g. an ip-mode target's. */
  public networkInterfaceByPrivateIp(vpcId: string, ip: string): { networkInterfaceId: string } | undefined {
    const eni = this.networkInterfaces.byPrivateIp(vpcId, ip);
    return eni ? { networkInterfaceId: eni.id } : undefined;
  }
}
