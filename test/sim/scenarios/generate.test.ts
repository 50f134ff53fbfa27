import {
  DescribeInstancesCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSecurityGroupsCommand,
  type NetworkInterface,
  type SecurityGroup,
} from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSimulator, startSimulator } from "../../../sim/index.ts";
import { type GeneratedAccount, generateAccount } from "../../../sim/scenarios/generate.ts";
import { simClients } from "../../support/sim-clients.ts";

const tagsOf = (tags: { Key?: string; Value?: string }[] | undefined) =>
  Object.fromEntries((tags ?? []).map((t) => [t.Key ?? "", t.Value ?? ""]));

/** Everything EC2 holds about the account's branch ENIs and groups. */
const snapshot = async (endpoint: string) => {
  const { ec2 } = simClients(endpoint, "AKIDTESTS", 3);
  const enis: NetworkInterface[] = [];
  let token: string | undefined;
  do {
    const page = await ec2.send(
      new DescribeNetworkInterfacesCommand({
        Filters: [{ Name: "description", Values: ["aws-k8s-branch-eni"] }],
        MaxResults: 1000,
        NextToken: token,
      }),
    );
    enis.push(...(page.NetworkInterfaces ?? []));
    token = page.NextToken;
  } while (token);
  const groups: SecurityGroup[] = (await ec2.send(new DescribeSecurityGroupsCommand({}))).SecurityGroups ?? [];
  const instances = ((await ec2.send(new DescribeInstancesCommand({}))).Reservations ?? []).flatMap(
    (r) => r.Instances ?? [],
  );
  ec2.destroy();
  return { enis, groups, instances };
};

/** The account without its ids: per branch ENI its status, group names and tag keys, sorted. */
const shape = async (endpoint: string) => {
  const { enis, groups } = await snapshot(endpoint);
  const names = new Map(groups.map((g) => [g.GroupId, g.GroupName]));
  return enis
    .map((e) =>
      [
        e.Status,
        (e.Groups ?? [])
          .map((g) => names.get(g.GroupId))
          .sort()
          .join(","),
        Object.keys(tagsOf(e.TagSet)).sort().join(","),
      ].join(" "),
    )
    .sort();
};

describe("generateAccount", () => {
  let sim: RunningSimulator;
  let account: GeneratedAccount;

  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
    account = await generateAccount(sim.endpoint, {
      enis: 90,
      leakRatio: 0.2,
      seed: 3,
      podsPerNode: 10,
      conflictRatio: 0.1,
      concurrency: 8,
    });
  });
  afterAll(() => sim.stop());

  it("builds the requested branch ENIs, the leak ratio of them available on terminated nodes", async () => {
    const { enis, instances } = await snapshot(sim.endpoint);
    const status = new Map(enis.map((e) => [e.NetworkInterfaceId, e.Status]));

    expect(enis).toHaveLength(90);
    expect(account.leakedEniIds).toHaveLength(18);
    expect(account.leakedEniIds.every((id) => status.get(id) === "available")).toBe(true);
    expect(account.inUseEniIds.every((id) => status.get(id) === "in-use")).toBe(true);
    const states = instances.map((i) => i.State?.Name);
    expect(states.filter((s) => s === "terminated")).toHaveLength(2);
    expect(states.filter((s) => s === "running")).toHaveLength(8);
    expect(account).toMatchObject({ branchEnis: 90, runningInstances: 8, terminatedInstances: 2, vpcCniEnis: 8 });
  });

  it("gives the leaked ENIs the owner tag and a trunk that no longer exists", async () => {
    const { enis } = await snapshot(sim.endpoint);
    const trunks = new Set(
      enis.filter((e) => e.Status === "in-use").map((e) => tagsOf(e.TagSet)["vpcresources.k8s.aws/trunk-eni-id"]),
    );

    const leaked = enis.filter((e) => account.leakedEniIds.includes(e.NetworkInterfaceId ?? ""));

    for (const eni of leaked) {
      const tags = tagsOf(eni.TagSet);
      expect(tags["eks:eni:owner"]).toBe("eks-vpc-resource-controller");
      expect(tags["kubernetes.io/cluster/cluster-01"]).toBe("owned");
      expect(trunks.has(tags["vpcresources.k8s.aws/trunk-eni-id"])).toBe(false);
    }
  });

  it("plants the requested cluster-tag conflicts: groups with zero and with two cluster tags", async () => {
    const { enis, groups } = await snapshot(sim.endpoint);
    const tagged = new Set(
      groups.filter((g) => "kubernetes.io/cluster/cluster-01" in tagsOf(g.Tags)).map((g) => g.GroupId),
    );
    const taggedCount = (id: string) =>
      enis.find((e) => e.NetworkInterfaceId === id)?.Groups?.filter((g) => tagged.has(g.GroupId)).length;

    expect(account.zeroClusterTagEniIds.length + account.twoClusterTagEniIds.length).toBe(9);
    expect(account.zeroClusterTagEniIds.map(taggedCount).every((n) => n === 0)).toBe(true);
    expect(account.twoClusterTagEniIds.map(taggedCount).every((n) => n === 2)).toBe(true);
    const others = enis.filter(
      (e) =>
        !account.zeroClusterTagEniIds.includes(e.NetworkInterfaceId ?? "") &&
        !account.twoClusterTagEniIds.includes(e.NetworkInterfaceId ?? ""),
    );
    expect(others.every((e) => taggedCount(e.NetworkInterfaceId ?? "") === 1)).toBe(true);
  });

  it("builds the same ids for the same seed when it makes one call at a time", async () => {
    const options = { enis: 24, leakRatio: 0.25, seed: 11, podsPerNode: 6, concurrency: 1 };
    const [first, second] = [await startSimulator({ port: 0 }), await startSimulator({ port: 0 })];
    const withoutTiming = (value: GeneratedAccount) => ({ ...value, buildMs: 0 });

    try {
      const a = await generateAccount(first.endpoint, options);
      const b = await generateAccount(second.endpoint, options);

      expect(withoutTiming(b)).toEqual(withoutTiming(a));
    } finally {
      await Promise.all([first.stop(), second.stop()]);
    }
  });

  it("builds the same account for a seed whatever the concurrency, and in a worker thread", async () => {
    const options = { enis: 40, leakRatio: 0.25, seed: 12, podsPerNode: 8, conflictRatio: 0.2 };
    const sims = [
      await startSimulator({ port: 0 }),
      await startSimulator({ port: 0 }),
      await startSimulator({ port: 0 }),
    ];

    try {
      const [sequential, concurrent, threaded] = sims as [RunningSimulator, RunningSimulator, RunningSimulator];
      await generateAccount(sequential.endpoint, { ...options, concurrency: 1 });
      await generateAccount(concurrent.endpoint, { ...options, concurrency: 16 });
      const inWorker = await generateAccount(threaded.endpoint, { ...options, concurrency: 16, workers: 1 });

      const expected = await shape(sequential.endpoint);
      expect(expected).toHaveLength(40);
      expect(await shape(concurrent.endpoint)).toEqual(expected);
      expect(await shape(threaded.endpoint)).toEqual(expected);
      expect(inWorker.leakedEniIds).toHaveLength(10);
    } finally {
      await Promise.all(sims.map((s) => s.stop()));
    }
  });

  it("differs for another seed", async () => {
    const other = await startSimulator({ port: 0 });
    try {
      await generateAccount(other.endpoint, { enis: 90, leakRatio: 0.2, seed: 4, podsPerNode: 10, conflictRatio: 0.1 });

      expect(await shape(other.endpoint)).not.toEqual(await shape(sim.endpoint));
    } finally {
      await other.stop();
    }
  });
});
