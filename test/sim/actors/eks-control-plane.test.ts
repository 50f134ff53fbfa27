import { DescribeInstancesCommand, DescribeSecurityGroupsCommand } from "@aws-sdk/client-ec2";
import { DescribeClusterCommand } from "@aws-sdk/client-eks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ActorWorld, startActorWorld } from "./actor-world.ts";

describe("EksControlPlane", () => {
  let world: ActorWorld;

  beforeAll(async () => {
    world = await startActorWorld("c1");
  });
  afterAll(() => world.stop());

  it("creates an ACTIVE cluster as the operator, with the cluster security group EKS tags for it", async () => {
    const { cluster } = world;

    const groups = await world.clients.operator.ec2.send(
      new DescribeSecurityGroupsCommand({ GroupIds: [cluster.clusterSecurityGroupId] }),
    );

    expect(cluster).toMatchObject({ name: "c1", status: "ACTIVE", vpcId: world.vpcId });
    expect(groups.SecurityGroups?.[0]?.Tags).toContainEqual({ Key: "kubernetes.io/cluster/c1", Value: "owned" });
    const { entries } = await world.trail("0");
    expect(entries.find((e) => e.eventName === "CreateCluster")?.role).toBe("platform-operator");
  });

  it("launches a node group's instances under EKS's identity, spread over its subnets and running", async () => {
    const before = await world.cursor();

    const nodes = await world.control.createNodegroup({
      cluster: world.cluster,
      nodegroup: "general",
      instanceType: "m5.xlarge",
      subnetIds: world.subnetIds,
      size: 3,
    });

    expect(nodes.map((n) => n.subnetId)).toEqual([world.subnetIds[0], world.subnetIds[0], world.subnetIds[1]]);
    expect(nodes.every((n) => n.primaryEniId.startsWith("eni-"))).toBe(true);
    expect(nodes[0]?.securityGroupIds).toEqual([world.cluster.clusterSecurityGroupId]);
    const { entries } = await world.trail(before);
    expect(entries.map((e) => [e.eventName, e.role])).toEqual([
      ["CreateNodegroup", "platform-operator"],
      ["RunInstances", "AWSServiceRoleForAmazonEKS"],
      ["RunInstances", "AWSServiceRoleForAmazonEKS"],
    ]);
    const described = await world.clients.operator.ec2.send(
      new DescribeInstancesCommand({ InstanceIds: nodes.map((n) => n.instanceId) }),
    );
    const instances = (described.Reservations ?? []).flatMap((r) => r.Instances ?? []);
    expect(instances.map((i) => i.State?.Name)).toEqual(["running", "running", "running"]);
    expect(instances[0]?.Tags).toContainEqual({ Key: "eks:nodegroup-name", Value: "general" });
  });

  it("deletes a cluster after its node group, the way EKS insists on", async () => {
    const nodes = await world.control.createNodegroup({
      cluster: world.cluster,
      nodegroup: "doomed",
      instanceType: "m5.large",
      subnetIds: world.subnetIds,
      size: 2,
    });
    const general = await world.clients.operator.ec2.send(
      new DescribeInstancesCommand({ Filters: [{ Name: "tag:eks:nodegroup-name", Values: ["general"] }] }),
    );
    const generalIds = (general.Reservations ?? []).flatMap((r) => r.Instances ?? []).map((i) => i.InstanceId ?? "");

    await world.control.deleteNodegroup(
      "c1",
      "doomed",
      nodes.map((n) => n.instanceId),
    );
    await world.control.deleteNodegroup("c1", "general", generalIds);
    await world.control.deleteCluster("c1");

    const gone = await world.clients.operator.eks
      .send(new DescribeClusterCommand({ name: "c1" }))
      .catch((e: Error) => e.name);
    expect(gone).toBe("ResourceNotFoundException");
    const described = await world.clients.operator.ec2.send(
      new DescribeInstancesCommand({ InstanceIds: nodes.map((n) => n.instanceId) }),
    );
    const states = (described.Reservations ?? []).flatMap((r) => r.Instances ?? []).map((i) => i.State?.Name);
    expect(states).toEqual(["terminated", "terminated"]);
  });
});
