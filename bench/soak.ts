/**
 * The bounded soak at full size: 20,000 EventBridge events of realistic kinds (see `MIX` in
 * test/support/reliability-soak.ts) through `functions/events.ts` in SQS batches of 10, against the
 * simulator in this process. Prints the report: outcomes (which must add up to what was sent),
 * throughput per quarter, and heapUsed along the run.
 *
 * Run: `node --expose-gc --import tsx bench/soak.ts [events]` (with `--expose-gc` every heap
 * sample follows a full collection; without it, read the troughs). The suite runs 2,000.
 */
import { startSimulator } from "../sim/index.ts";
import { runSoak } from "../test/support/reliability-soak.ts";
import { buildReliabilityWorld } from "../test/support/reliability-world.ts";

const events = Number(process.argv[2] ?? 20_000);
const sim = await startSimulator({ port: 0 });
const world = await buildReliabilityWorld(sim.endpoint, { name: "soak" });
try {
  const report = await runSoak({ endpoint: sim.endpoint, world, events, seed: 1, samples: 100 });
  const accounted = report.reconciled + report.unknown + report.ignored + report.batchItemFailures;
  console.log(
    JSON.stringify(
      {
        ...report,
        accounted,
        allAccountedFor: accounted === report.sent,
        eventsPerSecond: Math.round(report.sent / (report.durationMs / 1000)),
        gcBeforeEachSample: typeof (globalThis as { gc?: unknown }).gc === "function",
      },
      null,
      2,
    ),
  );
  if (accounted !== report.sent) process.exitCode = 1;
} finally {
  world.destroy();
  await sim.stop();
}
