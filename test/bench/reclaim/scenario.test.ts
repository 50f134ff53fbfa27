import { describe, expect, it } from "vitest";
import { DEFAULT_DAMAGE, generateScenario } from "../../../bench/reclaim/scenario.ts";
import type { ScenarioOptions } from "../../../bench/reclaim/scenario-types.ts";
import { ownerActionAt, statusAt } from "../../../bench/reclaim/truth.ts";

const options: ScenarioOptions = {
  seed: 3,
  damageSeconds: 3600,
  horizonSeconds: 5400,
  clusters: [
    { name: "alpha", nodes: 6, podsPerNode: 10, instanceType: "m5.2xlarge", controller: "current" },
    { name: "gamma", nodes: 4, podsPerNode: 10, instanceType: "m5.2xlarge", controller: "pre-2025", deleteAt: 2400 },
  ],
  damage: {
    ...DEFAULT_DAMAGE,
    podDeletionsPerHour: 80,
    nodeTerminationsPerHour: 4,
    teardownFailureRate: 0.05,
    nodeCleanupFailureRate: 0.3,
    nodeCleanupDeleteFailureRate: 0.2,
    cniTrapsPerCluster: 4,
  },
};

describe("the damage scenario generator", () => {
  const scenario = generateScenario(options);

  it("is reproducible for a seed", () => {
    expect(generateScenario(options)).toEqual(scenario);
    expect(generateScenario({ ...options, seed: 4 }).actions).not.toEqual(scenario.actions);
  });

  it("makes every leak available, unowned and never deleted from its start on", () => {
    const leaks = scenario.truth.filter((eni) => eni.leak);
    expect(leaks.length).toBeGreaterThan(0);
    for (const eni of leaks) {
      const at = eni.leak?.at ?? 0;
      expect(statusAt(eni, at)).toBe("available");
      expect(statusAt(eni, options.horizonSeconds)).toBe("available");
      expect(ownerActionAt(eni, at)).toBeUndefined();
    }
  });

  it("leaks every branch ENI still running on the deleted cluster's nodes, from the node group deletion", () => {
    const deleted = scenario.truth.filter((eni) => eni.leak?.cause === "cluster-deleted");
    expect(deleted.length).toBeGreaterThan(0);
    expect(deleted.every((eni) => eni.cluster === "gamma" && eni.leak?.at === 2400)).toBe(true);
    expect(scenario.actions.filter((a) => a.kind === "delete-cluster")).toEqual([
      { at: 2700, kind: "delete-cluster", cluster: "gamma" },
    ]);
  });

  it("runs no node cleanup for a pre-2025 controller, whose branch ENIs lack the node tag", () => {
    const cleanups = scenario.actions.filter((a) => a.kind === "node-cleanup");
    expect(cleanups.length).toBeGreaterThan(0);
    expect(cleanups.every((a) => a.kind === "node-cleanup" && a.cluster === "alpha")).toBe(true);
  });

  it("leaks from a node cleanup exactly the ENIs it failed to delete, at the cleanup", () => {
    for (const action of scenario.actions) {
      if (action.kind !== "node-cleanup") continue;
      const orphans = scenario.truth.filter(
        (eni) => eni.node === action.node && eni.ownerActing.some((w) => w.what === "node-cleanup"),
      );
      const leaked = orphans.filter((eni) => eni.leak?.at === action.at).map((eni) => eni.key);
      expect(leaked.sort()).toEqual(
        action.succeeds ? [...action.failedDeletes].sort() : orphans.map((e) => e.key).sort(),
      );
      for (const eni of orphans) {
        if (!leaked.includes(eni.key)) expect(statusAt(eni, action.at)).toBe("deleted");
      }
    }
  });

  it("crashes a teardown exactly when a restart falls inside its window, and then leaks it at the restart", () => {
    for (const action of scenario.actions) {
      if (action.kind !== "teardown-pod") continue;
      const restart = scenario.restarts.find(
        (r) => r.cluster === action.cluster && r.at > action.at && r.at < action.at + action.window,
      );
      expect(action.outcome === "crashed").toBe(restart !== undefined);
      const eni = scenario.truth.find((e) => e.key === action.pod);
      if (!eni) throw new Error(`no truth for ${action.pod}`);
      if (action.outcome === "deleted") expect(statusAt(eni, action.at + action.window)).toBe("deleted");
      else expect(eni.leak?.at).toBe(action.crashAt ?? action.at + action.window);
    }
  });

  it("keeps the actions in time order, and holds pod churn while the controller is down", () => {
    const times = scenario.actions.map((a) => a.at);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    for (const action of scenario.actions) {
      if (action.kind !== "teardown-pod" && action.kind !== "create-pod") continue;
      const cluster = action.kind === "create-pod" ? action.pod.cluster : action.cluster;
      const down = scenario.restarts.some((r) => r.cluster === cluster && r.at <= action.at && action.at < r.end);
      expect(down).toBe(false);
    }
  });
});
