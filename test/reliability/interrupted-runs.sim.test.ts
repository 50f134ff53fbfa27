import { DescribeSecurityGroupsCommand } from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ActionRecord } from "../../core/model/action-record.ts";
import type { PlannedAction } from "../../core/model/planned-action.ts";
import type { ActionExecutor } from "../../core/ports/action-executor.ts";
import { type RunningSimulator, startSimulator } from "../../sim/index.ts";
import { type ReliabilityHarness, reliabilityHarness } from "../support/reliability-harness.ts";
import {
  buildReliabilityWorld,
  deletionsByBranchkeeper,
  eventCursor,
  type ReliabilityWorld,
} from "../support/reliability-world.ts";

const GRACE = 600;
/** Longer than any pass may run (the lease): a `deleting` record this old was interrupted. */
const LEASE = 900;

/** The Lambda dies here: nothing after this point of the pass happens. */
class Crash extends Error {
  public constructor(where: string) {
    super(`the process died ${where}`);
    this.name = "Crash";
  }
}

/** An executor whose process dies at a chosen point, once. */
const crashing = (when: "before-delete" | "after-delete" | "after-tagging") => {
  let crashed = false;
  const wrap = (inner: ActionExecutor): ActionExecutor => ({
    execute: async (actions, mode, options) => {
      if (crashed) return inner.execute(actions, mode, options);
      const deletes = actions.some((a) => a.kind === "delete-eni");
      if (when === "before-delete" && deletes) {
        crashed = true;
        throw new Crash("after the record said `deleting`, before DeleteNetworkInterface");
      }
      if (when === "after-delete" && deletes) {
        crashed = true;
        await inner.execute(actions, mode, options);
        throw new Crash("after DeleteNetworkInterface, before the record said `deleted`");
      }
      if (when === "after-tagging" && actions.some((a) => a.kind === "tag-sg")) {
        crashed = true;
        await inner.execute(
          actions.filter((a: PlannedAction) => a.kind === "tag-sg"),
          mode,
          options,
        );
        throw new Crash("after CreateTags, before the rules were authorized");
      }
      return inner.execute(actions, mode, options);
    },
  });
  return { wrap, crashed: () => crashed };
};

const effective = (audit: readonly ActionRecord[], kind: ActionRecord["kind"]) =>
  audit.filter((a) => a.kind === kind && (a.outcome === "succeeded" || a.outcome === "already-done"));

describe("a pass interrupted between deciding and acting is safe to repeat", () => {
  let sim: RunningSimulator;
  let worlds = 0;
  const built: ReliabilityWorld[] = [];
  const exists = (id: string) => sim.simulator.world.ec2.networkInterfaces.enis.has(id);

  const damagedWorld = async (): Promise<{
    world: ReliabilityWorld;
    h: ReliabilityHarness;
    env: Record<string, string>;
  }> => {
    worlds += 1;
    const world = await buildReliabilityWorld(sim.endpoint, { name: `crash${worlds}`, seed: 20 + worlds });
    built.push(world);
    const env = { MODE: "enforce", LEAK_GRACE_SECONDS: String(GRACE), CLUSTERS: world.name };
    return { world, h: await reliabilityHarness(sim.endpoint), env };
  };

  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
  });
  afterAll(async () => {
    for (const world of built) world.destroy();
    await sim.stop();
  });

  it("dies after marking an ENI `deleting`, before deleting it: a later pass deletes it once, once the first cannot still be at work", async () => {
    // Prepare
    const { world, h, env } = await damagedWorld();
    await h.reconciler(env).reconciler.sweep();
    h.advance(GRACE + 1);
    const crash = crashing("before-delete");
    const cursor = await eventCursor(sim.endpoint);

    // Act
    const dying = await h.reconciler(env, { executor: crash.wrap }).reconciler.sweep();
    const { store } = h.reconciler(env);
    const afterCrash = [...(await store.getEnis(world.reclaimable)).values()].map((r) => r.state);
    const tooSoon = await h.reconciler(env).reconciler.sweep();
    const stillThere = world.reclaimable.filter(exists);
    h.advance(LEASE);
    await h.reconciler(env).reconciler.sweep();

    // Assess
    expect(crash.crashed()).toBe(true);
    expect(dying.clusters[0]?.errors.join()).toContain("Crash");
    expect(afterCrash).toContain("deleting");
    expect(tooSoon.clusters[0]?.held).toBeGreaterThan(0);
    expect(stillThere.length).toBeGreaterThan(0);
    expect(world.reclaimable.filter(exists)).toEqual([]);
    expect((await deletionsByBranchkeeper(sim.endpoint, cursor)).attempted).toEqual(
      Object.fromEntries(world.reclaimable.map((id) => [id, 1])),
    );
    expect(
      effective(await h.audit(world.name), "delete-eni")
        .map((a) => a.target)
        .sort(),
    ).toEqual([...world.reclaimable].sort());
    const records = await store.getEnis(world.reclaimable);
    expect([...records.values()].map((r) => r.state)).toEqual(world.reclaimable.map(() => "deleted"));
    expect(
      [...world.liveBranches(), ...world.damage.traps, world.damage.skipTaggedLeak].filter((id) => !exists(id)),
    ).toEqual([]);
  });

  it("dies after DeleteNetworkInterface, before recording it: the next pass records `deleted` and sends no second delete", async () => {
    // Prepare
    const { world, h, env } = await damagedWorld();
    await h.reconciler(env).reconciler.sweep();
    h.advance(GRACE + 1);
    const crash = crashing("after-delete");
    const cursor = await eventCursor(sim.endpoint);

    // Act
    await h.reconciler(env, { executor: crash.wrap }).reconciler.sweep();
    h.advance(LEASE);
    await h.reconciler(env).reconciler.sweep();

    // Assess
    expect(crash.crashed()).toBe(true);
    expect(world.reclaimable.filter(exists)).toEqual([]);
    const trail = await deletionsByBranchkeeper(sim.endpoint, cursor);
    expect(trail.attempted).toEqual(Object.fromEntries(world.reclaimable.map((id) => [id, 1])));
    const { store } = h.reconciler(env);
    const records = await store.getEnis(world.reclaimable);
    expect([...records.values()].map((r) => r.state)).toEqual(world.reclaimable.map(() => "deleted"));
    for (const id of world.reclaimable) {
      const steps = (await store.listHistory(id, { limit: 50 })).items.map((s) => s.to);
      expect(steps.filter((to) => to === "deleted")).toHaveLength(1);
      expect(steps).toContain("deleting");
    }
  });

  it("dies after tagging, before authorizing: the next pass tags no second group and adds the missing rules", async () => {
    // Prepare
    const { world, h, env } = await damagedWorld();
    const crash = crashing("after-tagging");
    const legacyGroups = [world.cluster.groupId(`${world.name}-legacy`), world.cluster.groupId(`${world.name}-db`)];
    const key = `kubernetes.io/cluster/${world.name}`;
    const tagged = async () => {
      const answer = await h.clients.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: legacyGroups }));
      return (answer.SecurityGroups ?? []).filter((g) => g.Tags?.some((t) => t.Key === key)).map((g) => g.GroupId);
    };

    // Act
    await h.reconciler(env, { executor: crash.wrap }).reconciler.sweep();
    const afterCrash = await tagged();
    const next = await h.reconciler(env).reconciler.sweep();

    // Assess
    expect(crash.crashed()).toBe(true);
    expect(afterCrash).toHaveLength(1);
    expect(await tagged()).toEqual(afterCrash);
    expect(next.clusters[0]?.actions["tag-sg"]).toBeUndefined();
    expect(next.clusters[0]?.actions["authorize-rule"]?.succeeded).toBeGreaterThan(0);
    // The tag was added and the process died before its outcome: the write-ahead entry says so.
    const tagAudit = (await h.audit(world.name)).filter((a) => a.kind === "tag-sg");
    expect(tagAudit.map((a) => [a.target, a.outcome])).toEqual(afterCrash.map((id) => [id, "started"]));
  });
});
