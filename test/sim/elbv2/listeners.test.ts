import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DeleteListenerCommand,
  DescribeListenersCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type RunningSimulator, startSimulator } from "../../../sim/index.ts";
import { simClients, simControl } from "../../support/sim-clients.ts";
import { createNetwork, type Network } from "./network-fixture.ts";

describe("ELBv2 listeners", () => {
  let sim: RunningSimulator;
  let clients: ReturnType<typeof simClients>;
  let net: Network;
  let albArn: string;
  let httpGroup: string;
  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
    clients = simClients(sim.endpoint);
  });
  afterAll(() => sim.stop());
  beforeEach(async () => {
    await simControl(sim.endpoint, "/_sim/reset", { method: "POST" });
    net = await createNetwork(clients.ec2);
    albArn = await createLoadBalancer("web", "application");
    httpGroup = await createGroup("http", "HTTP");
  });

  const createLoadBalancer = async (name: string, type: "application" | "network") =>
    (
      await clients.elbv2.send(
        new CreateLoadBalancerCommand({ Name: name, Type: type, Subnets: [net.subnetA, net.subnetB] }),
      )
    ).LoadBalancers?.[0]?.LoadBalancerArn ?? "";

  const createGroup = async (name: string, protocol: "HTTP" | "TCP") =>
    (
      await clients.elbv2.send(
        new CreateTargetGroupCommand({ Name: name, Protocol: protocol, Port: 80, VpcId: net.vpcId }),
      )
    ).TargetGroups?.[0]?.TargetGroupArn ?? "";

  const forward = (LoadBalancerArn: string, TargetGroupArn: string, Port = 80) =>
    clients.elbv2.send(
      new CreateListenerCommand({
        LoadBalancerArn,
        Protocol: LoadBalancerArn.includes("/net/") ? "TCP" : "HTTP",
        Port,
        DefaultActions: [{ Type: "forward", TargetGroupArn }],
      }),
    );

  it("creates a forwarding listener and answers its action in both of ELBv2's forms", async () => {
    const answer = await forward(albArn, httpGroup);

    const listener = answer.Listeners?.[0];
    expect(listener?.ListenerArn).toMatch(/:listener\/app\/web\/[0-9a-f]{16}\/[0-9a-f]{16}$/);
    expect(listener?.ListenerArn?.startsWith(albArn.replace(":loadbalancer/", ":listener/"))).toBe(true);
    expect(listener).toMatchObject({
      LoadBalancerArn: albArn,
      Port: 80,
      Protocol: "HTTP",
      DefaultActions: [
        {
          Type: "forward",
          TargetGroupArn: httpGroup,
          ForwardConfig: {
            TargetGroups: [{ TargetGroupArn: httpGroup, Weight: 1 }],
            TargetGroupStickinessConfig: { Enabled: false },
          },
        },
      ],
    });
  });

  it("accepts a weighted ForwardConfig, as the Load Balancer Controller sends it", async () => {
    const second = await createGroup("second", "HTTP");

    const answer = await clients.elbv2.send(
      new CreateListenerCommand({
        LoadBalancerArn: albArn,
        Protocol: "HTTP",
        Port: 8080,
        DefaultActions: [
          {
            Type: "forward",
            ForwardConfig: {
              TargetGroups: [
                { TargetGroupArn: httpGroup, Weight: 3 },
                { TargetGroupArn: second, Weight: 1 },
              ],
            },
          },
        ],
      }),
    );

    const action = answer.Listeners?.[0]?.DefaultActions?.[0];
    expect(action?.TargetGroupArn).toBeUndefined();
    expect(action?.ForwardConfig?.TargetGroups).toEqual([
      { TargetGroupArn: httpGroup, Weight: 3 },
      { TargetGroupArn: second, Weight: 1 },
    ]);
  });

  it("refuses a second listener on a port, an incompatible group, and a group another load balancer uses", async () => {
    const tcpGroup = await createGroup("tcp", "TCP");
    const otherAlb = await createLoadBalancer("other", "application");
    await forward(albArn, httpGroup);

    const samePort = await clients.elbv2
      .send(
        new CreateListenerCommand({
          LoadBalancerArn: albArn,
          Protocol: "HTTP",
          Port: 80,
          DefaultActions: [{ Type: "fixed-response", FixedResponseConfig: { StatusCode: "404" } }],
        }),
      )
      .catch((e: unknown) => e);
    const incompatible = await forward(albArn, tcpGroup, 81).catch((e: unknown) => e);
    const shared = await forward(otherAlb, httpGroup).catch((e: unknown) => e);

    expect(samePort).toMatchObject({ name: "DuplicateListenerException" });
    expect(incompatible).toMatchObject({ name: "IncompatibleProtocolsException" });
    expect(shared).toMatchObject({ name: "TargetGroupAssociationLimitException" });
  });

  it("refuses a protocol the load balancer type does not speak", async () => {
    const nlbArn = await createLoadBalancer("net", "network");

    const error = await clients.elbv2
      .send(
        new CreateListenerCommand({
          LoadBalancerArn: nlbArn,
          Protocol: "HTTP",
          Port: 80,
          DefaultActions: [{ Type: "forward", TargetGroupArn: httpGroup }],
        }),
      )
      .catch((e: unknown) => e);

    expect(error).toMatchObject({ name: "UnsupportedProtocolException" });
  });

  it("describes listeners by load balancer and by ARN, and requires one of them", async () => {
    const created = (await forward(albArn, httpGroup)).Listeners?.[0]?.ListenerArn ?? "";

    const byLb = await clients.elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: albArn }));
    const byArn = await clients.elbv2.send(new DescribeListenersCommand({ ListenerArns: [created] }));
    const neither = await clients.elbv2.send(new DescribeListenersCommand({})).catch((e: unknown) => e);

    expect(byLb.Listeners?.map((l) => l.ListenerArn)).toEqual([created]);
    expect(byArn.Listeners?.map((l) => l.Port)).toEqual([80]);
    expect(neither).toMatchObject({ name: "ValidationError" });
  });

  it("deletes a listener, then answers ListenerNotFound for it", async () => {
    const created = (await forward(albArn, httpGroup)).Listeners?.[0]?.ListenerArn ?? "";

    await clients.elbv2.send(new DeleteListenerCommand({ ListenerArn: created }));
    const again = await clients.elbv2
      .send(new DeleteListenerCommand({ ListenerArn: created }))
      .catch((e: unknown) => e);
    const describe = await clients.elbv2
      .send(new DescribeListenersCommand({ ListenerArns: [created] }))
      .catch((e: unknown) => e);

    expect(again).toMatchObject({ name: "ListenerNotFoundException" });
    expect(describe).toMatchObject({ name: "ListenerNotFoundException" });
  });
});
