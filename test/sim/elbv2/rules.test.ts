import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateRuleCommand,
  CreateTargetGroupCommand,
  DeleteListenerCommand,
  DeleteRuleCommand,
  DeleteTargetGroupCommand,
  DescribeRulesCommand,
  DescribeTargetGroupsCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type RunningSimulator, startSimulator } from "../../../sim/index.ts";
import { simClients, simControl } from "../../support/sim-clients.ts";
import { createNetwork } from "./network-fixture.ts";

describe("ELBv2 listener rules", () => {
  let sim: RunningSimulator;
  let clients: ReturnType<typeof simClients>;
  let lbArn: string;
  let listenerArn: string;
  let defaultGroup: string;
  let apiGroup: string;
  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
    clients = simClients(sim.endpoint);
  });
  afterAll(() => sim.stop());
  beforeEach(async () => {
    await simControl(sim.endpoint, "/_sim/reset", { method: "POST" });
    const net = await createNetwork(clients.ec2);
    const lb = await clients.elbv2.send(
      new CreateLoadBalancerCommand({ Name: "web", Subnets: [net.subnetA, net.subnetB] }),
    );
    lbArn = lb.LoadBalancers?.[0]?.LoadBalancerArn ?? "";
    const group = async (Name: string) =>
      (await clients.elbv2.send(new CreateTargetGroupCommand({ Name, Protocol: "HTTP", Port: 80, VpcId: net.vpcId })))
        .TargetGroups?.[0]?.TargetGroupArn ?? "";
    defaultGroup = await group("default");
    apiGroup = await group("api");
    const listener = await clients.elbv2.send(
      new CreateListenerCommand({
        LoadBalancerArn: lbArn,
        Protocol: "HTTP",
        Port: 80,
        DefaultActions: [{ Type: "forward", TargetGroupArn: defaultGroup }],
      }),
    );
    listenerArn = listener.Listeners?.[0]?.ListenerArn ?? "";
  });

  const routeApi = (Priority: number) =>
    clients.elbv2.send(
      new CreateRuleCommand({
        ListenerArn: listenerArn,
        Priority,
        Conditions: [{ Field: "path-pattern", PathPatternConfig: { Values: ["/api/*"] } }],
        Actions: [{ Type: "forward", TargetGroupArn: apiGroup }],
      }),
    );

  it("creates a path rule and lists it before the listener's default rule", async () => {
    const created = await routeApi(1);

    const rules = await clients.elbv2.send(new DescribeRulesCommand({ ListenerArn: listenerArn }));

    const ruleArn = created.Rules?.[0]?.RuleArn;
    expect(ruleArn).toMatch(/:listener-rule\/app\/web\/[0-9a-f]{16}\/[0-9a-f]{16}\/[0-9a-f]{16}$/);
    expect(rules.Rules?.map((r) => [r.Priority, r.IsDefault])).toEqual([
      ["1", false],
      ["default", true],
    ]);
    expect(rules.Rules?.[0]).toMatchObject({
      RuleArn: ruleArn,
      Conditions: [{ Field: "path-pattern", Values: ["/api/*"], PathPatternConfig: { Values: ["/api/*"] } }],
      Actions: [{ Type: "forward", TargetGroupArn: apiGroup }],
    });
    expect(rules.Rules?.[1]).toMatchObject({ Conditions: [], Actions: [{ TargetGroupArn: defaultGroup }] });
  });

  it("counts a rule's target group as served by the load balancer, and in use", async () => {
    const created = await routeApi(1);

    const described = await clients.elbv2.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [apiGroup] }));
    const refused = await clients.elbv2
      .send(new DeleteTargetGroupCommand({ TargetGroupArn: apiGroup }))
      .catch((e: unknown) => e);
    await clients.elbv2.send(new DeleteRuleCommand({ RuleArn: created.Rules?.[0]?.RuleArn }));
    await clients.elbv2.send(new DeleteTargetGroupCommand({ TargetGroupArn: apiGroup }));

    expect(described.TargetGroups?.[0]?.LoadBalancerArns).toEqual([lbArn]);
    expect(refused).toMatchObject({ name: "ResourceInUseException" });
  });

  it("refuses a taken priority and deleting the default rule", async () => {
    await routeApi(1);
    const defaultRule = (await clients.elbv2.send(new DescribeRulesCommand({ ListenerArn: listenerArn }))).Rules?.[1];

    const taken = await routeApi(1).catch((e: unknown) => e);
    const deleteDefault = await clients.elbv2
      .send(new DeleteRuleCommand({ RuleArn: defaultRule?.RuleArn }))
      .catch((e: unknown) => e);

    expect(taken).toMatchObject({ name: "PriorityInUseException" });
    expect(deleteDefault).toMatchObject({ name: "OperationNotPermittedException" });
  });

  it("deletes a listener's rules with it", async () => {
    const ruleArn = (await routeApi(1)).Rules?.[0]?.RuleArn;

    await clients.elbv2.send(new DeleteListenerCommand({ ListenerArn: listenerArn }));

    const error = await clients.elbv2
      .send(new DescribeRulesCommand({ RuleArns: [ruleArn ?? ""] }))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "RuleNotFoundException" });
  });
});
