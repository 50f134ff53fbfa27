import {
  CreateNetworkInterfaceCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DeleteNetworkInterfaceCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  type EC2Client,
} from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSimulator, startSimulator } from "../../../sim/index.ts";
import { simClients } from "../../support/sim-clients.ts";
import { failureOf } from "./fixtures.ts";

describe("EC2 VPCs and subnets", () => {
  let sim: RunningSimulator;
  let ec2: EC2Client;
  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
    ec2 = simClients(sim.endpoint).ec2;
  });
  afterAll(() => sim.stop());

  it("creates a VPC answered as pending, described as available, with its default security group", async () => {
    const created = await ec2.send(
      new CreateVpcCommand({
        CidrBlock: "10.10.0.0/16",
        TagSpecifications: [{ ResourceType: "vpc", Tags: [{ Key: "Name", Value: "cluster" }] }],
      }),
    );
    const vpcId = created.Vpc?.VpcId ?? "";

    expect(vpcId).toMatch(/^vpc-[0-9a-f]{17}$/);
    expect(created.Vpc).toMatchObject({
      State: "pending",
      CidrBlock: "10.10.0.0/16",
      OwnerId: "123456789012",
      IsDefault: false,
      InstanceTenancy: "default",
      Tags: [{ Key: "Name", Value: "cluster" }],
      CidrBlockAssociationSet: [{ CidrBlock: "10.10.0.0/16", CidrBlockState: { State: "associated" } }],
    });
    expect(created.Vpc?.DhcpOptionsId).toMatch(/^dopt-/);
    const described = await ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] }));
    expect(described.Vpcs?.map((vpc) => vpc.State)).toEqual(["available"]);
    const groups = await ec2.send(
      new DescribeSecurityGroupsCommand({ Filters: [{ Name: "vpc-id", Values: [vpcId] }] }),
    );
    expect(groups.SecurityGroups?.map((group) => group.GroupName)).toEqual(["default"]);
  });

  it("rejects malformed and out-of-range VPC blocks as EC2 does", async () => {
    const malformed = await failureOf(ec2.send(new CreateVpcCommand({ CidrBlock: "10.0.0.1/16" })));
    const tooLarge = await failureOf(ec2.send(new CreateVpcCommand({ CidrBlock: "10.0.0.0/8" })));

    expect(malformed.name).toBe("InvalidParameterValue");
    expect(tooLarge.name).toBe("InvalidVpc.Range");
  });

  it("creates a subnet with its zone, arn and the address count AWS reports (block minus five)", async () => {
    const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: "10.20.0.0/16" }));

    const created = await ec2.send(
      new CreateSubnetCommand({ VpcId: vpc.Vpc?.VpcId, CidrBlock: "10.20.1.0/24", AvailabilityZone: "us-east-1c" }),
    );

    const subnet = created.Subnet;
    expect(subnet).toMatchObject({
      VpcId: vpc.Vpc?.VpcId,
      CidrBlock: "10.20.1.0/24",
      AvailabilityZone: "us-east-1c",
      AvailabilityZoneId: "use1-az3",
      AvailableIpAddressCount: 251,
      State: "available",
      DefaultForAz: false,
      MapPublicIpOnLaunch: false,
      OwnerId: "123456789012",
    });
    expect(subnet?.SubnetArn).toBe(`arn:aws:ec2:us-east-1:123456789012:subnet/${subnet?.SubnetId}`);
  });

  it("refuses subnets outside the VPC, overlapping another subnet, in a foreign zone or VPC", async () => {
    const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: "10.30.0.0/16" }));
    const vpcId = vpc.Vpc?.VpcId;
    await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: "10.30.0.0/20" }));

    const outside = await failureOf(ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: "10.31.0.0/24" })));
    const overlap = await failureOf(ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: "10.30.1.0/24" })));
    const zone = await failureOf(
      ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: "10.30.64.0/24", AvailabilityZone: "eu-west-1a" })),
    );
    const unknownVpc = await failureOf(
      ec2.send(new CreateSubnetCommand({ VpcId: "vpc-0123456789abcdef0", CidrBlock: "10.30.65.0/24" })),
    );

    expect(outside.name).toBe("InvalidSubnet.Range");
    expect(overlap.name).toBe("InvalidSubnet.Conflict");
    expect(zone.name).toBe("InvalidParameterValue");
    expect(unknownVpc.name).toBe("InvalidVpcID.NotFound");
    expect(unknownVpc.message).toBe("The vpc ID 'vpc-0123456789abcdef0' does not exist");
  });

  it("counts addresses taken by ENIs, gives them back on delete, and fails when leaks exhaust the subnet", async () => {
    const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: "10.40.0.0/16" }));
    const subnet = await ec2.send(new CreateSubnetCommand({ VpcId: vpc.Vpc?.VpcId, CidrBlock: "10.40.0.0/28" }));
    const subnetId = subnet.Subnet?.SubnetId ?? "";
    const count = async () =>
      (await ec2.send(new DescribeSubnetsCommand({ SubnetIds: [subnetId] }))).Subnets?.[0]?.AvailableIpAddressCount;
    const before = await count();

    const enis: string[] = [];
    for (let i = 0; i < 11; i++) {
      const eni = await ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnetId }));
      enis.push(eni.NetworkInterface?.NetworkInterfaceId ?? "");
    }
    const exhausted = await failureOf(ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: subnetId })));
    const whenFull = await count();
    await ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: enis[0] }));

    expect(before).toBe(11);
    expect(whenFull).toBe(0);
    expect(exhausted.name).toBe("InsufficientFreeAddressesInSubnet");
    expect(await count()).toBe(1);
  });

  it("filters VPCs and subnets, and names every unknown id in one NotFound", async () => {
    const vpc = await ec2.send(
      new CreateVpcCommand({
        CidrBlock: "10.50.0.0/16",
        TagSpecifications: [{ ResourceType: "vpc", Tags: [{ Key: "team", Value: "blue" }] }],
      }),
    );
    const vpcId = vpc.Vpc?.VpcId ?? "";
    await ec2.send(
      new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: "10.50.1.0/24", AvailabilityZone: "us-east-1b" }),
    );

    const byTag = await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: "tag:team", Values: ["bl*"] }] }));
    const subnets = await ec2.send(
      new DescribeSubnetsCommand({
        Filters: [
          { Name: "vpc-id", Values: [vpcId] },
          { Name: "availability-zone", Values: ["us-east-1a", "us-east-1b"] },
        ],
      }),
    );
    const missing = await failureOf(
      ec2.send(new DescribeSubnetsCommand({ SubnetIds: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"] })),
    );

    expect(byTag.Vpcs?.map((v) => v.VpcId)).toEqual([vpcId]);
    expect(subnets.Subnets?.map((s) => s.CidrBlock)).toEqual(["10.50.1.0/24"]);
    expect(missing.name).toBe("InvalidSubnetID.NotFound");
    expect(missing.message).toBe("The subnet IDs 'subnet-0123456789abcdef0, subnet-0123456789abcdef1' do not exist");
  });
});
