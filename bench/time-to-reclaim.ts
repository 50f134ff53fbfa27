/**
 * Part (5), time to reclaim and safety side by side: one seeded damage scenario (nodes terminated, a
 * cluster deleted, pods torn down with branch ENIs briefly `available`, teardowns lost to controller
 * restarts or failed deletes, VPC CNI ENIs and look-alikes as traps), applied to the simulator in
 * virtual time with Branchkeeper running for real (events, sweeps, follow-ups), and the same truth
 * given to models of the VPC resource controller's cleaner, eksctl's delete-time cleanup and a Cloud
 * Custodian policy. Leaked-ENI-minutes, p50/p99 time to reclaim, never reclaimed, wrong deletions.
 *
 *   npx tsx -e 'import("./bench/time-to-reclaim.ts").then(async (m) => console.log((await m.timeToReclaim({ full: false })).targets))'
 */

import { EVENTS_QUEUE } from "../stacks/events-queue.ts";
import type { BenchOptions, BenchTarget, PartResult } from "./bench-part.ts";
import { type BranchkeeperRunResult, runBranchkeeper } from "./reclaim/branchkeeper-run.ts";
import { MODEL_SOURCES, MODEL_TITLES, type ModelName, runModels } from "./reclaim/contenders.ts";
import { DEFAULT_DELIVERY_DELAYS } from "./reclaim/event-delivery.ts";
import { type ContenderMetrics, measureContender } from "./reclaim/metrics.ts";
import { DEFAULT_DAMAGE, generateScenario, POLICIES } from "./reclaim/scenario.ts";
import type { ScenarioOptions } from "./reclaim/scenario-types.ts";
import { leakGroups } from "./reclaim/slow-leaks.ts";

const PART = "time-to-reclaim";
const SEED = 7;
/** The stack's sweep schedule, `rate(10 minutes)`; a sweep starts up to 3 s late. */
const SWEEP_EVERY_SECONDS = 600;
/** The target's margin over the grace. */
const TARGET_MARGIN_SECONDS = 120;

/** Quick: 3 clusters, 816 branch ENIs at the start, 1.5 h of damage, 1 h quiet tail. Full: 4 clusters, 1,904, 5 h + 1 h. */
export const scenarioOptions = (full: boolean): ScenarioOptions =>
  full
    ? {
        seed: SEED,
        damageSeconds: 5 * 3600,
        horizonSeconds: 6 * 3600,
        clusters: [
          { name: "alpha", nodes: 20, podsPerNode: 28, instanceType: "m5.2xlarge", controller: "current" },
          { name: "beta", nodes: 20, podsPerNode: 28, instanceType: "m5.2xlarge", controller: "current" },
          { name: "delta", nodes: 12, podsPerNode: 28, instanceType: "m5.2xlarge", controller: "pre-2025" },
          {
            name: "gamma",
            nodes: 16,
            podsPerNode: 28,
            instanceType: "m5.2xlarge",
            controller: "pre-2025",
            deleteAt: 2.5 * 3600 + 420,
          },
        ],
        damage: DEFAULT_DAMAGE,
      }
    : {
        seed: SEED,
        damageSeconds: 1.5 * 3600,
        horizonSeconds: 2.5 * 3600,
        clusters: [
          { name: "alpha", nodes: 12, podsPerNode: 24, instanceType: "m5.2xlarge", controller: "current" },
          { name: "beta", nodes: 12, podsPerNode: 24, instanceType: "m5.2xlarge", controller: "current" },
          {
            name: "gamma",
            nodes: 10,
            podsPerNode: 24,
            instanceType: "m5.2xlarge",
            controller: "pre-2025",
            deleteAt: 3300,
          },
        ],
        damage: DEFAULT_DAMAGE,
      };

const seconds = (n: number | null): string => (n === null ? "—" : `${Math.round(n)} s`);

const figure = (m: ContenderMetrics): string =>
  `${m.reclaimed}/${m.leaks} reclaimed, ${m.neverReclaimed} never, ${m.leakedEniMinutes} leaked-ENI-min, ` +
  `p50 ${seconds(m.p50Seconds)}, p99 ${seconds(m.p99Seconds)}, ${m.wrongDeletions} wrong` +
  (m.wrongDeletions > 0
    ? ` (${Object.entries(m.wrongByReason)
        .map(([reason, n]) => `${reason} ${n}`)
        .join(", ")})`
    : "");

/** What a Branchkeeper run reports, without the per-ENI lists. */
const runSummary = (
  run: BranchkeeperRunResult,
  metrics: ContenderMetrics,
  truth: Parameters<typeof leakGroups>[0],
  bound: number,
) => ({
  metrics,
  leakGroups: leakGroups(truth, run.deletions, run.detection, bound),
  cloudTrailDeletions: run.cloudTrailDeletions,
  ec2Calls: run.ec2Calls,
  ec2CallsTotal: Object.values(run.ec2Calls).reduce((a, b) => a + b, 0),
  stats: run.stats,
  ruleMatches: run.ruleMatches,
  appliedActions: run.applied,
  mismatches: run.mismatches,
  audits: run.audits,
  buildMs: run.buildMs,
  runMs: run.runMs,
});

/** Run the part: Branchkeeper for real (with follow-ups; without them too in full mode), the models on the truth. */
export const timeToReclaim = async (options: BenchOptions): Promise<PartResult> => {
  const started = performance.now();
  const scenarioOpts = scenarioOptions(options.full);
  const scenario = generateScenario(scenarioOpts);
  const horizon = scenarioOpts.horizonSeconds;
  const deployment = {
    sweepEverySeconds: SWEEP_EVERY_SECONDS,
    sweepJitterSeconds: 3,
    delays: DEFAULT_DELIVERY_DELAYS,
    seed: SEED,
    auditEverySeconds: 900,
  };
  const shipped = await runBranchkeeper(scenario, { ...deployment, followUps: true });
  const noFollowUps = options.full ? await runBranchkeeper(scenario, { ...deployment, followUps: false }) : undefined;
  const models = runModels(scenario, SEED);

  const grace = shipped.graceSeconds;
  const bound = grace + TARGET_MARGIN_SECONDS;
  const branchkeeper = measureContender("branchkeeper", scenario.truth, shipped.deletions, horizon);
  const withoutFollowUps = noFollowUps
    ? measureContender("branchkeeper-no-follow-ups", scenario.truth, noFollowUps.deletions, horizon)
    : undefined;
  const modelMetrics = (Object.keys(models) as ModelName[]).map((name) =>
    measureContender(name, scenario.truth, models[name], horizon),
  );
  const pass =
    branchkeeper.p99Seconds !== null && branchkeeper.p99Seconds <= bound && branchkeeper.wrongDeletions === 0;
  const groups = leakGroups(scenario.truth, shipped.deletions, shipped.detection, bound);

  const branchEnis = scenario.truth.filter((e) => e.kind === "branch").length;
  const initial = scenarioOpts.clusters.reduce((n, c) => n + c.nodes * c.podsPerNode, 0);
  const causes = Object.entries(branchkeeper.byCause)
    .map(([cause, f]) => `${cause} ${f?.leaks}`)
    .join(", ");
  const ec2Total = Object.values(shipped.ec2Calls).reduce((a, b) => a + b, 0);
  const targets: BenchTarget[] = [
    {
      part: PART,
      target: `scenario (seed ${SEED}, ${horizon / 3600} h virtual, ${scenarioOpts.clusters.length} clusters, one deleted): ${initial} branch ENIs at the start, ${branchEnis} in all`,
      figure: `${branchkeeper.leaks} leaks (${causes}); EC2 matched the truth at ${shipped.audits} audits: ${shipped.mismatches.length} mismatches`,
    },
    {
      part: PART,
      target: `Branchkeeper (events + sweep + follow-ups): p99 time to reclaim ≤ grace + ${TARGET_MARGIN_SECONDS} s (${bound} s), 0 wrong deletions`,
      figure: figure(branchkeeper),
      pass,
    },
    {
      part: PART,
      target: `Branchkeeper: leaks over ${bound} s, by cause and by what first found them`,
      figure:
        groups
          .filter((g) => g.slow > 0)
          .map(
            (g) =>
              `${g.cause} ${g.slow}/${g.leaks} (found by ${g.foundBy} at ${g.detectionSeconds?.min}–${g.detectionSeconds?.max} s, reclaimed at ${g.reclaimSeconds?.min}–${g.reclaimSeconds?.max} s)`,
          )
          .join("; ") || "none",
    },
    ...(withoutFollowUps
      ? [
          {
            part: PART,
            target: "Branchkeeper without follow-ups (events + sweep only)",
            figure: figure(withoutFollowUps),
          },
        ]
      : []),
    ...modelMetrics.map((m) => ({
      part: PART,
      target: MODEL_TITLES[m.contender as ModelName],
      figure: figure(m),
    })),
    {
      part: PART,
      target: "Branchkeeper EC2 calls over the run",
      figure: `${ec2Total} (${Object.entries(shipped.ec2Calls)
        .sort((a, b) => b[1] - a[1])
        .map(([action, n]) => `${action} ${n}`)
        .join(
          ", ",
        )}); ${shipped.stats.eventPasses} event passes for ${shipped.stats.messages} messages in ${shipped.stats.batches} batches, ${shipped.stats.sweeps} sweeps`,
    },
  ];
  const notes = [
    `Scenario: seed ${SEED}, ${scenarioOpts.clusters.map((c) => `${c.name} ${c.nodes}×${c.podsPerNode} pods (${c.controller} controller${c.deleteAt === undefined ? "" : `, deleted at ${Math.round(c.deleteAt / 60)} min`})`).join(", ")}; damage for ${scenarioOpts.damageSeconds / 3600} h, then a quiet hour: per live cluster ${DEFAULT_DAMAGE.podDeletionsPerHour} pod teardowns/h (branch ENI available ${DEFAULT_DAMAGE.teardownWindow.join("–")} s while the controller deletes it; ${DEFAULT_DAMAGE.teardownFailureRate * 100} % fail MaxDeleteRetries and are forgotten), ${DEFAULT_DAMAGE.nodeTerminationsPerHour} node terminations/h (node cleanup ${DEFAULT_DAMAGE.nodeCleanupDelay.join("–")} s later, fails as a whole ${DEFAULT_DAMAGE.nodeCleanupFailureRate * 100} %, per delete ${DEFAULT_DAMAGE.nodeCleanupDeleteFailureRate * 100} %, never finds pre-2025 branch ENIs, which lack the node tag), ${DEFAULT_DAMAGE.controllerRestarts} controller restarts (a teardown under way is lost), VPC CNI ENIs available ${DEFAULT_DAMAGE.cniTrapWindow.join("–")} s and look-alikes with the branch description but another owner. Security groups: ${POLICIES.map((p) => `${Math.round(p.weight * 100)} % ${p.roles.join("+")}`).join(", ")}.`,
    `Leak: a branch ENI available that no owner will ever delete, from the moment nobody acts on it (trunk gone with a pre-2025 controller; node cleanup failed; teardown given up; controller crashed mid-teardown). Wrong deletion: an ENI in use, racing its owner (teardown under way, node cleanup pending, VPC CNI attaching), or not the controller's branch ENI. Every model sees the same truth that the driver applied to the simulator; EC2 is compared with it every 15 virtual minutes.`,
    `Branchkeeper runs for real: composeReconciler in enforce mode with the contract's defaults (grace ${grace} s, MAX_DELETES_PER_RUN 100, 2 EC2 mutations/s), its pass clock and pacing on the virtual clock. Events the stack's rules match are visible on the queue after ${DEFAULT_DELIVERY_DELAYS.stateChange.join("–")} s (instance state changes) or ${DEFAULT_DELIVERY_DELAYS.cloudTrail.join("–")} s (CloudTrail); the consumer takes batches of ≤ ${EVENTS_QUEUE.batchSize} after the ${EVENTS_QUEUE.batchWindowSeconds} s window, ${EVENTS_QUEUE.concurrency} at once, each batch reconciled together (EventIntake.batch: merged passes, one delete budget); failed records return after ${EVENTS_QUEUE.visibilityTimeoutSeconds} s. Follow-ups are messages delayed by min(dueAt − now, 900 s). Sweeps every ${SWEEP_EVERY_SECONDS / 60} min.`,
    ...Object.values(MODEL_SOURCES),
    "Simulator caveat: TerminateInstances deletes the trunk at once, so an instance event never finds a pre-2025 branch ENI through its trunk; in EC2 the trunk may outlive the shutting-down event briefly.",
  ];
  return {
    part: PART,
    notes,
    data: {
      mode: options.full ? "full" : "quick",
      runtimeMs: Math.round(performance.now() - started),
      scenario: {
        options: scenarioOpts,
        policies: POLICIES,
        branchEnis,
        restarts: scenario.restarts,
        actions: shipped.applied,
      },
      delivery: {
        visibleAfterSeconds: DEFAULT_DELIVERY_DELAYS,
        queue: EVENTS_QUEUE,
        followUps: "delayed message: min(dueAt − now, 900 s), then the queue's batching window",
      },
      sweepEverySeconds: SWEEP_EVERY_SECONDS,
      graceSeconds: grace,
      targetSeconds: bound,
      sources: MODEL_SOURCES,
      contenders: [branchkeeper, ...(withoutFollowUps ? [withoutFollowUps] : []), ...modelMetrics],
      branchkeeper: {
        withFollowUps: runSummary(shipped, branchkeeper, scenario.truth, bound),
        ...(noFollowUps && withoutFollowUps
          ? { withoutFollowUps: runSummary(noFollowUps, withoutFollowUps, scenario.truth, bound) }
          : {}),
      },
    },
    targets,
  };
};
