/**
 * `npm run bench`: runs the benchmark parts and writes `bench/results/latest.json` and
 * `bench/results/latest.md` (target, figure, pass/short).
 *
 *   npm run bench                          # quick mode (the smaller sizes)
 *   npm run bench -- --full                # the largest sizes too
 *   npm run bench -- --only sweep-cost     # one part (repeatable, or comma-separated)
 *   npm run bench -- --sizes 1000,2000     # sweep-cost account sizes (branch ENIs)
 */
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type { BenchOptions, PartResult } from "./bench-part.ts";
import { coldStart } from "./cold-start.ts";
import { eventPath } from "./event-path.ts";
import { writeResults } from "./results-report.ts";
import { statusApi } from "./status-api-part.ts";
import { sweepCost } from "./sweep-cost.ts";
import { timeToReclaim } from "./time-to-reclaim.ts";

/** Every part, in the order it runs. */
const PARTS: Readonly<Record<string, (options: BenchOptions) => Promise<PartResult>>> = {
  "sweep-cost": sweepCost,
  "time-to-reclaim": timeToReclaim,
  "event-path": eventPath,
  "cold-start": coldStart,
  "status-api": statusApi,
};

const { values } = parseArgs({
  options: {
    full: { type: "boolean", default: false },
    only: { type: "string", multiple: true },
    sizes: { type: "string" },
  },
});

const only = (values.only ?? []).flatMap((value) => value.split(",")).filter(Boolean);
const unknown = only.filter((name) => !(name in PARTS));
if (unknown.length > 0) {
  console.error(`unknown part(s): ${unknown.join(", ")}; known: ${Object.keys(PARTS).join(", ")}`);
  process.exit(2);
}
const sizes = values.sizes?.split(",").map(Number);
if (sizes?.some((size) => !Number.isInteger(size) || size <= 0)) {
  console.error(`--sizes wants positive integers, got ${values.sizes}`);
  process.exit(2);
}
const options: BenchOptions = { full: values.full, ...(sizes ? { sizes } : {}) };
const startedAt = new Date().toISOString();
const results: PartResult[] = [];
for (const [name, part] of Object.entries(PARTS)) {
  if (only.length > 0 && !only.includes(name)) continue;
  const started = performance.now();
  console.log(`${name}…`);
  const result = await part(options);
  const seconds = Math.round((performance.now() - started) / 100) / 10;
  results.push({ ...result, seconds });
  console.log(`${name} done in ${seconds} s`);
}
const written = await writeResults(startedAt, options, results);
for (const result of results) {
  for (const t of result.targets) {
    const verdict = t.pass === undefined ? "" : t.pass ? " [pass]" : " [short]";
    console.log(`${t.part}: ${t.target}: ${t.figure}${verdict}`);
  }
}
console.log(`wrote ${fileURLToPath(written.json)} and ${fileURLToPath(written.markdown)}`);
