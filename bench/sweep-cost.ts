/**
 * Part (1), sweep cost vs account size: for each size, an account of that many branch ENIs with 1%
 * leaked (`generateAccount`), then each contender on a fresh simulator holding the same account:
 * - Branchkeeper: two sweeps in enforce mode, the second with the pass clock moved past the grace
 *   (the first only sees the leaks, the second reclaims them);
 * - the hand-written sweep (`naive-sweep.ts`): one pass.
 * Each is measured with the simulator's buckets off (pure cost) and on at the stated scale (the wall
 * time EC2's real limits would impose). Calls come from `/_sim/stats`; the lower bound is
 * ceil(branch ENIs / 1000) describe pages plus one delete per leak.
 */
import { CreateTableCommand } from "@aws-sdk/client-dynamodb";
import { EC2Client } from "@aws-sdk/client-ec2";
import { composeReconciler } from "../core/aws/compose-reconciler.ts";
import { stateTableDefinition } from "../core/aws/state-table.ts";
import { loadConfig } from "../core/config.ts";
import { DEFAULT_REGION, startSimulator } from "../sim/index.ts";
import { type GeneratedAccount, generateAccount } from "../sim/scenarios/generate.ts";
import { awsClientsFor, BRANCHKEEPER_KEY, recordingLog } from "../test/support/reconciler-harness.ts";
import { setFaults } from "../test/support/sim-clients.ts";
import type { BenchOptions, BenchTarget, PartResult } from "./bench-part.ts";
import { naiveSweep } from "./naive-sweep.ts";
import { type CallCounts, countCalls, readStats, resetStats } from "./sim-stats.ts";

const LEAK_RATIO = 0.01;
const SEED = 1;
const GRACE_SECONDS = 600;
/** The simulator's buckets at EC2's real size and refill (DOMAIN.md §6). */
const THROTTLE_SCALE = 1;
const TABLE = "bench-sweep-cost";
const QUICK_SIZES = [1_000, 10_000] as const;
const FULL_SIZES = [1_000, 10_000, 100_000] as const;
/**
 * Largest size measured with the buckets on: the hand-written sweep's per-ENI calls drain them at
 * ~10/s, about 45 s per 1,000 ENIs, so beyond this it is not run (quick mode stays under 5 minutes).
 */
const QUICK_MAX_THROTTLED = 1_000;
const FULL_MAX_THROTTLED = 10_000;

/** Which sweep ran, and with EC2's buckets on or off. */
export interface ContenderRun {
  readonly contender: "branchkeeper" | "naive";
  readonly throttled: boolean;
  /** Per sweep (Branchkeeper: first, then after the grace; naive: one). */
  readonly sweeps: readonly { readonly wallMs: number; readonly calls: CallCounts }[];
  readonly wallMs: number;
  readonly ec2Calls: number;
  readonly ec2Throttled: number;
  readonly dynamodbReads: number;
  readonly dynamodbWrites: number;
  /** Leaked ENIs still present after the run. */
  readonly leaksLeft: number;
  /** ENIs deleted that were not leaked (in use when the account was built). */
  readonly wrongDeletions: number;
  /** EC2 calls over the lower bound. */
  readonly ratioToLowerBound: number;
}

/** Every contender at one account size. */
export interface SizeResult {
  readonly branchEnis: number;
  readonly leaks: number;
  readonly generateMs: number;
  /** ceil(branch ENIs / 1000) describe pages + one delete per leak. */
  readonly lowerBound: number;
  readonly throttleScale: number;
  /** False when the size is above the mode's largest throttled size: only the buckets-off runs. */
  readonly throttledRuns: boolean;
  readonly runs: readonly ContenderRun[];
}

const lowerBoundFor = (account: GeneratedAccount): number =>
  Math.ceil(account.branchEnis / 1000) + account.leakedEniIds.length;

/** Whether EC2 still holds an ENI, read from the simulator's model (no call counted). */
type PresentEni = (id: string) => boolean;

const remaining = (account: GeneratedAccount, present: PresentEni) => ({
  leaksLeft: account.leakedEniIds.filter(present).length,
  wrongDeletions: account.inUseEniIds.filter((id) => !present(id)).length,
});

const sum = (runs: readonly { calls: CallCounts }[], pick: (calls: CallCounts) => number): number =>
  runs.reduce((total, run) => total + pick(run.calls), 0);

const measured = async <T>(endpoint: string, work: () => Promise<T>) => {
  await resetStats(endpoint);
  const started = performance.now();
  await work();
  const wallMs = Math.round(performance.now() - started);
  return { wallMs, calls: countCalls(await readStats(endpoint)) };
};

const runBranchkeeper = async (endpoint: string, leaks: number) => {
  const clients = awsClientsFor(endpoint);
  try {
    await clients.dynamodb.send(new CreateTableCommand(stateTableDefinition(TABLE)));
    let now = Date.now();
    const { reconciler } = composeReconciler(
      loadConfig({
        TABLE_NAME: TABLE,
        MODE: "enforce",
        LEAK_GRACE_SECONDS: String(GRACE_SECONDS),
        MAX_DELETES_PER_RUN: String(Math.max(100, leaks)),
        EC2_MUTATIONS_PER_SECOND: "200",
      }),
      clients,
      { log: recordingLog(), now: () => new Date(now) },
    );
    const first = await measured(endpoint, () => reconciler.sweep());
    now += (GRACE_SECONDS + 1) * 1000;
    const second = await measured(endpoint, () => reconciler.sweep());
    return [first, second];
  } finally {
    for (const client of Object.values(clients)) client.destroy();
  }
};

const runNaive = async (endpoint: string) => {
  const ec2 = new EC2Client({
    endpoint,
    region: DEFAULT_REGION,
    credentials: { accessKeyId: BRANCHKEEPER_KEY, secretAccessKey: "secret" },
    maxAttempts: 10,
    retryMode: "adaptive",
  });
  try {
    return [await measured(endpoint, () => naiveSweep(ec2))];
  } finally {
    ec2.destroy();
  }
};

const runContender = async (
  contender: ContenderRun["contender"],
  throttled: boolean,
  enis: number,
): Promise<{ account: GeneratedAccount; generateMs: number; run: ContenderRun }> => {
  const sim = await startSimulator({ port: 0 });
  try {
    const account = await generateAccount(sim.endpoint, { enis, leakRatio: LEAK_RATIO, seed: SEED });
    const model = sim.simulator.world.ec2.networkInterfaces.enis;
    if (throttled) await setFaults(sim.endpoint, { throttling: { enabled: true, scale: THROTTLE_SCALE } });
    const sweeps =
      contender === "branchkeeper"
        ? await runBranchkeeper(sim.endpoint, account.leakedEniIds.length)
        : await runNaive(sim.endpoint);
    const ec2Calls = sum(sweeps, (calls) => calls.ec2Total);
    return {
      account,
      generateMs: account.buildMs,
      run: {
        contender,
        throttled,
        sweeps,
        wallMs: sweeps.reduce((total, sweep) => total + sweep.wallMs, 0),
        ec2Calls,
        ec2Throttled: sum(sweeps, (calls) => calls.ec2Throttled),
        dynamodbReads: sum(sweeps, (calls) => calls.dynamodbReads),
        dynamodbWrites: sum(sweeps, (calls) => calls.dynamodbWrites),
        ...remaining(account, (id) => model.has(id)),
        ratioToLowerBound: Number((ec2Calls / lowerBoundFor(account)).toFixed(2)),
      },
    };
  } finally {
    await sim.stop();
  }
};

/** Every contender, buckets off then (if `throttledRuns`) on, at one size (a fresh simulator and the same seeded account each). */
export const measureSize = async (enis: number, throttledRuns: boolean): Promise<SizeResult> => {
  const runs: ContenderRun[] = [];
  let first: { account: GeneratedAccount; generateMs: number } | undefined;
  for (const throttled of throttledRuns ? [false, true] : [false]) {
    for (const contender of ["branchkeeper", "naive"] as const) {
      const result = await runContender(contender, throttled, enis);
      first ??= result;
      runs.push(result.run);
    }
  }
  if (!first) throw new Error("no contender ran");
  return {
    branchEnis: first.account.branchEnis,
    leaks: first.account.leakedEniIds.length,
    generateMs: first.generateMs,
    lowerBound: lowerBoundFor(first.account),
    throttleScale: THROTTLE_SCALE,
    throttledRuns,
    runs,
  };
};

const targetsFor = (size: SizeResult): BenchTarget[] => {
  const label = `${size.branchEnis.toLocaleString("en")} ENIs`;
  const find = (contender: ContenderRun["contender"], throttled: boolean) =>
    size.runs.find((run) => run.contender === contender && run.throttled === throttled);
  const bk = find("branchkeeper", false);
  const naive = find("naive", false);
  const bkThrottled = find("branchkeeper", true);
  const naiveThrottled = find("naive", true);
  const lines: BenchTarget[] = [];
  if (bk) {
    lines.push({
      part: "sweep-cost",
      target: `${label}: Branchkeeper reclaims every leak, no wrong deletion`,
      figure: `${size.leaks - bk.leaksLeft}/${size.leaks} reclaimed, ${bk.wrongDeletions} wrong`,
      pass: bk.leaksLeft === 0 && bk.wrongDeletions === 0,
    });
    lines.push({
      part: "sweep-cost",
      target: `${label}: EC2 calls (2 sweeps) vs lower bound ${size.lowerBound}`,
      figure: `${bk.ec2Calls} calls (×${bk.ratioToLowerBound}), DynamoDB ${bk.dynamodbReads} reads / ${bk.dynamodbWrites} writes, ${bk.wallMs} ms`,
    });
  }
  if (bk && naive) {
    lines.push({
      part: "sweep-cost",
      target: `${label}: fewer EC2 calls than the hand-written sweep`,
      figure: `${bk.ec2Calls} vs ${naive.ec2Calls} (naive ${naive.wrongDeletions} wrong, ${naive.wallMs} ms)`,
      pass: bk.ec2Calls < naive.ec2Calls,
    });
  }
  if (bkThrottled && naiveThrottled) {
    lines.push({
      part: "sweep-cost",
      target: `${label}: wall time under EC2's buckets (scale ${size.throttleScale}), Branchkeeper faster`,
      figure: `${bkThrottled.wallMs} ms (${bkThrottled.ec2Throttled} throttled) vs naive ${naiveThrottled.wallMs} ms (${naiveThrottled.ec2Throttled} throttled)`,
      pass: bkThrottled.wallMs < naiveThrottled.wallMs,
    });
  }
  return lines;
};

/** Part (1) over the mode's sizes (or `options.sizes`). */
export const sweepCost = async (options: BenchOptions): Promise<PartResult> => {
  const sizes = options.sizes ?? (options.full ? FULL_SIZES : QUICK_SIZES);
  const results: SizeResult[] = [];
  const maxThrottled = options.full ? FULL_MAX_THROTTLED : QUICK_MAX_THROTTLED;
  for (const enis of sizes) results.push(await measureSize(enis, enis <= maxThrottled));
  return {
    part: "sweep-cost",
    data: { leakRatio: LEAK_RATIO, seed: SEED, sizes: results },
    targets: results.flatMap(targetsFor),
  };
};
