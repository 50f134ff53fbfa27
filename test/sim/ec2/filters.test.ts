import {
  AttachNetworkInterfaceCommand,
  CreateNetworkInterfaceCommand,
  DescribeNetworkInterfacesCommand,
  type EC2Client,
  type Filter,
} from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSimulator, startSimulator } from "../../../sim/index.ts";
import { wildcardPattern } from "../../../sim/services/ec2/filters.ts";
import { simClients } from "../../support/sim-clients.ts";
import { controllerTags, createNetwork, failureOf, launchNode } from "./fixtures.ts";

describe("EC2 Describe filters", () => {
  let sim: RunningSimulator;
  let ec2: EC2Client;
  let net: { vpcId: string; subnetId: string; groupId: string };
  let other: { vpcId: string; subnetId: string; groupId: string };
  const ids: Record<string, string> = {};

  const create = async (name: string, subnetId: string, description: string, tags = controllerTags()) => {
    const created = await ec2.send(
      new CreateNetworkInterfaceCommand({
        SubnetId: subnetId,
        Description: description,
        TagSpecifications: [{ ResourceType: "network-interface", Tags: [...tags, { Key: "Name", Value: name }] }],
      }),
    );
    ids[name] = created.NetworkInterface?.NetworkInterfaceId ?? "";
  };

  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
    ec2 = simClients(sim.endpoint).ec2;
    net = await createNetwork(ec2);
    other = await createNetwork(ec2, { vpcCidr: "172.16.0.0/16", subnetCidr: "172.16.0.0/24" });
    await create("branch-a", net.subnetId, "aws-k8s-branch-eni");
    await create("branch-b", net.subnetId, "aws-k8s-branch-eni");
    await create("cni", net.subnetId, "aws-K8S-i-0123456789abcdef0", [
      { Key: "eks:eni:owner", Value: "amazon-vpc-cni" },
    ]);
    await create("elsewhere", other.subnetId, "aws-k8s-branch-eni");
    const instanceId = await launchNode(ec2, net.subnetId);
    ids.node = instanceId;
    await ec2.send(
      new AttachNetworkInterfaceCommand({ NetworkInterfaceId: ids.cni, InstanceId: instanceId, DeviceIndex: 1 }),
    );
  });
  afterAll(() => sim.stop());

  /** Names (tag Name) of the ENIs matching the filters, in answer order. */
  const names = async (filters: Filter[]): Promise<string[]> => {
    const answer = await ec2.send(new DescribeNetworkInterfacesCommand({ Filters: filters }));
    return (answer.NetworkInterfaces ?? []).map(
      (eni) => eni.TagSet?.find((tag) => tag.Key === "Name")?.Value ?? `untagged:${eni.Attachment?.DeviceIndex}`,
    );
  };

  it("ANDs filters and ORs the values of one filter", async () => {
    const both = await names([
      { Name: "tag:eks:eni:owner", Values: ["eks-vpc-resource-controller"] },
      { Name: "vpc-id", Values: [net.vpcId] },
    ]);
    const either = await names([
      { Name: "vpc-id", Values: [net.vpcId, other.vpcId] },
      { Name: "tag-key", Values: ["Name"] },
    ]);

    expect(both).toEqual(["branch-a", "branch-b"]);
    expect(either).toEqual(["branch-a", "branch-b", "cni", "elsewhere"]);
  });

  it("applies EC2 wildcards: * for any run, ? for one character, backslash to escape", async () => {
    expect(await names([{ Name: "description", Values: ["aws-k8s-*"] }])).toEqual([
      "branch-a",
      "branch-b",
      "elsewhere",
    ]);
    expect(await names([{ Name: "tag:Name", Values: ["branch-?"] }])).toEqual(["branch-a", "branch-b"]);
    expect(await names([{ Name: "tag-value", Values: ["*vpc-cni"] }])).toEqual(["cni"]);
    expect(wildcardPattern("a\\*b").test("a*b")).toBe(true);
    expect(wildcardPattern("a\\*b").test("axb")).toBe(false);
    expect(wildcardPattern("AWS-*").test("aws-k8s")).toBe(false);
  });

  it("filters on status, interface type, attachment, addresses, groups and ownership", async () => {
    const cni = await ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [ids.cni ?? ""] }));
    const cniIp = cni.NetworkInterfaces?.[0]?.PrivateIpAddress ?? "";

    expect(
      await names([
        { Name: "status", Values: ["in-use"] },
        { Name: "tag-key", Values: ["Name"] },
      ]),
    ).toEqual(["cni"]);
    // Creation order: the CNI ENI existed before the node's primary ENI.
    expect(await names([{ Name: "attachment.instance-id", Values: [ids.node ?? ""] }])).toEqual(["cni", "untagged:0"]);
    expect(await names([{ Name: "attachment.device-index", Values: ["1"] }])).toEqual(["cni"]);
    expect(await names([{ Name: "addresses.private-ip-address", Values: [cniIp] }])).toEqual(["cni"]);
    expect(await names([{ Name: "private-ip-address", Values: [cniIp] }])).toEqual(["cni"]);
    expect(await names([{ Name: "group-id", Values: [other.groupId] }])).toEqual([]);
    expect(await names([{ Name: "subnet-id", Values: [other.subnetId] }])).toEqual(["elsewhere"]);
    expect(
      await names([
        { Name: "interface-type", Values: ["interface"] },
        { Name: "vpc-id", Values: [other.vpcId] },
      ]),
    ).toEqual(["elsewhere"]);
    expect(await names([{ Name: "requester-managed", Values: ["true"] }])).toEqual([]);
    expect(
      await names([
        { Name: "owner-id", Values: ["123456789012"] },
        { Name: "tag:Name", Values: ["elsewhere"] },
      ]),
    ).toEqual(["elsewhere"]);
    expect(await names([{ Name: "network-interface-id", Values: [ids["branch-b"] ?? ""] }])).toEqual(["branch-b"]);
  });

  it("rejects an unknown filter name with InvalidParameterValue", async () => {
    const failure = await failureOf(
      ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: "colour", Values: ["red"] }] })),
    );

    expect(failure.name).toBe("InvalidParameterValue");
    expect(failure.message).toBe("The filter 'colour' is invalid");
  });

  it("combines explicit ids with filters, and names every missing id", async () => {
    const filtered = await ec2.send(
      new DescribeNetworkInterfacesCommand({
        NetworkInterfaceIds: [ids["branch-a"] ?? "", ids.elsewhere ?? ""],
        Filters: [{ Name: "vpc-id", Values: [net.vpcId] }],
      }),
    );
    const missing = await failureOf(
      ec2.send(
        new DescribeNetworkInterfacesCommand({
          NetworkInterfaceIds: [ids["branch-a"] ?? "", "eni-0123456789abcdef0", "eni-0123456789abcdef1"],
        }),
      ),
    );

    expect(filtered.NetworkInterfaces?.map((eni) => eni.NetworkInterfaceId)).toEqual([ids["branch-a"]]);
    expect(missing.name).toBe("InvalidNetworkInterfaceID.NotFound");
    expect(missing.message).toBe(
      "The networkInterface IDs 'eni-0123456789abcdef0, eni-0123456789abcdef1' do not exist",
    );
  });
});
