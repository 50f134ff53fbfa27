import {
  AssociateTrunkInterfaceCommand,
  DeleteNetworkInterfaceCommand,
  TerminateInstancesCommand,
} from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AwsAccountObserver } from "../../../core/aws/aws-account-observer.ts";
import { StsCallerIdentityProvider } from "../../../core/aws/sts-caller-identity.ts";
import { isEniConfirmedAbsent } from "../../../core/model/cluster-snapshot.ts";
import type { ClusterInfo } from "../../../core/model/observed.ts";
import { type RunningSimulator, startSimulator } from "../../../sim/index.ts";
import { simClients, simControl } from "../../support/sim-clients.ts";
import { buildSmallWorld, createBranch, required, type SmallWorld, worldClients } from "./sim-world.ts";

const NOT_READ = /^not read in a scoped observation/;

describe("scoped observations and the pre-delete recheck against the simulator", () => {
  let sim: RunningSimulator;
  let world: SmallWorld;
  let observer: AwsAccountObserver;
  let alpha: ClusterInfo;

  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
    world = await buildSmallWorld(sim.endpoint);
    observer = new AwsAccountObserver(simClients(sim.endpoint, "AKIDBRANCHKEEPER", 3));
    alpha = required((await observer.discoverClusters(["alpha"]))[0]);
  });
  afterAll(async () => sim.stop());

  it("eni scope: the ENI, its trunk, association, node and SGs; nothing about load balancing", async () => {
    // Prepare
    const branch = required(world.liveBranches[1]);
    const node = required(world.nodes[0]);

    // Act
    const [snapshot] = await observer.observe([alpha], { kind: "eni", ids: [branch.eniId] });

    // Assess
    expect([...(snapshot?.branchEnis.keys() ?? [])]).toEqual([branch.eniId]);
    expect([...(snapshot?.trunkEnis.keys() ?? [])]).toEqual([node.trunkId]);
    expect(snapshot?.associations.get(branch.eniId)?.associationId).toBe(branch.associationId);
    expect(snapshot?.instances.get(node.instanceId)?.state).toBe("running");
    expect([...(snapshot?.securityGroups.keys() ?? [])].sort()).toEqual([world.groups.podA, world.groups.podB].sort());
    for (const part of ["target-groups", "load-balancers", "target-enis"] as const) {
      expect(snapshot?.incomplete.get(part)).toMatch(NOT_READ);
    }
    expect(snapshot?.incomplete.has("branch-enis")).toBe(false);
  });

  it("eni scope over many ENIs: each one placed, for the calls one ENI costs", async () => {
    // Prepare
    const node = required(world.nodes[0]);
    const branches = world.liveBranches.map((b) => b.eniId);
    const statsPath = "/_sim/stats";
    const calls = async (scope: { kind: "eni"; ids: readonly string[] }) => {
      await simControl(sim.endpoint, statsPath, { method: "DELETE" });
      const [snapshot] = await observer.observe([alpha], scope);
      return { snapshot, calls: (await simControl<{ totalCalls: number }>(sim.endpoint, statsPath)).totalCalls };
    };

    // Act
    const one = await calls({ kind: "eni", ids: [required(branches[0])] });
    const many = await calls({ kind: "eni", ids: [...branches, world.leakedBranch, "eni-0000000000000dead"] });

    // Assess
    expect([...(many.snapshot?.branchEnis.keys() ?? [])].sort()).toEqual([...branches, world.leakedBranch].sort());
    expect([...(many.snapshot?.trunkEnis.keys() ?? [])]).toContain(node.trunkId);
    for (const b of world.liveBranches) {
      expect(many.snapshot?.associations.get(b.eniId)?.associationId).toBe(b.associationId);
    }
    expect(many.snapshot?.instances.get(node.instanceId)?.state).toBe("running");
    expect(many.snapshot && isEniConfirmedAbsent(many.snapshot, "eni-0000000000000dead")).toBe(true);
    expect(branches.length).toBeGreaterThan(1);
    expect(many.calls).toBeLessThanOrEqual(one.calls + 1);
  });

  it("eni scope: a deleted ENI is confirmed absent, and nothing else is", async () => {
    // Prepare
    const { vpcrc } = worldClients(sim.endpoint);
    const gone = await createBranch(vpcrc.ec2, {
      subnetId: world.subnetId,
      groups: [world.groups.podB],
      cluster: "alpha",
      trunkId: required(world.nodes[0]).trunkId,
      vlanId: 50,
    });
    await vpcrc.ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: gone.eniId }));

    // Act
    const [snapshot] = await observer.observe([alpha], { kind: "eni", ids: [gone.eniId] });

    // Assess
    expect(snapshot && isEniConfirmedAbsent(snapshot, gone.eniId)).toBe(true);
    expect(snapshot && isEniConfirmedAbsent(snapshot, world.leakedBranch)).toBe(false);
  });

  it("security-group scope: a backend SG brings in the cluster's load balancing", async () => {
    // Act
    const [snapshot] = await observer.observe([alpha], { kind: "security-group", ids: [world.groups.backend] });

    // Assess
    expect(snapshot?.targetGroups).toHaveLength(2);
    expect(snapshot?.securityGroups.get(world.groups.stale)?.ingress).toHaveLength(1);
    expect(snapshot?.incomplete.has("target-groups")).toBe(false);
    expect(snapshot?.incomplete.get("trunk-enis")).toMatch(NOT_READ);
  });

  it("security-group scope: a pod SG brings in the branch ENIs using it, and load balancing only if it holds LBC rules", async () => {
    // Act
    const [withRule] = await observer.observe([alpha], { kind: "security-group", ids: [world.groups.podA] });
    const [withoutRule] = await observer.observe([alpha], { kind: "security-group", ids: [world.groups.podB] });

    // Assess
    expect([...(withRule?.branchEnis.keys() ?? [])].sort()).toEqual(world.liveBranches.map((b) => b.eniId).sort());
    expect(withRule?.securityGroups.has(world.groups.podB)).toBe(true);
    expect(withRule?.incomplete.has("target-groups")).toBe(false);
    expect([...(withoutRule?.branchEnis.keys() ?? [])].sort()).toEqual(
      [...world.liveBranches.map((b) => b.eniId), world.leakedBranch].sort(),
    );
    expect(withoutRule?.incomplete.get("target-groups")).toMatch(NOT_READ);
  });

  it("target-group scope: every target group of the cluster, their targets' ENIs and SGs", async () => {
    // Act
    const [snapshot] = await observer.observe([alpha], { kind: "target-group", ids: [world.targetGroups.ip] });

    // Assess
    expect(snapshot?.targetGroups.map((g) => g.arn).sort()).toEqual(
      [world.targetGroups.ip, world.targetGroups.instance].sort(),
    );
    expect([...(snapshot?.targetEnis.keys() ?? [])].sort()).toEqual(
      [required(world.liveBranches[0]).eniId, world.cniEni.eniId, required(world.nodes[0]).primaryEniId].sort(),
    );
    expect(snapshot?.incomplete.get("branch-enis")).toMatch(NOT_READ);
    expect(snapshot?.incomplete.has("security-groups")).toBe(false);
  });

  it("recheck: a live branch shows its association, trunk and running node", async () => {
    // Prepare
    const branch = required(world.liveBranches[1]);

    // Act
    const recheck = await observer.recheckBranchEni(branch.eniId);

    // Assess
    expect(recheck.eni?.status).toBe("in-use");
    expect(recheck.associationId).toBe(branch.associationId);
    expect(recheck.trunk?.eniId).toBe(required(world.nodes[0]).trunkId);
    expect(recheck.instance?.state).toBe("running");
  });

  it("instance scope and recheck after the node is terminated: its branches found (with or without the instance tag), trunk confirmed gone", async () => {
    // Prepare
    const { vpcrc, eks } = worldClients(sim.endpoint);
    const node = required(world.nodes[1]);
    const branch = await createBranch(vpcrc.ec2, {
      subnetId: world.subnetId,
      groups: [world.groups.podB],
      cluster: "alpha",
      trunkId: node.trunkId,
      vlanId: 2,
      instanceId: node.instanceId,
    });
    await vpcrc.ec2.send(
      new AssociateTrunkInterfaceCommand({
        BranchInterfaceId: branch.eniId,
        TrunkInterfaceId: node.trunkId,
        VlanId: 2,
      }),
    );
    // An older controller's branch: no instance tag, so only its (soon deleted) trunk names the node.
    const older = await createBranch(vpcrc.ec2, {
      subnetId: world.subnetId,
      groups: [world.groups.podB],
      cluster: "alpha",
      trunkId: node.trunkId,
      vlanId: 3,
    });
    await vpcrc.ec2.send(
      new AssociateTrunkInterfaceCommand({ BranchInterfaceId: older.eniId, TrunkInterfaceId: node.trunkId, VlanId: 3 }),
    );
    await eks.ec2.send(new TerminateInstancesCommand({ InstanceIds: [node.instanceId] }));

    // Act
    const [snapshot] = await observer.observe([alpha], { kind: "instance", ids: [node.instanceId] });
    await simControl(sim.endpoint, "/_sim/stats", { method: "DELETE" });
    const minimal = await observer.recheckBranchEni(branch.eniId);
    const minimalCalls = (await simControl<{ totalCalls: number }>(sim.endpoint, "/_sim/stats")).totalCalls;
    const recheck = await observer.recheckBranchEni(branch.eniId, { context: true });

    // Assess
    expect(snapshot?.instances.get(node.instanceId)?.state).toMatch(/shutting-down|terminated/);
    expect(snapshot?.branchEnis.get(branch.eniId)?.status).toBe("available");
    expect(snapshot?.branchEnis.get(older.eniId)?.status).toBe("available");
    expect(snapshot && isEniConfirmedAbsent(snapshot, node.trunkId, "trunk-enis")).toBe(true);
    expect(minimal.eni?.status).toBe("available");
    expect(minimal.trunk).toBeUndefined();
    expect(minimalCalls).toBe(1);
    expect(recheck.trunk).toBeNull();
    expect(recheck.associationId).toBeUndefined();
    expect(recheck.instance?.state).toMatch(/shutting-down|terminated/);
  });

  it("knows who it is, to ignore its own CloudTrail events", async () => {
    // Prepare
    const identity = new StsCallerIdentityProvider(simClients(sim.endpoint, "AKIDBRANCHKEEPER").sts);

    // Act
    const me = await identity.callerIdentity();

    // Assess
    expect(me).toEqual({
      accountId: "123456789012",
      arn: "arn:aws:sts::123456789012:assumed-role/AKIDBRANCHKEEPER/AKIDBRANCHKEEPER-session",
      principalArn: "arn:aws:iam::123456789012:role/AKIDBRANCHKEEPER",
      region: "us-east-1",
    });
  });
});
