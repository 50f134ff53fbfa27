import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DeleteListenerCommand,
  DeleteTargetGroupCommand,
  DescribeTargetGroupsCommand,
  paginateDescribeTargetGroups,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_ACCOUNT_ID, type RunningSimulator, startSimulator } from "../../../sim/index.ts";
import { simClients, simControl } from "../../support/sim-clients.ts";
import { createNetwork, type Network } from "./network-fixture.ts";

describe("ELBv2 target groups", () => {
  let sim: RunningSimulator;
  let clients: ReturnType<typeof simClients>;
  let net: Network;
  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
    clients = simClients(sim.endpoint);
  });
  afterAll(() => sim.stop());
  beforeEach(async () => {
    await simControl(sim.endpoint, "/_sim/reset", { method: "POST" });
    net = await createNetwork(clients.ec2);
  });

  const createGroup = async (name: string, protocol = "HTTP", extra: Record<string, unknown> = {}) =>
    (
      await clients.elbv2.send(
        new CreateTargetGroupCommand({
          Name: name,
          Protocol: protocol as "HTTP",
          Port: 8080,
          VpcId: net.vpcId,
          ...extra,
        }),
      )
    ).TargetGroups?.[0];

  const createAlbWithListener = async (name: string, targetGroupArn: string) => {
    const lb = await clients.elbv2.send(
      new CreateLoadBalancerCommand({ Name: name, Subnets: [net.subnetA, net.subnetB] }),
    );
    const lbArn = lb.LoadBalancers?.[0]?.LoadBalancerArn ?? "";
    const listener = await clients.elbv2.send(
      new CreateListenerCommand({
        LoadBalancerArn: lbArn,
        Protocol: "HTTP",
        Port: 80,
        DefaultActions: [{ Type: "forward", TargetGroupArn: targetGroupArn }],
      }),
    );
    return { lbArn, listenerArn: listener.Listeners?.[0]?.ListenerArn ?? "" };
  };

  it("creates an HTTP target group with ALB health-check defaults", async () => {
    const group = await createGroup("web", "HTTP", { TargetType: "ip" });

    expect(group?.TargetGroupArn).toMatch(
      new RegExp(`^arn:aws:elasticloadbalancing:us-east-1:${DEFAULT_ACCOUNT_ID}:targetgroup/web/[0-9a-f]{16}$`),
    );
    expect(group).toEqual({
      TargetGroupArn: group?.TargetGroupArn,
      TargetGroupName: "web",
      Protocol: "HTTP",
      Port: 8080,
      VpcId: net.vpcId,
      HealthCheckProtocol: "HTTP",
      HealthCheckPort: "traffic-port",
      HealthCheckEnabled: true,
      HealthCheckIntervalSeconds: 30,
      HealthCheckTimeoutSeconds: 5,
      HealthyThresholdCount: 5,
      UnhealthyThresholdCount: 2,
      HealthCheckPath: "/",
      Matcher: { HttpCode: "200" },
      LoadBalancerArns: [],
      TargetType: "ip",
      ProtocolVersion: "HTTP1",
      IpAddressType: "ipv4",
    });
  });

  it("creates a TCP target group with a TCP health check and no path", async () => {
    const group = await createGroup("tcp", "TCP", { HealthCheckPort: "10254" });

    expect(group).toMatchObject({
      Protocol: "TCP",
      TargetType: "instance",
      HealthCheckProtocol: "TCP",
      HealthCheckPort: "10254",
      HealthCheckTimeoutSeconds: 10,
    });
    expect(group?.HealthCheckPath).toBeUndefined();
    expect(group?.Matcher).toBeUndefined();
  });

  it("returns the same group for the same settings and refuses a same-named group with others", async () => {
    const first = await createGroup("web");

    const again = await createGroup("web");
    const different = await createGroup("web", "HTTPS").catch((e: unknown) => e);

    expect(again?.TargetGroupArn).toBe(first?.TargetGroupArn);
    expect(different).toMatchObject({ name: "DuplicateTargetGroupNameException" });
  });

  it("refuses a group without a protocol or in an unknown VPC", async () => {
    const noProtocol = await clients.elbv2
      .send(new CreateTargetGroupCommand({ Name: "x", Port: 80, VpcId: net.vpcId }))
      .catch((e: unknown) => e);
    const unknownVpc = await clients.elbv2
      .send(new CreateTargetGroupCommand({ Name: "x", Protocol: "HTTP", Port: 80, VpcId: "vpc-0123456789abcdef0" }))
      .catch((e: unknown) => e);

    expect(noProtocol).toMatchObject({ name: "ValidationError" });
    expect(unknownVpc).toMatchObject({ name: "ValidationError" });
  });

  it("lists the load balancers forwarding to a group, and filters groups by load balancer", async () => {
    const used = await createGroup("used");
    await createGroup("idle");
    const { lbArn } = await createAlbWithListener("web", used?.TargetGroupArn ?? "");

    const byLb = await clients.elbv2.send(new DescribeTargetGroupsCommand({ LoadBalancerArn: lbArn }));
    const byName = await clients.elbv2.send(new DescribeTargetGroupsCommand({ Names: ["used", "idle"] }));

    expect(byLb.TargetGroups?.map((tg) => [tg.TargetGroupName, tg.LoadBalancerArns])).toEqual([["used", [lbArn]]]);
    expect(byName.TargetGroups?.map((tg) => [tg.TargetGroupName, tg.LoadBalancerArns])).toEqual([
      ["used", [lbArn]],
      ["idle", []],
    ]);
  });

  it("answers TargetGroupNotFound for an unknown ARN or name, and ValidationError for a malformed ARN", async () => {
    const unknownArn = `arn:aws:elasticloadbalancing:us-east-1:${DEFAULT_ACCOUNT_ID}:targetgroup/nope/0123456789abcdef`;

    const byArn = await clients.elbv2
      .send(new DescribeTargetGroupsCommand({ TargetGroupArns: [unknownArn] }))
      .catch((e: unknown) => e);
    const byName = await clients.elbv2
      .send(new DescribeTargetGroupsCommand({ Names: ["nope"] }))
      .catch((e: unknown) => e);
    const malformed = await clients.elbv2
      .send(new DescribeTargetGroupsCommand({ TargetGroupArns: ["not-an-arn"] }))
      .catch((e: unknown) => e);

    expect(byArn).toMatchObject({ name: "TargetGroupNotFoundException" });
    expect(byName).toMatchObject({ name: "TargetGroupNotFoundException" });
    expect(malformed).toMatchObject({ name: "ValidationError" });
  });

  it("pages DescribeTargetGroups with the SDK paginator", async () => {
    const names = ["tg-1", "tg-2", "tg-3", "tg-4", "tg-5", "tg-6", "tg-7"];
    for (const name of names) await createGroup(name);

    const seen: string[] = [];
    let pages = 0;
    for await (const page of paginateDescribeTargetGroups({ client: clients.elbv2 }, { PageSize: 3 })) {
      pages += 1;
      seen.push(...(page.TargetGroups ?? []).map((tg) => tg.TargetGroupName ?? ""));
    }

    expect(seen).toEqual(names);
    expect(pages).toBe(3);
  });

  it("refuses to delete a group a listener forwards to, and deletes it once the listener is gone", async () => {
    const group = await createGroup("web");
    const arn = group?.TargetGroupArn ?? "";
    const { listenerArn } = await createAlbWithListener("web", arn);

    const refused = await clients.elbv2
      .send(new DeleteTargetGroupCommand({ TargetGroupArn: arn }))
      .catch((e: unknown) => e);
    await clients.elbv2.send(new DeleteListenerCommand({ ListenerArn: listenerArn }));
    await clients.elbv2.send(new DeleteTargetGroupCommand({ TargetGroupArn: arn }));

    expect(refused).toMatchObject({ name: "ResourceInUseException" });
    const remaining = await clients.elbv2.send(new DescribeTargetGroupsCommand({}));
    expect(remaining.TargetGroups).toEqual([]);
  });
});
