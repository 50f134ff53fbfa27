import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CapturingObserver } from "../../cli/capturing-observer.ts";
import { projectLeakCandidates } from "../../cli/leak-projection.ts";
import { RecordingExecutor } from "../../cli/recording-executor.ts";
import { AwsAccountObserver } from "../../core/aws/aws-account-observer.ts";
import { loadConfig } from "../../core/config.ts";
import { InMemoryStateStore } from "../../core/memory/in-memory-state-store.ts";
import { disabledNotifier } from "../../core/ports/notifier.ts";
import { Reconciler } from "../../core/reconcile/reconciler.ts";
import { type RunningSimulator, startSimulator } from "../../sim/index.ts";
import type { DemoReport } from "../../sim/scenarios/index.ts";
import { awsClientsFor, recordingLog } from "../support/reconciler-harness.ts";

describe("the plan's leak projection", () => {
  let sim: RunningSimulator;
  let demo: DemoReport;
  beforeAll(async () => {
    sim = await startSimulator({ port: 0, scenario: "demo" });
    if (sim.scenario?.scenario !== "demo") throw new Error("the demo scenario did not build");
    demo = sim.scenario;
  });
  afterAll(() => sim.stop());

  /** A dry-run reconciler on an in-memory store, with a pass clock the test moves. */
  const dryRunReconciler = (maxDeletesPerRun: number) => {
    const config = loadConfig({
      MODE: "dry-run",
      LEAK_GRACE_SECONDS: "600",
      MAX_DELETES_PER_RUN: String(maxDeletesPerRun),
    });
    const clock = { now: Date.now() };
    const observer = new CapturingObserver(new AwsAccountObserver(awsClientsFor(sim.endpoint)));
    const executor = new RecordingExecutor();
    const store = new InMemoryStateStore();
    const reconciler = new Reconciler({
      config,
      observer,
      store,
      executor,
      notifier: disabledNotifier,
      log: recordingLog(),
      now: () => new Date(clock.now),
    });
    const records = async () =>
      new Map(
        (await Promise.all(["alpha", "beta", "gamma"].map((c) => store.loadClusterEnis(c))))
          .flat()
          .map((r) => [r.eniId, r]),
      );
    return { config, clock, observer, executor, reconciler, records };
  };

  it("names exactly the ENIs a real second pass after the grace decides to delete, on the in-memory store", async () => {
    // Prepare
    const { config, clock, observer, executor, reconciler, records } = dryRunReconciler(100);
    await reconciler.sweep();

    // Act
    const projected = projectLeakCandidates(observer.snapshots, await records(), config, new Date(clock.now));
    clock.now += 601 * 1000;
    await reconciler.sweep();

    // Assess
    const deleted = executor.planned.flatMap((a) => (a.kind === "delete-eni" ? [a.eniId] : []));
    const reclaimed = projected.filter((c) => c.outcome === "reclaim-after-grace").map((c) => c.eniId);
    expect(reclaimed.sort()).toEqual([...deleted].sort());
    expect(deleted.sort()).toEqual(demo.leakedEniIds.filter((id) => id !== demo.traps.skipTaggedEniId).sort());
  });

  it("holds candidates beyond MAX_DELETES_PER_RUN across all clusters, as enforce mode would", async () => {
    // Prepare
    const { config, clock, observer, reconciler, records } = dryRunReconciler(5);
    await reconciler.sweep();

    // Act
    const projected = projectLeakCandidates(observer.snapshots, await records(), config, new Date(clock.now));

    // Assess
    expect(projected.filter((c) => c.outcome === "reclaim-after-grace")).toHaveLength(5);
    const capped = projected.filter((c) => c.reason.startsWith("Per-run cap"));
    expect(capped).toHaveLength(demo.leakedEniIds.length - 1 - 5);
  });
});
