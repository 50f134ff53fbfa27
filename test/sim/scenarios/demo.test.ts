import {
  DescribeInstancesCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSecurityGroupsCommand,
  DescribeTrunkInterfaceAssociationsCommand,
  type NetworkInterface,
  type SecurityGroup,
} from "@aws-sdk/client-ec2";
import { DescribeClusterCommand } from "@aws-sdk/client-eks";
import {
  DescribeTagsCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { computeBackendRules, type ResolvedBinding } from "../../../sim/actors/backend-rules.ts";
import { observedBackendRules } from "../../../sim/actors/observed-backend-rules.ts";
import { type BackendRule, backendRuleKey } from "../../../sim/actors/restricted-rules.ts";
import { parseHealthCheckPort } from "../../../sim/actors/tgb-ports.ts";
import { type RunningSimulator, startSimulator } from "../../../sim/index.ts";
import type { DemoReport } from "../../../sim/scenarios/index.ts";
import { simClients, simControl } from "../../support/sim-clients.ts";

const tagsOf = (
  resource: { TagSet?: { Key?: string; Value?: string }[] } | { Tags?: { Key?: string; Value?: string }[] },
) =>
  Object.fromEntries(
    ("TagSet" in resource ? resource.TagSet : "Tags" in resource ? resource.Tags : [])?.map((t) => [
      t.Key ?? "",
      t.Value ?? "",
    ]) ?? [],
  );

const sortRules = (rules: readonly BackendRule[]) =>
  [...rules].sort((a, b) => (backendRuleKey(a) < backendRuleKey(b) ? -1 : 1));

describe("demo scenario", () => {
  let sim: RunningSimulator;
  let report: DemoReport;
  let aws: ReturnType<typeof simClients>;

  /** The ENIs in the order asked (EC2 answers in its own order). */
  const enis = async (ids: readonly string[]): Promise<NetworkInterface[]> => {
    const answer = await aws.ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [...ids] }));
    const byId = new Map((answer.NetworkInterfaces ?? []).map((e) => [e.NetworkInterfaceId, e]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  };
  const allGroups = async (): Promise<SecurityGroup[]> =>
    (await aws.ec2.send(new DescribeSecurityGroupsCommand({}))).SecurityGroups ?? [];
  const clusterTagCount = (groups: readonly SecurityGroup[], ids: readonly string[]) =>
    groups.filter((g) => ids.includes(g.GroupId ?? "") && "kubernetes.io/cluster/alpha" in tagsOf(g)).length;

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, scenario: "demo" });
    if (sim.scenario?.scenario !== "demo") throw new Error("the demo scenario did not report");
    report = sim.scenario;
    aws = simClients(sim.endpoint, "AKIDTESTS", 3);
  });
  afterAll(() => sim.stop());

  it("holds two live clusters, their nodes, branch ENIs and load balancers, and the planted leftovers", () => {
    expect(report.census).toMatchObject({
      clusters: [
        { name: "alpha", status: "ACTIVE" },
        { name: "beta", status: "ACTIVE" },
      ],
      instances: { running: 21, terminated: 4 },
      trunkEnis: 21,
      branchEnis: { "in-use": 75, available: 12 },
      branchEnisByCluster: {
        alpha: { "in-use": 50, available: 3 },
        beta: { "in-use": 25, available: 1 },
        gamma: { available: 8 },
      },
      vpcCniEnis: { "in-use": 21, available: 1 },
      backendSecurityGroups: 3,
      loadBalancers: 6,
      targetGroups: 9,
      backendRules: 6,
    });
    expect(report.leakedEniIds).toHaveLength(12);
  });

  it("associates every running pod's branch ENI to its node's trunk, on the VLAN its tag names", async () => {
    const branchIds = [...report.clusters.alpha.branchEniIds, ...report.clusters.beta.branchEniIds];
    const associations = await aws.ec2.send(new DescribeTrunkInterfaceAssociationsCommand({ MaxResults: 255 }));
    const byBranch = new Map((associations.InterfaceAssociations ?? []).map((a) => [a.BranchInterfaceId, a]));

    const described = await enis(branchIds);

    expect(described).toHaveLength(75);
    for (const eni of described) {
      const tags = tagsOf(eni);
      expect(eni).toMatchObject({ Status: "in-use", InterfaceType: "branch", Description: "aws-k8s-branch-eni" });
      expect(byBranch.get(eni.NetworkInterfaceId)).toMatchObject({
        TrunkInterfaceId: tags["vpcresources.k8s.aws/trunk-eni-id"],
        VlanId: Number(tags["vpcresources.k8s.aws/vlan-id"]),
      });
    }
    const betaTagged = described.filter((e) => report.clusters.beta.branchEniIds.includes(e.NetworkInterfaceId ?? ""));
    expect(betaTagged.some((e) => "node.k8s.amazonaws.com/instance_id" in tagsOf(e))).toBe(false);
  });

  it("leaves the branch ENIs of the scaled-in alpha node available, with their trunk and instance gone", async () => {
    const { instanceId, trunkEniId, leakedEniIds } = report.damage.terminatedNode;

    const leaked = await enis(leakedEniIds);
    const trunk = await enis([trunkEniId]).catch((error: Error) => error.name);
    const instance = await aws.ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));

    expect(leaked).toHaveLength(3);
    for (const eni of leaked) {
      expect(eni).toMatchObject({ Status: "available", Description: "aws-k8s-branch-eni" });
      expect(tagsOf(eni)).toMatchObject({
        "eks:eni:owner": "eks-vpc-resource-controller",
        "kubernetes.io/cluster/alpha": "owned",
        "vpcresources.k8s.aws/trunk-eni-id": trunkEniId,
      });
    }
    expect(trunk).toBe("InvalidNetworkInterfaceID.NotFound");
    expect(instance.Reservations?.[0]?.Instances?.[0]?.State?.Name).toBe("terminated");
  });

  it("leaves beta's forgotten branch ENI available while its trunk and node live on", async () => {
    const { eniId, trunkEniId } = report.damage.forgottenBranch;

    const [branch, trunk] = await enis([eniId, trunkEniId]);

    expect(branch).toMatchObject({ Status: "available", InterfaceType: "branch" });
    expect(tagsOf(branch ?? {})).toMatchObject({ "eks:eni:owner": "eks-vpc-resource-controller" });
    expect(trunk).toMatchObject({ Status: "in-use", InterfaceType: "trunk" });
  });

  it("leaves gamma's branch ENIs, backend group and backend rule behind after its deletion", async () => {
    const gamma = report.damage.deletedCluster;

    const cluster = await aws.eks
      .send(new DescribeClusterCommand({ name: "gamma" }))
      .catch((error: Error) => error.name);
    const leaked = await enis(gamma.leakedEniIds);
    const groups = await allGroups();
    const backend = groups.find((g) => g.GroupId === gamma.backendSecurityGroupId);
    const targetGroups = await aws.elbv2
      .send(new DescribeTargetGroupsCommand({ TargetGroupArns: [gamma.deletedTargetGroupArn] }))
      .catch((error: Error) => error.name);

    expect(cluster).toBe("ResourceNotFoundException");
    expect(leaked).toHaveLength(8);
    expect(leaked.every((e) => e.Status === "available" && tagsOf(e)["kubernetes.io/cluster/gamma"] === "owned")).toBe(
      true,
    );
    expect(backend?.GroupName).toMatch(/^k8s-traffic-gamma-[0-9a-f]{10}$/);
    expect(tagsOf(backend ?? {})).toMatchObject({
      "elbv2.k8s.aws/cluster": "gamma",
      "elbv2.k8s.aws/resource": "backend-sg",
    });
    expect(gamma.leftoverRules).toEqual([
      {
        groupId: gamma.securityGroupIds["gamma-app"],
        protocol: "tcp",
        fromPort: 8080,
        toPort: 8080,
        sourceGroupId: gamma.backendSecurityGroupId,
      },
    ]);
    expect(observedBackendRules(groups)).toEqual(expect.arrayContaining([...gamma.leftoverRules]));
    expect(targetGroups).toBe("TargetGroupNotFoundException");
  });

  it("has one target ENI with no cluster-tagged group and one with two, and no rule for either", async () => {
    const { zeroClusterTagEni: zero, twoClusterTagEni: two } = report.damage;
    const groups = await allGroups();

    const health = await aws.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: zero.targetGroupArn }));
    const [zeroEni, twoEni] = await enis([zero.eniId, two.eniId]);

    expect(clusterTagCount(groups, zero.securityGroupIds)).toBe(0);
    expect(clusterTagCount(groups, two.securityGroupIds)).toBe(2);
    expect([zeroEni?.Status, twoEni?.Status]).toEqual(["in-use", "in-use"]);
    expect(health.TargetHealthDescriptions?.map((d) => d.Target?.Id)).toEqual([zeroEni?.PrivateIpAddress]);
    const ruleGroups = new Set(observedBackendRules(groups).map((r) => r.groupId));
    const canary = report.clusters.alpha.securityGroupIds["alpha-canary"];
    expect([...zero.securityGroupIds, canary].some((id) => ruleGroups.has(id ?? ""))).toBe(false);
  });

  it("has exactly the expected backend rules, except the stale and the missing ones it planted", async () => {
    const { staleBackendRule, missingBackendRule, deletedCluster } = report.damage;

    const actual = observedBackendRules(await allGroups());

    const expected = sortRules([
      ...report.expectedBackendRules.filter((r) => backendRuleKey(r) !== backendRuleKey(missingBackendRule.rule)),
      staleBackendRule.rule,
      ...deletedCluster.leftoverRules,
    ]);
    expect(actual).toEqual(expected);
    expect(report.expectedBackendRules).toContainEqual(missingBackendRule.rule);
    expect(report.expectedBackendRules).not.toContainEqual(staleBackendRule.rule);
  });

  it("expects the rules that the LBC's restricted-mode merge gives for the target groups EC2 and ELBv2 hold", async () => {
    const groups = await allGroups();
    const tagsByGroup = new Map(groups.map((g) => [g.GroupId ?? "", tagsOf(g)]));
    const backendOf = (cluster: string) =>
      groups.find(
        (g) => tagsOf(g)["elbv2.k8s.aws/cluster"] === cluster && tagsOf(g)["elbv2.k8s.aws/resource"] === "backend-sg",
      )?.GroupId ?? "";
    const targetGroups = (await aws.elbv2.send(new DescribeTargetGroupsCommand({}))).TargetGroups ?? [];
    const tagDescriptions =
      (await aws.elbv2.send(new DescribeTagsCommand({ ResourceArns: targetGroups.map((t) => t.TargetGroupArn ?? "") })))
        .TagDescriptions ?? [];
    const rules: BackendRule[] = [];

    for (const cluster of ["alpha", "beta"]) {
      const bindings: ResolvedBinding[] = [];
      for (const tg of targetGroups) {
        const tags = tagsOf(tagDescriptions.find((d) => d.ResourceArn === tg.TargetGroupArn) ?? {});
        if (tags["elbv2.k8s.aws/cluster"] !== cluster) continue;
        const health = await aws.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: tg.TargetGroupArn }));
        const ids = (health.TargetHealthDescriptions ?? []).map((d) => d.Target?.Id ?? "");
        const targetEnis =
          tg.TargetType === "ip"
            ? ((
                await aws.ec2.send(
                  new DescribeNetworkInterfacesCommand({
                    Filters: [{ Name: "addresses.private-ip-address", Values: ids }],
                  }),
                )
              ).NetworkInterfaces ?? [])
            : (
                (await aws.ec2.send(new DescribeInstancesCommand({ InstanceIds: ids }))).Reservations?.flatMap(
                  (r) => r.Instances ?? [],
                ) ?? []
              ).flatMap((i) => i.NetworkInterfaces?.filter((n) => n.Attachment?.DeviceIndex === 0) ?? []);
        bindings.push({
          targetGroupArn: tg.TargetGroupArn ?? "",
          networking: {
            kind: "ingress.k8s.aws/stack" in tags ? "ingress" : "service",
            protocol: tg.Protocol ?? "",
            port: tg.Port ?? 0,
            healthCheckPort: parseHealthCheckPort(tg.HealthCheckPort),
          },
          sourceGroupId: backendOf(cluster),
          endpointEnis: targetEnis.map((e) => ({
            eniId: e.NetworkInterfaceId ?? "",
            securityGroupIds: (e.Groups ?? []).map((g) => g.GroupId ?? ""),
          })),
        });
      }
      rules.push(...computeBackendRules(bindings, tagsByGroup, cluster).rules);
    }

    expect(sortRules(rules)).toEqual(report.expectedBackendRules);
  });

  it("plants traps that look like work: an unattached VPC CNI ENI, a branch look-alike, a skip-tagged leak", async () => {
    const { unattachedVpcCniEniId, impostorEniId, skipTaggedEniId } = report.traps;

    const [cni, impostor, skipped] = await enis([unattachedVpcCniEniId, impostorEniId, skipTaggedEniId]);

    expect(cni).toMatchObject({ Status: "available" });
    expect(cni?.Description).toMatch(/^aws-K8S-i-/);
    expect(tagsOf(cni ?? {})["eks:eni:owner"]).toBe("amazon-vpc-cni");
    expect(impostor).toMatchObject({ Status: "available", Description: "aws-k8s-branch-eni" });
    expect(tagsOf(impostor ?? {})["eks:eni:owner"]).toBeUndefined();
    expect(tagsOf(skipped ?? {})).toMatchObject({
      "branchkeeper.io/skip": "true",
      "kubernetes.io/cluster/gamma": "owned",
    });
    expect(report.leakedEniIds).toContain(skipTaggedEniId);
  });

  it("signs each actor's calls with its own identity, as CloudTrail shows them", async () => {
    const { events } = await simControl<{ events: { detail: Record<string, unknown> }[] }>(
      sim.endpoint,
      "/_sim/events?after=0",
    );
    const calls = new Set(
      events.map((e) => {
        const identity = e.detail.userIdentity as
          | { sessionContext?: { sessionIssuer?: { userName?: string } } }
          | undefined;
        return `${String(e.detail.eventName)} by ${identity?.sessionContext?.sessionIssuer?.userName}`;
      }),
    );

    expect([...calls]).toEqual(
      expect.arrayContaining([
        "CreateCluster by platform-operator",
        "RunInstances by AWSServiceRoleForAmazonEKS",
        "TerminateInstances by AWSServiceRoleForAmazonEKS",
        "AssociateTrunkInterface by eks-vpc-resource-controller",
        "AuthorizeSecurityGroupIngress by aws-load-balancer-controller",
        "CreateTargetGroup by aws-load-balancer-controller",
        "RevokeSecurityGroupIngress by platform-operator",
        "DeleteCluster by platform-operator",
      ]),
    );
    expect([...calls].filter((c) => c.startsWith("AssociateTrunkInterface"))).toEqual([
      "AssociateTrunkInterface by eks-vpc-resource-controller",
    ]);
  });

  it("builds the same world, with the same ids, every run", async () => {
    const again = await startSimulator({ port: 0, scenario: "demo" });
    const withoutTiming = (value: unknown) => JSON.stringify(value, (key, v) => (key === "buildMs" ? undefined : v));

    try {
      expect(withoutTiming(again.scenario)).toBe(withoutTiming(report));
    } finally {
      await again.stop();
    }
  });
});
