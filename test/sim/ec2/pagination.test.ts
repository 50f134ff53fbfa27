import {
  CreateNetworkInterfaceCommand,
  CreateTagsCommand,
  DeleteNetworkInterfaceCommand,
  DescribeNetworkInterfacesCommand,
  type EC2Client,
  paginateDescribeNetworkInterfaces,
} from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSimulator, startSimulator } from "../../../sim/index.ts";
import { simClients } from "../../support/sim-clients.ts";
import { createNetwork, failureOf } from "./fixtures.ts";

describe("EC2 Describe pagination", () => {
  let sim: RunningSimulator;
  let ec2: EC2Client;
  let subnetId: string;
  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
    ec2 = simClients(sim.endpoint).ec2;
    subnetId = (await createNetwork(ec2, { subnetCidr: "10.0.0.0/20" })).subnetId;
  });
  afterAll(() => sim.stop());

  const createEnis = async (count: number, batch: string): Promise<string[]> => {
    const created: string[] = [];
    for (let i = 0; i < count; i++) {
      const eni = await ec2.send(
        new CreateNetworkInterfaceCommand({
          SubnetId: subnetId,
          TagSpecifications: [{ ResourceType: "network-interface", Tags: [{ Key: "batch", Value: batch }] }],
        }),
      );
      created.push(eni.NetworkInterface?.NetworkInterfaceId ?? "");
    }
    return created;
  };

  it("walks every match with the SDK paginator, pages of MaxResults, no NextToken on the last page", async () => {
    const created = await createEnis(12, "walk");
    const filters = [{ Name: "tag:batch", Values: ["walk"] }];

    const pages: string[][] = [];
    for await (const page of paginateDescribeNetworkInterfaces({ client: ec2, pageSize: 5 }, { Filters: filters })) {
      pages.push((page.NetworkInterfaces ?? []).map((eni) => eni.NetworkInterfaceId ?? ""));
    }
    const last = await ec2.send(new DescribeNetworkInterfacesCommand({ Filters: filters, MaxResults: 12 }));

    expect(pages.map((page) => page.length)).toEqual([5, 5, 2]);
    expect(pages.flat()).toEqual(created);
    expect(last.NextToken).toBeUndefined();
  });

  it("never repeats or skips an unchanged ENI while others are created and deleted between pages", async () => {
    const created = await createEnis(15, "churn");
    const filters = [{ Name: "tag:batch", Values: ["churn"] }];
    const seen: string[] = [];

    const first = await ec2.send(new DescribeNetworkInterfacesCommand({ Filters: filters, MaxResults: 5 }));
    seen.push(...(first.NetworkInterfaces ?? []).map((eni) => eni.NetworkInterfaceId ?? ""));
    // Between pages: delete one seen and one unseen ENI, create new ones.
    await ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: created[0] }));
    await ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: created[7] }));
    const added = await createEnis(3, "churn");
    let token = first.NextToken;
    while (token) {
      const page = await ec2.send(
        new DescribeNetworkInterfacesCommand({ Filters: filters, MaxResults: 5, NextToken: token }),
      );
      seen.push(...(page.NetworkInterfaces ?? []).map((eni) => eni.NetworkInterfaceId ?? ""));
      token = page.NextToken;
    }

    const unchanged = created.filter((id) => id !== created[0] && id !== created[7]);
    for (const id of unchanged) expect(seen.filter((s) => s === id)).toHaveLength(1);
    expect(seen).not.toContain(created[7]);
    expect(seen.slice(-3)).toEqual(added);
  });

  it("keeps an ENI's place when it changes between pages (order is creation order)", async () => {
    const created = await createEnis(10, "retag");
    const filters = [{ Name: "tag:batch", Values: ["retag"] }];

    const first = await ec2.send(new DescribeNetworkInterfacesCommand({ Filters: filters, MaxResults: 5 }));
    await ec2.send(
      new CreateTagsCommand({ Resources: [created[1] ?? "", created[8] ?? ""], Tags: [{ Key: "x", Value: "y" }] }),
    );
    const second = await ec2.send(
      new DescribeNetworkInterfacesCommand({ Filters: filters, MaxResults: 5, NextToken: first.NextToken }),
    );

    expect(second.NetworkInterfaces?.map((eni) => eni.NetworkInterfaceId)).toEqual(created.slice(5));
  });

  it("checks MaxResults as EC2 does: 5 to 1000, never with explicit ids", async () => {
    const [eniId] = await createEnis(1, "limits");

    const tooSmall = await failureOf(ec2.send(new DescribeNetworkInterfacesCommand({ MaxResults: 4 })));
    const tooLarge = await failureOf(ec2.send(new DescribeNetworkInterfacesCommand({ MaxResults: 1001 })));
    const withIds = await failureOf(
      ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [eniId ?? ""], MaxResults: 5 })),
    );

    expect(tooSmall.name).toBe("InvalidParameterValue");
    expect(tooSmall.message).toBe(
      "Value ( 4 ) for parameter maxResults is invalid. Parameter must be between 5 and 1000.",
    );
    expect(tooLarge.name).toBe("InvalidParameterValue");
    expect(withIds.name).toBe("InvalidParameterCombination");
    expect(withIds.message).toBe("The parameter NetworkInterfaceIds cannot be used with the parameter MaxResults");
  });

  it("rejects a garbage or foreign NextToken with InvalidParameterValue", async () => {
    const garbage = await failureOf(
      ec2.send(new DescribeNetworkInterfacesCommand({ MaxResults: 5, NextToken: "not-a-token" })),
    );
    const foreignToken = Buffer.from(JSON.stringify({ a: "DescribeInstances", s: 1 })).toString("base64url");
    const foreign = await failureOf(
      ec2.send(new DescribeNetworkInterfacesCommand({ MaxResults: 5, NextToken: foreignToken })),
    );

    expect(garbage.name).toBe("InvalidParameterValue");
    expect(garbage.message).toBe("Value ( not-a-token ) for parameter NextToken is invalid. The token is invalid.");
    expect(foreign.name).toBe("InvalidParameterValue");
  });
});
