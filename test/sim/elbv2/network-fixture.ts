import { CreateSecurityGroupCommand, CreateSubnetCommand, CreateVpcCommand, type EC2Client } from "@aws-sdk/client-ec2";

/** A VPC with two subnets in two zones and one security group, built through EC2's API. */
export interface Network {
  readonly vpcId: string;
  readonly subnetA: string;
  readonly subnetB: string;
  readonly securityGroupId: string;
}

export const createNetwork = async (ec2: EC2Client, cidrPrefix = "10.0"): Promise<Network> => {
  const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: `${cidrPrefix}.0.0/16` }));
  const vpcId = vpc.Vpc?.VpcId ?? "";
  const subnet = async (third: number, zone: string) =>
    (
      await ec2.send(
        new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: `${cidrPrefix}.${third}.0/24`, AvailabilityZone: zone }),
      )
    ).Subnet?.SubnetId ?? "";
  const subnetA = await subnet(1, "us-east-1a");
  const subnetB = await subnet(2, "us-east-1b");
  const group = await ec2.send(
    new CreateSecurityGroupCommand({ VpcId: vpcId, GroupName: `lb-${cidrPrefix}`, Description: "load balancer" }),
  );
  return { vpcId, subnetA, subnetB, securityGroupId: group.GroupId ?? "" };
};
