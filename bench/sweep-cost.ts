/**
 * Part (1), sweep cost vs account size. Per size, one account of that many branch ENIs with 1% leaked
 * (`generateAccount`: trunks, instances, security groups) is generated in a simulator running in a
 * child process (`sim-host.ts`); every run starts from that account as generated (ENIs a run deleted
 * are recreated from the model between runs). The runs, side by side:
 * - Branchkeeper: two sweeps in enforce mode, the second with its clock moved past the grace (the
 *   first finds the leaks, which are still in their grace: it deletes nothing, as a steady-state sweep;
 *   the second reclaims them), each with its own fresh state table;
 * - the hand-written sweep (`naive-sweep.ts`): one pass.
 * With the simulator's EC2 buckets on at the size's scale (always), and off (full mode only: each
 * contender's own floor). EC2 calls per action and DynamoDB requests come from `/_sim/stats`.
 *
 * Targets: EC2 calls ≤ 1.05 × the lower bound ceil(ENIs/1000) Describe pages + one delete per leak,
 * also shown against that bound plus the fresh single-ENI Describe DESIGN.md requires before each
 * delete, and the steady sweep against ceil(ENIs/1000); wall time with the buckets on ≤ 1.2 × the time
 * the buckets impose on the calls made (`bucket-time.ts`). Above `NAIVE_MAX_RUN` ENIs the hand-written
 * sweep is not run: its calls are estimated from the largest size it ran at, per branch ENI.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { loadavg } from "node:os";
import { CreateTableCommand, DeleteTableCommand } from "@aws-sdk/client-dynamodb";
import { EC2Client } from "@aws-sdk/client-ec2";
import { composeReconciler } from "../core/aws/compose-reconciler.ts";
import { stateTableDefinition } from "../core/aws/state-table.ts";
import { loadConfig } from "../core/config.ts";
import { ec2RateLimitFor } from "../sim/control/ec2-rate-limits.ts";
import { DEFAULT_REGION } from "../sim/index.ts";
import { type GeneratedAccount, generateAccount } from "../sim/scenarios/generate.ts";
import { awsClientsFor, BRANCHKEEPER_KEY, recordingLog } from "../test/support/reconciler-harness.ts";
import { setFaults } from "../test/support/sim-clients.ts";
import type { BenchOptions, BenchTarget, PartResult } from "./bench-part.ts";
import { bucketImposedTime, type ImposedTime, minus } from "./bucket-time.ts";
import { naiveSweep } from "./naive-sweep.ts";
import { RESULTS_DIR } from "./results-report.ts";
import { type SimHost, startSimHost } from "./sim-host.ts";
import { type CallCounts, countCalls, readStats, resetStats } from "./sim-stats.ts";

const PART = "sweep-cost";
/** Sizes measured so far (git-ignored `tmp/`), rewritten after each size. */
const PROGRESS = { dirname: new URL("tmp/", RESULTS_DIR), file: new URL("tmp/sweep-cost-progress.json", RESULTS_DIR) };
const LEAK_RATIO = 0.01;
const SEED = 1;
const GRACE_SECONDS = 600;
const QUICK_SIZES = [1_000, 10_000] as const;
const FULL_SIZES = [1_000, 10_000, 100_000] as const;
/** The hand-written sweep runs up to this size; above, its calls are estimated (≈ 2 calls per ENI, minutes even unthrottled). */
const NAIVE_MAX_RUN = 10_000;
/**
 * The simulator's bucket scale (size and refill × s) per account size: chosen so the hand-written
 * sweep's bucket-imposed time stays near 5 s at 1,000 ENIs and 25 s at 10,000 (at scale 1: 45 s and
 * 8 minutes); 100,000 ENIs run at EC2's real buckets (only Branchkeeper runs there).
 */
const SCALE_BY_SIZE: Readonly<Record<number, number>> = { 1000: 5, 10000: 20, 100000: 1 };
const scaleFor = (enis: number): number => SCALE_BY_SIZE[enis] ?? Math.max(1, Math.round(enis / 500));
/** Mutation pacing with the buckets off: high enough never to bind (pure cost). */
const UNTHROTTLED_MUTATIONS_PER_SECOND = 200;
/** With the buckets on, Branchkeeper paces its mutations at the delete bucket's sustained refill at the scale. */
const pacingFor = (scale: number): number => ec2RateLimitFor("DeleteNetworkInterface", true).refillPerSecond * scale;

type Contender = "branchkeeper" | "naive";

/** One sweep: wall time, calls, and the time EC2's buckets impose on the calls it made. */
export interface SweepFigures {
  readonly wallMs: number;
  readonly calls: CallCounts;
  /** Imposed by the buckets at the run's scale (buckets-on runs), from the calls EC2 let through. */
  readonly imposed?: ImposedTime;
  /** Imposed by EC2's real buckets (scale 1), for reference. */
  readonly imposedAtScale1: ImposedTime;
}

/** Which sweep ran, and with the buckets on or off. */
export interface ContenderRun {
  readonly contender: Contender;
  readonly throttled: boolean;
  readonly scale?: number;
  readonly mutationsPerSecond?: number;
  /** Branchkeeper: the first sweep (leaks in grace), then the one past the grace; naive: one. */
  readonly sweeps: readonly SweepFigures[];
  readonly wallMs: number;
  /** EC2 calls sent (throttled answers included) over all sweeps. */
  readonly ec2Calls: number;
  readonly ec2Throttled: number;
  readonly dynamodbReads: number;
  readonly dynamodbWrites: number;
  readonly reclaimed: number;
  readonly leaksLeft: number;
  /** ENIs deleted that were not leaked. */
  readonly wrongDeletions: number;
  /** Sum over sweeps of the imposed seconds at the run's scale (buckets reset before each sweep). */
  readonly imposedSeconds?: number;
}

/** The hand-written sweep where it was not run: calls per action scaled per branch ENI from a run. */
export interface NaiveEstimate {
  /** The size of the run it was scaled from; undefined when computed from the account alone (no run). */
  readonly fromSize?: number;
  readonly ec2: Record<string, number>;
  readonly ec2Calls: number;
  readonly imposedAtScale1: ImposedTime;
}

/** Every run at one account size. */
export interface SizeResult {
  readonly branchEnis: number;
  readonly leaks: number;
  readonly generateMs: number;
  readonly scale: number;
  readonly mutationsPerSecond: number;
  /** ceil(ENIs/1000) describe pages. */
  readonly pages: number;
  /** pages + one delete per leak (the issue's lower bound). */
  readonly lowerBound: number;
  /** lowerBound + one fresh single-ENI describe per delete (DESIGN.md's pre-delete check). */
  readonly lowerBoundWithRecheck: number;
  readonly runs: readonly ContenderRun[];
  readonly naiveEstimate?: NaiveEstimate;
}

const sum = (values: readonly number[]): number => values.reduce((total, value) => total + value, 0);
const accepted = (calls: CallCounts) => minus(calls.ec2, calls.ec2ThrottledByAction);

const measured = async (
  endpoint: string,
  scale: number | undefined,
  work: () => Promise<unknown>,
): Promise<SweepFigures> => {
  // A fresh faults config refills every bucket: sweeps are minutes apart, the buckets full at each start.
  await setFaults(endpoint, scale === undefined ? {} : { throttling: { enabled: true, scale } });
  await resetStats(endpoint);
  const started = performance.now();
  await work();
  const wallMs = Math.round(performance.now() - started);
  const calls = countCalls(await readStats(endpoint));
  return {
    wallMs,
    calls,
    ...(scale === undefined ? {} : { imposed: bucketImposedTime(accepted(calls), scale) }),
    imposedAtScale1: bucketImposedTime(accepted(calls), 1),
  };
};

let tables = 0;

const runBranchkeeper = async (endpoint: string, leaks: number, scale: number | undefined, pacing: number) => {
  const clients = awsClientsFor(endpoint);
  tables += 1;
  const table = `bench-sweep-cost-${tables}`;
  try {
    await clients.dynamodb.send(new CreateTableCommand(stateTableDefinition(table)));
    let now = Date.now();
    const { reconciler } = composeReconciler(
      loadConfig({
        TABLE_NAME: table,
        MODE: "enforce",
        LEAK_GRACE_SECONDS: String(GRACE_SECONDS),
        MAX_DELETES_PER_RUN: String(Math.max(100, leaks)),
        EC2_MUTATIONS_PER_SECOND: String(pacing),
      }),
      clients,
      { log: recordingLog(), now: () => new Date(now) },
    );
    const first = await measured(endpoint, scale, () => reconciler.sweep());
    now += (GRACE_SECONDS + 1) * 1000;
    const second = await measured(endpoint, scale, () => reconciler.sweep());
    await clients.dynamodb.send(new DeleteTableCommand({ TableName: table }));
    return [first, second];
  } finally {
    for (const client of Object.values(clients)) client.destroy();
  }
};

const runNaive = async (endpoint: string, scale: number | undefined) => {
  const ec2 = new EC2Client({
    endpoint,
    region: DEFAULT_REGION,
    credentials: { accessKeyId: BRANCHKEEPER_KEY, secretAccessKey: "secret" },
    maxAttempts: 10,
    retryMode: "adaptive",
  });
  try {
    return [await measured(endpoint, scale, () => naiveSweep(ec2))];
  } finally {
    ec2.destroy();
  }
};

/** The account as the runs see it: leaked ids change as deleted leaks are recreated. */
interface AccountIds {
  leaked: Set<string>;
  readonly count: number;
}

const runContender = async (
  host: SimHost,
  ids: AccountIds,
  contender: Contender,
  scale: number | undefined,
): Promise<ContenderRun> => {
  const pacing = scale === undefined ? UNTHROTTLED_MUTATIONS_PER_SECOND : pacingFor(scale);
  const sweeps =
    contender === "branchkeeper"
      ? await runBranchkeeper(host.endpoint, ids.count, scale, pacing)
      : await runNaive(host.endpoint, scale);
  await setFaults(host.endpoint, {});
  const { deleted, recreated } = await host.restore();
  const reclaimed = deleted.filter((id) => ids.leaked.has(id)).length;
  ids.leaked = new Set(Array.from(ids.leaked, (id) => recreated[id] ?? id));
  const total = (pick: (calls: CallCounts) => number) => sum(sweeps.map((sweep) => pick(sweep.calls)));
  return {
    contender,
    throttled: scale !== undefined,
    ...(scale === undefined ? {} : { scale }),
    ...(contender === "branchkeeper" ? { mutationsPerSecond: pacing } : {}),
    sweeps,
    wallMs: sum(sweeps.map((sweep) => sweep.wallMs)),
    ec2Calls: total((calls) => calls.ec2Total),
    ec2Throttled: total((calls) => calls.ec2Throttled),
    dynamodbReads: total((calls) => calls.dynamodbReads),
    dynamodbWrites: total((calls) => calls.dynamodbWrites),
    reclaimed,
    leaksLeft: ids.count - reclaimed,
    wrongDeletions: deleted.length - reclaimed,
    ...(scale === undefined ? {} : { imposedSeconds: sum(sweeps.map((sweep) => sweep.imposed?.seconds ?? 0)) }),
  };
};

/**
 * From its largest run, scaled per branch ENI; with no run to scale from, from the account: every ENI
 * paged (branch, trunk per running node, VPC CNI), then per branch ENI a Describe and a DescribeInstances,
 * and a delete per leak.
 */
const estimateNaive = (from: SizeResult | undefined, account: GeneratedAccount): NaiveEstimate => {
  const run =
    from?.runs.find((r) => r.contender === "naive" && !r.throttled) ?? from?.runs.find((r) => r.contender === "naive");
  const sweep = run?.sweeps[0];
  const enis = account.branchEnis;
  if (!from || !sweep) {
    const pages = Math.ceil((enis + account.runningInstances + account.vpcCniEnis) / 1000);
    const ec2 = {
      DescribeNetworkInterfaces: pages + enis,
      DescribeInstances: enis,
      DeleteNetworkInterface: account.leakedEniIds.length,
    };
    return { ec2, ec2Calls: sum(Object.values(ec2)), imposedAtScale1: bucketImposedTime(ec2, 1) };
  }
  const factor = enis / from.branchEnis;
  const ec2 = Object.fromEntries(
    Object.entries(accepted(sweep.calls)).map(([action, count]) => [action, Math.round(count * factor)]),
  );
  return {
    fromSize: from.branchEnis,
    ec2,
    ec2Calls: sum(Object.values(ec2)),
    imposedAtScale1: bucketImposedTime(ec2, 1),
  };
};

/** Every run at one size, on one generated account. */
export const measureSize = async (enis: number, full: boolean, naiveFrom?: SizeResult): Promise<SizeResult> => {
  const scale = scaleFor(enis);
  const host = await startSimHost();
  try {
    const account: GeneratedAccount = await generateAccount(host.endpoint, {
      enis,
      leakRatio: LEAK_RATIO,
      seed: SEED,
      // The simulator keeps no state for ENI permissions (no Describe shows them): skipping the
      // controller's CreateNetworkInterfacePermission per branch ENI builds the same account, faster.
      branchPermissions: false,
    });
    await host.snapshot();
    const ids: AccountIds = { leaked: new Set(account.leakedEniIds), count: account.leakedEniIds.length };
    const runNaiveHere = enis <= NAIVE_MAX_RUN;
    const plan: [Contender, number | undefined][] = [];
    if (full) plan.push(["branchkeeper", undefined]);
    if (full && runNaiveHere) plan.push(["naive", undefined]);
    plan.push(["branchkeeper", scale]);
    if (runNaiveHere) plan.push(["naive", scale]);
    const runs: ContenderRun[] = [];
    for (const [contender, runScale] of plan) {
      runs.push(await runContender(host, ids, contender, runScale));
    }
    const pages = Math.ceil(account.branchEnis / 1000);
    const leaks = account.leakedEniIds.length;
    const result: SizeResult = {
      branchEnis: account.branchEnis,
      leaks,
      generateMs: Math.round(account.buildMs),
      scale,
      mutationsPerSecond: pacingFor(scale),
      pages,
      lowerBound: pages + leaks,
      lowerBoundWithRecheck: pages + 2 * leaks,
      runs,
    };
    return runNaiveHere ? result : { ...result, naiveEstimate: estimateNaive(naiveFrom, account) };
  } finally {
    host.stop();
  }
};

// ---- the results table ----

const n = (value: number): string => value.toLocaleString("en");
const s = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const secs = (seconds: number): string => `${seconds.toFixed(seconds < 10 ? 2 : 1)} s`;
const ratio = (a: number, b: number): string => (b > 0 ? `×${(a / b).toFixed(2)}` : "×∞");
const SHORT_NAMES: Readonly<Record<string, string>> = {
  DescribeNetworkInterfaces: "DescribeNI",
  DescribeSecurityGroups: "DescribeSG",
  DescribeInstances: "DescribeInstances",
  DeleteNetworkInterface: "DeleteNI",
};
const perAction = (calls: Readonly<Record<string, number>>): string =>
  Object.entries(calls)
    .filter(([, count]) => count > 0)
    .map(([action, count]) => `${SHORT_NAMES[action] ?? action} ${n(count)}`)
    .join(", ");
const sweepCalls = (sweep: SweepFigures | undefined): number => sweep?.calls.ec2Total ?? 0;
const imposedText = (imposed: ImposedTime | undefined): string => {
  const binding = imposed?.binding;
  if (!imposed || !binding || imposed.seconds === 0) return "0 s (every call within its bucket's burst)";
  return `${secs(imposed.seconds)} (${binding.action}: (${n(binding.calls)} − ${n(binding.burst)}) / ${n(binding.refillPerSecond)}/s)`;
};

const targetsFor = (size: SizeResult): BenchTarget[] => {
  const label = `${n(size.branchEnis)} ENIs`;
  const find = (contender: Contender, throttled: boolean) =>
    size.runs.find((run) => run.contender === contender && run.throttled === throttled);
  const bk = find("branchkeeper", true);
  const bkOff = find("branchkeeper", false);
  const naive = find("naive", true);
  const naiveOff = find("naive", false);
  if (!bk) return [];
  const [steady, deleting] = bk.sweeps;
  const steadyCalls = sweepCalls(steady);
  const deletingCalls = sweepCalls(deleting);
  const lines: BenchTarget[] = [];
  const line = (target: string, figure: string, pass?: boolean) =>
    lines.push({ part: PART, target: `${label}: ${target}`, figure, ...(pass === undefined ? {} : { pass }) });
  const naiveWrong = naive ? `; hand-written: ${naive.reclaimed}/${size.leaks}, ${naive.wrongDeletions} wrong` : "";
  line(
    `Branchkeeper reclaims every leak (${size.leaks}), deletes nothing else`,
    `${bk.reclaimed}/${size.leaks} reclaimed, ${bk.wrongDeletions} wrong${naiveWrong}`,
    bk.leaksLeft === 0 && bk.wrongDeletions === 0 && (!bkOff || (bkOff.leaksLeft === 0 && bkOff.wrongDeletions === 0)),
  );
  line(
    `steady sweep (nothing to delete) EC2 calls ≤ 1.05 × ceil(ENIs/1000) = ${size.pages}`,
    `${steadyCalls} (${ratio(steadyCalls, size.pages)}): ${perAction(steady?.calls.ec2 ?? {})}`,
    steadyCalls <= 1.05 * size.pages,
  );
  line(
    `deleting sweep EC2 calls ≤ 1.05 × lower bound ${size.lowerBound} (pages + 1 delete per leak)`,
    `${deletingCalls} (${ratio(deletingCalls, size.lowerBound)}): ${perAction(deleting?.calls.ec2 ?? {})}`,
    deletingCalls <= 1.05 * size.lowerBound,
  );
  line(
    `deleting sweep EC2 calls ≤ 1.05 × (lower bound + 1 fresh Describe per delete, DESIGN.md) = ${size.lowerBoundWithRecheck}`,
    `${deletingCalls} (${ratio(deletingCalls, size.lowerBoundWithRecheck)})`,
    deletingCalls <= 1.05 * size.lowerBoundWithRecheck,
  );
  const cost = bkOff ?? bk;
  line(
    `Branchkeeper 2 sweeps: DynamoDB requests, wall time (buckets ${bkOff ? "off" : `on, scale ${size.scale}`})`,
    `${n(cost.dynamodbReads)} reads / ${n(cost.dynamodbWrites)} writes; ${cost.sweeps.map((sweep) => s(sweep.wallMs)).join(" + ")}` +
      `; other calls ${perAction(cost.sweeps[0]?.calls.other ?? {})} per sweep`,
  );
  const imposed = bk.imposedSeconds ?? 0;
  const deletes = deleting?.calls.ec2.DeleteNetworkInterface ?? 0;
  const paceFloor = Math.max(0, deletes - 1) / (bk.mutationsPerSecond ?? 1);
  const bkImposedAt1 = sum(bk.sweeps.map((sweep) => sweep.imposedAtScale1.seconds));
  line(
    `Branchkeeper wall ≤ 1.2 × bucket-imposed time (buckets on, scale ${size.scale}; mutations paced at ${bk.mutationsPerSecond}/s)`,
    `${s(bk.wallMs)} (${bk.sweeps.map((sweep) => s(sweep.wallMs)).join(" + ")}) vs imposed ` +
      (imposed > 0
        ? `${secs(imposed)} (${ratio(bk.wallMs / 1000, imposed)}); deleting sweep: ${imposedText(deleting?.imposed)}`
        : "0 s: every call within its bucket's burst") +
      `; at scale 1: ${secs(bkImposedAt1)}; its own pacing floor ${secs(paceFloor)} (${deletes} deletes); ` +
      `${n(bk.ec2Throttled)} throttled; the rest is its own work (${n(bk.dynamodbWrites)} DynamoDB writes)`,
    bk.wallMs / 1000 <= 1.2 * imposed,
  );
  if (naive) {
    const sweep = naive.sweeps[0];
    line(
      `hand-written sweep wall vs bucket-imposed time (same buckets, scale ${size.scale})`,
      `${s(naive.wallMs)} vs ${imposedText(sweep?.imposed)} (${ratio(naive.wallMs / 1000, naive.imposedSeconds ?? 0)}); ` +
        `${n(naive.ec2Calls - naive.ec2Throttled)} calls + ${n(naive.ec2Throttled)} throttled` +
        (naiveOff ? `; buckets off ${s(naiveOff.wallMs)}` : "") +
        `; at scale 1 ≥ ${secs(sweep?.imposedAtScale1.seconds ?? 0)}`,
    );
    line(
      "Branchkeeper (2 sweeps) makes fewer EC2 calls than the hand-written sweep (1 pass)",
      `${n(bk.ec2Calls)} vs ${n(naive.ec2Calls)} (${ratio(naive.ec2Calls, bk.ec2Calls)} fewer); wall under the same buckets ` +
        `${s(bk.wallMs)} vs ${s(naive.wallMs)}, at EC2's real buckets ≥ ${secs(bkImposedAt1)} vs ≥ ${secs(sweep?.imposedAtScale1.seconds ?? 0)}`,
      bk.ec2Calls < naive.ec2Calls,
    );
  } else if (size.naiveEstimate) {
    const estimate = size.naiveEstimate;
    line(
      `hand-written sweep: not run, estimated ${estimate.fromSize === undefined ? "from the account (≈ 2 calls per branch ENI)" : `per branch ENI from its ${n(estimate.fromSize)}-ENI run`}`,
      `≈ ${n(estimate.ec2Calls)} EC2 calls (${perAction(estimate.ec2)}), ≥ ${secs(estimate.imposedAtScale1.seconds)} under EC2's real buckets; ` +
        `Branchkeeper ${n(bk.ec2Calls)} calls (${ratio(estimate.ec2Calls, bk.ec2Calls)} fewer)`,
      bk.ec2Calls < estimate.ec2Calls,
    );
  }
  return lines;
};

/** Part (1) over the mode's sizes (or `options.sizes`). */
export const sweepCost = async (options: BenchOptions): Promise<PartResult> => {
  const sizes = options.sizes ?? (options.full ? FULL_SIZES : QUICK_SIZES);
  const results: SizeResult[] = [];
  const timings: string[] = [];
  for (const enis of sizes) {
    const started = performance.now();
    const load = (loadavg()[0] ?? 0).toFixed(1);
    const naiveFrom = results.filter((r) => r.runs.some((run) => run.contender === "naive")).at(-1);
    const result = await measureSize(enis, options.full, naiveFrom);
    results.push(result);
    const took = s(performance.now() - started);
    timings.push(`${n(enis)}: ${took} (generating ${s(result.generateMs)}; load average ${load} at its start)`);
    console.log(`  sweep-cost ${n(enis)} ENIs: ${took}`);
    // A long run (--full) keeps what it measured so far, should it not finish.
    await mkdir(PROGRESS.dirname, { recursive: true });
    await writeFile(PROGRESS.file, `${JSON.stringify({ full: options.full, sizes: results }, null, 2)}\n`);
  }
  const scales = results.map((r) => `${n(r.branchEnis)} ENIs → scale ${r.scale}`).join(", ");
  const notes = [
    `accounts from sim/scenarios/generate.ts (seed ${SEED}, ${LEAK_RATIO * 100}% of branch ENIs leaked by terminated nodes, ` +
      "with their trunks, instances, VPC CNI ENIs and security groups), one per size; ENIs a run deleted are recreated " +
      "from the simulator's model before the next run (same subnet, address, groups, tags; new id), so every run sees the same account",
    "simulator in a child process, sweeps in this one; EC2 calls per action and DynamoDB requests from /_sim/stats " +
      "(a throttled answer counts as a call); Branchkeeper: composeReconciler in enforce mode, a fresh state table per run, " +
      `second sweep with its clock ${GRACE_SECONDS + 1} s later (past LEAK_GRACE_SECONDS=${GRACE_SECONDS})`,
    "lower bounds: pages = ceil(branch ENIs / 1000); issue's bound = pages + leaks; with DESIGN.md's fresh single-ENI " +
      "Describe before each delete = pages + 2 × leaks; steady sweep = pages (Branchkeeper's one filtered listing also returns trunk ENIs, " +
      "and it reads security groups and instances: 3 more EC2 calls per sweep)",
    "bucket-imposed time of a sweep = max over EC2 actions of max(0, (calls − burst × s) / (refill × s)), " +
      "buckets as sim/control/ec2-rate-limits.ts classifies them (DOMAIN.md §6; every call here is filtered, by id or paged), " +
      "full at each sweep's start, one bucket per action; summed over a run's sweeps; a lower bound for any client",
    `simulator bucket scale s (size and refill × s): ${scales}; with the buckets on Branchkeeper's EC2_MUTATIONS_PER_SECOND = ` +
      `5 × s (the delete bucket's refill; its pacer has a burst of 1), ${UNTHROTTLED_MUTATIONS_PER_SECOND} with them off; ` +
      `buckets-off runs (the contenders' own floor): ${options.full ? "every contender" : "none in quick mode (--full)"}; ` +
      "Branchkeeper's calls are the same with the buckets off when none is throttled (the figures say how many were)",
    `the hand-written sweep (bench/naive-sweep.ts: unfiltered paged Describe, per branch ENI a fresh Describe and a DescribeInstances, ` +
      `delete if available; SDK adaptive retries, 10 attempts) runs up to ${n(NAIVE_MAX_RUN)} ENIs; above, its calls are estimated (scaled per branch ENI from its largest run, else from the account)`,
    `time per size: ${timings.join("; ")}`,
  ];
  return {
    part: PART,
    data: { leakRatio: LEAK_RATIO, seed: SEED, graceSeconds: GRACE_SECONDS, sizes: results },
    targets: results.flatMap(targetsFor),
    notes,
  };
};
