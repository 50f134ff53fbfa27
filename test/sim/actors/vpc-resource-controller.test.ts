import {
  DescribeNetworkInterfacesCommand,
  DescribeTrunkInterfaceAssociationsCommand,
  type NetworkInterface,
} from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ClusterNode } from "../../../sim/actors/cluster-node.ts";
import { VpcResourceController } from "../../../sim/actors/vpc-resource-controller.ts";
import { WELL_KNOWN_ACCESS_KEYS } from "../../../sim/index.ts";
import { setFaults } from "../../support/sim-clients.ts";
import { type ActorWorld, startActorWorld } from "./actor-world.ts";

const tagsOf = (eni: NetworkInterface | undefined) =>
  Object.fromEntries((eni?.TagSet ?? []).map((t) => [t.Key ?? "", t.Value ?? ""]));

describe("VpcResourceController", () => {
  let world: ActorWorld;
  let node: ClusterNode;
  let controller: VpcResourceController;

  const launchNode = async () => {
    const [launched] = await world.control.launchNodes({
      cluster: "c1",
      nodegroup: "ng",
      count: 1,
      instanceType: "m5.large",
      subnetId: world.subnetIds[0] ?? "",
      securityGroupIds: [world.cluster.clusterSecurityGroupId],
    });
    if (!launched) throw new Error("no node launched");
    return launched;
  };

  const describeEni = async (eniId: string) => {
    const answer = await world.clients.operator.ec2.send(
      new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [eniId] }),
    );
    return answer.NetworkInterfaces?.[0];
  };

  beforeAll(async () => {
    world = await startActorWorld("c1");
    [node] = (await world.control.createNodegroup({
      cluster: world.cluster,
      nodegroup: "ng",
      instanceType: "m5.large",
      subnetIds: world.subnetIds.slice(0, 1),
      size: 1,
    })) as [ClusterNode];
    controller = new VpcResourceController({ ec2: world.clients.vpcResourceController.ec2, cluster: "c1" });
  });
  afterAll(() => world.stop());

  it("gives a node its trunk: create as trunk, grant attach, attach at the first free index, delete on termination", async () => {
    const before = await world.cursor();

    const trunk = await controller.createTrunk(node);

    const { entries } = await world.trail(before);
    expect(entries.map((e) => [e.eventName, e.role])).toEqual([
      ["CreateNetworkInterface", "eks-vpc-resource-controller"],
      ["CreateNetworkInterfacePermission", "eks-vpc-resource-controller"],
      ["AttachNetworkInterface", "eks-vpc-resource-controller"],
      ["ModifyNetworkInterfaceAttribute", "eks-vpc-resource-controller"],
    ]);
    expect(entries[0]?.requestParameters).toMatchObject({ description: "aws-k8s-trunk-eni", interfaceType: "trunk" });
    expect(entries[1]?.requestParameters).toMatchObject({ permission: "INSTANCE-ATTACH" });
    const eni = await describeEni(trunk.eniId);
    expect(eni).toMatchObject({
      InterfaceType: "trunk",
      Status: "in-use",
      Description: "aws-k8s-trunk-eni",
      Attachment: { InstanceId: node.instanceId, DeviceIndex: 1, DeleteOnTermination: true },
    });
    expect(tagsOf(eni)).toEqual({
      "eks:eni:owner": "eks-vpc-resource-controller",
      "kubernetes.io/cluster/c1": "owned",
      "node.k8s.amazonaws.com/instance_id": node.instanceId,
    });
  });

  it("gives a pod a branch ENI with its policy's groups: create, grant attach, associate on the first free VLAN", async () => {
    const before = await world.cursor();

    const branch = await controller.createBranch({
      namespace: "shop",
      name: "web-1",
      node,
      securityGroupIds: [world.cluster.clusterSecurityGroupId],
    });

    const { entries } = await world.trail(before);
    expect(entries.map((e) => e.eventName)).toEqual([
      "CreateNetworkInterface",
      "CreateNetworkInterfacePermission",
      "AssociateTrunkInterface",
    ]);
    expect(entries[2]?.requestParameters).toMatchObject({
      branchInterfaceId: branch.eniId,
      trunkInterfaceId: branch.trunkEniId,
      vlanId: 1,
    });
    const eni = await describeEni(branch.eniId);
    expect(eni).toMatchObject({ InterfaceType: "branch", Status: "in-use", Description: "aws-k8s-branch-eni" });
    expect(eni?.Attachment).toBeUndefined();
    expect(eni?.Groups?.map((g) => g.GroupId)).toEqual([world.cluster.clusterSecurityGroupId]);
    expect(tagsOf(eni)).toEqual({
      "eks:eni:owner": "eks-vpc-resource-controller",
      "kubernetes.io/cluster/c1": "owned",
      "node.k8s.amazonaws.com/instance_id": node.instanceId,
      "vpcresources.k8s.aws/trunk-eni-id": branch.trunkEniId,
      "vpcresources.k8s.aws/vlan-id": "1",
    });
    const associations = await world.clients.operator.ec2.send(
      new DescribeTrunkInterfaceAssociationsCommand({ AssociationIds: [branch.associationId] }),
    );
    expect(associations.InterfaceAssociations?.[0]).toMatchObject({
      BranchInterfaceId: branch.eniId,
      TrunkInterfaceId: branch.trunkEniId,
      VlanId: 1,
    });
  });

  it("leaves the instance id tag off branch ENIs, as controllers before 2025 did", async () => {
    const older = new VpcResourceController({
      ec2: world.clients.vpcResourceController.ec2,
      cluster: "c1",
      tagBranchInstanceId: false,
    });
    const oldNode = await launchNode();
    await older.createTrunk(oldNode);

    const branch = await older.createBranch({
      namespace: "shop",
      name: "web-old",
      node: oldNode,
      securityGroupIds: [],
    });

    const tags = tagsOf(await describeEni(branch.eniId));
    expect(tags["node.k8s.amazonaws.com/instance_id"]).toBeUndefined();
    expect(tags["vpcresources.k8s.aws/vlan-id"]).toBe("1");
  });

  it("disassociates then deletes a pod's branch ENI, which is briefly available in between", async () => {
    const pod = { namespace: "shop", name: "web-2", node, securityGroupIds: [world.cluster.clusterSecurityGroupId] };
    const branch = await controller.createBranch(pod);
    const before = await world.cursor();
    let statusBetween: string | undefined;

    const outcome = await controller.deleteBranch(pod, {
      afterDisassociate: async () => {
        statusBetween = (await describeEni(branch.eniId))?.Status;
      },
    });

    expect(outcome).toBe("deleted");
    expect(statusBetween).toBe("available");
    const gone = await describeEni(branch.eniId).catch((error: Error) => error.name);
    expect(gone).toBe("InvalidNetworkInterfaceID.NotFound");
    const { entries } = await world.trail(before);
    expect(entries.map((e) => e.eventName)).toEqual(["DisassociateTrunkInterface", "DeleteNetworkInterface"]);
    expect(controller.branchOf(pod)).toBeUndefined();
  });

  it("forgets a branch ENI it fails to delete three times, leaving it available", async () => {
    const pod = { namespace: "jobs", name: "worker-1", node, securityGroupIds: [world.cluster.clusterSecurityGroupId] };
    const branch = await controller.createBranch(pod);
    await setFaults(world.sim.endpoint, {
      deny: [{ action: "ec2:DeleteNetworkInterface", accessKeyId: WELL_KNOWN_ACCESS_KEYS.vpcResourceController }],
    });

    const outcome = await controller.deleteBranch(pod).finally(() => setFaults(world.sim.endpoint, {}));

    expect(outcome).toBe("forgotten");
    const eni = await describeEni(branch.eniId);
    expect(eni).toMatchObject({ Status: "available", InterfaceType: "branch" });
    expect(tagsOf(eni)["eks:eni:owner"]).toBe("eks-vpc-resource-controller");
    expect(world.sim.simulator.stats.snapshot().errors["ec2:DeleteNetworkInterface"]).toBe(3);
  });

  it("refuses a branch beyond the instance type's capacity without calling EC2", async () => {
    const full = await launchNode();
    await controller.createTrunk(full);
    const pods = Array.from({ length: 9 }, (_, i) => ({
      namespace: "n",
      name: `p${i}`,
      node: full,
      securityGroupIds: [],
    }));
    for (const pod of pods) await controller.createBranch(pod);
    const before = await world.cursor();

    const refusal = controller.createBranch({ namespace: "n", name: "p9", node: full, securityGroupIds: [] });

    await expect(refusal).rejects.toThrow(/branch capacity/);
    expect((await world.trail(before)).entries).toEqual([]);
  });
});
