import { describe, expect, it } from "vitest";
import { PLAN_CLUSTER_SG, type PlannedCluster, planAccount } from "../../../sim/scenarios/generate-plan.ts";

const podsOf = (cluster: PlannedCluster) => cluster.nodes.flatMap((n) => n.pods);
const taggedCount = (cluster: PlannedCluster, policy: readonly string[]) =>
  policy.filter((name) => name === PLAN_CLUSTER_SG || cluster.securityGroups.find((g) => g.name === name)?.clusterTag)
    .length;

describe("planAccount", () => {
  it("plans the same account for the same seed, and another for another seed", () => {
    const options = { enis: 500, leakRatio: 0.1, seed: 42, conflictRatio: 0.05 };

    expect(planAccount(options)).toEqual(planAccount(options));
    expect(planAccount({ ...options, seed: 43 })).not.toEqual(planAccount(options));
  });

  it("plans exactly the requested branch ENIs, the leaked share of them all on nodes to terminate", () => {
    const plan = planAccount({ enis: 1003, leakRatio: 0.07, seed: 1, podsPerNode: 20, clusters: 2 });

    const nodes = plan.clusters.flatMap((c) => c.nodes);
    const leakedPods = nodes.filter((n) => n.leaked).flatMap((n) => n.pods);
    expect(nodes.flatMap((n) => n.pods)).toHaveLength(1003);
    expect(leakedPods).toHaveLength(70);
    expect(nodes.every((n) => n.pods.length >= 1 && n.pods.length <= 20)).toBe(true);
    expect(plan.clusters.map((c) => podsOf(c).length)).toEqual([502, 501]);
    expect(nodes.filter((n) => n.leaked).length).toBe(4);
  });

  it("gives every ordinary policy exactly one cluster-tagged group, and plants the requested conflicts", () => {
    const plan = planAccount({ enis: 2000, leakRatio: 0, seed: 5, conflictRatio: 0.1 });
    const [cluster] = plan.clusters as [PlannedCluster];

    const ordinary = cluster.policies.slice(0, cluster.zeroTagPolicy);
    const pods = podsOf(cluster);

    expect(ordinary.every((policy) => taggedCount(cluster, policy) === 1)).toBe(true);
    expect(taggedCount(cluster, cluster.policies[cluster.zeroTagPolicy] ?? [])).toBe(0);
    expect(taggedCount(cluster, cluster.policies[cluster.twoTagPolicy] ?? [])).toBe(2);
    expect(pods.filter((p) => p.policy === cluster.zeroTagPolicy)).toHaveLength(100);
    expect(pods.filter((p) => p.policy === cluster.twoTagPolicy)).toHaveLength(100);
  });

  it("gives each cluster its own /16 with four /18 subnets, and nodes spread over them", () => {
    const plan = planAccount({ enis: 60_000, leakRatio: 0.01, seed: 2 });

    expect(plan.clusters.map((c) => c.vpcCidr)).toEqual(["10.100.0.0/16", "10.101.0.0/16", "10.102.0.0/16"]);
    expect(plan.clusters[0]?.subnets.map((s) => s.cidr)).toEqual([
      "10.100.0.0/18",
      "10.100.64.0/18",
      "10.100.128.0/18",
      "10.100.192.0/18",
    ]);
    const perSubnet = [0, 1, 2, 3].map((z) => plan.clusters[0]?.nodes.filter((n) => n.subnet === z).length ?? 0);
    expect(Math.max(...perSubnet) - Math.min(...perSubnet)).toBeLessThanOrEqual(1);
  });

  it("names pods uniquely within a cluster", () => {
    const [cluster] = planAccount({ enis: 5000, leakRatio: 0.2, seed: 9 }).clusters as [PlannedCluster];

    const keys = podsOf(cluster).map((p) => `${p.namespace}/${p.name}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("refuses plans EC2 could not hold", () => {
    expect(() => planAccount({ enis: 100_000, leakRatio: 0, seed: 1, clusters: 1 })).toThrow(/more addresses/);
    expect(() => planAccount({ enis: 10, leakRatio: 1.5, seed: 1 })).toThrow(/leakRatio/);
    expect(() => planAccount({ enis: 10, leakRatio: 0, seed: 1, podsPerNode: 39 })).toThrow(/podsPerNode/);
    expect(() => planAccount({ enis: 10, leakRatio: 0, seed: 1, vpcCniEnisPerNode: 3 })).toThrow(/no room/);
  });
});
