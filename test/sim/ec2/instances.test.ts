import {
  AssociateTrunkInterfaceCommand,
  AttachNetworkInterfaceCommand,
  CreateNetworkInterfaceCommand,
  DescribeInstancesCommand,
  DescribeNetworkInterfacesCommand,
  DescribeTrunkInterfaceAssociationsCommand,
  type EC2Client,
  paginateDescribeInstances,
  RunInstancesCommand,
  TerminateInstancesCommand,
} from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSimulator, startSimulator, WELL_KNOWN_ACCESS_KEYS } from "../../../sim/index.ts";
import { simClients } from "../../support/sim-clients.ts";
import { createBranch, createNetwork, createTrunk, failureOf, launchNode, readEvents } from "./fixtures.ts";

describe("EC2 instances", () => {
  let sim: RunningSimulator;
  let ec2: EC2Client;
  let net: { vpcId: string; subnetId: string; groupId: string };
  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
    ec2 = simClients(sim.endpoint, WELL_KNOWN_ACCESS_KEYS.operator).ec2;
    net = await createNetwork(ec2, { subnetCidr: "10.0.0.0/20" });
  });
  afterAll(() => sim.stop());

  it("launches instances answered as pending, each with a primary ENI (device 0, deleted on termination)", async () => {
    const run = await ec2.send(
      new RunInstancesCommand({
        ImageId: "ami-0123456789abcdef0",
        InstanceType: "m5.xlarge",
        MinCount: 2,
        MaxCount: 2,
        SubnetId: net.subnetId,
        SecurityGroupIds: [net.groupId],
        TagSpecifications: [
          { ResourceType: "instance", Tags: [{ Key: "eks:nodegroup-name", Value: "ng-1" }] },
          { ResourceType: "network-interface", Tags: [{ Key: "role", Value: "primary" }] },
        ],
      }),
    );
    const [first] = run.Instances ?? [];

    expect(run.ReservationId).toMatch(/^r-[0-9a-f]{17}$/);
    expect(run.OwnerId).toBe("123456789012");
    expect(run.Instances).toHaveLength(2);
    expect(first).toMatchObject({
      ImageId: "ami-0123456789abcdef0",
      InstanceType: "m5.xlarge",
      State: { Code: 0, Name: "pending" },
      SubnetId: net.subnetId,
      VpcId: net.vpcId,
      Placement: { AvailabilityZone: "us-east-1a", Tenancy: "default" },
      SecurityGroups: [{ GroupId: net.groupId, GroupName: "pods" }],
      Tags: [{ Key: "eks:nodegroup-name", Value: "ng-1" }],
      AmiLaunchIndex: 0,
    });
    expect(first?.InstanceId).toMatch(/^i-[0-9a-f]{17}$/);
    expect(first?.LaunchTime).toBeInstanceOf(Date);
    expect(first?.NetworkInterfaces).toHaveLength(1);
    expect(first?.NetworkInterfaces?.[0]).toMatchObject({
      PrivateIpAddress: first?.PrivateIpAddress,
      Status: "in-use",
      InterfaceType: "interface",
      Attachment: { DeviceIndex: 0, DeleteOnTermination: true, Status: "attached" },
    });
    const eni = await ec2.send(
      new DescribeNetworkInterfacesCommand({
        NetworkInterfaceIds: [first?.NetworkInterfaces?.[0]?.NetworkInterfaceId ?? ""],
      }),
    );
    expect(eni.NetworkInterfaces?.[0]?.TagSet).toEqual([{ Key: "role", Value: "primary" }]);
  });

  it("describes running instances in reservations, with filters and the SDK paginator", async () => {
    const run = await ec2.send(
      new RunInstancesCommand({
        ImageId: "ami-0123456789abcdef0",
        MinCount: 3,
        MaxCount: 3,
        SubnetId: net.subnetId,
        TagSpecifications: [{ ResourceType: "instance", Tags: [{ Key: "batch", Value: "paged" }] }],
      }),
    );
    const launched = (run.Instances ?? []).map((instance) => instance.InstanceId);

    const byId = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [launched[0] ?? ""] }));
    const pagedIds: (string | undefined)[] = [];
    for await (const page of paginateDescribeInstances(
      { client: ec2, pageSize: 5 },
      {
        Filters: [
          { Name: "tag:batch", Values: ["paged"] },
          { Name: "instance-state-name", Values: ["running"] },
          { Name: "vpc-id", Values: [net.vpcId] },
        ],
      },
    )) {
      for (const reservation of page.Reservations ?? []) {
        expect(reservation.ReservationId).toBe(run.ReservationId);
        pagedIds.push(...(reservation.Instances ?? []).map((instance) => instance.InstanceId));
      }
    }

    expect(byId.Reservations?.[0]?.Instances?.[0]?.State).toEqual({ Code: 16, Name: "running" });
    expect(byId.Reservations?.[0]?.Instances?.[0]?.InstanceType).toBe("m1.small");
    expect(pagedIds).toEqual(launched);
  });

  it("terminates a node: trunk deleted, associations gone, branches available, other ENIs detached", async () => {
    const instanceId = await launchNode(ec2, net.subnetId, "m5.large");
    const trunkId = await createTrunk(ec2, net.subnetId, instanceId);
    const branches = [
      await createBranch(ec2, net.subnetId, [net.groupId]),
      await createBranch(ec2, net.subnetId, [net.groupId]),
    ];
    for (const [index, branchId] of branches.entries()) {
      await ec2.send(
        new AssociateTrunkInterfaceCommand({
          BranchInterfaceId: branchId,
          TrunkInterfaceId: trunkId,
          VlanId: index + 1,
        }),
      );
    }
    const extra = await ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: net.subnetId }));
    const extraId = extra.NetworkInterface?.NetworkInterfaceId ?? "";
    await ec2.send(
      new AttachNetworkInterfaceCommand({ NetworkInterfaceId: extraId, InstanceId: instanceId, DeviceIndex: 2 }),
    );

    const terminated = await ec2.send(new TerminateInstancesCommand({ InstanceIds: [instanceId] }));

    expect(terminated.TerminatingInstances).toEqual([
      {
        InstanceId: instanceId,
        CurrentState: { Code: 32, Name: "shutting-down" },
        PreviousState: { Code: 16, Name: "running" },
      },
    ]);
    const trunk = await failureOf(ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [trunkId] })));
    expect(trunk.name).toBe("InvalidNetworkInterfaceID.NotFound");
    const associations = await ec2.send(
      new DescribeTrunkInterfaceAssociationsCommand({
        Filters: [{ Name: "trunk-interface-association.trunk-interface-id", Values: [trunkId] }],
      }),
    );
    expect(associations.InterfaceAssociations).toEqual([]);
    const left = await ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [...branches, extraId] }));
    expect(left.NetworkInterfaces?.map((eni) => [eni.Status, eni.InterfaceType, eni.Attachment])).toEqual([
      ["available", "branch", undefined],
      ["available", "branch", undefined],
      ["available", "interface", undefined],
    ]);
    const primary = await ec2.send(
      new DescribeNetworkInterfacesCommand({ Filters: [{ Name: "attachment.instance-id", Values: [instanceId] }] }),
    );
    expect(primary.NetworkInterfaces).toEqual([]);
  });

  it("keeps terminated instances describable, without network fields, and emits every state change", async () => {
    const instanceId = await launchNode(ec2, net.subnetId);

    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [instanceId] }));
    const again = await ec2.send(new TerminateInstancesCommand({ InstanceIds: [instanceId] }));
    const described = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
    const events = (await readEvents(sim.endpoint)).filter(
      (event) =>
        event["detail-type"] === "EC2 Instance State-change Notification" && event.detail["instance-id"] === instanceId,
    );

    const instance = described.Reservations?.[0]?.Instances?.[0];
    expect(instance?.State).toEqual({ Code: 48, Name: "terminated" });
    expect(instance?.StateReason?.Code).toBe("Client.UserInitiatedShutdown");
    expect(instance?.StateTransitionReason).toMatch(/^User initiated \(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d GMT\)$/);
    expect(instance?.VpcId).toBeUndefined();
    expect(instance?.SubnetId).toBeUndefined();
    expect(instance?.PrivateIpAddress).toBeUndefined();
    expect(instance?.NetworkInterfaces).toEqual([]);
    expect(again.TerminatingInstances?.[0]?.CurrentState?.Name).toBe("terminated");
    expect(again.TerminatingInstances?.[0]?.PreviousState?.Name).toBe("terminated");
    expect(events.map((event) => event.detail.state)).toEqual(["pending", "running", "shutting-down", "terminated"]);
    expect(events[0]).toMatchObject({
      source: "aws.ec2",
      resources: [`arn:aws:ec2:us-east-1:123456789012:instance/${instanceId}`],
      detail: { "instance-id": instanceId, state: "pending" },
    });
  });

  it("answers unknown and malformed instance ids as EC2 does", async () => {
    const missing = await failureOf(ec2.send(new TerminateInstancesCommand({ InstanceIds: ["i-0123456789abcdef0"] })));
    const malformed = await failureOf(ec2.send(new DescribeInstancesCommand({ InstanceIds: ["i-nope"] })));
    const withIds = await failureOf(
      ec2.send(new DescribeInstancesCommand({ InstanceIds: ["i-0123456789abcdef0"], MaxResults: 5 })),
    );

    expect(missing.name).toBe("InvalidInstanceID.NotFound");
    expect(missing.message).toBe("The instance ID 'i-0123456789abcdef0' does not exist");
    expect(malformed.name).toBe("InvalidInstanceID.Malformed");
    expect(withIds.name).toBe("InvalidParameterCombination");
  });

  it("launches only as many instances as the subnet has addresses for, at least MinCount", async () => {
    const small = await createNetwork(ec2, { vpcCidr: "10.77.0.0/16", subnetCidr: "10.77.0.0/28" });

    const partial = await ec2.send(
      new RunInstancesCommand({
        ImageId: "ami-0123456789abcdef0",
        MinCount: 1,
        MaxCount: 20,
        SubnetId: small.subnetId,
      }),
    );
    const none = await failureOf(
      ec2.send(
        new RunInstancesCommand({
          ImageId: "ami-0123456789abcdef0",
          MinCount: 1,
          MaxCount: 1,
          SubnetId: small.subnetId,
        }),
      ),
    );

    expect(partial.Instances).toHaveLength(11);
    expect(none.name).toBe("InsufficientFreeAddressesInSubnet");
  });
});
