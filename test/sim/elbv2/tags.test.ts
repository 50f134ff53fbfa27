import {
  AddTagsCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DescribeTagsCommand,
  RemoveTagsCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type RunningSimulator, startSimulator } from "../../../sim/index.ts";
import { simClients, simControl } from "../../support/sim-clients.ts";
import { createNetwork, type Network } from "./network-fixture.ts";

describe("ELBv2 tags", () => {
  let sim: RunningSimulator;
  let clients: ReturnType<typeof simClients>;
  let net: Network;
  let lbArn: string;
  let tgArn: string;
  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
    clients = simClients(sim.endpoint);
  });
  afterAll(() => sim.stop());
  beforeEach(async () => {
    await simControl(sim.endpoint, "/_sim/reset", { method: "POST" });
    net = await createNetwork(clients.ec2);
    const lb = await clients.elbv2.send(
      new CreateLoadBalancerCommand({
        Name: "web",
        Subnets: [net.subnetA, net.subnetB],
        Tags: [{ Key: "elbv2.k8s.aws/cluster", Value: "c1" }],
      }),
    );
    lbArn = lb.LoadBalancers?.[0]?.LoadBalancerArn ?? "";
    const tg = await clients.elbv2.send(
      new CreateTargetGroupCommand({
        Name: "web",
        Protocol: "HTTP",
        Port: 80,
        VpcId: net.vpcId,
        Tags: [
          { Key: "elbv2.k8s.aws/cluster", Value: "c1" },
          { Key: "service.k8s.aws/stack", Value: "default/web" },
        ],
      }),
    );
    tgArn = tg.TargetGroups?.[0]?.TargetGroupArn ?? "";
  });

  it("describes the tags given at creation, per resource", async () => {
    const answer = await clients.elbv2.send(new DescribeTagsCommand({ ResourceArns: [lbArn, tgArn] }));

    expect(answer.TagDescriptions).toEqual([
      { ResourceArn: lbArn, Tags: [{ Key: "elbv2.k8s.aws/cluster", Value: "c1" }] },
      {
        ResourceArn: tgArn,
        Tags: [
          { Key: "elbv2.k8s.aws/cluster", Value: "c1" },
          { Key: "service.k8s.aws/stack", Value: "default/web" },
        ],
      },
    ]);
  });

  it("adds, overwrites and removes tags on several resources at once", async () => {
    await clients.elbv2.send(
      new AddTagsCommand({
        ResourceArns: [lbArn, tgArn],
        Tags: [
          { Key: "elbv2.k8s.aws/cluster", Value: "c2" },
          { Key: "team", Value: "edge" },
        ],
      }),
    );
    await clients.elbv2.send(new RemoveTagsCommand({ ResourceArns: [tgArn], TagKeys: ["service.k8s.aws/stack"] }));

    const answer = await clients.elbv2.send(new DescribeTagsCommand({ ResourceArns: [lbArn, tgArn] }));
    expect(answer.TagDescriptions?.map((d) => d.Tags)).toEqual([
      [
        { Key: "elbv2.k8s.aws/cluster", Value: "c2" },
        { Key: "team", Value: "edge" },
      ],
      [
        { Key: "elbv2.k8s.aws/cluster", Value: "c2" },
        { Key: "team", Value: "edge" },
      ],
    ]);
  });

  it("refuses more than 20 ARNs, an unknown resource, a repeated key and more than 50 tags", async () => {
    const unknownLb = lbArn.replace(/[0-9a-f]{16}$/, "0123456789abcdef");

    const tooMany = await clients.elbv2
      .send(new DescribeTagsCommand({ ResourceArns: Array.from({ length: 21 }, () => tgArn) }))
      .catch((e: unknown) => e);
    const unknown = await clients.elbv2
      .send(new DescribeTagsCommand({ ResourceArns: [unknownLb] }))
      .catch((e: unknown) => e);
    const repeated = await clients.elbv2
      .send(
        new AddTagsCommand({
          ResourceArns: [lbArn],
          Tags: [
            { Key: "a", Value: "1" },
            { Key: "a", Value: "2" },
          ],
        }),
      )
      .catch((e: unknown) => e);
    const quota = await clients.elbv2
      .send(
        new AddTagsCommand({
          ResourceArns: [lbArn],
          Tags: Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: "v" })),
        }),
      )
      .catch((e: unknown) => e);

    expect(tooMany).toMatchObject({ name: "ValidationError", $metadata: { httpStatusCode: 400 } });
    expect(unknown).toMatchObject({ name: "LoadBalancerNotFoundException" });
    expect(repeated).toMatchObject({ name: "DuplicateTagKeysException" });
    expect(quota).toMatchObject({ name: "TooManyTagsException" });
  });
});
