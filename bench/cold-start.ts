/**
 * Part (4), cold start: each Lambda function bundled the way it ships (esbuild, ESM, minified, node22,
 * everything bundled including the AWS SDK), then its module init time (the dynamic `import` of the
 * bundle) in fresh node processes, median of 10, against a bare middy + one SDK client handler
 * (`bench/bare-handler.ts`) bundled the same way. Bundles go to `bench/results/tmp/` (ignored by git).
 */
import { execFile } from "node:child_process";
import { mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { build, version as esbuildVersion } from "esbuild";
import type { BenchOptions, BenchTarget, PartResult } from "./bench-part.ts";
import { RESULTS_DIR } from "./results-report.ts";

const run = promisify(execFile);

const ROOT = new URL("../", import.meta.url);
const OUT_DIR = new URL("tmp/cold-start/", RESULTS_DIR);
const SAMPLES = 10;

/** The functions that ship, and the baseline. */
const ENTRIES = {
  events: "functions/events.ts",
  sweep: "functions/sweep.ts",
  api: "functions/api.ts",
  "bare-middy-sdk": "bench/bare-handler.ts",
} as const;

/** Bundled ESM has no `require`; CommonJS dependencies (parts of the SDK, Powertools) need one. */
const REQUIRE_BANNER =
  "import { createRequire as __benchCreateRequire } from 'node:module'; const require = __benchCreateRequire(import.meta.url);";

/** The environment a deployed function starts with (no call is made at init). */
const LAMBDA_ENV = {
  AWS_REGION: "us-east-1",
  AWS_ACCESS_KEY_ID: "AKIDBENCH",
  AWS_SECRET_ACCESS_KEY: "secret",
  AWS_LAMBDA_FUNCTION_NAME: "bench",
  TABLE_NAME: "bench",
  POWERTOOLS_SERVICE_NAME: "branchkeeper",
  POWERTOOLS_METRICS_NAMESPACE: "Branchkeeper",
};

/** One function's bundle and init time. */
export interface ColdStartResult {
  readonly name: string;
  readonly entry: string;
  readonly bundleBytes: number;
  readonly initMsMedian: number;
  readonly initMsSamples: readonly number[];
}

const bundle = async (name: string, entry: string): Promise<{ file: URL; bytes: number }> => {
  const file = new URL(`${name}.mjs`, OUT_DIR);
  const result = await build({
    entryPoints: [fileURLToPath(new URL(entry, ROOT))],
    outfile: fileURLToPath(file),
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node22",
    minify: true,
    metafile: true,
    logLevel: "error",
    banner: { js: REQUIRE_BANNER },
  });
  const output = Object.values(result.metafile?.outputs ?? {})[0];
  if (!output) throw new Error(`esbuild wrote nothing for ${entry}`);
  return { file, bytes: output.bytes };
};

/** Module init of one bundle in a fresh node process, in milliseconds. */
const initOnce = async (file: URL): Promise<number> => {
  const script = [
    "const started = performance.now();",
    `const module = await import(${JSON.stringify(file.href)});`,
    "if (typeof module.handler !== 'function') throw new Error('no handler');",
    "process.stdout.write(String(performance.now() - started));",
  ].join("\n");
  const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script], {
    env: { ...LAMBDA_ENV, PATH: process.env.PATH ?? "" },
    cwd: fileURLToPath(OUT_DIR),
  });
  return Number(stdout);
};

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? Number.NaN;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] ?? Number.NaN) + upper) / 2;
};

/** Bundle and time one entry. */
export const measureEntry = async (name: string, entry: string): Promise<ColdStartResult> => {
  const { file, bytes } = await bundle(name, entry);
  const samples: number[] = [];
  for (let i = 0; i < SAMPLES; i++) samples.push(Number((await initOnce(file)).toFixed(1)));
  return { name, entry, bundleBytes: bytes, initMsMedian: Number(median(samples).toFixed(1)), initMsSamples: samples };
};

const kib = (bytes: number): string => `${(bytes / 1024).toFixed(0)} KiB`;

/** Part (4): every function and the baseline. */
export const coldStart = async (_options: BenchOptions): Promise<PartResult> => {
  await mkdir(OUT_DIR, { recursive: true });
  const results: ColdStartResult[] = [];
  for (const [name, entry] of Object.entries(ENTRIES)) results.push(await measureEntry(name, entry));
  const bare = results.find((result) => result.name === "bare-middy-sdk");
  const targets: BenchTarget[] = results
    .filter((result) => result !== bare)
    .map((result) => ({
      part: "cold-start",
      target: `${result.name}: bundle and init vs bare middy + SDK`,
      figure: bare
        ? `${kib(result.bundleBytes)} (bare ${kib(bare.bundleBytes)}), init ${result.initMsMedian} ms (bare ${bare.initMsMedian} ms)`
        : `${kib(result.bundleBytes)}, init ${result.initMsMedian} ms`,
    }));
  return {
    part: "cold-start",
    data: {
      node: process.version,
      esbuild: esbuildVersion,
      samples: SAMPLES,
      bundlesIn: "bench/results/tmp/cold-start/",
      results,
    },
    targets,
  };
};
