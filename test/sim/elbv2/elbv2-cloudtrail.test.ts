import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DeleteTargetGroupCommand,
  DescribeTargetGroupsCommand,
  RegisterTargetsCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type RunningSimulator, startSimulator, WELL_KNOWN_ACCESS_KEYS } from "../../../sim/index.ts";
import { simClients, simControl } from "../../support/sim-clients.ts";
import { createNetwork, type Network } from "./network-fixture.ts";

interface TrailEvent {
  source: string;
  "detail-type": string;
  detail: {
    eventSource: string;
    eventName: string;
    requestParameters: unknown;
    responseElements: unknown;
    errorCode?: string;
    userIdentity: { arn: string };
  };
}

describe("ELBv2 CloudTrail events", () => {
  let sim: RunningSimulator;
  let clients: ReturnType<typeof simClients>;
  let net: Network;
  let cursor: string;
  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
    clients = simClients(sim.endpoint, WELL_KNOWN_ACCESS_KEYS.loadBalancerController);
  });
  afterAll(() => sim.stop());
  beforeEach(async () => {
    await simControl(sim.endpoint, "/_sim/reset", { method: "POST" });
    net = await createNetwork(clients.ec2);
    cursor = (await simControl<{ cursor: string }>(sim.endpoint, "/_sim/events?after=0")).cursor;
  });

  const elbEvents = async () =>
    (await simControl<{ events: TrailEvent[] }>(sim.endpoint, `/_sim/events?after=${cursor}`)).events.filter(
      (e) => e.source === "aws.elasticloadbalancing",
    );

  it("records the LBC's calls with camel-cased request parameters and response elements", async () => {
    const lb = await clients.elbv2.send(
      new CreateLoadBalancerCommand({
        Name: "web",
        Subnets: [net.subnetA, net.subnetB],
        SecurityGroups: [net.securityGroupId],
        Scheme: "internal",
        Tags: [{ Key: "elbv2.k8s.aws/cluster", Value: "c1" }],
      }),
    );
    const tg = await clients.elbv2.send(
      new CreateTargetGroupCommand({ Name: "pods", Protocol: "HTTP", Port: 8080, VpcId: net.vpcId, TargetType: "ip" }),
    );
    const lbArn = lb.LoadBalancers?.[0]?.LoadBalancerArn ?? "";
    const tgArn = tg.TargetGroups?.[0]?.TargetGroupArn ?? "";
    await clients.elbv2.send(
      new CreateListenerCommand({
        LoadBalancerArn: lbArn,
        Protocol: "HTTP",
        Port: 80,
        DefaultActions: [{ Type: "forward", ForwardConfig: { TargetGroups: [{ TargetGroupArn: tgArn, Weight: 1 }] } }],
      }),
    );
    await clients.elbv2.send(
      new RegisterTargetsCommand({ TargetGroupArn: tgArn, Targets: [{ Id: "10.0.1.20", Port: 8080 }] }),
    );

    const events = await elbEvents();

    expect(events.map((e) => e.detail.eventName)).toEqual([
      "CreateLoadBalancer",
      "CreateTargetGroup",
      "CreateListener",
      "RegisterTargets",
    ]);
    const [createLb, createTg, createListener, register] = events.map((e) => e.detail);
    expect(events[0]?.["detail-type"]).toBe("AWS API Call via CloudTrail");
    expect(createLb?.eventSource).toBe("elasticloadbalancing.amazonaws.com");
    expect(createLb?.userIdentity.arn).toContain("assumed-role/aws-load-balancer-controller/");
    expect(createLb?.requestParameters).toEqual({
      name: "web",
      subnets: [net.subnetA, net.subnetB],
      securityGroups: [net.securityGroupId],
      scheme: "internal",
      tags: [{ key: "elbv2.k8s.aws/cluster", value: "c1" }],
    });
    expect(createLb?.responseElements).toMatchObject({
      loadBalancers: [
        {
          loadBalancerArn: lbArn,
          loadBalancerName: "web",
          dNSName: lb.LoadBalancers?.[0]?.DNSName,
          state: { code: "active" },
          vpcId: net.vpcId,
          availabilityZones: [
            { zoneName: "us-east-1a", subnetId: net.subnetA, loadBalancerAddresses: [] },
            { zoneName: "us-east-1b", subnetId: net.subnetB, loadBalancerAddresses: [] },
          ],
        },
      ],
    });
    const created = createLb?.responseElements as { loadBalancers: { createdTime: string }[] } | undefined;
    expect(created?.loadBalancers[0]?.createdTime).toMatch(/^[A-Z][a-z]{2} \d{1,2}, \d{4} \d{1,2}:\d{2}:\d{2} [AP]M$/);
    expect(createTg?.requestParameters).toEqual({
      name: "pods",
      protocol: "HTTP",
      port: 8080,
      vpcId: net.vpcId,
      targetType: "ip",
    });
    expect(createTg?.responseElements).toMatchObject({
      targetGroups: [{ targetGroupArn: tgArn, targetGroupName: "pods", port: 8080, healthCheckPort: "traffic-port" }],
    });
    expect(createListener?.requestParameters).toEqual({
      loadBalancerArn: lbArn,
      protocol: "HTTP",
      port: 80,
      defaultActions: [{ type: "forward", forwardConfig: { targetGroups: [{ targetGroupArn: tgArn, weight: 1 }] } }],
    });
    expect(register?.requestParameters).toEqual({ targetGroupArn: tgArn, targets: [{ id: "10.0.1.20", port: 8080 }] });
    expect(register?.responseElements).toBeNull();
  });

  it("records a refused mutation with its error code, and no read-only call", async () => {
    const tg = await clients.elbv2.send(
      new CreateTargetGroupCommand({ Name: "pods", Protocol: "HTTP", Port: 80, VpcId: net.vpcId }),
    );
    const arn = tg.TargetGroups?.[0]?.TargetGroupArn ?? "";
    await clients.elbv2.send(new DescribeTargetGroupsCommand({}));
    await clients.elbv2
      .send(new RegisterTargetsCommand({ TargetGroupArn: arn, Targets: [{ Id: "i-0123456789abcdef0" }] }))
      .catch(() => undefined);
    await clients.elbv2.send(new DeleteTargetGroupCommand({ TargetGroupArn: arn }));

    const events = await elbEvents();

    expect(events.map((e) => [e.detail.eventName, e.detail.errorCode])).toEqual([
      ["CreateTargetGroup", undefined],
      ["RegisterTargets", "InvalidTarget"],
      ["DeleteTargetGroup", undefined],
    ]);
    expect(events[2]?.detail.requestParameters).toEqual({ targetGroupArn: arn });
  });
});
