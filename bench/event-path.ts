/**
 * Part (3), the event path: realistic EventBridge events (the soak's mix, `soakEvents`) through
 * `functions/events.ts`, each alone in its SQS batch so its latency is its own, against the
 * reliability world in a fresh simulator. Reports events/s, p50/p99 per event and calls per event
 * (from `/_sim/stats`). The first event is sent before measuring (module load, connections).
 */
import { startSimulator } from "../sim/index.ts";
import { lambdaContext, sqsBatch, useLambdaEnvironment } from "../test/support/lambda-harness.ts";
import { soakEvents } from "../test/support/reliability-soak.ts";
import { buildReliabilityWorld } from "../test/support/reliability-world.ts";
import type { BenchOptions, PartResult } from "./bench-part.ts";
import { percentile } from "./percentile.ts";
import { countCalls, readStats, resetStats } from "./sim-stats.ts";

const QUICK_EVENTS = 500;
const FULL_EVENTS = 5_000;
const SEED = 1;

/** What the event path cost and how fast it went. */
export interface EventPathResult {
  readonly events: number;
  readonly eventsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly batchItemFailures: number;
  readonly callsPerEvent: number;
  readonly ec2CallsPerEvent: number;
  readonly dynamodbReadsPerEvent: number;
  readonly dynamodbWritesPerEvent: number;
  readonly calls: Record<string, number>;
  readonly mix: Record<string, number>;
}

/** Send `count` events one by one and measure them. */
export const measureEventPath = async (count: number): Promise<EventPathResult> => {
  const sim = await startSimulator({ port: 0 });
  const world = await buildReliabilityWorld(sim.endpoint, { name: "bench-events" });
  const restore = await useLambdaEnvironment(sim.endpoint, { MODE: "enforce", CLUSTERS: world.name });
  try {
    const runtime = await import("../functions/runtime/reconciler-runtime.ts");
    runtime.resetReconcilerRuntime();
    const { handler } = await import("../functions/events.ts");
    const { bodies, mix } = soakEvents(world, count + 1, SEED);
    const [warmUp, ...measured] = bodies;
    if (warmUp) await handler(sqsBatch([warmUp]), lambdaContext());
    await resetStats(sim.endpoint);
    const latencies: number[] = [];
    let failures = 0;
    const started = performance.now();
    for (const body of measured) {
      const t = performance.now();
      const response = await handler(sqsBatch([body]), lambdaContext());
      latencies.push(performance.now() - t);
      failures += response.batchItemFailures.length;
    }
    const seconds = (performance.now() - started) / 1000;
    const stats = await readStats(sim.endpoint);
    const calls = countCalls(stats);
    const sorted = [...latencies].sort((a, b) => a - b);
    const perEvent = (n: number) => Number((n / measured.length).toFixed(2));
    runtime.resetReconcilerRuntime();
    return {
      events: measured.length,
      eventsPerSecond: Math.round(measured.length / seconds),
      p50Ms: Number(percentile(sorted, 50).toFixed(1)),
      p99Ms: Number(percentile(sorted, 99).toFixed(1)),
      batchItemFailures: failures,
      callsPerEvent: perEvent(stats.totalCalls),
      ec2CallsPerEvent: perEvent(calls.ec2Total),
      dynamodbReadsPerEvent: perEvent(calls.dynamodbReads),
      dynamodbWritesPerEvent: perEvent(calls.dynamodbWrites),
      calls: stats.calls,
      mix,
    };
  } finally {
    restore();
    world.destroy();
    await sim.stop();
  }
};

/** Part (3). */
export const eventPath = async (options: BenchOptions): Promise<PartResult> => {
  const result = await measureEventPath(options.full ? FULL_EVENTS : QUICK_EVENTS);
  return {
    part: "event-path",
    data: result,
    targets: [
      {
        part: "event-path",
        target: `${result.events} events one per SQS batch: throughput and latency`,
        figure: `${result.eventsPerSecond} events/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms`,
      },
      {
        part: "event-path",
        target: "calls per event",
        figure: `${result.callsPerEvent} (EC2 ${result.ec2CallsPerEvent}, DynamoDB ${result.dynamodbReadsPerEvent} reads / ${result.dynamodbWritesPerEvent} writes)`,
      },
    ],
  };
};
