import { describe, expect, it } from "vitest";
import { runBranchkeeper } from "../../../bench/reclaim/branchkeeper-run.ts";
import { DEFAULT_DELIVERY_DELAYS } from "../../../bench/reclaim/event-delivery.ts";
import { measureContender } from "../../../bench/reclaim/metrics.ts";
import { DEFAULT_DAMAGE, generateScenario } from "../../../bench/reclaim/scenario.ts";

describe("Branchkeeper against a tiny damaged world in virtual time", () => {
  it("reclaims the deleted cluster's leaks after the grace, deletes nothing else, and the world matches the truth", async () => {
    const scenario = generateScenario({
      seed: 5,
      damageSeconds: 600,
      horizonSeconds: 1200,
      clusters: [
        { name: "alpha", nodes: 2, podsPerNode: 3, instanceType: "m5.large", controller: "current" },
        { name: "gamma", nodes: 2, podsPerNode: 3, instanceType: "m5.large", controller: "pre-2025", deleteAt: 240 },
      ],
      damage: {
        ...DEFAULT_DAMAGE,
        podDeletionsPerHour: 30,
        nodeTerminationsPerHour: 0,
        controllerRestarts: 0,
        restartDowntime: [60, 60],
        teardownFailureRate: 0,
        nodeCleanupFailureRate: 0,
        nodeCleanupDeleteFailureRate: 0,
        cniTrapsPerCluster: 1,
        cniTrapWindow: [20, 60],
        lookAlikesPerCluster: 1,
      },
    });
    const run = await runBranchkeeper(scenario, {
      followUps: true,
      sweepEverySeconds: 600,
      sweepJitterSeconds: 3,
      delays: DEFAULT_DELIVERY_DELAYS,
      seed: 5,
      auditEverySeconds: 600,
    });
    expect(run.mismatches).toEqual([]);
    expect(run.cloudTrailDeletions).toBe(run.deletions.length);
    const metrics = measureContender("branchkeeper", scenario.truth, run.deletions, 1200);
    expect(metrics.leaks).toBe(6);
    expect(metrics.wrongDeletions).toBe(0);
    expect(metrics.reclaimed).toBe(6);
    // Evidence from the DeleteNodegroup event (≤ 65 s), the 600 s grace, a follow-up: no sweep needed.
    expect(metrics.maxSeconds).toBeGreaterThanOrEqual(600);
    expect(metrics.maxSeconds).toBeLessThan(700);
    expect(run.stats.followUpMessages).toBeGreaterThan(0);
    expect(Object.values(run.detection).every((d) => d.by === "event")).toBe(true);
  });
});
