import {
  CreateSecurityGroupCommand,
  DeleteSecurityGroupCommand,
  DescribeSecurityGroupsCommand,
} from "@aws-sdk/client-ec2";
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DeleteLoadBalancerCommand,
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  paginateDescribeLoadBalancers,
  SetSecurityGroupsCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_ACCOUNT_ID, type RunningSimulator, startSimulator } from "../../../sim/index.ts";
import { setFaults, simClients, simControl } from "../../support/sim-clients.ts";
import { createNetwork, type Network } from "./network-fixture.ts";

describe("ELBv2 load balancers", () => {
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

  const createAlb = (name: string, extra: Partial<ConstructorParameters<typeof CreateLoadBalancerCommand>[0]> = {}) =>
    clients.elbv2.send(
      new CreateLoadBalancerCommand({
        Name: name,
        Subnets: [net.subnetA, net.subnetB],
        SecurityGroups: [net.securityGroupId],
        ...extra,
      }),
    );

  it("creates an application load balancer with AWS's ARN, DNS name, zones and state", async () => {
    const answer = await createAlb("web", { Tags: [{ Key: "elbv2.k8s.aws/cluster", Value: "c1" }] });

    const lb = answer.LoadBalancers?.[0];
    expect(lb?.LoadBalancerArn).toMatch(
      new RegExp(`^arn:aws:elasticloadbalancing:us-east-1:${DEFAULT_ACCOUNT_ID}:loadbalancer/app/web/[0-9a-f]{16}$`),
    );
    expect(lb?.DNSName).toMatch(/^web-\d{1,10}\.us-east-1\.elb\.amazonaws\.com$/);
    expect(lb).toMatchObject({
      LoadBalancerName: "web",
      CanonicalHostedZoneId: "Z35SXDOTRQ7X7K",
      Scheme: "internet-facing",
      VpcId: net.vpcId,
      State: { Code: "active" },
      Type: "application",
      IpAddressType: "ipv4",
      SecurityGroups: [net.securityGroupId],
      AvailabilityZones: [
        { ZoneName: "us-east-1a", SubnetId: net.subnetA },
        { ZoneName: "us-east-1b", SubnetId: net.subnetB },
      ],
    });
    expect(lb?.CreatedTime).toBeInstanceOf(Date);
  });

  it("creates an internal network load balancer with NLB naming and no security groups", async () => {
    const answer = await clients.elbv2.send(
      new CreateLoadBalancerCommand({ Name: "tcp", Subnets: [net.subnetA], Type: "network", Scheme: "internal" }),
    );

    const lb = answer.LoadBalancers?.[0];
    expect(lb?.LoadBalancerArn).toContain(":loadbalancer/net/tcp/");
    expect(lb?.DNSName).toMatch(/^tcp-[0-9a-f]{16}\.elb\.us-east-1\.amazonaws\.com$/);
    expect(lb).toMatchObject({ Type: "network", Scheme: "internal", CanonicalHostedZoneId: "Z26RNL4JYFTOTI" });
    expect(lb?.SecurityGroups).toBeUndefined();
  });

  it("gives an application load balancer created without security groups the VPC's default group", async () => {
    const defaults = await clients.ec2.send(
      new DescribeSecurityGroupsCommand({
        Filters: [
          { Name: "vpc-id", Values: [net.vpcId] },
          { Name: "group-name", Values: ["default"] },
        ],
      }),
    );

    const answer = await createAlb("web", { SecurityGroups: undefined });

    expect(answer.LoadBalancers?.[0]?.SecurityGroups).toEqual([defaults.SecurityGroups?.[0]?.GroupId]);
  });

  it("returns the same load balancer when asked again with the same settings, and refuses different ones", async () => {
    const first = await createAlb("web");

    const again = await createAlb("web");
    const different = await createAlb("web", { Scheme: "internal" }).catch((e: unknown) => e);

    expect(again.LoadBalancers?.[0]?.LoadBalancerArn).toBe(first.LoadBalancers?.[0]?.LoadBalancerArn);
    expect(different).toMatchObject({ name: "DuplicateLoadBalancerNameException" });
  });

  it("refuses an application load balancer in one zone, and an unknown subnet", async () => {
    const oneZone = await createAlb("web", { Subnets: [net.subnetA] }).catch((e: unknown) => e);
    const unknown = await createAlb("web", { Subnets: [net.subnetA, "subnet-0123456789abcdef0"] }).catch(
      (e: unknown) => e,
    );

    expect(oneZone).toMatchObject({ name: "ValidationError", $metadata: { httpStatusCode: 400 } });
    expect(unknown).toMatchObject({ name: "SubnetNotFoundException" });
  });

  it("describes by ARN and by name, and answers LoadBalancerNotFound for a missing one", async () => {
    const web = (await createAlb("web")).LoadBalancers?.[0]?.LoadBalancerArn ?? "";
    await createAlb("api");

    const byArn = await clients.elbv2.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [web] }));
    const byName = await clients.elbv2.send(new DescribeLoadBalancersCommand({ Names: ["api"] }));
    const missing = await clients.elbv2
      .send(new DescribeLoadBalancersCommand({ Names: ["api", "nope"] }))
      .catch((e: unknown) => e);

    expect(byArn.LoadBalancers?.map((lb) => lb.LoadBalancerName)).toEqual(["web"]);
    expect(byName.LoadBalancers?.map((lb) => lb.LoadBalancerName)).toEqual(["api"]);
    expect(missing).toMatchObject({ name: "LoadBalancerNotFoundException" });
  });

  it("pages DescribeLoadBalancers with the SDK paginator", async () => {
    const names = ["lb-1", "lb-2", "lb-3", "lb-4", "lb-5"];
    for (const name of names) await createAlb(name);

    const seen: string[] = [];
    let pages = 0;
    for await (const page of paginateDescribeLoadBalancers({ client: clients.elbv2 }, { PageSize: 2 })) {
      pages += 1;
      seen.push(...(page.LoadBalancers ?? []).map((lb) => lb.LoadBalancerName ?? ""));
    }

    expect(seen).toEqual(names);
    expect(pages).toBe(3);
  });

  it("refuses a page size above 400", async () => {
    const error = await clients.elbv2
      .send(new DescribeLoadBalancersCommand({ PageSize: 401 }))
      .catch((e: unknown) => e);

    expect(error).toMatchObject({ name: "ValidationError" });
  });

  it("replaces a load balancer's security groups, refusing unknown ones", async () => {
    const web = (await createAlb("web")).LoadBalancers?.[0]?.LoadBalancerArn ?? "";
    const second = await clients.ec2.send(
      new CreateSecurityGroupCommand({ VpcId: net.vpcId, GroupName: "second", Description: "second" }),
    );

    const answer = await clients.elbv2.send(
      new SetSecurityGroupsCommand({ LoadBalancerArn: web, SecurityGroups: [second.GroupId ?? ""] }),
    );
    const unknown = await clients.elbv2
      .send(new SetSecurityGroupsCommand({ LoadBalancerArn: web, SecurityGroups: ["sg-0123456789abcdef0"] }))
      .catch((e: unknown) => e);

    const described = await clients.elbv2.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [web] }));
    expect(answer.SecurityGroupIds).toEqual([second.GroupId]);
    expect(described.LoadBalancers?.[0]?.SecurityGroups).toEqual([second.GroupId]);
    expect(unknown).toMatchObject({ name: "InvalidSecurityGroupException" });
  });

  it("keeps a security group in use while a load balancer has it, so EC2 refuses to delete it", async () => {
    const web = (await createAlb("web")).LoadBalancers?.[0]?.LoadBalancerArn ?? "";

    const inUse = sim.simulator.world.elbv2.securityGroupInUse(net.securityGroupId);
    const refused = await clients.ec2
      .send(new DeleteSecurityGroupCommand({ GroupId: net.securityGroupId }))
      .catch((e: unknown) => e);
    await clients.elbv2.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: web }));

    expect(inUse).toBe(true);
    expect(refused).toMatchObject({ name: "DependencyViolation" });
    expect(sim.simulator.world.elbv2.securityGroupInUse(net.securityGroupId)).toBe(false);
  });

  it("deletes a load balancer with its listeners, and deleting it again succeeds", async () => {
    const web = (await createAlb("web")).LoadBalancers?.[0]?.LoadBalancerArn ?? "";
    const group = await clients.elbv2.send(
      new CreateTargetGroupCommand({ Name: "tg", Protocol: "HTTP", Port: 80, VpcId: net.vpcId }),
    );
    await clients.elbv2.send(
      new CreateListenerCommand({
        LoadBalancerArn: web,
        Protocol: "HTTP",
        Port: 80,
        DefaultActions: [{ Type: "forward", TargetGroupArn: group.TargetGroups?.[0]?.TargetGroupArn }],
      }),
    );

    await clients.elbv2.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: web }));
    await clients.elbv2.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: web }));

    const all = await clients.elbv2.send(new DescribeLoadBalancersCommand({}));
    const listeners = await clients.elbv2
      .send(new DescribeListenersCommand({ LoadBalancerArn: web }))
      .catch((e: unknown) => e);
    expect(all.LoadBalancers).toEqual([]);
    expect(listeners).toMatchObject({ name: "LoadBalancerNotFoundException" });
    expect(sim.simulator.world.elbv2.listeners()).toEqual([]);
  });

  it("answers an injected failure as InternalFailure and a denied caller as AccessDenied", async () => {
    await setFaults(sim.endpoint, {
      errors: [{ action: "elbv2:DescribeLoadBalancers", rate: 1 }],
      deny: [{ action: "elbv2:CreateLoadBalancer" }],
    });

    const failed = await clients.elbv2.send(new DescribeLoadBalancersCommand({})).catch((e: unknown) => e);
    const denied = await createAlb("web").catch((e: unknown) => e);

    expect(failed).toMatchObject({ name: "InternalFailure", $metadata: { httpStatusCode: 500 } });
    expect(denied).toMatchObject({ name: "AccessDenied", $metadata: { httpStatusCode: 403 } });
  });
});
