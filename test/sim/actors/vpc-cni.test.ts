import { DescribeNetworkInterfacesCommand } from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ClusterNode } from "../../../sim/actors/cluster-node.ts";
import { VpcCni } from "../../../sim/actors/vpc-cni.ts";
import { type ActorWorld, NODE_ROLE_KEY, startActorWorld } from "./actor-world.ts";

describe("VpcCni", () => {
  let world: ActorWorld;
  let node: ClusterNode;
  let cni: VpcCni;

  beforeAll(async () => {
    world = await startActorWorld("c1");
    [node] = (await world.control.createNodegroup({
      cluster: world.cluster,
      nodegroup: "ng",
      instanceType: "m5.xlarge",
      subnetIds: world.subnetIds.slice(0, 1),
      size: 1,
    })) as [ClusterNode];
    cni = new VpcCni({
      ec2: world.clients.node.ec2,
      cluster: "c1",
      secondaryIps: 2,
      now: () => new Date("2025-11-21T09:00:00Z"),
    });
  });
  afterAll(() => world.stop());

  it("adds an aws-K8S ENI with its own owner tag, attached after the primary and deleted with the instance", async () => {
    const before = await world.cursor();

    const { eniId } = await cni.addEni(node);

    const { entries } = await world.trail(before);
    expect(entries.map((e) => [e.eventName, e.role])).toEqual([
      ["CreateNetworkInterface", NODE_ROLE_KEY],
      ["AttachNetworkInterface", NODE_ROLE_KEY],
      ["ModifyNetworkInterfaceAttribute", NODE_ROLE_KEY],
    ]);
    const answer = await world.clients.operator.ec2.send(
      new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [eniId] }),
    );
    const eni = answer.NetworkInterfaces?.[0];
    expect(eni).toMatchObject({
      Description: `aws-K8S-${node.instanceId}`,
      InterfaceType: "interface",
      Status: "in-use",
      Attachment: { InstanceId: node.instanceId, DeviceIndex: 1, DeleteOnTermination: true },
    });
    expect(eni?.PrivateIpAddresses).toHaveLength(3);
    expect(Object.fromEntries((eni?.TagSet ?? []).map((t) => [t.Key, t.Value]))).toEqual({
      "eks:eni:owner": "amazon-vpc-cni",
      "cluster.k8s.amazonaws.com/name": "c1",
      "node.k8s.amazonaws.com/instance_id": node.instanceId,
      "node.k8s.amazonaws.com/createdAt": "2025-11-21T09:00:00Z",
    });
  });

  it("takes the next device index for the next ENI, and stops at the instance type's limit", async () => {
    const second = await cni.addEni(node);
    const third = await cni.addEni(node);

    expect([second.deviceIndex, third.deviceIndex]).toEqual([2, 3]);
    await expect(cni.addEni(node)).rejects.toThrow(/no ENI slot left/);
  });

  it("leaves an ENI it only created available, as when aws-node dies before attaching it", async () => {
    const eniId = await cni.createEni(node);

    const answer = await world.clients.operator.ec2.send(
      new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [eniId] }),
    );
    expect(answer.NetworkInterfaces?.[0]).toMatchObject({
      Status: "available",
      Description: `aws-K8S-${node.instanceId}`,
    });
  });
});
