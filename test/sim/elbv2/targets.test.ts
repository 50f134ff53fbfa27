import {
  CreateNetworkInterfaceCommand,
  DeleteNetworkInterfaceCommand,
  RunInstancesCommand,
  TerminateInstancesCommand,
} from "@aws-sdk/client-ec2";
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DeregisterTargetsCommand,
  DescribeTargetHealthCommand,
  RegisterTargetsCommand,
  type TargetDescription,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type RunningSimulator, startSimulator } from "../../../sim/index.ts";
import { simClients, simControl } from "../../support/sim-clients.ts";
import { createNetwork, type Network } from "./network-fixture.ts";

describe("ELBv2 targets and target health", () => {
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

  const createGroup = async (name: string, targetType: "instance" | "ip") =>
    (
      await clients.elbv2.send(
        new CreateTargetGroupCommand({
          Name: name,
          Protocol: "HTTP",
          Port: 8080,
          VpcId: net.vpcId,
          TargetType: targetType,
        }),
      )
    ).TargetGroups?.[0]?.TargetGroupArn ?? "";

  /** Put the group behind an ALB listener, so its targets are in use. */
  const serve = async (targetGroupArn: string) => {
    const lb = await clients.elbv2.send(
      new CreateLoadBalancerCommand({ Name: "web", Subnets: [net.subnetA, net.subnetB] }),
    );
    await clients.elbv2.send(
      new CreateListenerCommand({
        LoadBalancerArn: lb.LoadBalancers?.[0]?.LoadBalancerArn,
        Protocol: "HTTP",
        Port: 80,
        DefaultActions: [{ Type: "forward", TargetGroupArn: targetGroupArn }],
      }),
    );
  };

  const launch = async () =>
    (
      await clients.ec2.send(
        new RunInstancesCommand({ ImageId: "ami-12345678", MinCount: 1, MaxCount: 1, SubnetId: net.subnetA }),
      )
    ).Instances?.[0]?.InstanceId ?? "";

  const podEni = async () => {
    const eni = await clients.ec2.send(
      new CreateNetworkInterfaceCommand({ SubnetId: net.subnetA, Groups: [net.securityGroupId] }),
    );
    return {
      eniId: eni.NetworkInterface?.NetworkInterfaceId ?? "",
      ip: eni.NetworkInterface?.PrivateIpAddress ?? "",
    };
  };

  const health = async (TargetGroupArn: string, Targets?: TargetDescription[]) =>
    (await clients.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn, Targets }))).TargetHealthDescriptions ??
    [];

  const register = (TargetGroupArn: string, Targets: TargetDescription[]) =>
    clients.elbv2.send(new RegisterTargetsCommand({ TargetGroupArn, Targets }));

  it("reports registered targets unused while no listener forwards to the group", async () => {
    const group = await createGroup("ip", "ip");
    const { ip } = await podEni();
    await register(group, [{ Id: ip, Port: 9000 }]);

    const described = await health(group);

    expect(described).toEqual([
      {
        Target: { Id: ip, Port: 9000 },
        HealthCheckPort: "9000",
        TargetHealth: {
          State: "unused",
          Reason: "Target.NotInUse",
          Description: "Target group is not configured to receive traffic from the load balancer",
        },
      },
    ]);
  });

  it("reports IP targets healthy while an ENI holds the address, unhealthy once it is gone", async () => {
    const group = await createGroup("ip", "ip");
    const pod = await podEni();
    await register(group, [{ Id: pod.ip }]);
    await serve(group);

    const before = await health(group);
    await clients.ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: pod.eniId }));
    const after = await health(group);

    expect(before).toEqual([
      { Target: { Id: pod.ip, Port: 8080 }, HealthCheckPort: "8080", TargetHealth: { State: "healthy" } },
    ]);
    expect(after[0]?.TargetHealth).toEqual({
      State: "unhealthy",
      Reason: "Target.FailedHealthChecks",
      Description: "Health checks failed",
    });
  });

  it("reports an instance target healthy while it runs and unused with Target.InvalidState once terminated", async () => {
    const group = await createGroup("inst", "instance");
    const instanceId = await launch();
    await register(group, [{ Id: instanceId, Port: 30080 }]);
    await serve(group);

    const before = await health(group);
    await clients.ec2.send(new TerminateInstancesCommand({ InstanceIds: [instanceId] }));
    const after = await health(group);

    expect(before[0]).toEqual({
      Target: { Id: instanceId, Port: 30080 },
      HealthCheckPort: "30080",
      TargetHealth: { State: "healthy" },
    });
    expect(after[0]?.TargetHealth).toEqual({
      State: "unused",
      Reason: "Target.InvalidState",
      Description: "Target is in the terminated state",
    });
  });

  it("refuses instances that do not exist or no longer run, and IPs outside the VPC", async () => {
    const instances = await createGroup("inst", "instance");
    const ips = await createGroup("ip", "ip");
    const terminated = await launch();
    await clients.ec2.send(new TerminateInstancesCommand({ InstanceIds: [terminated] }));

    const missing = await register(instances, [{ Id: "i-0123456789abcdef0" }]).catch((e: unknown) => e);
    const notRunning = await register(instances, [{ Id: terminated }]).catch((e: unknown) => e);
    const outside = await register(ips, [{ Id: "192.168.9.9" }]).catch((e: unknown) => e);
    const peered = await register(ips, [{ Id: "192.168.9.9", AvailabilityZone: "all" }]);

    expect(missing).toMatchObject({ name: "InvalidTargetException" });
    expect(notRunning).toMatchObject({ name: "InvalidTargetException" });
    expect((notRunning as Error).message).toContain(terminated);
    expect(outside).toMatchObject({ name: "InvalidTargetException" });
    expect(peered.$metadata.httpStatusCode).toBe(200);
  });

  it("registers the same target once, however often it is registered", async () => {
    const group = await createGroup("ip", "ip");
    const { ip } = await podEni();

    await register(group, [{ Id: ip }]);
    await register(group, [{ Id: ip }, { Id: ip, Port: 9090 }]);

    const described = await health(group);
    expect(described.map((d) => `${d.Target?.Id}:${d.Target?.Port}`)).toEqual([`${ip}:8080`, `${ip}:9090`]);
  });

  it("drains a deregistered target of a served group for the deregistration delay, then forgets it", async () => {
    const group = await createGroup("ip", "ip");
    const { ip } = await podEni();
    await register(group, [{ Id: ip }]);
    await serve(group);

    await clients.elbv2.send(new DeregisterTargetsCommand({ TargetGroupArn: group, Targets: [{ Id: ip }] }));
    const draining = await health(group);
    await simControl(sim.endpoint, "/_sim/clock", { method: "POST", body: JSON.stringify({ advanceSeconds: 301 }) });
    const drained = await health(group);

    expect(draining[0]?.TargetHealth).toEqual({
      State: "draining",
      Reason: "Target.DeregistrationInProgress",
      Description: "Target deregistration is in progress",
    });
    expect(drained).toEqual([]);
  });

  it("forgets a deregistered target of an unused group at once", async () => {
    const group = await createGroup("ip", "ip");
    const { ip } = await podEni();
    await register(group, [{ Id: ip }]);

    await clients.elbv2.send(new DeregisterTargetsCommand({ TargetGroupArn: group, Targets: [{ Id: ip }] }));

    expect(await health(group)).toEqual([]);
  });

  it("answers Target.NotRegistered for an asked-for target, and refuses to deregister it", async () => {
    const group = await createGroup("ip", "ip");
    const { ip } = await podEni();

    const described = await health(group, [{ Id: ip, Port: 8080 }]);
    const deregister = await clients.elbv2
      .send(new DeregisterTargetsCommand({ TargetGroupArn: group, Targets: [{ Id: ip }] }))
      .catch((e: unknown) => e);

    expect(described).toEqual([
      {
        Target: { Id: ip, Port: 8080 },
        HealthCheckPort: "8080",
        TargetHealth: {
          State: "unused",
          Reason: "Target.NotRegistered",
          Description: "Target is not registered to the target group",
        },
      },
    ]);
    expect(deregister).toMatchObject({ name: "InvalidTargetException" });
  });

  it("answers TargetGroupNotFound for targets of an unknown group", async () => {
    const unknown = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/nope/0123456789abcdef";

    const error = await register(unknown, [{ Id: "10.0.1.10" }]).catch((e: unknown) => e);

    expect(error).toMatchObject({ name: "TargetGroupNotFoundException" });
  });
});
