import {
  AttachNetworkInterfaceCommand,
  CreateNetworkInterfaceCommand,
  CreateNetworkInterfacePermissionCommand,
  CreateSecurityGroupCommand,
  DeleteNetworkInterfaceCommand,
  DescribeNetworkInterfacesCommand,
  DetachNetworkInterfaceCommand,
  type EC2Client,
  ModifyNetworkInterfaceAttributeCommand,
  type NetworkInterface,
} from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type RunningSimulator, startSimulator } from "../../../sim/index.ts";
import { setFaults, simClients } from "../../support/sim-clients.ts";
import { controllerTags, createNetwork, failureOf, launchNode } from "./fixtures.ts";

describe("EC2 network interfaces", () => {
  let sim: RunningSimulator;
  let ec2: EC2Client;
  let net: { vpcId: string; subnetId: string; groupId: string };
  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
    ec2 = simClients(sim.endpoint).ec2;
  });
  beforeEach(async () => {
    net = await createNetwork(ec2);
  });
  afterAll(() => sim.stop());

  const describeOne = async (eniId: string): Promise<NetworkInterface | undefined> =>
    (await ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [eniId] }))).NetworkInterfaces?.[0];

  it("creates an ENI answered as pending and described as available with every documented field", async () => {
    const created = await ec2.send(
      new CreateNetworkInterfaceCommand({
        SubnetId: net.subnetId,
        Description: "aws-k8s-branch-eni",
        Groups: [net.groupId],
        TagSpecifications: [{ ResourceType: "network-interface", Tags: controllerTags() }],
      }),
    );
    const eniId = created.NetworkInterface?.NetworkInterfaceId ?? "";

    const eni = await describeOne(eniId);

    expect(eniId).toMatch(/^eni-[0-9a-f]{17}$/);
    expect(created.NetworkInterface?.Status).toBe("pending");
    expect(created.ClientToken).toBeTruthy();
    expect(eni).toMatchObject({
      NetworkInterfaceId: eniId,
      SubnetId: net.subnetId,
      VpcId: net.vpcId,
      AvailabilityZone: "us-east-1a",
      AvailabilityZoneId: "use1-az1",
      Description: "aws-k8s-branch-eni",
      OwnerId: "123456789012",
      RequesterManaged: false,
      Status: "available",
      SourceDestCheck: true,
      InterfaceType: "interface",
      Groups: [{ GroupId: net.groupId, GroupName: "pods" }],
      TagSet: controllerTags(),
      Ipv6Addresses: [],
    });
    expect(eni?.Attachment).toBeUndefined();
    expect(eni?.MacAddress).toMatch(/^02(:[0-9a-f]{2}){5}$/);
    expect(eni?.PrivateIpAddress).toMatch(/^10\.0\.1\.\d+$/);
    expect(eni?.PrivateDnsName).toBe(`ip-${eni?.PrivateIpAddress?.replaceAll(".", "-")}.ec2.internal`);
    expect(eni?.PrivateIpAddresses).toEqual([
      { Primary: true, PrivateIpAddress: eni?.PrivateIpAddress, PrivateDnsName: eni?.PrivateDnsName },
    ]);
  });

  it("uses the VPC's default group when none is named, and honours requested and secondary addresses", async () => {
    const created = await ec2.send(
      new CreateNetworkInterfaceCommand({
        SubnetId: net.subnetId,
        PrivateIpAddress: "10.0.1.100",
        SecondaryPrivateIpAddressCount: 2,
      }),
    );

    const eni = created.NetworkInterface;
    expect(eni?.Groups?.map((group) => group.GroupName)).toEqual(["default"]);
    expect(eni?.Description).toBe("");
    expect(eni?.PrivateIpAddress).toBe("10.0.1.100");
    expect(eni?.PrivateIpAddresses?.map((address) => address.Primary)).toEqual([true, false, false]);
  });

  it("replays a ClientToken instead of creating a second ENI", async () => {
    const input = { SubnetId: net.subnetId, ClientToken: "token-of-one-create" };

    const first = await ec2.send(new CreateNetworkInterfaceCommand(input));
    const second = await ec2.send(new CreateNetworkInterfaceCommand(input));

    expect(second.NetworkInterface?.NetworkInterfaceId).toBe(first.NetworkInterface?.NetworkInterfaceId);
  });

  it("rejects taken addresses, unknown, foreign or too many groups, and tags for another resource type", async () => {
    await ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: net.subnetId, PrivateIpAddress: "10.0.1.50" }));
    const other = await createNetwork(ec2, { vpcCidr: "10.9.0.0/16", subnetCidr: "10.9.0.0/24" });
    const groups: string[] = [];
    for (let i = 0; i < 5; i++) {
      const group = await ec2.send(
        new CreateSecurityGroupCommand({ VpcId: net.vpcId, GroupName: `g${i}`, Description: "g" }),
      );
      groups.push(group.GroupId ?? "");
    }

    const taken = await failureOf(
      ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: net.subnetId, PrivateIpAddress: "10.0.1.50" })),
    );
    const unknownGroup = await failureOf(
      ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: net.subnetId, Groups: ["sg-0123456789abcdef0"] })),
    );
    const foreignGroup = await failureOf(
      ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: net.subnetId, Groups: [other.groupId] })),
    );
    const tooMany = await failureOf(
      ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: net.subnetId, Groups: [...groups, net.groupId] })),
    );
    const wrongTagType = await failureOf(
      ec2.send(
        new CreateNetworkInterfaceCommand({
          SubnetId: net.subnetId,
          TagSpecifications: [{ ResourceType: "instance", Tags: [{ Key: "a", Value: "b" }] }],
        }),
      ),
    );
    const unknownSubnet = await failureOf(
      ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: "subnet-0123456789abcdef0" })),
    );

    expect(taken.name).toBe("InvalidIPAddress.InUse");
    expect(unknownGroup.name).toBe("InvalidGroup.NotFound");
    expect(unknownGroup.message).toBe("The security group 'sg-0123456789abcdef0' does not exist");
    expect(foreignGroup.name).toBe("InvalidParameter");
    expect(tooMany.name).toBe("SecurityGroupsPerInterfaceLimitExceeded");
    expect(wrongTagType.name).toBe("InvalidParameterValue");
    expect(unknownSubnet.name).toBe("InvalidSubnetID.NotFound");
  });

  it("deletes an available ENI once; the second delete is NotFound with EC2's message", async () => {
    const created = await ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: net.subnetId }));
    const eniId = created.NetworkInterface?.NetworkInterfaceId ?? "";

    const deleted = await ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: eniId }));
    const again = await failureOf(ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: eniId })));
    const malformed = await failureOf(ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: "eni-xyz" })));

    expect(deleted.$metadata.httpStatusCode).toBe(200);
    expect(again.name).toBe("InvalidNetworkInterfaceID.NotFound");
    expect(again.message).toBe(`The networkInterface ID '${eniId}' does not exist`);
    expect(again.$metadata?.httpStatusCode).toBe(400);
    expect(malformed.name).toBe("InvalidNetworkInterfaceID.Malformed");
  });

  it("attaches and detaches an ENI: attachment block, in-use while attached, available after", async () => {
    const instanceId = await launchNode(ec2, net.subnetId);
    const created = await ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: net.subnetId }));
    const eniId = created.NetworkInterface?.NetworkInterfaceId ?? "";

    const attached = await ec2.send(
      new AttachNetworkInterfaceCommand({ NetworkInterfaceId: eniId, InstanceId: instanceId, DeviceIndex: 1 }),
    );
    const whileAttached = await describeOne(eniId);
    const inUse = await failureOf(ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: eniId })));
    await ec2.send(new DetachNetworkInterfaceCommand({ AttachmentId: attached.AttachmentId }));
    const afterDetach = await describeOne(eniId);

    expect(attached.AttachmentId).toMatch(/^eni-attach-[0-9a-f]{17}$/);
    expect(attached.NetworkCardIndex).toBe(0);
    expect(whileAttached?.Status).toBe("in-use");
    expect(whileAttached?.Attachment).toMatchObject({
      AttachmentId: attached.AttachmentId,
      InstanceId: instanceId,
      InstanceOwnerId: "123456789012",
      DeviceIndex: 1,
      Status: "attached",
      DeleteOnTermination: false,
    });
    expect(whileAttached?.Attachment?.AttachTime).toBeInstanceOf(Date);
    expect(inUse.name).toBe("InvalidNetworkInterface.InUse");
    expect(inUse.message).toBe(`Network interface '${eniId}' is currently in use.`);
    expect(afterDetach?.Status).toBe("available");
    expect(afterDetach?.Attachment).toBeUndefined();
  });

  it("refuses a taken device index, detaching the primary interface and unknown attachments", async () => {
    const instanceId = await launchNode(ec2, net.subnetId);
    const primary = await ec2.send(
      new DescribeNetworkInterfacesCommand({ Filters: [{ Name: "attachment.instance-id", Values: [instanceId] }] }),
    );
    const eni = await ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: net.subnetId }));

    const taken = await failureOf(
      ec2.send(
        new AttachNetworkInterfaceCommand({
          NetworkInterfaceId: eni.NetworkInterface?.NetworkInterfaceId,
          InstanceId: instanceId,
          DeviceIndex: 0,
        }),
      ),
    );
    const detachPrimary = await failureOf(
      ec2.send(
        new DetachNetworkInterfaceCommand({ AttachmentId: primary.NetworkInterfaces?.[0]?.Attachment?.AttachmentId }),
      ),
    );
    const unknown = await failureOf(
      ec2.send(new DetachNetworkInterfaceCommand({ AttachmentId: "eni-attach-0123456789abcdef0" })),
    );

    expect(taken.name).toBe("InvalidParameterValue");
    expect(detachPrimary.name).toBe("OperationNotPermitted");
    expect(unknown.name).toBe("InvalidAttachmentID.NotFound");
  });

  it("modifies groups, description and DeleteOnTermination, one attribute per call", async () => {
    const instanceId = await launchNode(ec2, net.subnetId);
    const created = await ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: net.subnetId }));
    const eniId = created.NetworkInterface?.NetworkInterfaceId ?? "";
    const attached = await ec2.send(
      new AttachNetworkInterfaceCommand({ NetworkInterfaceId: eniId, InstanceId: instanceId, DeviceIndex: 2 }),
    );

    await ec2.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: eniId, Groups: [net.groupId] }));
    await ec2.send(
      new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: eniId, Description: { Value: "renamed" } }),
    );
    await ec2.send(
      new ModifyNetworkInterfaceAttributeCommand({
        NetworkInterfaceId: eniId,
        Attachment: { AttachmentId: attached.AttachmentId, DeleteOnTermination: true },
      }),
    );
    const nothing = await failureOf(
      ec2.send(new ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: eniId })),
    );
    const eni = await describeOne(eniId);

    expect(eni?.Groups).toEqual([{ GroupId: net.groupId, GroupName: "pods" }]);
    expect(eni?.Description).toBe("renamed");
    expect(eni?.Attachment?.DeleteOnTermination).toBe(true);
    expect(nothing.name).toBe("InvalidParameterCombination");
  });

  it("grants an interface permission with an id and GRANTED state", async () => {
    const created = await ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: net.subnetId }));
    const eniId = created.NetworkInterface?.NetworkInterfaceId ?? "";

    const granted = await ec2.send(
      new CreateNetworkInterfacePermissionCommand({
        NetworkInterfaceId: eniId,
        Permission: "INSTANCE-ATTACH",
        AwsAccountId: "210987654321",
      }),
    );

    expect(granted.InterfacePermission).toMatchObject({
      NetworkInterfaceId: eniId,
      AwsAccountId: "210987654321",
      Permission: "INSTANCE-ATTACH",
      PermissionState: { State: "GRANTED" },
    });
    expect(granted.InterfacePermission?.NetworkInterfacePermissionId).toMatch(/^eni-perm-[0-9a-f]{17}$/);
  });

  it("answers DryRun with DryRunOperation and changes nothing", async () => {
    const created = await ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: net.subnetId }));
    const eniId = created.NetworkInterface?.NetworkInterfaceId ?? "";

    const dryRun = await failureOf(
      ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: eniId, DryRun: true })),
    );

    expect(dryRun.name).toBe("DryRunOperation");
    expect((await describeOne(eniId))?.Status).toBe("available");
  });

  it("answers a denied action with UnauthorizedOperation (also for DryRun) and changes nothing", async () => {
    const created = await ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: net.subnetId }));
    const eniId = created.NetworkInterface?.NetworkInterfaceId ?? "";
    await setFaults(sim.endpoint, { deny: [{ action: "ec2:DeleteNetworkInterface" }] });

    const denied = await failureOf(ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: eniId })));
    const deniedDryRun = await failureOf(
      ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: eniId, DryRun: true })),
    );
    await setFaults(sim.endpoint, {});

    expect(denied.name).toBe("UnauthorizedOperation");
    expect(denied.$metadata?.httpStatusCode).toBe(403);
    expect(deniedDryRun.name).toBe("UnauthorizedOperation");
    expect((await describeOne(eniId))?.Status).toBe("available");
  });
});
