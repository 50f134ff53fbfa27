import {
  DescribeNetworkInterfacesCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  DescribeTrunkInterfaceAssociationsCommand,
  type EC2Client,
} from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Ec2ActionExecutor } from "../../../core/aws/ec2-action-executor.ts";
import { MutationPacer } from "../../../core/aws/mutation-pacer.ts";
import type { PlannedAction } from "../../../core/model/planned-action.ts";
import { type RunningSimulator, startSimulator } from "../../../sim/index.ts";
import { simClients } from "../../support/sim-clients.ts";
import { FakeClock } from "./fake-clock.ts";
import { buildSmallWorld, type SmallWorld } from "./sim-world.ts";

const base = { cluster: "alpha", reason: "integration test" };
const evidence = { kind: "available" as const, detail: "status is available" };

describe("Ec2ActionExecutor against the simulator", () => {
  let sim: RunningSimulator;
  let world: SmallWorld;
  let ec2: EC2Client;
  let executor: Ec2ActionExecutor;

  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
    world = await buildSmallWorld(sim.endpoint);
    ec2 = simClients(sim.endpoint, "AKIDBRANCHKEEPER", 3).ec2;
    const clock = new FakeClock();
    executor = new Ec2ActionExecutor(ec2, new MutationPacer(1_000, clock), { clock });
  });
  afterAll(async () => sim.stop());

  const eniExists = async (eniId: string) =>
    ((
      await ec2.send(
        new DescribeNetworkInterfacesCommand({ Filters: [{ Name: "network-interface-id", Values: [eniId] }] }),
      )
    ).NetworkInterfaces?.length ?? 0) > 0;
  const tagsOf = async (groupId: string) =>
    Object.fromEntries(
      (
        (await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }))).SecurityGroups?.[0]?.Tags ?? []
      ).map((t) => [t.Key, t.Value]),
    );
  const ingressOf = async (groupId: string) =>
    (
      (await ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: "group-id", Values: [groupId] }] })))
        .SecurityGroupRules ?? []
    ).filter((r) => !r.IsEgress);

  it("deletes a leaked branch ENI, and a second deletion is already done", async () => {
    // Prepare
    const action: PlannedAction = { ...base, kind: "delete-eni", eniId: world.leakedBranch, evidence };

    // Act
    const [first] = await executor.execute([action], "enforce");
    const [second] = await executor.execute([action], "enforce");

    // Assess
    expect(first?.outcome).toBe("succeeded");
    expect(second?.outcome).toBe("already-done");
    expect(await eniExists(world.leakedBranch)).toBe(false);
  });

  it("disassociates an associated branch ENI from its trunk before deleting it", async () => {
    // Prepare
    const branch = world.liveBranches[2];
    if (!branch) throw new Error("the world has three live branches");
    const action: PlannedAction = {
      ...base,
      kind: "delete-eni",
      eniId: branch.eniId,
      evidence,
      associationId: branch.associationId,
    };

    // Act
    const [result] = await executor.execute([action], "enforce");

    // Assess
    expect(result?.outcome).toBe("succeeded");
    expect(await eniExists(branch.eniId)).toBe(false);
    const associations = await ec2.send(
      new DescribeTrunkInterfaceAssociationsCommand({
        Filters: [{ Name: "trunk-interface-association.trunk-interface-id", Values: [world.nodes[0]?.trunkId ?? ""] }],
      }),
    );
    expect(associations.InterfaceAssociations?.map((a) => a.BranchInterfaceId)).not.toContain(branch.eniId);
  });

  it("tags SGs in one call with the marker, then removes tag and marker", async () => {
    // Prepare
    const key = "kubernetes.io/cluster/alpha";
    const groups = [world.groups.podB, world.groups.node];

    // Act
    const tagged = await executor.execute(
      groups.map((groupId) => ({ ...base, kind: "tag-sg", groupId, tagKey: key })),
      "enforce",
    );
    const tagsAfterTagging = await tagsOf(world.groups.podB);
    const untagged = await executor.execute(
      groups.map((groupId) => ({ ...base, kind: "untag-sg", groupId, tagKey: key })),
      "enforce",
    );

    // Assess
    expect(tagged.map((r) => r.outcome)).toEqual(["succeeded", "succeeded"]);
    expect(tagsAfterTagging).toMatchObject({ [key]: "shared", "branchkeeper.io/tagged-by": "branchkeeper" });
    expect(untagged.map((r) => r.outcome)).toEqual(["succeeded", "succeeded"]);
    const tagsAfterUntagging = await tagsOf(world.groups.podB);
    expect(tagsAfterUntagging[key]).toBeUndefined();
    expect(tagsAfterUntagging["branchkeeper.io/tagged-by"]).toBeUndefined();
  });

  it("authorizes LBC-labelled rules, maps a duplicate to already-done, and revokes by rule id", async () => {
    // Prepare
    const rule = {
      groupId: world.groups.podB,
      protocol: "tcp",
      fromPort: 8080,
      toPort: 8081,
      sourceGroupId: world.groups.backend,
    };
    const authorize: PlannedAction = { ...base, kind: "authorize-rule", rule };

    // Act
    const [authorized] = await executor.execute([authorize], "enforce");
    const [duplicate] = await executor.execute([authorize], "enforce");
    const written = (await ingressOf(world.groups.podB)).find((r) => r.FromPort === 8080);
    const revokeRule = {
      ruleId: written?.SecurityGroupRuleId ?? "",
      groupId: world.groups.podB,
      protocol: "tcp",
      fromPort: 8080,
      toPort: 8081,
      sourceGroupId: world.groups.backend,
    };
    const [revoked] = await executor.execute([{ ...base, kind: "revoke-rule", rule: revokeRule }], "enforce");
    const [again] = await executor.execute([{ ...base, kind: "revoke-rule", rule: revokeRule }], "enforce");

    // Assess
    expect(authorized?.outcome).toBe("succeeded");
    expect(written).toMatchObject({
      IpProtocol: "tcp",
      ToPort: 8081,
      ReferencedGroupInfo: expect.objectContaining({ GroupId: world.groups.backend }),
      Description: "elbv2.k8s.aws/targetGroupBinding=shared",
    });
    expect(duplicate?.outcome).toBe("already-done");
    expect(revoked?.outcome).toBe("succeeded");
    expect(again?.outcome).toBe("already-done");
    expect((await ingressOf(world.groups.podB)).some((r) => r.FromPort === 8080)).toBe(false);
  });

  it("sends nothing to EC2 in dry-run", async () => {
    // Prepare
    const before = (await sim.simulator.stats.snapshot()).totalCalls;

    // Act
    const results = await executor.execute(
      [
        { ...base, kind: "delete-eni", eniId: world.ghostBranch, evidence },
        { ...base, kind: "tag-sg", groupId: world.groups.stale, tagKey: "kubernetes.io/cluster/alpha" },
      ],
      "dry-run",
    );

    // Assess
    expect(results.map((r) => r.outcome)).toEqual(["dry-run", "dry-run"]);
    expect(sim.simulator.stats.snapshot().totalCalls).toBe(before);
    expect(await eniExists(world.ghostBranch)).toBe(true);
  });
});
