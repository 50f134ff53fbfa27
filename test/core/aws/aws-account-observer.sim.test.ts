import { CreateSubnetCommand } from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AwsAccountObserver } from "../../../core/aws/aws-account-observer.ts";
import { type RunningSimulator, startSimulator } from "../../../sim/index.ts";
import { setFaults, simClients, simControl } from "../../support/sim-clients.ts";
import { buildSmallWorld, createBranch, required, type SmallWorld, worldClients } from "./sim-world.ts";

describe("AwsAccountObserver against the simulator", () => {
  let sim: RunningSimulator;
  let world: SmallWorld;

  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
    world = await buildSmallWorld(sim.endpoint);
  });
  afterAll(async () => sim.stop());

  it("discovers the EKS cluster and the deleted one that still owns a branch ENI", async () => {
    // Prepare
    const observer = new AwsAccountObserver(simClients(sim.endpoint, "AKIDBRANCHKEEPER", 3));

    // Act
    const clusters = await observer.discoverClusters("*");

    // Assess
    expect(clusters).toEqual([
      { name: "alpha", status: "active", vpcId: world.vpcId, clusterSecurityGroupId: world.clusterSecurityGroupId },
      { name: "ghost", status: "deleted", vpcId: world.vpcId },
    ]);
  });

  it("takes a full snapshot of the world with the right contents", async () => {
    // Prepare
    const observer = new AwsAccountObserver(simClients(sim.endpoint, "AKIDBRANCHKEEPER", 3));
    const clusters = await observer.discoverClusters("*");

    // Act
    const [alpha, ghost] = await observer.observe(clusters, { kind: "full" });

    // Assess
    const live = world.liveBranches.map((b) => b.eniId);
    expect([...(alpha?.branchEnis.keys() ?? [])].sort()).toEqual([...live, world.leakedBranch].sort());
    expect(alpha?.branchEnis.get(world.leakedBranch)?.status).toBe("available");
    expect(alpha?.branchEnis.has(world.cniEni.eniId)).toBe(false);
    expect([...(alpha?.trunkEnis.keys() ?? [])].sort()).toEqual(world.nodes.map((n) => n.trunkId).sort());
    expect([...(alpha?.incomplete.keys() ?? [])]).toEqual(["associations"]);
    expect(alpha?.backendSecurityGroupId).toBe(world.groups.backend);
    expect(alpha?.targetGroups.map((g) => g.arn).sort()).toEqual(
      [world.targetGroups.ip, world.targetGroups.instance].sort(),
    );
    expect([...(alpha?.loadBalancers.get(world.loadBalancerArn)?.securityGroupIds ?? [])].sort()).toEqual(
      [world.groups.lb, world.groups.backend].sort(),
    );
    expect([...(alpha?.targetEnis.keys() ?? [])].sort()).toEqual(
      [world.liveBranches[0]?.eniId, world.cniEni.eniId, world.nodes[0]?.primaryEniId].sort(),
    );
    const groups = alpha?.securityGroups;
    expect([...(groups?.keys() ?? [])].sort()).toEqual(
      [
        world.groups.podA,
        world.groups.podB,
        world.groups.backend,
        world.groups.lb,
        world.groups.stale,
        world.groups.node,
        world.clusterSecurityGroupId,
      ].sort(),
    );
    expect(groups?.get(world.groups.podA)?.tags["kubernetes.io/cluster/alpha"]).toBe("shared");
    expect(groups?.get(world.groups.stale)?.ingress).toEqual([
      expect.objectContaining({
        groupId: world.groups.stale,
        protocol: "tcp",
        fromPort: 9999,
        toPort: 9999,
        sourceGroupId: world.groups.backend,
        description: "elbv2.k8s.aws/targetGroupBinding=shared",
        ruleId: expect.stringMatching(/^sgr-/),
      }),
    ]);
    expect([...(ghost?.branchEnis.keys() ?? [])]).toEqual([world.ghostBranch]);
  });

  it("spends one page per 1000 owned ENIs plus a small constant on a full observation of this world", async () => {
    // Prepare
    const observer = new AwsAccountObserver(simClients(sim.endpoint, "AKIDBRANCHKEEPER", 3));
    const clusters = await observer.discoverClusters(["alpha", "ghost"]);
    const before = await simControl<{ calls: Record<string, number> }>(sim.endpoint, "/_sim/stats");

    // Act
    await observer.observe(clusters, { kind: "full" });

    // Assess: 1 sweep page + 1 lookup of the CNI's secondary IP + 1 node primary ENI; SGs: backend
    // lookup, groups referencing the backend/LB SGs, the rest by id.
    const after = await simControl<{ calls: Record<string, number> }>(sim.endpoint, "/_sim/stats");
    const spent = Object.fromEntries(
      Object.entries(after.calls)
        .map(([key, n]) => [key, n - (before.calls[key] ?? 0)] as const)
        .filter(([, n]) => n > 0),
    );
    expect(spent).toEqual({
      "ec2:DescribeNetworkInterfaces": 3,
      "ec2:DescribeSecurityGroups": 3,
      "ec2:DescribeSecurityGroupRules": 1,
      "elbv2:DescribeTargetGroups": 1,
      "elbv2:DescribeTags": 1,
      "elbv2:DescribeTargetHealth": 2,
      "elbv2:DescribeLoadBalancers": 1,
    });
  });
});

describe("AwsAccountObserver at scale, against the simulator", () => {
  const BRANCHES = 2_345;
  let sim: RunningSimulator;
  let world: SmallWorld;

  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
    world = await buildSmallWorld(sim.endpoint);
    const { vpcrc, operator } = worldClients(sim.endpoint);
    const subnetId = required(
      (
        await operator.ec2.send(
          new CreateSubnetCommand({ VpcId: world.vpcId, CidrBlock: "10.0.64.0/18", AvailabilityZone: "us-east-1a" }),
        )
      ).Subnet?.SubnetId,
    );
    const [node0] = world.nodes;
    for (let i = 0; i < BRANCHES; i += 50) {
      await Promise.all(
        Array.from({ length: Math.min(50, BRANCHES - i) }, (_, j) =>
          createBranch(vpcrc.ec2, {
            subnetId,
            groups: [world.groups.podB],
            cluster: "alpha",
            // Half still name a live trunk; the other half a trunk that is gone (their node is asked for).
            trunkId: (i + j) % 2 === 0 ? (node0?.trunkId ?? "") : `eni-0gone${(i + j) % 7}`,
            vlanId: 1 + ((i + j) % 100),
            instanceId: `i-0gone${(i + j) % 7}`,
          }),
        ),
      );
    }
  }, 120_000);
  afterAll(async () => sim.stop());

  it("reads N owned ENIs in ceil(N/1000) pages and a constant number of other calls", async () => {
    // Prepare
    const observer = new AwsAccountObserver(simClients(sim.endpoint, "AKIDBRANCHKEEPER", 3));
    const clusters = await observer.discoverClusters(["alpha", "ghost"]);
    const owned = BRANCHES + world.liveBranches.length + 2 + world.nodes.length;
    const before = await simControl<{ calls: Record<string, number> }>(sim.endpoint, "/_sim/stats");
    const pages: number[] = [];

    // Act
    const [alpha] = await observer.observe(clusters, { kind: "full" }, { onProgress: (p) => pages.push(p.enisSeen) });

    // Assess
    const after = await simControl<{ calls: Record<string, number> }>(sim.endpoint, "/_sim/stats");
    const spent = (key: string) => (after.calls[key] ?? 0) - (before.calls[key] ?? 0);
    const total = Object.keys(after.calls).reduce((sum, key) => sum + spent(key), 0);
    expect(alpha?.branchEnis.size).toBe(BRANCHES + world.liveBranches.length + 1);
    expect(Math.max(...pages)).toBe(owned);
    const lowerBound = Math.ceil(owned / 1000);
    // The sweep's pages, plus the CNI secondary IP and the node primary ENI lookups.
    expect(spent("ec2:DescribeNetworkInterfaces")).toBe(lowerBound + 2);
    // Seven distinct gone nodes, one call.
    expect(spent("ec2:DescribeInstances")).toBe(1);
    expect(total).toBe(lowerBound + 2 + 1 + 3 + 1 + 5);
  });

  it("stays complete when the SDK's retries get failing pages through", async () => {
    // Prepare
    const observer = new AwsAccountObserver(simClients(sim.endpoint, "AKIDBRANCHKEEPER", 5));
    const clusters = await observer.discoverClusters(["alpha"]);
    await setFaults(sim.endpoint, { errors: [{ action: "ec2:DescribeNetworkInterfaces", rate: 0.4 }], seed: 3 });

    // Act
    const [alpha] = await observer.observe(clusters, { kind: "full" });
    const stats = await simControl<{ errors: Record<string, number> }>(sim.endpoint, "/_sim/stats");
    await setFaults(sim.endpoint, {});

    // Assess
    expect(stats.errors["ec2:DescribeNetworkInterfaces"]).toBeGreaterThan(0);
    expect(alpha?.incomplete.has("branch-enis")).toBe(false);
    expect(alpha?.branchEnis.size).toBe(BRANCHES + world.liveBranches.length + 1);
  });

  it("marks branch-enis incomplete when DescribeNetworkInterfaces keeps failing, and still reads the rest", async () => {
    // Prepare
    const observer = new AwsAccountObserver(simClients(sim.endpoint, "AKIDBRANCHKEEPER", 2));
    const clusters = await observer.discoverClusters(["alpha"]);
    await setFaults(sim.endpoint, { errors: [{ action: "ec2:DescribeNetworkInterfaces", rate: 1 }] });

    // Act
    const [alpha] = await observer.observe(clusters, { kind: "full" });
    await setFaults(sim.endpoint, {});

    // Assess
    expect(alpha?.incomplete.get("branch-enis")).toMatch(
      /DescribeNetworkInterfaces failed: InternalError.*\(retryable\)$/,
    );
    expect(alpha?.incomplete.has("trunk-enis")).toBe(true);
    expect(alpha?.incomplete.has("target-groups")).toBe(false);
    expect(alpha?.targetGroups).toHaveLength(2);
  });
});
