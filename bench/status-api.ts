/**
 * Latency of the status API per route, through the real handler (`functions/api.ts`: middy, Powertools,
 * validation, store, shaping) against the simulator's dynalite in a child process (DynamoDB runs apart
 * from Lambda, so the client's work and garbage stay separate). Seeds `BENCH_RECORDS` ENI records
 * (default 20 000) over five clusters, plus history, findings, actions and summaries, then invokes each
 * route `BENCH_SAMPLES` times (default 300) with API Gateway events, from positions spread over the
 * listings, the routes taking turns (`ROUNDS`). EMF metrics and logs are serialized as in Lambda, but not printed while measuring.
 *
 * Per route it reports wall time (p50, p99, max), the CPU time of this process per call (the handler: the
 * Lambda's share), the CPU time of the simulator's process per call (its HTTP front and dynalite: DynamoDB's
 * share, which a real table does elsewhere), the DynamoDB operations per call and the answer's size.
 *
 *   npx tsx bench/status-api.ts            # prints a table; exits 1 if any route issued a Scan
 *   BENCH_RECORDS=100000 npx tsx bench/status-api.ts --json
 */
import { fork } from "node:child_process";
import { availableParallelism, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import type { Context } from "aws-lambda";
import { DynamoDbStateStore } from "../core/aws/dynamodb-state-store.ts";
import { BRANCH_ENI_STATES, type BranchEniState } from "../core/model/branch-eni-state.ts";
import { FINDING_KINDS } from "../core/model/finding.ts";
import { ACTION_KINDS } from "../core/model/planned-action.ts";
import { DEFAULT_REGION, startSimulator } from "../sim/index.ts";
import { gatewayEvent } from "../test/core/api/http-api-events.ts";
import { simClients, simControl } from "../test/support/sim-clients.ts";
import { CLUSTERS, clusterOf, createStateTable, eniId, fillEniRecords, time } from "./state-fill.ts";

const RECORDS = Number(process.env.BENCH_RECORDS ?? 20_000);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 300);
const TABLE = "bench-status-api";
/** Each route's samples are taken in this many turns, interleaved with the other routes'. */
const ROUNDS = 5;

const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;

const round = (ms: number) => Math.round(ms * 100) / 100;

const totalCpuMicros = (usage: NodeJS.CpuUsage) => usage.user + usage.system;

/** Run `work` over `items`, `concurrency` at a time. */
const inParallel = async <T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<unknown>) => {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const item = items[next++];
        if (item !== undefined) await work(item);
      }
    }),
  );
};

/** One route's figures (milliseconds, except the counts and sizes). */
export interface RouteFigures {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  /** CPU time of the handler's process per call: the Lambda's share. */
  readonly cpuPerCall: number;
  /** CPU time of the simulator's process per call: DynamoDB's share (dynalite and its HTTP front). */
  readonly simulatorCpuPerCall: number;
  /** DynamoDB operations per call, by `dynamodb:<Action>`. */
  readonly dynamoCallsPerCall: Readonly<Record<string, number>>;
  /** Size of the JSON body answered, on average. */
  readonly bodyBytes: number;
  readonly status: number;
}

const lambdaContext: Context = {
  callbackWaitsForEmptyEventLoop: false,
  functionName: "branchkeeper-api",
  functionVersion: "$LATEST",
  invokedFunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:branchkeeper-api",
  memoryLimitInMB: "256",
  awsRequestId: "bench",
  logGroupName: "/aws/lambda/branchkeeper-api",
  logStreamName: "bench",
  getRemainingTimeInMillis: () => 10_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
};

/** Messages of the simulator process: its endpoint once started, then its CPU time whenever asked. */
type SimulatorMessage = { readonly endpoint: string } | { readonly cpuMicros: number };

/**
 * Start the simulator in a child process running this file; resolves its endpoint, and a reader of the
 * CPU time that process spent so far (µs), which tells the simulator's share of a call from the handler's.
 */
const startSimulatorProcess = async () => {
  const child = fork(fileURLToPath(import.meta.url), [], { env: { ...process.env, BENCH_ROLE: "simulator" } });
  const next = () =>
    new Promise<SimulatorMessage>((resolve, reject) => {
      const exited = (code: number | null) => reject(new Error(`simulator process exited with ${code}`));
      child.once("exit", exited);
      child.once("message", (message) => {
        child.off("exit", exited);
        resolve(message as SimulatorMessage);
      });
    });
  const started = await next();
  if (!("endpoint" in started)) throw new Error("the simulator process did not report its endpoint");
  const cpuMicros = async (): Promise<number> => {
    const answer = next();
    child.send("cpu");
    const message = await answer;
    if (!("cpuMicros" in message)) throw new Error("the simulator process did not report its CPU time");
    return message.cpuMicros;
  };
  return { endpoint: started.endpoint, cpuMicros, stop: () => child.kill() };
};

/** DynamoDB operations the simulator counted so far, by `dynamodb:<Action>`. */
const dynamoCallsOf = async (endpoint: string): Promise<Record<string, number>> => {
  const stats = await simControl<{ calls: Record<string, number> }>(endpoint, "/_sim/stats");
  return Object.fromEntries(Object.entries(stats.calls).filter(([key]) => key.startsWith("dynamodb:")));
};

/** Per operation, how many more `after` counts than `before`. */
const addDifference = (
  into: Map<string, number>,
  before: Readonly<Record<string, number>>,
  after: Readonly<Record<string, number>>,
) => {
  for (const [key, count] of Object.entries(after)) {
    const added = count - (before[key] ?? 0);
    if (added > 0) into.set(key, (into.get(key) ?? 0) + added);
  }
};

const seed = async (endpoint: string) => {
  const { dynamodb } = simClients(endpoint, undefined, 3);
  await createStateTable(dynamodb, TABLE);
  await fillEniRecords(dynamodb, TABLE, RECORDS);

  const store = new DynamoDbStateStore({ client: dynamodb, tableName: TABLE });
  const zero = Object.fromEntries(BRANCH_ENI_STATES.map((state) => [state, 0])) as Record<BranchEniState, number>;
  await Promise.all(
    CLUSTERS.map((name, i) =>
      store.putClusterSummary({ name, status: "active", vpcId: "vpc-0bbb", counts: zero, lastSweepAt: time(i) }),
    ),
  );
  // History: 20 steps for each of the first 200 ENIs (the eni route reads it for every request).
  const steps = Array.from({ length: 200 * 20 }, (_, n) => ({ eni: Math.floor(n / 20), step: n % 20 }));
  await inParallel(steps, 16, ({ eni, step }) =>
    store.appendTransition(
      {
        eniId: eniId(eni),
        cluster: clusterOf(eni),
        at: time(step * 60),
        ...(step === 0 ? {} : { from: step % 2 === 0 ? "detached" : "associated" }),
        to: step % 2 === 0 ? "associated" : "detached",
        reason: `step ${step}`,
        cause: `sweep:${step}`,
      },
      30,
    ),
  );
  const findings = Array.from({ length: 1000 }, (_, i) => ({
    cluster: "big",
    kind: FINDING_KINDS[i % FINDING_KINDS.length] ?? "cluster-tag-missing",
    resourceId: `sg-${i.toString(16).padStart(8, "0")}`,
    detail: `finding ${i}`,
    action: "report only",
    observedAt: time(0),
  }));
  await store.replaceFindings("big", findings, time(0));
  const actions = Array.from({ length: 3000 }, (_, i) => i);
  await inParallel(actions, 16, (i) =>
    store.recordAction({
      id: `act-${i}`,
      at: time(i),
      kind: ACTION_KINDS[i % ACTION_KINDS.length] ?? "delete-eni",
      cluster: CLUSTERS[i % CLUSTERS.length] ?? "big",
      target: `target-${i}`,
      mode: "enforce",
      outcome: "succeeded",
      reason: `reason ${i}`,
    }),
  );
  return { store, history: steps.length, findings: findings.length, actions: actions.length };
};

const main = async () => {
  const sim = await startSimulatorProcess();
  try {
    const seedStarted = performance.now();
    const { store, ...seeded } = await seed(sim.endpoint);
    const seedSeconds = round((performance.now() - seedStarted) / 1000);

    // Lambda's environment, then the handler, as Lambda loads it.
    Object.assign(process.env, {
      TABLE_NAME: TABLE,
      MODE: "dry-run",
      AWS_REGION: DEFAULT_REGION,
      AWS_ENDPOINT_URL: sim.endpoint,
      AWS_ACCESS_KEY_ID: "AKIDBENCH",
      AWS_SECRET_ACCESS_KEY: "secret",
    });
    const { handler } = await import("../functions/api.ts");

    // Cursors into every page of the big cluster's listings, so deep pages are measured too.
    const cursorsOf = async (list: (cursor?: string) => Promise<{ cursor?: string }>, max = 500) => {
      const cursors: (string | undefined)[] = [undefined];
      for (let page = await list(); page.cursor && cursors.length < max; page = await list(page.cursor)) {
        cursors.push(page.cursor);
      }
      return cursors;
    };
    const withCursor = (cursor?: string) => (cursor === undefined ? "" : `&cursor=${encodeURIComponent(cursor)}`);
    const enisAny = await cursorsOf((cursor) => store.listEnis("big", { limit: 100, ...(cursor ? { cursor } : {}) }));
    const enisAssociated500 = await cursorsOf((cursor) =>
      store.listEnis("big", { state: "associated", limit: 500, ...(cursor ? { cursor } : {}) }),
    );
    const findingPages = await cursorsOf((cursor) =>
      store.listFindings("big", { limit: 100, ...(cursor ? { cursor } : {}) }),
    );
    const actionPages = await cursorsOf((cursor) => store.listActions({ limit: 100, ...(cursor ? { cursor } : {}) }));
    const pick = <T>(list: readonly T[], i: number): T | undefined => list[(i * 7919) % list.length];

    const routes: Record<string, (i: number) => ReturnType<typeof gatewayEvent>> = {
      "GET /v1/health": () => gatewayEvent("GET /v1/health", "/v1/health"),
      "GET /v1/clusters": () => gatewayEvent("GET /v1/clusters", "/v1/clusters"),
      "GET /v1/clusters/big/enis?limit=100 (any page)": (i) =>
        gatewayEvent(
          "GET /v1/clusters/{cluster}/enis",
          `/v1/clusters/big/enis?limit=100${withCursor(pick(enisAny, i))}`,
          {
            cluster: "big",
          },
        ),
      "GET /v1/clusters/big/enis?state=leaked&limit=100": () =>
        gatewayEvent("GET /v1/clusters/{cluster}/enis", "/v1/clusters/big/enis?state=leaked&limit=100", {
          cluster: "big",
        }),
      "GET /v1/clusters/big/enis?state=associated&limit=500 (any page)": (i) =>
        gatewayEvent(
          "GET /v1/clusters/{cluster}/enis",
          `/v1/clusters/big/enis?state=associated&limit=500${withCursor(pick(enisAssociated500, i))}`,
          { cluster: "big" },
        ),
      "GET /v1/enis/{eniId} (20-step history)": (i) =>
        gatewayEvent("GET /v1/enis/{eniId}", `/v1/enis/${eniId(i % 200)}`, { eniId: eniId(i % 200) }),
      "GET /v1/enis/{eniId} (no history)": (i) => {
        const id = eniId(200 + ((i * 7919) % (RECORDS - 200)));
        return gatewayEvent("GET /v1/enis/{eniId}", `/v1/enis/${id}`, { eniId: id });
      },
      "GET /v1/clusters/big/findings?limit=100 (any page)": (i) =>
        gatewayEvent(
          "GET /v1/clusters/{cluster}/findings",
          `/v1/clusters/big/findings?limit=100${withCursor(pick(findingPages, i))}`,
          { cluster: "big" },
        ),
      "GET /v1/actions?limit=100 (any page)": (i) =>
        gatewayEvent("GET /v1/actions", `/v1/actions?limit=100${withCursor(pick(actionPages, i))}`),
      "GET /v1/actions?cluster=big&kind=delete-eni&limit=100": () =>
        gatewayEvent("GET /v1/actions", "/v1/actions?cluster=big&kind=delete-eni&limit=100"),
      "GET /v1/clusters/big/enis?limit=0 (400, no read)": () =>
        gatewayEvent("GET /v1/clusters/{cluster}/enis", "/v1/clusters/big/enis?limit=0", { cluster: "big" }),
    };

    await simControl(sim.endpoint, "/_sim/stats", { method: "DELETE" });
    const loadAtStart = round(loadavg()[0] ?? 0);
    const results: Record<string, RouteFigures> = {};
    // Logs and EMF are produced as in Lambda, but kept off the terminal while measuring.
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = () => true;
    try {
      const entries = Object.entries(routes);
      // Unmeasured calls first, so the JIT and connection pool are warm, as in a running Lambda.
      for (const [, eventOf] of entries) {
        for (let i = 0; i < Math.ceil(SAMPLES / 10); i++) await handler(eventOf(SAMPLES + i), lambdaContext);
      }
      // The routes take turns, ROUNDS times, so a burst of load from elsewhere on the host lands on all of them.
      const times = new Map<string, number[]>(entries.map(([name]) => [name, []]));
      const cpuMicros = new Map<string, number>();
      const simulatorCpuMicros = new Map<string, number>();
      const operations = new Map<string, Map<string, number>>(entries.map(([name]) => [name, new Map()]));
      const statuses = new Map<string, number>();
      const bodyBytes = new Map<string, number>();
      for (let r = 0; r < ROUNDS; r++) {
        for (const [name, eventOf] of entries) {
          const samples = times.get(name) ?? [];
          // CPU time of this process (the Lambda's share of the work): unlike wall time, it excludes waiting
          // for a core on a busy host, and DynamoDB's own work, which the simulator's CPU time measures. Both,
          // and the operation counts, are read around the timed calls, not inside them.
          const callsBefore = await dynamoCallsOf(sim.endpoint);
          const simulatorBefore = await sim.cpuMicros();
          const cpuBefore = process.cpuUsage();
          for (let i = Math.floor((r * SAMPLES) / ROUNDS); i < Math.floor(((r + 1) * SAMPLES) / ROUNDS); i++) {
            const event = eventOf(i);
            const started = performance.now();
            const answer = await handler(event, lambdaContext);
            samples.push(performance.now() - started);
            statuses.set(name, answer.statusCode);
            bodyBytes.set(name, (bodyBytes.get(name) ?? 0) + Buffer.byteLength(answer.body));
          }
          const cpu = process.cpuUsage(cpuBefore);
          cpuMicros.set(name, (cpuMicros.get(name) ?? 0) + totalCpuMicros(cpu));
          const simulatorCpu = (await sim.cpuMicros()) - simulatorBefore;
          simulatorCpuMicros.set(name, (simulatorCpuMicros.get(name) ?? 0) + simulatorCpu);
          addDifference(operations.get(name) ?? new Map(), callsBefore, await dynamoCallsOf(sim.endpoint));
        }
      }
      for (const [name, samples] of times) {
        samples.sort((a, b) => a - b);
        results[name] = {
          p50: round(percentile(samples, 50)),
          p99: round(percentile(samples, 99)),
          max: round(samples.at(-1) ?? 0),
          cpuPerCall: round((cpuMicros.get(name) ?? 0) / SAMPLES / 1000),
          simulatorCpuPerCall: round((simulatorCpuMicros.get(name) ?? 0) / SAMPLES / 1000),
          dynamoCallsPerCall: Object.fromEntries(
            [...(operations.get(name) ?? [])].map(([key, count]) => [key, round(count / SAMPLES)]),
          ),
          bodyBytes: Math.round((bodyBytes.get(name) ?? 0) / SAMPLES),
          status: statuses.get(name) ?? 0,
        };
      }
    } finally {
      process.stdout.write = write;
    }
    // Every DynamoDB operation since the counts were reset: the warm-up's and the measured calls'.
    const dynamoCalls = await dynamoCallsOf(sim.endpoint);
    const scans = dynamoCalls["dynamodb:Scan"] ?? 0;

    const summary = {
      records: RECORDS,
      ...seeded,
      samples: SAMPLES,
      seedSeconds,
      cores: availableParallelism(),
      loadAverageAtStart: loadAtStart,
      routes: results,
      dynamoCalls,
    };
    if (process.argv.includes("--json")) {
      console.log(JSON.stringify(summary, null, 2));
    } else {
      console.log(
        `${RECORDS} ENI records, ${seeded.history} transitions, ${seeded.findings} findings, ${seeded.actions} actions ` +
          `seeded in ${seedSeconds} s; ${SAMPLES} samples per route`,
      );
      console.log(`host: ${summary.cores} cores, load average ${loadAtStart} when measuring began`);
      for (const [name, figures] of Object.entries(results)) {
        const { p50, p99, max, cpuPerCall, simulatorCpuPerCall, status } = figures;
        console.log(
          `${name.padEnd(66)} ${status}  p50 ${p50}  p99 ${p99}  max ${max}  cpu/call: handler ${cpuPerCall}, ` +
            `simulator ${simulatorCpuPerCall} (ms)  ${JSON.stringify(figures.dynamoCallsPerCall)}/call  ${figures.bodyBytes} B`,
        );
      }
      console.log(`DynamoDB calls while measuring: ${JSON.stringify(dynamoCalls)}`);
    }
    process.exitCode = scans === 0 ? 0 : 1;
  } finally {
    sim.stop();
  }
};

if (process.env.BENCH_ROLE === "simulator") {
  const sim = await startSimulator({ port: 0 });
  process.on("message", () => process.send?.({ cpuMicros: totalCpuMicros(process.cpuUsage()) }));
  process.send?.({ endpoint: sim.endpoint });
} else {
  await main();
}
