import type { SimWorld } from "../../world.ts";
import { cidrContainsIp, ipToNumber, parseCidr } from "../ec2/ip-allocation.ts";

/**
 * What ELBv2 needs to know of EC2, read from the world's EC2 state: where subnets are, which
 * addresses a VPC holds, and whether instances and target IPs are alive.
 */
export class Ec2View {
  public constructor(private readonly world: SimWorld) {}

  public subnet(subnetId: string): { vpcId: string; availabilityZone: string } | undefined {
    const subnet = this.world.ec2.subnet(subnetId);
    return subnet ? { vpcId: subnet.vpcId, availabilityZone: subnet.availabilityZone } : undefined;
  }

  public vpcExists(vpcId: string): boolean {
    return this.world.ec2.vpc(vpcId) !== undefined;
  }

  /** Whether `ip` lies in the VPC's IPv4 CIDR block. */
  public vpcContainsIp(vpcId: string, ip: string): boolean {
    const vpc = this.world.ec2.vpc(vpcId);
    const address = ipToNumber(ip);
    if (!vpc || address === undefined) return false;
    const cidr = parseCidr(vpc.cidrBlock);
    return cidr !== undefined && cidrContainsIp(cidr, address);
  }

  /** An instance's state name and VPC, or undefined when EC2 no longer knows it. */
  public instance(instanceId: string): { state: string; vpcId: string } | undefined {
    const instance = this.world.ec2.instance(instanceId);
    return instance ? { state: instance.state, vpcId: instance.vpcId } : undefined;
  }

  /** Whether some ENI of the VPC holds `ip` (so that health checks to it can succeed). */
  public ipInUse(vpcId: string, ip: string): boolean {
    return this.world.ec2.networkInterfaceByPrivateIp(vpcId, ip) !== undefined;
  }

  /** The VPC's `default` security group, which an ALB created without groups gets. */
  public defaultSecurityGroup(vpcId: string): string | undefined {
    return this.world.ec2.securityGroups.defaultOf(vpcId)?.id;
  }

  public securityGroupExists(groupId: string): boolean {
    return this.world.ec2.securityGroupExists(groupId);
  }
}
