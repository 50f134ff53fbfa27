import {
  CreateNetworkInterfaceCommand,
  CreateTagsCommand,
  DeleteTagsCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSecurityGroupsCommand,
  DescribeTagsCommand,
  type EC2Client,
  paginateDescribeTags,
} from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSimulator, startSimulator } from "../../../sim/index.ts";
import { simClients } from "../../support/sim-clients.ts";
import { createNetwork, failureOf, launchNode } from "./fixtures.ts";

describe("EC2 tags", () => {
  let sim: RunningSimulator;
  let ec2: EC2Client;
  let net: { vpcId: string; subnetId: string; groupId: string };
  let eniId: string;
  let instanceId: string;
  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
    ec2 = simClients(sim.endpoint).ec2;
    net = await createNetwork(ec2);
    const eni = await ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: net.subnetId }));
    eniId = eni.NetworkInterface?.NetworkInterfaceId ?? "";
    instanceId = await launchNode(ec2, net.subnetId);
  });
  afterAll(() => sim.stop());

  const tagsOf = async (resourceId: string) =>
    (await ec2.send(new DescribeTagsCommand({ Filters: [{ Name: "resource-id", Values: [resourceId] }] }))).Tags?.map(
      (tag) => [tag.Key, tag.Value],
    );

  it("tags an ENI, a group, an instance, a VPC and a subnet in one call", async () => {
    const resources = [eniId, net.groupId, instanceId, net.vpcId, net.subnetId];

    await ec2.send(
      new CreateTagsCommand({ Resources: resources, Tags: [{ Key: "kubernetes.io/cluster/demo", Value: "owned" }] }),
    );
    const described = await ec2.send(
      new DescribeTagsCommand({ Filters: [{ Name: "key", Values: ["kubernetes.io/cluster/demo"] }] }),
    );

    expect(described.Tags?.map((tag) => [tag.ResourceType, tag.ResourceId, tag.Value])).toEqual([
      ["vpc", net.vpcId, "owned"],
      ["subnet", net.subnetId, "owned"],
      ["security-group", net.groupId, "owned"],
      ["network-interface", eniId, "owned"],
      ["instance", instanceId, "owned"],
    ]);
    const group = await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [net.groupId] }));
    expect(group.SecurityGroups?.[0]?.Tags).toEqual([{ Key: "kubernetes.io/cluster/demo", Value: "owned" }]);
  });

  it("tags nothing when one id is unknown, answering that resource's NotFound", async () => {
    const unknownEni = await failureOf(
      ec2.send(
        new CreateTagsCommand({ Resources: [net.groupId, "eni-0123456789abcdef0"], Tags: [{ Key: "t", Value: "1" }] }),
      ),
    );
    const unknownGroup = await failureOf(
      ec2.send(new CreateTagsCommand({ Resources: ["sg-0123456789abcdef0"], Tags: [{ Key: "t", Value: "1" }] })),
    );
    const unknownKind = await failureOf(
      ec2.send(new CreateTagsCommand({ Resources: ["vol-0123"], Tags: [{ Key: "t", Value: "1" }] })),
    );

    expect(unknownEni.name).toBe("InvalidNetworkInterfaceID.NotFound");
    expect(unknownGroup.name).toBe("InvalidGroup.NotFound");
    expect(unknownKind.name).toBe("InvalidID");
    expect(await tagsOf(net.groupId)).not.toContainEqual(["t", "1"]);
  });

  it("refuses reserved aws: keys", async () => {
    const reserved = await failureOf(
      ec2.send(new CreateTagsCommand({ Resources: [eniId], Tags: [{ Key: "aws:cloudformation:stack", Value: "x" }] })),
    );

    expect(reserved.name).toBe("InvalidParameterValue");
  });

  it("deletes a tag given with a value only when the value matches, and without a value always", async () => {
    await ec2.send(
      new CreateTagsCommand({
        Resources: [eniId],
        Tags: [
          { Key: "keep", Value: "v1" },
          { Key: "drop", Value: "v2" },
          { Key: "any", Value: "v3" },
        ],
      }),
    );

    await ec2.send(
      new DeleteTagsCommand({
        Resources: [eniId],
        Tags: [{ Key: "keep", Value: "other" }, { Key: "drop", Value: "v2" }, { Key: "any" }],
      }),
    );
    const eni = await ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [eniId] }));

    expect(eni.NetworkInterfaces?.[0]?.TagSet?.map((tag) => tag.Key)).toEqual(["kubernetes.io/cluster/demo", "keep"]);
  });

  it("describes tags filtered by type, key and value wildcards, and pages them", async () => {
    const keys = ["a", "b", "c", "d", "e", "f", "g"];
    await ec2.send(
      new CreateTagsCommand({
        Resources: [net.subnetId],
        Tags: keys.map((key) => ({ Key: `page/${key}`, Value: key })),
      }),
    );

    const byType = await ec2.send(
      new DescribeTagsCommand({
        Filters: [
          { Name: "resource-type", Values: ["subnet"] },
          { Name: "value", Values: ["[ab]", "c"] },
        ],
      }),
    );
    const paged: string[] = [];
    let pages = 0;
    for await (const page of paginateDescribeTags(
      { client: ec2, pageSize: 5 },
      { Filters: [{ Name: "key", Values: ["page/*"] }] },
    )) {
      pages += 1;
      paged.push(...(page.Tags ?? []).map((tag) => tag.Key ?? ""));
    }

    expect(byType.Tags?.map((tag) => tag.Key)).toEqual(["page/c"]);
    expect(pages).toBe(2);
    expect(paged).toEqual(keys.map((key) => `page/${key}`));
  });
});
