/** Writing `bench/results/latest.json` and `latest.md` from the parts' results. */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import type { BenchOptions, PartResult } from "./bench-part.ts";

/** Where results go; `tmp/` inside it is ignored by git, `latest.*` are meant to be committed. */
export const RESULTS_DIR = new URL("./results/", import.meta.url);

/** A part's result as stored: when and in which mode it ran. */
export interface StoredPart extends PartResult {
  readonly ranAt: string;
  readonly full: boolean;
}

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
  const runs = parts.map((part) => `- ${part.part}: ${part.full ? "full" : "quick"} mode, ${part.ranAt}`);
  return [
    "# Branchkeeper benchmarks",
    "",
    "Written by `npm run bench`; raw figures in `latest.json`.",
    "",
    "| part | target | figure | pass/short |",
    "|---|---|---|---|",
    ...rows,
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
  const fresh = parts.map((part): StoredPart => ({ ...part, ranAt, full: options.full }));
  const kept = (await previousParts(json)).filter((old) => !fresh.some((part) => part.part === old.part));
  const all = [...kept, ...fresh];
  const environment = { node: process.version, platform: process.platform, arch: process.arch };
  await writeFile(json, `${JSON.stringify({ updatedAt: ranAt, environment, parts: all }, null, 2)}\n`);
  await writeFile(markdown, markdownReport(all));
  return { json, markdown };
};
