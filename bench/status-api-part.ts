/**
 * Part (5), status API latency: runs `bench/status-api.ts --json` in its own process (it forks the
 * simulator itself) and reads its summary: per route p50/p99, the CPU per call of the handler and, apart,
 * of the simulator (DynamoDB's side), the DynamoDB operations per call; and every DynamoDB operation made
 * while measuring, which must include no Scan. 5,000 ENI records in quick mode, 100,000 with `--full`
 * (the size); `BENCH_RECORDS` / `BENCH_SAMPLES` in the environment override both.
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { BenchOptions, BenchTarget, PartResult } from "./bench-part.ts";
import type { RouteFigures } from "./status-api.ts";

const run = promisify(execFile);

const PART = "status-api";
const QUICK = { records: "5000", samples: "200" } as const;
const FULL = { records: "100000", samples: "500" } as const;
/** The target: every route's p99 at most this, at 100,000 records. */
const P99_TARGET_MS = 50;
const TARGET_RECORDS = 100_000;

/** The summary `bench/status-api.ts --json` prints. */
interface StatusApiSummary {
  readonly records: number;
  readonly history: number;
  readonly findings: number;
  readonly actions: number;
  readonly samples: number;
  readonly seedSeconds: number;
  readonly cores: number;
  readonly loadAverageAtStart: number;
  readonly routes: Record<string, RouteFigures>;
  readonly dynamoCalls: Record<string, number>;
}

/** Part (5). */
export const statusApi = async (options: BenchOptions): Promise<PartResult> => {
  const mode = options.full ? FULL : QUICK;
  const script = fileURLToPath(new URL("./status-api.ts", import.meta.url));
  const { stdout } = await run(process.execPath, ["--import", "tsx", script, "--json"], {
    env: {
      ...process.env,
      BENCH_RECORDS: process.env.BENCH_RECORDS ?? mode.records,
      BENCH_SAMPLES: process.env.BENCH_SAMPLES ?? mode.samples,
    },
    maxBuffer: 16 * 2 ** 20,
  }).catch((error: { stdout?: string }) => {
    // It exits 1 when a route scanned, with the summary printed: keep it, the targets say so.
    if (typeof error.stdout === "string" && error.stdout.includes("{")) return { stdout: error.stdout };
    throw error;
  });
  const summary = JSON.parse(stdout.slice(stdout.indexOf("{"))) as StatusApiSummary;
  const scans = summary.dynamoCalls["dynamodb:Scan"] ?? 0;
  const routes = Object.entries(summary.routes);
  const worst = routes.reduce<[string, RouteFigures] | undefined>(
    (max, entry) => (max && max[1].p99 >= entry[1].p99 ? max : entry),
    undefined,
  );
  const records = summary.records.toLocaleString("en");
  const atSize =
    summary.records >= TARGET_RECORDS
      ? `${records} records`
      : `${records} records; the issue's size is 100,000: --full`;
  const operations = Object.entries(summary.dynamoCalls)
    .map(([key, count]) => `${key.replace("dynamodb:", "")} ${count.toLocaleString("en")}`)
    .join(", ");
  const perCall = (calls: Readonly<Record<string, number>>) =>
    Object.entries(calls)
      .map(([key, count]) => `${count} ${key.replace("dynamodb:", "")}`)
      .join(" + ") || "no DynamoDB operation";
  const targets: BenchTarget[] = [
    {
      part: PART,
      target: `${records} ENI records: no route scans (DynamoDB operations counted while measuring)`,
      figure: `${scans} Scan over ${routes.length} routes × ${summary.samples} samples (${operations || "none"})`,
      pass: scans === 0,
    },
    ...routes.map(([route, figures]) => ({
      part: PART,
      target: `${route} → ${figures.status}: p99 ≤ ${P99_TARGET_MS} ms`,
      figure:
        `p50 ${figures.p50} ms, p99 ${figures.p99} ms; CPU per call: handler ${figures.cpuPerCall} ms, ` +
        `simulator (dynalite) ${figures.simulatorCpuPerCall} ms; ${perCall(figures.dynamoCallsPerCall)} per call; ` +
        `${figures.bodyBytes.toLocaleString("en")} B`,
      pass: figures.p99 <= P99_TARGET_MS,
    })),
    {
      part: PART,
      target: `worst route p99 ≤ ${P99_TARGET_MS} ms (${atSize})`,
      figure: worst ? `${worst[1].p99} ms (${worst[0]})` : "no route measured",
      pass: worst !== undefined && worst[1].p99 <= P99_TARGET_MS,
    },
  ];
  const notes = [
    `${records} ENI records over 5 clusters (60% in "big"), ${summary.history.toLocaleString("en")} history steps, ` +
      `${summary.findings.toLocaleString("en")} findings, ${summary.actions.toLocaleString("en")} actions, seeded in ${summary.seedSeconds} s ` +
      "(BatchWriteItem into the simulator's dynalite, in its own process)",
    `each route invoked ${summary.samples} times, one call at a time, through functions/api.ts (middy, validation, store) with API Gateway ` +
      "events, routes taking turns in 5 rounds, after 10% unmeasured warm-up calls, cursors spread over every page; " +
      "wall time per invocation, p99 by nearest rank; DynamoDB operations counted by the simulator over all these calls",
    "CPU per call: the handler's is this process's (the Lambda's share); the simulator's is its own process's: its HTTP " +
      "front and dynalite, DynamoDB's share, which does not run in the Lambda in production. Wall time is both, in turn, " +
      "plus the loopback HTTP round trip and any wait for a core",
    `load average ${summary.loadAverageAtStart} on ${summary.cores} cores when measuring began: wall times include waiting for a core; CPU times do not`,
  ];
  return { part: PART, data: summary, targets, notes };
};
