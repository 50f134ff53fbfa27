import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ReconcileTrigger } from "../../core/events/reconcile-trigger.ts";
import type { ActionRecord } from "../../core/model/action-record.ts";
import type { ActionExecutor } from "../../core/ports/action-executor.ts";
import { type RunningSimulator, startSimulator } from "../../sim/index.ts";
import { gate, type ReliabilityHarness, reliabilityHarness } from "../support/reliability-harness.ts";
import {
  buildReliabilityWorld,
  deletionsByBranchkeeper,
  eventCursor,
  type ReliabilityWorld,
} from "../support/reliability-world.ts";

const GRACE = 600;
const ENFORCE = { MODE: "enforce", LEAK_GRACE_SECONDS: String(GRACE) };

/** Audit entries that say a deletion happened (or had already happened), by ENI id. */
const effectiveDeletions = (audit: readonly ActionRecord[]): Record<string, number> => {
  const counts: Record<string, number> = {};
  for (const a of audit) {
    if (a.kind !== "delete-eni" || (a.outcome !== "succeeded" && a.outcome !== "already-done")) continue;
    counts[a.target] = (counts[a.target] ?? 0) + 1;
  }
  return counts;
};

const once = (ids: readonly string[]): Record<string, number> => Object.fromEntries(ids.map((id) => [id, 1]));

/** A scoped event pass over the given ENIs, as a CloudTrail event naming them would ask for. */
const eniEvent = (eventId: string, eniIds: readonly string[]): ReconcileTrigger => ({
  eventId,
  eventTime: new Date().toISOString(),
  scopes: [{ kind: "eni", ids: eniIds }],
  reason: "test: the ENIs were touched",
});

describe("passes running at once on one table", () => {
  let sim: RunningSimulator;
  let worlds = 0;
  const built: ReliabilityWorld[] = [];

  /** A damaged world whose leaks are past the grace (one sweep recorded the evidence), and its harness. */
  const leaksPastGrace = async (): Promise<{ world: ReliabilityWorld; h: ReliabilityHarness; cursor: string }> => {
    worlds += 1;
    const world = await buildReliabilityWorld(sim.endpoint, { name: `conc${worlds}`, seed: worlds });
    built.push(world);
    const h = await reliabilityHarness(sim.endpoint);
    await h.reconciler({ ...ENFORCE, CLUSTERS: world.name }).reconciler.sweep();
    h.advance(GRACE + 1);
    return { world, h, cursor: await eventCursor(sim.endpoint) };
  };

  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
  });
  afterAll(async () => {
    for (const world of built) world.destroy();
    await sim.stop();
  });

  it("two overlapping sweeps: one holds the cluster's lease, the other stands down; each leak is deleted once", async () => {
    // Prepare
    const { world, h, cursor } = await leaksPastGrace();
    const env = { ...ENFORCE, CLUSTERS: world.name };

    // Act
    const [a, b] = await Promise.all([h.reconciler(env).reconciler.sweep(), h.reconciler(env).reconciler.sweep()]);

    // Assess
    const skipped = [a, b].map((s) => s.clusters[0]?.skipped).filter((reason) => reason !== undefined);
    expect(skipped).toEqual(["another pass holds this cluster's lease"]);
    const trail = await deletionsByBranchkeeper(sim.endpoint, cursor);
    expect(trail.attempted).toEqual(once(world.reclaimable));
    expect(effectiveDeletions(await h.audit(world.name))).toEqual(once(world.reclaimable));
    expect(world.reclaimable.filter((id) => sim.simulator.world.ec2.networkInterfaces.enis.has(id))).toEqual([]);
  });

  it("an event pass while a sweep is between claiming and deleting an ENI neither deletes it twice nor records it twice", async () => {
    // Prepare: the sweep stops right before its first DeleteNetworkInterface, its record already `deleting`.
    const { world, h, cursor } = await leaksPastGrace();
    const env = { ...ENFORCE, CLUSTERS: world.name };
    const reached = gate();
    const resume = gate();
    let paused = false;
    const pausing = (inner: ActionExecutor): ActionExecutor => ({
      execute: async (actions, mode, options) => {
        if (!paused && actions.some((a) => a.kind === "delete-eni")) {
          paused = true;
          reached.open();
          await resume.opened;
        }
        return inner.execute(actions, mode, options);
      },
    });
    const sweeper = h.reconciler(env, { executor: pausing }).reconciler;
    const events = h.reconciler(env).reconciler;

    // Act
    const sweeping = sweeper.sweep();
    await reached.opened;
    const eventPass = await events.handleTrigger(eniEvent("evt-during-sweep", world.reclaimable));
    resume.open();
    const sweep = await sweeping;

    // Assess
    expect(paused).toBe(true);
    expect(eventPass.errors).toEqual([]);
    expect(sweep.clusters[0]?.errors).toEqual([]);
    const trail = await deletionsByBranchkeeper(sim.endpoint, cursor);
    expect(trail.attempted).toEqual(once(world.reclaimable));
    expect(effectiveDeletions(await h.audit(world.name))).toEqual(once(world.reclaimable));
    const { store } = h.reconciler(env);
    const records = await store.getEnis(world.reclaimable);
    expect([...records.values()].map((r) => r.state)).toEqual(world.reclaimable.map(() => "deleted"));
    for (const id of world.reclaimable) {
      const history = await store.listHistory(id, { limit: 50 });
      expect(history.items.filter((step) => step.to === "deleted")).toHaveLength(1);
    }
  });

  it("a sweep and three event passes about the same leaks, all at once: each leak deleted once, no live branch touched", async () => {
    // Prepare
    const { world, h, cursor } = await leaksPastGrace();
    const env = { ...ENFORCE, CLUSTERS: world.name };
    const instanceEvent = (eventId: string): ReconcileTrigger => ({
      eventId,
      eventTime: new Date().toISOString(),
      scopes: [{ kind: "instance", ids: [world.damage.terminatedInstanceId] }],
      reason: "test: the node is terminated",
    });

    // Act
    const summaries = await Promise.all([
      h.reconciler(env).reconciler.sweep(),
      h.reconciler(env).reconciler.handleTrigger(instanceEvent("evt-trail-terminate")),
      h.reconciler(env).reconciler.handleTrigger(instanceEvent("evt-state-shutting-down")),
      h.reconciler(env).reconciler.handleTrigger(eniEvent("evt-enis", world.reclaimable)),
    ]);

    // Assess
    expect(summaries.flatMap((s) => [...s.errors, ...s.clusters.flatMap((c) => c.errors)])).toEqual([]);
    const trail = await deletionsByBranchkeeper(sim.endpoint, cursor);
    expect(trail.attempted).toEqual(once(world.reclaimable));
    expect(effectiveDeletions(await h.audit(world.name))).toEqual(once(world.reclaimable));
    const live = world.liveBranches();
    expect(live.filter((id) => !sim.simulator.world.ec2.networkInterfaces.enis.has(id))).toEqual([]);
  });
  it("a lease it could not release holds full passes off the cluster until it expires, and says so", async () => {
    // Prepare
    const { world, h } = await leaksPastGrace();
    const env = { ...ENFORCE, CLUSTERS: world.name };
    const failingRelease = h.reconciler(env, {
      store: (inner) =>
        Object.assign(Object.create(inner) as typeof inner, {
          releaseLease: async () => {
            throw new Error("DynamoDB unreachable");
          },
        }),
    });

    // Act
    const first = await failingRelease.reconciler.sweep();
    const blocked = await h.reconciler(env).reconciler.sweep();
    h.advance(900);
    const afterExpiry = await h.reconciler(env).reconciler.sweep();

    // Assess
    expect(first.clusters[0]?.errors).toEqual([]);
    expect(failingRelease.log.lines).toContainEqual({
      level: "warn",
      message: "cluster lease not released: full passes skip the cluster until it expires",
    });
    expect(blocked.clusters[0]?.skipped).toBe("another pass holds this cluster's lease");
    expect(afterExpiry.clusters[0]?.skipped).toBeUndefined();
    expect(afterExpiry.clusters[0]?.errors).toEqual([]);
  });
});
