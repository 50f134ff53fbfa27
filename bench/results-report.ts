/** Writing `bench/results/latest.json` and `latest.md` from the parts' results. */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { availableParallelism, cpus, loadavg, totalmem } from "node:os";
import type { BenchOptions, PartResult } from "./bench-part.ts";

/** Where results go; `tmp/` inside it is ignored by git, `latest.*` are meant to be committed. */
export const RESULTS_DIR = new URL("./results/", import.meta.url);

/** The machine a run used. */
export interface BenchEnvironment {
  readonly node: string;
  readonly platform: string;
  readonly arch: string;
  readonly cpu?: string;
  readonly cores?: number;
  readonly memoryGiB?: number;
  /** 1-minute load average when the results were written. */
  readonly loadAverage?: number;
}

/** A part's result as stored: when, in which mode and on which machine it ran. */
export interface StoredPart extends PartResult {
  readonly ranAt: string;
  readonly full: boolean;
  readonly environment?: BenchEnvironment;
}

/** This machine, now. */
export const currentEnvironment = (): BenchEnvironment => ({
  node: process.version,
  platform: process.platform,
  arch: process.arch,
  cpu: cpus()[0]?.model.trim() ?? "unknown",
  cores: availableParallelism(),
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  loadAverage: Math.round((loadavg()[0] ?? 0) * 10) / 10,
});

const machine = (environment: BenchEnvironment | undefined): string => {
  if (!environment) return "machine not recorded";
  const { node, platform, arch, cpu, cores, memoryGiB, loadAverage } = environment;
  const hardware = cores === undefined ? "" : `, ${cores} cores${cpu ? ` (${cpu})` : ""}, ${memoryGiB} GiB`;
  const load = loadAverage === undefined ? "" : `, load average ${loadAverage} at the end`;
  return `node ${node}, ${platform}-${arch}${hardware}${load}`;
};

const verdict = (pass: boolean | undefined): string => {
  if (pass === undefined) return "—";
  return pass ? "pass" : "short";
};

const cell = (text: string): string => text.replaceAll("|", "\\|");

/** The markdown table: one line per target, with its figure and verdict. */
export const markdownReport = (parts: readonly StoredPart[]): string => {
  const rows = parts.flatMap((part) =>
    part.targets.map((t) => `| ${t.part} | ${cell(t.target)} | ${cell(t.figure)} | ${verdict(t.pass)} |`),
  );
  const runs = parts.flatMap((part) => [
    `- ${part.part}: ${part.full ? "full" : "quick"} mode, ${part.ranAt}` +
      `${part.seconds === undefined ? "" : `, took ${part.seconds} s`}; ${machine(part.environment)}`,
    ...(part.notes ?? []).map((note) => `  - ${note}`),
  ]);
  return [
    "# Branchkeeper benchmarks",
    "",
    "Written by `npm run bench`; raw figures in `latest.json`.",
    "",
    "| part | target | figure | pass/short |",
    "|---|---|---|---|",
    ...rows,
    "",
    "pass: the figure meets the target; short: it does not; —: informative, no target.",
    "",
    "## Sources and method",
    "",
    ...runs,
    "",
  ].join("\n");
};

/** The parts of the previous `latest.json`, if any (a run with `--only` keeps the others). */
const previousParts = async (file: URL): Promise<StoredPart[]> => {
  try {
    const previous = JSON.parse(await readFile(file, "utf8")) as { parts?: StoredPart[] };
    return (previous.parts ?? []).filter((part) => typeof part.ranAt === "string");
  } catch {
    return [];
  }
};

/**
 * Write both files, creating the directory if needed: the parts just run replace their previous
 * results, the others stay as they were. Returns the files' URLs.
 */
export const writeResults = async (
  ranAt: string,
  options: BenchOptions,
  parts: readonly PartResult[],
): Promise<{ json: URL; markdown: URL }> => {
  await mkdir(RESULTS_DIR, { recursive: true });
  const json = new URL("latest.json", RESULTS_DIR);
  const markdown = new URL("latest.md", RESULTS_DIR);
  const environment = currentEnvironment();
  const fresh = parts.map((part): StoredPart => ({ ...part, ranAt, full: options.full, environment }));
  const kept = (await previousParts(json)).filter((old) => !fresh.some((part) => part.part === old.part));
  const all = [...kept, ...fresh];
  await writeFile(json, `${JSON.stringify({ updatedAt: ranAt, environment, parts: all }, null, 2)}\n`);
  await writeFile(markdown, markdownReport(all));
  return { json, markdown };
};
