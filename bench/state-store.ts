/**
 * Latency of the status API's reads at scale: seeds the state table (in the simulator's dynalite)
 * with `BENCH_RECORDS` ENI records (default 100 000, BatchWrite in parallel) and measures each read
 * `BENCH_SAMPLES` times (default 500) from positions spread over the listing. The simulator runs in
 * a child process, as DynamoDB runs apart from Lambda: the client's work and garbage stay separate.
 *
 *   npx tsx bench/state-store.ts            # prints a table, exits 1 if listEnis p99 > 50 ms
 *   BENCH_RECORDS=20000 npx tsx bench/state-store.ts --json
 */
import { fork } from "node:child_process";
import { availableParallelism, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { DynamoDbStateStore } from "../core/aws/dynamodb-state-store.ts";
import { startSimulator } from "../sim/index.ts";
import { simClients, simControl } from "../test/support/sim-clients.ts";
import { createStateTable, eniId, fillEniRecords } from "./state-fill.ts";

const RECORDS = Number(process.env.BENCH_RECORDS ?? 100_000);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 500);
const BUDGET_P99_MS = 50;
const TABLE = "bench-state";

const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;

/** The simulator process as the bench sees it. */
interface SimulatorProcess {
  readonly endpoint: string;
  /** CPU microseconds (user + system) the simulator process has used so far. */
  cpuMicros(): Promise<number>;
  stop(): void;
}

const ownCpuMicros = () => {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
};

/**
 * Wall time per call (p50, p99, max), and CPU per call of both processes: on a busy host wall time
 * includes waiting for a core, CPU time does not, so the two together tell the cost from the queueing.
 */
const measure = async (sim: SimulatorProcess, samples: number, read: (i: number) => Promise<unknown>) => {
  // Unmeasured calls first, so the JIT and connection pool are warm, as in a running Lambda.
  for (let i = 0; i < Math.ceil(samples / 10); i++) await read(samples + i);
  const times: number[] = [];
  const [clientBefore, simBefore] = [ownCpuMicros(), await sim.cpuMicros()];
  for (let i = 0; i < samples; i++) {
    const started = performance.now();
    await read(i);
    times.push(performance.now() - started);
  }
  const [clientMicros, simMicros] = [ownCpuMicros() - clientBefore, (await sim.cpuMicros()) - simBefore];
  times.sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 100) / 100;
  return {
    p50: round(percentile(times, 50)),
    p99: round(percentile(times, 99)),
    max: round(times.at(-1) ?? 0),
    clientCpuPerCall: round(clientMicros / samples / 1000),
    simulatorCpuPerCall: round(simMicros / samples / 1000),
  };
};

/** Start the simulator in a child process running this file. */
const startSimulatorProcess = async (): Promise<SimulatorProcess> => {
  const child = fork(fileURLToPath(import.meta.url), [], { env: { ...process.env, BENCH_ROLE: "simulator" } });
  const nextMessage = () =>
    new Promise<string>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`simulator process exited with ${code}`));
      child.once("exit", onExit);
      child.once("message", (message) => {
        child.off("exit", onExit);
        resolve(String(message));
      });
    });
  const endpoint = await nextMessage();
  return {
    endpoint,
    cpuMicros: async () => {
      const answer = nextMessage();
      child.send("cpu");
      return Number(await answer);
    },
    stop: () => child.kill(),
  };
};

const main = async () => {
  const sim = await startSimulatorProcess();
  try {
    const { dynamodb } = simClients(sim.endpoint, undefined, 3);
    await createStateTable(dynamodb, TABLE);

    const seedStarted = performance.now();
    await fillEniRecords(dynamodb, TABLE, RECORDS);
    const seedSeconds = (performance.now() - seedStarted) / 1000;

    const store = new DynamoDbStateStore({ client: dynamodb, tableName: TABLE });
    // Cursors into every page of the big cluster's associated ENIs, to measure deep pages too.
    const cursors: (string | undefined)[] = [undefined];
    for (let page = await store.listEnis("big", { state: "associated", limit: 100 }); page.cursor; ) {
      cursors.push(page.cursor);
      page = await store.listEnis("big", { state: "associated", limit: 100, cursor: page.cursor });
    }
    const anyState: (string | undefined)[] = [undefined];
    for (let page = await store.listEnis("big", { limit: 100 }); page.cursor && anyState.length < 200; ) {
      anyState.push(page.cursor);
      page = await store.listEnis("big", { limit: 100, cursor: page.cursor });
    }
    const pick = <T>(list: readonly T[], i: number): T | undefined => list[(i * 7919) % list.length];

    await simControl(sim.endpoint, "/_sim/stats", { method: "DELETE" });
    const loadAtStart = loadavg()[0] ?? 0;
    const results = {
      records: RECORDS,
      samples: SAMPLES,
      seedSeconds: Math.round(seedSeconds * 10) / 10,
      cores: availableParallelism(),
      loadAverageAtStart: Math.round(loadAtStart * 10) / 10,
      pagesOfAssociatedInBigCluster: cursors.length,
      "listEnis(big, {state: associated, limit: 100})": await measure(sim, SAMPLES, (i) =>
        store.listEnis("big", { state: "associated", limit: 100, cursor: pick(cursors, i) }),
      ),
      "listEnis(big, {state: leaked, limit: 100})": await measure(sim, SAMPLES, () =>
        store.listEnis("big", { state: "leaked", limit: 100 }),
      ),
      "listEnis(big, {limit: 100})": await measure(sim, SAMPLES, (i) =>
        store.listEnis("big", { limit: 100, cursor: pick(anyState, i) }),
      ),
      "listEnis(big, {state: associated, limit: 500})": await measure(sim, Math.ceil(SAMPLES / 5), (i) =>
        store.listEnis("big", { state: "associated", limit: 500, cursor: pick(cursors, i) }),
      ),
      "getEni(id)": await measure(sim, SAMPLES, (i) => store.getEni(eniId((i * 7919) % RECORDS))),
      "getEnis(100 ids)": await measure(sim, Math.ceil(SAMPLES / 5), (i) =>
        store.getEnis(Array.from({ length: 100 }, (_, j) => eniId((i * 100 + j) % RECORDS))),
      ),
      "listClusters()": await measure(sim, SAMPLES, () => store.listClusters()),
    };
    const stats = await simControl<{ calls: Record<string, number> }>(sim.endpoint, "/_sim/stats");
    const scans = stats.calls["dynamodb:Scan"] ?? 0;

    const key = "listEnis(big, {state: associated, limit: 100})";
    const withinBudget = results[key].p99 <= BUDGET_P99_MS;
    if (process.argv.includes("--json")) {
      console.log(JSON.stringify({ ...results, scans, withinBudget }, null, 2));
    } else {
      console.log(`${RECORDS} ENI records seeded in ${results.seedSeconds} s; ${SAMPLES} samples per read`);
      console.log(`host: ${results.cores} cores, load average ${results.loadAverageAtStart} when measuring began`);
      for (const [name, value] of Object.entries(results)) {
        if (typeof value === "object") {
          const { p50, p99, max, clientCpuPerCall: client, simulatorCpuPerCall: server } = value;
          console.log(
            `${name.padEnd(48)} p50 ${p50}  p99 ${p99}  max ${max}  cpu/call client ${client} + simulator ${server} (ms)`,
          );
        }
      }
      console.log(`Scan calls: ${scans}; ${key} p99 ${withinBudget ? "within" : "OVER"} ${BUDGET_P99_MS} ms`);
    }
    process.exitCode = withinBudget && scans === 0 ? 0 : 1;
  } finally {
    sim.stop();
  }
};

if (process.env.BENCH_ROLE === "simulator") {
  const sim = await startSimulator({ port: 0 });
  process.on("message", () => process.send?.(String(ownCpuMicros())));
  process.send?.(sim.endpoint);
} else {
  await main();
}
