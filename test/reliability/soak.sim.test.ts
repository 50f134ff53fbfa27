import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSimulator, startSimulator } from "../../sim/index.ts";
import { runSoak, type SoakReport } from "../support/reliability-soak.ts";
import { buildReliabilityWorld, type ReliabilityWorld } from "../support/reliability-world.ts";

/** The suite's bounded soak; `npx tsx bench/soak.ts` runs 20,000 (see there for its figures). */
const EVENTS = 2_000;

describe(`soak: ${EVENTS} events of realistic kinds through functions/events.ts, in batches of 10`, () => {
  let sim: RunningSimulator;
  let world: ReliabilityWorld;
  let report: SoakReport;

  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
    world = await buildReliabilityWorld(sim.endpoint, { name: "soak" });
    report = await runSoak({ endpoint: sim.endpoint, world, events: EVENTS, seed: 1 });
  }, 240_000);
  afterAll(async () => {
    world.destroy();
    await sim.stop();
  });

  it("accounts for every event: reconciled + unknown + ignored + batch item failures = sent", () => {
    const { sent, reconciled, unknown, ignored, batchItemFailures, malformed } = report;

    expect(sent).toBe(EVENTS);
    expect(reconciled + unknown + ignored + batchItemFailures).toBe(sent);
    expect(reconciled).toBeGreaterThan(sent / 2);
    expect(unknown).toBeGreaterThan(0);
    expect(ignored).toBeGreaterThan(0);
    // Only the corrupt ones fail: a duplicate in the same batch as its original shares its pass.
    expect(malformed).toBeGreaterThanOrEqual(Math.round((report.mix.malformed ?? 0) * EVENTS));
    expect(batchItemFailures).toBe(malformed);
  });

  it("keeps its throughput: the last quarter is at least half as fast as the first", () => {
    expect(report.throughput.firstQuarter).toBeGreaterThan(0);
    expect(report.throughput.lastQuarter).toBeGreaterThanOrEqual(report.throughput.firstQuarter / 2);
  });

  it("does not grow its heap without bound: the post-GC floor rises by less than 64 MB", () => {
    expect(report.heapMb.samples.length).toBeGreaterThan(100);
    expect(report.heapMb.lastQuarterLow - report.heapMb.firstQuarterLow).toBeLessThan(64);
  });
});
