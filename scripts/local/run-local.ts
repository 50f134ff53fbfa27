import { setTimeout as sleep } from "node:timers/promises";
import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDbStateStore } from "../../core/aws/dynamodb-state-store.ts";
import { stateTableDefinition } from "../../core/aws/state-table.ts";
import type { PassSummary } from "../../core/reconcile/pass-summary.ts";
import { type RunningSimulator, startSimulator } from "../../sim/index.ts";
import type { DemoReport } from "../../sim/scenarios/index.ts";
import { EventPump } from "./event-pump.ts";
import { loadHandlers } from "./handlers.ts";
import {
  applyEnvironment,
  BRANCHKEEPER_ACCESS_KEY_ID,
  LOCAL_TABLE_NAME,
  lambdaEnvironment,
} from "./lambda-environment.ts";
import { listenWithFallback } from "./listen-with-fallback.ts";
import { buildLocalReport, type LocalReport } from "./local-report.ts";
import { ruleRouter } from "./rule-router.ts";
import { startServedLoop } from "./served-loop.ts";
import { readStats, resetStats } from "./sim-control.ts";
import type { LocalRunOptions } from "./start-options.ts";
import { serveStatusApi } from "./status-api-server.ts";

/**
 * The longest grace a run waits out to sweep a second time. Up to it, a demo shows reclamation at once;
 * beyond it (the contract's 600 s), leaks stay `suspect` in the report, which says when they mature.
 */
export const MAX_WAITED_GRACE_SECONDS = 60;

/**
 * Margin past the grace before the second sweep: the grace is compared in whole elapsed seconds from
 * the first sweep's clock, which started a moment before the first evidence was written.
 */
const GRACE_MARGIN_MS = 250;

/** How often the replay says how far it got: it takes a while (one reconcile pass per matched event). */
const REPLAY_PROGRESS_EVERY_MS = 5_000;

/** A local run: its report, and what it serves until stopped. */
export interface LocalRun {
  readonly report: LocalReport;
  /** What the demo scenario built (and damaged) in the simulated account. */
  readonly scenario: DemoReport;
  /** Stop serving (after the round in progress) and shut the simulator down; idempotent. */
  stop(): Promise<void>;
}

/** Progress lines while the run goes: the report is the result, these say what is happening meanwhile. */
export type Progress = (line: string) => void;

const time = (): string => new Date().toISOString().slice(11, 19);

const summaryLine = (summary: PassSummary, durationMs: number): string => {
  const actions = summary.clusters.flatMap((cluster) =>
    Object.entries(cluster.actions).flatMap(([kind, outcomes]) =>
      Object.entries(outcomes ?? {}).map(([outcome, n]) => `${cluster.cluster} ${n} ${kind} ${outcome}`),
    ),
  );
  const errors = summary.errors.length + summary.clusters.reduce((n, cluster) => n + cluster.errors.length, 0);
  return (
    `[${time()}] sweep: ${summary.clusters.length} clusters in ${(durationMs / 1000).toFixed(1)} s; ` +
    `${actions.length === 0 ? "no actions" : actions.join(", ")}${errors > 0 ? `; ${errors} errors` : ""}`
  );
};

const bootSimulator = async (port: number) => {
  const started = performance.now();
  const { value: sim, busyPort } = await listenWithFallback(
    (candidate) => startSimulator({ port: candidate, scenario: "demo" }),
    port,
  );
  if (sim.scenario?.scenario !== "demo") {
    await sim.stop();
    throw new Error("the simulator did not build the demo scenario");
  }
  return { sim, scenario: sim.scenario, busyPort, ms: performance.now() - started };
};

const createStateTable = async (): Promise<void> => {
  // The SDK reads AWS_ENDPOINT_URL, AWS_REGION and the key from the Lambda environment just set.
  const client = new DynamoDBClient({});
  await client.send(new CreateTableCommand(stateTableDefinition(LOCAL_TABLE_NAME)));
  client.destroy();
};

/**
 * `npm start`, in-process: boot the simulator with the demo scenario, set the Lambda environment,
 * replay the default bus through the rules into the events function, sweep (twice when the grace is
 * short enough to wait out), and report. With `once`, stop there; otherwise serve the status API and
 * keep pumping events and sweeping until {@link LocalRun.stop}.
 *
 * One run per process: the handlers keep the environment of the first (see `loadHandlers`).
 */
export const runLocal = async (options: LocalRunOptions, progress: Progress = () => undefined): Promise<LocalRun> => {
  const started = performance.now();
  progress(`Building the demo account in the simulator…`);
  const boot = await bootSimulator(options.port);
  const { sim, scenario } = boot;
  const notes: string[] = [];
  if (boot.busyPort !== undefined) {
    notes.push(`Port ${boot.busyPort} was busy (SIM_PORT): the simulator listens on ${sim.endpoint} instead.`);
  }
  const restoreEnvironment = applyEnvironment(lambdaEnvironment(sim.endpoint, options, process.env));
  const stopSimulator = async (): Promise<void> => {
    await sim.stop();
    restoreEnvironment();
  };
  try {
    return await reconcile(options, { sim, scenario, simulatorMs: boot.ms, started, notes, progress, stopSimulator });
  } catch (error) {
    await stopSimulator();
    throw error;
  }
};

interface Booted {
  readonly sim: RunningSimulator;
  readonly scenario: DemoReport;
  readonly simulatorMs: number;
  readonly started: number;
  readonly notes: string[];
  readonly progress: Progress;
  readonly stopSimulator: () => Promise<void>;
}

const reconcile = async (options: LocalRunOptions, booted: Booted): Promise<LocalRun> => {
  const { sim, progress } = booted;
  await createStateTable();
  const handlers = await loadHandlers();
  // Count only Branchkeeper's calls from here on, not the scenario's.
  await resetStats(sim.endpoint);

  let lastReplayProgress = performance.now();
  const pump = new EventPump({
    endpoint: sim.endpoint,
    route: ruleRouter(),
    deliver: handlers.events,
    ownAccessKeyId: BRANCHKEEPER_ACCESS_KEY_ID,
    onBatch: (delivered, total) => {
      // Only long rounds (the replay) are worth a word; the served loop's rounds print their own line.
      if (delivered === total || performance.now() - lastReplayProgress < REPLAY_PROGRESS_EVERY_MS) return;
      lastReplayProgress = performance.now();
      progress(`  … ${delivered} of ${total} records delivered`);
    },
  });
  progress(`Replaying the default bus through Branchkeeper's EventBridge rules into the events function…`);
  const eventsStarted = performance.now();
  const replayed = await pump.drain();
  const eventsMs = performance.now() - eventsStarted;
  progress(
    `  ${replayed.read} events: ${replayed.matched} matched, ${replayed.unmatched} unmatched; ` +
      `${replayed.batches} batches in ${(eventsMs / 1000).toFixed(1)} s`,
  );

  const sweeps: { summary: PassSummary; durationMs: number }[] = [];
  const sweep = async (): Promise<PassSummary> => {
    const sweepStarted = performance.now();
    const summary = await handlers.sweep();
    const durationMs = performance.now() - sweepStarted;
    sweeps.push({ summary, durationMs });
    progress(summaryLine(summary, durationMs));
    return summary;
  };
  const first = await sweep();
  let graceWaitMs = 0;
  if (options.graceSeconds <= MAX_WAITED_GRACE_SECONDS) {
    const due = Date.parse(first.startedAt) + options.graceSeconds * 1000 + GRACE_MARGIN_MS;
    graceWaitMs = Math.max(0, due - Date.now());
    progress(`Waiting out LEAK_GRACE_SECONDS=${options.graceSeconds} s, then sweeping again…`);
    await sleep(graceWaitMs);
    await sweep();
  }

  const api = options.once ? undefined : await serveStatusApi(handlers.api, options.apiPort);
  if (api?.busyPort !== undefined) {
    booted.notes.push(`Port ${api.busyPort} was busy (API_PORT): the status API listens on ${api.url} instead.`);
  }
  const report = await buildLocalReport({
    mode: options.mode,
    graceSeconds: options.graceSeconds,
    tableName: LOCAL_TABLE_NAME,
    endpoint: sim.endpoint,
    buildMs: booted.scenario.buildMs,
    ...(api ? { statusApi: api.url } : {}),
    store: new DynamoDbStateStore({ client: new DynamoDBClient({}), tableName: LOCAL_TABLE_NAME }),
    events: { ...pump.totals, byRule: { ...pump.totals.byRule } },
    sweeps,
    stats: await readStats(sim.endpoint),
    notes: booted.notes,
    timings: {
      simulatorMs: Math.round(booted.simulatorMs),
      eventsMs: Math.round(eventsMs),
      sweepsMs: Math.round(sweeps.reduce((ms, s) => ms + s.durationMs, 0)),
      graceWaitMs: Math.round(graceWaitMs),
      totalMs: Math.round(performance.now() - booted.started),
    },
  });

  if (!api) {
    await booted.stopSimulator();
    return { report, scenario: booted.scenario, stop: async () => undefined };
  }
  const loop = startServedLoop({
    pump,
    sweep: handlers.sweep,
    sweepEverySeconds: options.sweepEverySeconds,
    onEvents: (round) =>
      progress(
        `[${time()}] events: ${round.read} read, ${round.matched} matched` +
          (round.ownCalls > 0 ? ` (${round.ownCalls} from Branchkeeper's own calls, recognised as such)` : "") +
          (round.batches > 0 ? `, ${round.batches} batches` : "") +
          (round.batchItemFailures > 0 ? `, ${round.batchItemFailures} batch item failures` : ""),
      ),
    onSweep: (summary, durationMs) => progress(summaryLine(summary, durationMs)),
    onError: (error) => progress(`[${time()}] round failed, retrying next second: ${(error as Error).message}`),
  });
  let stopped: Promise<void> | undefined;
  return {
    report,
    scenario: booted.scenario,
    stop: () => {
      stopped ??= (async () => {
        await loop.stop();
        await api.stop();
        await booted.stopSimulator();
      })();
      return stopped;
    },
  };
};
