import { CreateNetworkInterfaceCommand, type EC2Client } from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSimulator, startSimulator } from "../../../sim/index.ts";
import type { Ec2State } from "../../../sim/services/ec2/ec2-state.ts";
import { simClients } from "../../support/sim-clients.ts";
import { createNetwork, launchNode } from "./fixtures.ts";

describe("Ec2State API for other services", () => {
  let sim: RunningSimulator;
  let ec2: EC2Client;
  let state: Ec2State;
  let net: { vpcId: string; subnetId: string; groupId: string };
  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
    ec2 = simClients(sim.endpoint).ec2;
    state = sim.simulator.world.ec2;
    net = await createNetwork(ec2);
  });
  afterAll(() => sim.stop());

  it("creates a tagged security group, reports it exists, and deletes it when unused", () => {
    const { groupId } = state.createSecurityGroup({
      vpcId: net.vpcId,
      groupName: "k8s-elb-demo",
      description: "[k8s] Managed SecurityGroup for LoadBalancer",
      tags: { "elbv2.k8s.aws/cluster": "demo" },
    });

    const existed = state.securityGroupExists(groupId);
    const deleted = state.deleteSecurityGroupIfUnused(groupId);

    expect(groupId).toMatch(/^sg-[0-9a-f]{17}$/);
    expect(state.securityGroups.groups.get(groupId)).toBeUndefined();
    expect(existed).toBe(true);
    expect(deleted).toBe(true);
    expect(state.securityGroupExists(groupId)).toBe(false);
  });

  it("keeps a group that an ENI still uses, and refuses default groups and unknown ids", async () => {
    await ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: net.subnetId, Groups: [net.groupId] }));
    const defaultGroup = state.securityGroups.defaultOf(net.vpcId);

    expect(state.deleteSecurityGroupIfUnused(net.groupId)).toBe(false);
    expect(state.deleteSecurityGroupIfUnused(defaultGroup?.id ?? "")).toBe(false);
    expect(state.deleteSecurityGroupIfUnused("sg-0123456789abcdef0")).toBe(false);
    expect(state.securityGroupExists(net.groupId)).toBe(true);
  });

  it("describes subnets, VPCs and instances in plain objects", async () => {
    const instanceId = await launchNode(ec2, net.subnetId, "m5.2xlarge");

    expect(state.subnet(net.subnetId)).toEqual({
      subnetId: net.subnetId,
      vpcId: net.vpcId,
      availabilityZone: "us-east-1a",
      cidrBlock: "10.0.1.0/24",
    });
    expect(state.vpc(net.vpcId)).toEqual({ vpcId: net.vpcId, cidrBlock: "10.0.0.0/16" });
    expect(state.instance(instanceId)).toMatchObject({
      instanceId,
      state: "running",
      vpcId: net.vpcId,
      subnetId: net.subnetId,
      instanceType: "m5.2xlarge",
    });
    expect(state.subnet("subnet-0123456789abcdef0")).toBeUndefined();
    expect(state.vpc("vpc-0123456789abcdef0")).toBeUndefined();
    expect(state.instance("i-0123456789abcdef0")).toBeUndefined();
  });

  it("finds the ENI holding a private IP in a VPC, primary or secondary", async () => {
    const created = await ec2.send(
      new CreateNetworkInterfaceCommand({ SubnetId: net.subnetId, SecondaryPrivateIpAddressCount: 1 }),
    );
    const eni = created.NetworkInterface;
    const [primary, secondary] = (eni?.PrivateIpAddresses ?? []).map((address) => address.PrivateIpAddress ?? "");

    expect(state.networkInterfaceByPrivateIp(net.vpcId, primary ?? "")).toEqual({
      networkInterfaceId: eni?.NetworkInterfaceId,
    });
    expect(state.networkInterfaceByPrivateIp(net.vpcId, secondary ?? "")).toEqual({
      networkInterfaceId: eni?.NetworkInterfaceId,
    });
    expect(state.networkInterfaceByPrivateIp("vpc-0123456789abcdef0", primary ?? "")).toBeUndefined();
  });
});
