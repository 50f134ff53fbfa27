/**
 * Part (4), cold start: each Lambda function bundled exactly as it ships (`shippedBuildOptions` of
 * `stacks/function-bundling.ts`: SST 2.49.8's esbuild options, ESM, minified, AWS SDK bundled), then its
 * module init (the dynamic `import` of the bundle) in fresh node processes, median of 10, against a bare
 * middy + one SDK client handler (`bench/bare-handler.ts`) bundled the same way.
 *
 * Targets: bundle ≤ 250 KB (the `.mjs` only: the sourcemap is not loaded at init; 1 KB = 1000 bytes) and
 * init ≤ 150 ms (wall time). Samples run round-robin over the bundles, so background load on a shared
 * machine falls on all of them alike; the CPU time of the import is recorded next to the wall time.
 *
 * The same bundles are also measured with the SDK external (`@aws-sdk/*`, `@smithy/*`, loaded from
 * node_modules as the Lambda runtime loads its own SDK): informative, it is why the SDK stays bundled.
 * Bundles go to `bench/results/tmp/cold-start/` (ignored by git).
 */
import { execFile } from "node:child_process";
import { mkdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { build, version as esbuildVersion, type Metafile } from "esbuild";
import { FUNCTION_NODEJS, shippedBuildOptions } from "../stacks/function-bundling.ts";
import type { BenchOptions, BenchTarget, PartResult } from "./bench-part.ts";
import { RESULTS_DIR } from "./results-report.ts";

const run = promisify(execFile);

const ROOT = new URL("../", import.meta.url);
const OUT_DIR = new URL("tmp/cold-start/", RESULTS_DIR);
const SAMPLES = 10;
/** The issue's targets. */
const MAX_BUNDLE_BYTES = 250_000;
const MAX_INIT_MS = 150;

/** The functions that ship, and the baseline. */
const ENTRIES = {
  events: "functions/events.ts",
  sweep: "functions/sweep.ts",
  api: "functions/api.ts",
  "bare-middy-sdk": "bench/bare-handler.ts",
} as const;
const BARE = "bare-middy-sdk";

/** What AWS's and Powertools' docs suggest for small bundles: the SDK v3 the nodejs22.x runtime ships. */
const RUNTIME_SDK_EXTERNALS = ["@aws-sdk/*", "@smithy/*"];

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

/** Times one import in a fresh process: wall and CPU (user + system) milliseconds. */
const INIT_SCRIPT = (file: URL): string =>
  [
    "const cpu = process.cpuUsage();",
    "const started = performance.now();",
    `const module = await import(${JSON.stringify(file.href)});`,
    "const wall = performance.now() - started;",
    "const { user, system } = process.cpuUsage(cpu);",
    "if (typeof module.handler !== 'function') throw new Error('no handler');",
    "process.stdout.write(JSON.stringify({ wall, cpu: (user + system) / 1000 }));",
  ].join("\n");

/** One function's bundle and init time. */
export interface ColdStartResult {
  readonly name: string;
  readonly entry: string;
  /** Bytes of the `.mjs` bundle (sourcemap excluded). */
  readonly bundleBytes: number;
  /** The largest contributors to the bundle, bytes per package (or per source folder). */
  readonly topPackages: Readonly<Record<string, number>>;
  readonly initMsMedian: number;
  readonly initCpuMsMedian: number;
  readonly initMsSamples: readonly number[];
}

interface Bundle {
  readonly name: string;
  readonly entry: string;
  readonly file: URL;
  readonly bytes: number;
  readonly topPackages: Record<string, number>;
}

/** Bytes per package (`node_modules/<package>`) or per first two path segments of our own sources. */
const packageBytes = (output: Metafile["outputs"][string], top: number): Record<string, number> => {
  const bytes = new Map<string, number>();
  for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
    const key = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1] ?? path.split("/").slice(0, 2).join("/");
    bytes.set(key, (bytes.get(key) ?? 0) + bytesInOutput);
  }
  return Object.fromEntries([...bytes].sort((a, b) => b[1] - a[1]).slice(0, top));
};

const bundle = async (name: string, entry: string, external: readonly string[]): Promise<Bundle> => {
  const suffix = external.length === 0 ? "" : "-sdk-external";
  const file = new URL(`${name}${suffix}.mjs`, OUT_DIR);
  const options = shippedBuildOptions(fileURLToPath(new URL(entry, ROOT)), fileURLToPath(file));
  const result = await build({ ...options, external: [...(options.external ?? []), ...external] });
  const output = Object.entries(result.metafile?.outputs ?? {}).find(([path]) => path.endsWith(".mjs"))?.[1];
  if (!output) throw new Error(`esbuild wrote no .mjs for ${entry}`);
  return { name, entry, file, bytes: output.bytes, topPackages: packageBytes(output, 10) };
};

/** Module init of one bundle in a fresh node process. */
const initOnce = async (file: URL): Promise<{ wall: number; cpu: number }> => {
  const { stdout } = await run(process.execPath, ["--input-type=module", "-e", INIT_SCRIPT(file)], {
    env: { ...LAMBDA_ENV, PATH: process.env.PATH ?? "" },
    cwd: fileURLToPath(OUT_DIR),
  });
  return JSON.parse(stdout) as { wall: number; cpu: number };
};

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? Number.NaN;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] ?? Number.NaN) + upper) / 2;
};

const round1 = (value: number): number => Number(value.toFixed(1));

/** Bundle every entry with `external` added, then time their init, round-robin. */
export const measureEntries = async (
  entries: Readonly<Record<string, string>>,
  external: readonly string[] = [],
): Promise<ColdStartResult[]> => {
  await mkdir(OUT_DIR, { recursive: true });
  const bundles: Bundle[] = [];
  for (const [name, entry] of Object.entries(entries)) bundles.push(await bundle(name, entry, external));
  const samples = bundles.map(() => ({ wall: [] as number[], cpu: [] as number[] }));
  for (let i = 0; i < SAMPLES; i++) {
    for (const [index, { file }] of bundles.entries()) {
      const { wall, cpu } = await initOnce(file);
      samples[index]?.wall.push(round1(wall));
      samples[index]?.cpu.push(round1(cpu));
    }
  }
  return bundles.map(({ name, entry, bytes, topPackages }, index) => ({
    name,
    entry,
    bundleBytes: bytes,
    topPackages,
    initMsMedian: round1(median(samples[index]?.wall ?? [])),
    initCpuMsMedian: round1(median(samples[index]?.cpu ?? [])),
    initMsSamples: samples[index]?.wall ?? [],
  }));
};

const kb = (bytes: number): string => `${(bytes / 1000).toFixed(1)} KB`;

/** The pass/short lines of one shipped function, against the bare baseline. */
const functionTargets = (result: ColdStartResult, bare: ColdStartResult | undefined): BenchTarget[] => [
  {
    part: "cold-start",
    target: `${result.name}: bundle ≤ ${kb(MAX_BUNDLE_BYTES)} (.mjs, sourcemap excluded)`,
    figure: `${kb(result.bundleBytes)}${bare ? ` (bare middy + SDK ${kb(bare.bundleBytes)})` : ""}`,
    pass: result.bundleBytes <= MAX_BUNDLE_BYTES,
  },
  {
    part: "cold-start",
    target: `${result.name}: module init ≤ ${MAX_INIT_MS} ms (median of ${SAMPLES} fresh processes)`,
    figure:
      `${result.initMsMedian} ms, CPU ${result.initCpuMsMedian} ms` +
      (bare ? ` (bare middy + SDK ${bare.initMsMedian} ms, CPU ${bare.initCpuMsMedian} ms)` : ""),
    pass: result.initMsMedian <= MAX_INIT_MS,
  },
];

/** Part (4): every function and the baseline as shipped, then the same with the runtime's SDK. */
export const coldStart = async (_options: BenchOptions): Promise<PartResult> => {
  const shipped = await measureEntries(ENTRIES);
  const runtimeSdk = await measureEntries(ENTRIES, RUNTIME_SDK_EXTERNALS);
  const bare = shipped.find((result) => result.name === BARE);
  const targets: BenchTarget[] = shipped
    .filter((result) => result !== bare)
    .flatMap((result) => functionTargets(result, bare));
  targets.push({
    part: "cold-start",
    target: "not shipped: the same with the SDK external (the runtime's SDK v3, loaded from node_modules)",
    figure: runtimeSdk
      .map((result) => `${result.name} ${kb(result.bundleBytes)} / ${result.initMsMedian} ms`)
      .join(", "),
  });
  return {
    part: "cold-start",
    data: {
      node: process.version,
      esbuild: esbuildVersion,
      samples: SAMPLES,
      bundlesIn: "bench/results/tmp/cold-start/",
      bundling: {
        nodejs: { ...FUNCTION_NODEJS, esbuild: { plugins: FUNCTION_NODEJS.esbuild.plugins.map(({ name }) => name) } },
      },
      targets: { maxBundleBytes: MAX_BUNDLE_BYTES, maxInitMs: MAX_INIT_MS },
      results: shipped,
      sdkExternal: { external: RUNTIME_SDK_EXTERNALS, results: runtimeSdk },
    },
    targets,
  };
};
