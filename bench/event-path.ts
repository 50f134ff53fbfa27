/**
 * Part (3), the event path: realistic EventBridge events (the soak's mix, `soakEvents`) replayed
 * through `functions/events.ts` the way production delivers them, in SQS batches of the stack's batch
 * size (`EVENTS_QUEUE.batchSize`), one batch at a time, against the reliability world in a fresh simulator
 * (EC2, ELBv2, EKS and DynamoDB via dynalite, all in this process). One warm-up batch goes first
 * (module load, connections, the cluster discovery a pass reuses for 5 minutes).
 *
 * Latency: a batch is answered as a whole, so an event's latency is its batch's latency divided by
 * the events in the batch (the handler time it costs); p50/p99 per batch are reported too. Calls per
 * event come from `/_sim/stats`, by service. A small one-event-per-batch run is the comparison: what
 * each event costs when it has a pass of its own.
 */
import { startSimulator } from "../sim/index.ts";
import { EVENTS_QUEUE } from "../stacks/events-queue.ts";
import { lambdaContext, sqsBatch, useLambdaEnvironment } from "../test/support/lambda-harness.ts";
import { soakEvents } from "../test/support/reliability-soak.ts";
import { buildReliabilityWorld } from "../test/support/reliability-world.ts";
import type { BenchOptions, PartResult } from "./bench-part.ts";
import { percentile } from "./percentile.ts";
import { countCalls, readStats, resetStats } from "./sim-stats.ts";

/** The stack's batch size. */
export const PRODUCTION_BATCH_SIZE = EVENTS_QUEUE.batchSize;
const QUICK_EVENTS = 10_000;
const FULL_EVENTS = 50_000;
/** Events of the one-per-batch comparison. */
const SINGLE_EVENTS = 500;
/** What other batch sizes give, beside the stack's. */
const OTHER_BATCHES = [10, 1000] as const;
const OTHER_BATCH_EVENTS = 10_000;
const SEED = 1;
/** The target for one process. */
export const TARGET_EVENTS_PER_SECOND = 1_000;

/** What the event path cost and how fast it went. */
export interface EventPathResult {
  readonly events: number;
  readonly batchSize: number;
  readonly batches: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
  /**
   * CPU time of this process (handler and simulator together) per event, and the events/s one core
   * would give at that cost: a figure that other processes sharing the machine disturb far less.
   */
  readonly cpuMsPerEvent: number;
  readonly eventsPerCpuSecond: number;
  /** Batch latency / events in the batch, over every event. */
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly batchP50Ms: number;
  readonly batchP99Ms: number;
  /** Reconcile passes run (merged passes count once). */
  readonly passes: number;
  readonly batchItemFailures: number;
  readonly callsPerEvent: number;
  readonly ec2CallsPerEvent: number;
  readonly dynamodbReadsPerEvent: number;
  readonly dynamodbWritesPerEvent: number;
  /** ELBv2, EKS, STS and the rest, per event. */
  readonly otherCallsPerEvent: number;
  readonly calls: Record<string, number>;
  readonly mix: Record<string, number>;
}

const round = (n: number, digits = 2) => Number(n.toFixed(digits));

/** Send `count` events (after one warm-up batch) in batches of `batchSize`, one batch at a time. */
export const measureEventPath = async (
  count: number,
  batchSize: number = PRODUCTION_BATCH_SIZE,
): Promise<EventPathResult> => {
  const sim = await startSimulator({ port: 0 });
  const world = await buildReliabilityWorld(sim.endpoint, { name: "bench-events" });
  const restore = await useLambdaEnvironment(sim.endpoint, { MODE: "enforce", CLUSTERS: world.name });
  try {
    const runtime = await import("../functions/runtime/reconciler-runtime.ts");
    runtime.resetReconcilerRuntime();
    const { handler } = await import("../functions/events.ts");
    const { reconciler } = runtime.reconcilerRuntime();
    let passes = 0;
    const handleTrigger = reconciler.handleTrigger.bind(reconciler);
    reconciler.handleTrigger = (trigger) => {
      passes += 1;
      return handleTrigger(trigger);
    };
    const { bodies, mix } = soakEvents(world, count + batchSize, SEED);
    const warmUp = bodies.slice(0, batchSize);
    const measured = bodies.slice(batchSize);
    await handler(sqsBatch(warmUp), lambdaContext());
    await resetStats(sim.endpoint);
    passes = 0;
    const perEvent: number[] = [];
    const perBatch: number[] = [];
    let failures = 0;
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    for (let start = 0; start < measured.length; start += batchSize) {
      const batch = measured.slice(start, start + batchSize);
      const t = performance.now();
      const response = await handler(sqsBatch(batch), lambdaContext());
      const ms = performance.now() - t;
      perBatch.push(ms);
      for (let i = 0; i < batch.length; i++) perEvent.push(ms / batch.length);
      failures += response.batchItemFailures.length;
    }
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    const stats = await readStats(sim.endpoint);
    const calls = countCalls(stats);
    const events = (sorted: number[]) => sorted.sort((a, b) => a - b);
    const byEvent = events(perEvent);
    const byBatch = events(perBatch);
    const per = (n: number) => round(n / measured.length);
    runtime.resetReconcilerRuntime();
    return {
      events: measured.length,
      batchSize,
      batches: perBatch.length,
      seconds: round(seconds, 1),
      eventsPerSecond: Math.round(measured.length / seconds),
      cpuMsPerEvent: round(cpuMs / measured.length),
      eventsPerCpuSecond: Math.round(measured.length / (cpuMs / 1000)),
      p50Ms: round(percentile(byEvent, 50)),
      p99Ms: round(percentile(byEvent, 99)),
      batchP50Ms: round(percentile(byBatch, 50), 1),
      batchP99Ms: round(percentile(byBatch, 99), 1),
      passes,
      batchItemFailures: failures,
      callsPerEvent: per(stats.totalCalls),
      ec2CallsPerEvent: per(calls.ec2Total),
      dynamodbReadsPerEvent: per(calls.dynamodbReads),
      dynamodbWritesPerEvent: per(calls.dynamodbWrites),
      otherCallsPerEvent: per(Object.values(calls.other).reduce((a, b) => a + b, 0)),
      calls: stats.calls,
      mix,
    };
  } finally {
    restore();
    world.destroy();
    await sim.stop();
  }
};

const callsFigure = (r: EventPathResult) =>
  `${r.callsPerEvent} (EC2 ${r.ec2CallsPerEvent}, DynamoDB ${r.dynamodbReadsPerEvent} reads / ${r.dynamodbWritesPerEvent} writes, ELBv2/EKS/STS ${r.otherCallsPerEvent}); ${r.passes} passes for ${r.events} events`;

const throughputFigure = (r: EventPathResult) =>
  `${r.eventsPerSecond} events/s (${r.seconds} s; ${r.eventsPerCpuSecond} per CPU-second)`;

/** Part (3). */
export const eventPath = async (options: BenchOptions): Promise<PartResult> => {
  const batched = await measureEventPath(options.full ? FULL_EVENTS : QUICK_EVENTS);
  const single = await measureEventPath(SINGLE_EVENTS, 1);
  const larger: EventPathResult[] = [];
  for (const size of OTHER_BATCHES) {
    if (size !== batched.batchSize) larger.push(await measureEventPath(OTHER_BATCH_EVENTS, size));
  }
  return {
    part: "event-path",
    data: { batched, single, larger },
    targets: [
      {
        part: "event-path",
        target: `${batched.events} events in SQS batches of ${batched.batchSize}: ≥ ${TARGET_EVENTS_PER_SECOND} events/s in one process`,
        figure: `${throughputFigure(batched)}; per event p50 ${batched.p50Ms} ms, p99 ${batched.p99Ms} ms (batch latency / its events); per batch p50 ${batched.batchP50Ms} ms, p99 ${batched.batchP99Ms} ms; ${batched.batchItemFailures} batch item failures`,
        pass: batched.eventsPerSecond >= TARGET_EVENTS_PER_SECOND,
      },
      {
        part: "event-path",
        target: `calls per event, batches of ${batched.batchSize}`,
        figure: callsFigure(batched),
      },
      {
        part: "event-path",
        target: `comparison: ${single.events} events one per SQS batch`,
        figure: `${throughputFigure(single)}, p50 ${single.p50Ms} ms, p99 ${single.p99Ms} ms; calls per event ${callsFigure(single)}`,
      },
      ...larger.map((r) => ({
        part: "event-path",
        target: `comparison: ${r.events} events in batches of ${r.batchSize}`,
        figure: `${throughputFigure(r)}; per batch p50 ${r.batchP50Ms} ms, p99 ${r.batchP99Ms} ms; calls per event ${callsFigure(r)}`,
      })),
    ],
    notes: [
      "event-path: latency per event = its batch's handler time / the events in the batch; batches are sent one at a time, warm (one warm-up batch first).",
      "event-path: the simulator, dynalite and the handler share this process and its CPU, so events/s counts the simulated AWS side too; in Lambda that work is AWS's.",
      "event-path: a batch's records are handed to one EventBatch; its triggers merge into one pass per set of clusters (follow-ups per cluster), and the pass reads all its ENIs in one DescribeNetworkInterfaces (200 ids a call), all its nodes in another. Repeats of an event id share a pass; no per-event ledger is written (a redelivery re-reads and changes nothing).",
      "event-path: batch item failures are the mix's malformed events (about 1 %), answered on their own and sent to the DLQ.",
    ],
  };
};
