import {
  type _InstanceType,
  AssociateTrunkInterfaceCommand,
  CreateNetworkInterfaceCommand,
  DeleteNetworkInterfaceCommand,
  DescribeNetworkInterfacesCommand,
  DescribeTrunkInterfaceAssociationsCommand,
  DisassociateTrunkInterfaceCommand,
  type EC2Client,
  paginateDescribeTrunkInterfaceAssociations,
} from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSimulator, startSimulator, WELL_KNOWN_ACCESS_KEYS } from "../../../sim/index.ts";
import { simClients } from "../../support/sim-clients.ts";
import { createBranch, createNetwork, createTrunk, failureOf, launchNode } from "./fixtures.ts";

describe("EC2 trunk interface associations", () => {
  let sim: RunningSimulator;
  let ec2: EC2Client;
  let net: { vpcId: string; subnetId: string; groupId: string };
  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
    ec2 = simClients(sim.endpoint, WELL_KNOWN_ACCESS_KEYS.vpcResourceController).ec2;
    net = await createNetwork(ec2, { subnetCidr: "10.0.0.0/20" });
  });
  afterAll(() => sim.stop());

  const node = async (instanceType: _InstanceType = "m5.large") => {
    const instanceId = await launchNode(ec2, net.subnetId, instanceType);
    return { instanceId, trunkId: await createTrunk(ec2, net.subnetId, instanceId) };
  };
  const associate = (branchId: string, trunkId: string, vlanId: number) =>
    ec2.send(
      new AssociateTrunkInterfaceCommand({ BranchInterfaceId: branchId, TrunkInterfaceId: trunkId, VlanId: vlanId }),
    );

  it("associates a branch: the answer describes the VLAN association, the branch is in-use without attachment", async () => {
    const { trunkId } = await node();
    const branchId = await createBranch(ec2, net.subnetId, [net.groupId]);

    const answer = await associate(branchId, trunkId, 7);
    const branch = await ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [branchId] }));
    const trunk = await ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [trunkId] }));

    expect(answer.InterfaceAssociation).toMatchObject({
      BranchInterfaceId: branchId,
      TrunkInterfaceId: trunkId,
      InterfaceProtocol: "VLAN",
      VlanId: 7,
    });
    expect(answer.InterfaceAssociation?.AssociationId).toMatch(/^trunk-assoc-[0-9a-f]{17}$/);
    expect(branch.NetworkInterfaces?.[0]).toMatchObject({ Status: "in-use", InterfaceType: "branch" });
    expect(branch.NetworkInterfaces?.[0]?.Attachment).toBeUndefined();
    expect(trunk.NetworkInterfaces?.[0]).toMatchObject({
      Status: "in-use",
      InterfaceType: "trunk",
      Description: "aws-k8s-trunk-eni",
      Attachment: { DeviceIndex: 1, DeleteOnTermination: true },
    });
  });

  it("lists associations by id, by branch or trunk filter, and pages them (MaxResults 5 to 255)", async () => {
    const { trunkId } = await node("m5.xlarge");
    const associationIds: string[] = [];
    for (let vlan = 1; vlan <= 6; vlan++) {
      const branchId = await createBranch(ec2, net.subnetId, [net.groupId]);
      associationIds.push((await associate(branchId, trunkId, vlan)).InterfaceAssociation?.AssociationId ?? "");
    }

    const byId = await ec2.send(
      new DescribeTrunkInterfaceAssociationsCommand({ AssociationIds: [associationIds[2] ?? ""] }),
    );
    const paged: string[] = [];
    for await (const page of paginateDescribeTrunkInterfaceAssociations(
      { client: ec2, pageSize: 5 },
      { Filters: [{ Name: "trunk-interface-association.trunk-interface-id", Values: [trunkId] }] },
    )) {
      paged.push(...(page.InterfaceAssociations ?? []).map((association) => association.AssociationId ?? ""));
    }
    const byBranch = await ec2.send(
      new DescribeTrunkInterfaceAssociationsCommand({
        Filters: [
          {
            Name: "trunk-interface-association.branch-interface-id",
            Values: [byId.InterfaceAssociations?.[0]?.BranchInterfaceId ?? ""],
          },
        ],
      }),
    );
    const tooMany = await failureOf(ec2.send(new DescribeTrunkInterfaceAssociationsCommand({ MaxResults: 256 })));

    expect(byId.InterfaceAssociations?.map((association) => association.VlanId)).toEqual([3]);
    expect(paged).toEqual(associationIds);
    expect(byBranch.InterfaceAssociations?.map((association) => association.AssociationId)).toEqual([
      associationIds[2],
    ]);
    expect(tooMany.name).toBe("InvalidParameterValue");
  });

  it("refuses a used VLAN, an associated branch, a non-trunk, an out-of-range VLAN and a full trunk", async () => {
    const { trunkId } = await node("m5.large");
    const first = await createBranch(ec2, net.subnetId, [net.groupId]);
    await associate(first, trunkId, 1);
    const second = await createBranch(ec2, net.subnetId, [net.groupId]);
    const plain = await ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: net.subnetId }));

    const vlanTaken = await failureOf(associate(second, trunkId, 1));
    const alreadyAssociated = await failureOf(associate(first, trunkId, 2));
    const notTrunk = await failureOf(associate(second, plain.NetworkInterface?.NetworkInterfaceId ?? "", 1));
    const badVlan = await failureOf(associate(second, trunkId, 121));
    for (let vlan = 2; vlan <= 9; vlan++)
      await associate(await createBranch(ec2, net.subnetId, [net.groupId]), trunkId, vlan);
    const full = await failureOf(associate(second, trunkId, 10));

    expect(vlanTaken.name).toBe("InvalidParameterValue");
    expect(alreadyAssociated.name).toBe("InvalidNetworkInterface.InUse");
    expect(notTrunk.name).toBe("InvalidParameterValue");
    expect(badVlan.name).toBe("InvalidParameterValue");
    expect(full.name).toBe("AttachmentLimitExceeded");
  });

  it("gives t3 nodes no branch capacity at all", async () => {
    const { trunkId } = await node("t3.large");
    const branchId = await createBranch(ec2, net.subnetId, [net.groupId]);

    const failure = await failureOf(associate(branchId, trunkId, 1));

    expect(failure.name).toBe("AttachmentLimitExceeded");
  });

  it("keeps associated branches and trunks with branches from being deleted", async () => {
    const { trunkId } = await node();
    const branchId = await createBranch(ec2, net.subnetId, [net.groupId]);
    await associate(branchId, trunkId, 1);

    const branch = await failureOf(ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: branchId })));
    const trunk = await failureOf(ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: trunkId })));

    expect(branch.name).toBe("InvalidNetworkInterface.InUse");
    expect(trunk.name).toBe("InvalidNetworkInterface.InUse");
  });

  it("disassociates: true, the branch is available and still of type branch, the association is gone", async () => {
    const { trunkId } = await node();
    const branchId = await createBranch(ec2, net.subnetId, [net.groupId]);
    const associationId = (await associate(branchId, trunkId, 1)).InterfaceAssociation?.AssociationId ?? "";

    const answer = await ec2.send(new DisassociateTrunkInterfaceCommand({ AssociationId: associationId }));
    const branch = await ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [branchId] }));
    const again = await failureOf(ec2.send(new DisassociateTrunkInterfaceCommand({ AssociationId: associationId })));
    await ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: branchId }));

    expect(answer.Return).toBe(true);
    expect(branch.NetworkInterfaces?.[0]).toMatchObject({ Status: "available", InterfaceType: "branch" });
    expect(again.name).toBe("InvalidAssociationID.NotFound");
  });
});
