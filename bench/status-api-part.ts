/**
 * Part (5), status API latency: runs `bench/status-api.ts --json` in its own process (it forks the
 * simulator itself) and reads its summary: p50/p99 per route and the DynamoDB calls made while
 * measuring, which must include no Scan. 20,000 ENI records in quick mode, 100,000 with `--full`;
 * `BENCH_RECORDS` / `BENCH_SAMPLES` in the environment override both.
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { BenchOptions, BenchTarget, PartResult } from "./bench-part.ts";

const run = promisify(execFile);

const QUICK = { records: "20000", samples: "100" } as const;
const FULL = { records: "100000", samples: "300" } as const;

/** One route's figures as `bench/status-api.ts` reports them (milliseconds). */
interface RouteFigures {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly cpuPerCall: number;
  readonly status: number;
}

/** The summary `bench/status-api.ts --json` prints. */
interface StatusApiSummary {
  readonly records: number;
  readonly samples: number;
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
  const worstP99 = Math.max(...routes.map(([, figures]) => figures.p99));
  const targets: BenchTarget[] = [
    {
      part: "status-api",
      target: `${summary.records.toLocaleString("en")} records: no route scans`,
      figure: `${scans} Scan calls over ${routes.length} routes × ${summary.samples} samples`,
      pass: scans === 0,
    },
    ...routes.map(([route, figures]) => ({
      part: "status-api",
      target: `${route} (HTTP ${figures.status})`,
      figure: `p50 ${figures.p50} ms, p99 ${figures.p99} ms`,
    })),
    { part: "status-api", target: "worst route p99", figure: `${worstP99} ms` },
  ];
  return { part: "status-api", data: summary, targets };
};
