import { DescribeNetworkInterfacesCommand, type DescribeNetworkInterfacesCommandOutput } from "@aws-sdk/client-ec2";
import { startSimulator } from "../../sim/index.ts";
import { actorClients } from "../../sim/scenarios/scenario-clients.ts";
import {
  BRANCHKEEPER_ACCESS_KEY,
  BranchkeeperDeployment,
  type DeploymentOptions,
  type DeploymentStats,
} from "./branchkeeper-deployment.ts";
import { branchkeeperRules } from "./event-delivery.ts";
import type { ModelDeletion } from "./model-deletion.ts";
import type { ReclaimScenario } from "./scenario-types.ts";
import { statusAt } from "./truth.ts";
import { VirtualTime } from "./virtual-time.ts";
import { type DriverMismatch, WorldDriver } from "./world-driver.ts";

/** Who may look at the simulator's ENIs to check the truth: not Branchkeeper, not an actor. */
const AUDITOR_KEY = "AKIDBENCHAUDITOR";

export interface BranchkeeperRunResult {
  /** Branchkeeper's successful deletions, by logical key (`unknown:<eni-id>` when not a scenario ENI). */
  readonly deletions: readonly ModelDeletion[];
  /** Its successful DeleteNetworkInterface calls as CloudTrail recorded them (the cross-check). */
  readonly cloudTrailDeletions: number;
  readonly ec2Calls: Readonly<Record<string, number>>;
  readonly stats: DeploymentStats;
  readonly graceSeconds: number;
  /** World actions applied, by kind. */
  readonly applied: Readonly<Record<string, number>>;
  /** Events on the default bus that the stack's rules matched (Branchkeeper's own calls included). */
  readonly ruleMatches: number;
  /** Differences between the truth (what the models see) and EC2; expected none. */
  readonly mismatches: readonly DriverMismatch[];
  readonly audits: number;
  /** Per leak (logical key): seconds from the leak to Branchkeeper's first evidence, and which pass recorded it. */
  readonly detection: Readonly<Record<string, { readonly seconds: number; readonly by: string }>>;
  readonly buildMs: number;
  readonly runMs: number;
}

/**
 * Run Branchkeeper against the scenario's world: build it in a fresh simulator, then apply the actions
 * in virtual time with the simulator's clock and Branchkeeper's pass clock moving together, every event
 * the stack's rules match delivered to it, sweeps on the schedule. The simulator's clock and event log
 * are used through its in-process handle (what `POST /_sim/clock` and `GET /_sim/events` do, without an
 * HTTP round trip per step). At each audit time (and at the end) EC2's ENIs are compared with the truth,
 * so the pure models are known to see the world Branchkeeper saw.
 */
export const runBranchkeeper = async (
  scenario: ReclaimScenario,
  options: DeploymentOptions & { readonly auditEverySeconds: number },
): Promise<BranchkeeperRunResult> => {
  const sim = await startSimulator({ port: 0 });
  const driver = new WorldDriver(sim.endpoint, scenario);
  const auditor = actorClients(sim.endpoint, AUDITOR_KEY);
  let deployment: BranchkeeperDeployment | undefined;
  try {
    const buildStarted = performance.now();
    await driver.build();
    const buildMs = performance.now() - buildStarted;

    const world = () => sim.simulator.world;
    const startMs = Math.ceil(world().clock.now().getTime() / 1000) * 1000;
    world().clock.set(new Date(startMs));
    const time = new VirtualTime(startMs);
    deployment = new BranchkeeperDeployment(sim.endpoint, time, options);
    await deployment.init(`branchkeeper-reclaim-${options.seed}-${options.followUps ? "f" : "n"}`);
    const horizonMs = startMs + scenario.options.horizonSeconds * 1000;
    driver.schedule(time, startMs);
    deployment.scheduleSweeps(startMs, horizonMs);

    const mismatches: DriverMismatch[] = [];
    let audits = 0;
    const audit = async () => {
      audits += 1;
      const t = (time.now() - startMs) / 1000;
      const seen = new Map<string, string>();
      let token: string | undefined;
      do {
        const page: DescribeNetworkInterfacesCommandOutput = await auditor.ec2.send(
          new DescribeNetworkInterfacesCommand({ MaxResults: 1000, NextToken: token }),
        );
        for (const eni of page.NetworkInterfaces ?? []) seen.set(eni.NetworkInterfaceId ?? "", eni.Status ?? "");
        token = page.NextToken;
      } while (token);
      for (const eni of scenario.truth) {
        const id = driver.eniIds.get(eni.key);
        if (id === undefined) continue;
        const deletedAt = deployment?.deleted.get(id);
        const truth = deletedAt !== undefined && deletedAt <= time.now() ? "deleted" : (statusAt(eni, t) ?? "deleted");
        const actual = seen.get(id) ?? "deleted";
        if (truth !== actual) mismatches.push({ at: t, what: `${eni.key} is ${actual} in EC2, ${truth} in the truth` });
      }
    };
    for (
      let at = options.auditEverySeconds / 2;
      at < scenario.options.horizonSeconds;
      at += options.auditEverySeconds
    ) {
      time.at(startMs + at * 1000, audit);
    }

    const rules = branchkeeperRules();
    let cursor = world().events.size;
    let ruleMatches = 0;
    const runStarted = performance.now();
    await time.run(horizonMs, {
      onAdvance: (ms) => {
        world().clock.set(new Date(ms));
      },
      afterStep: () => {
        const log = world().events;
        if (log.size === cursor) return;
        const page = log.read(cursor, "default", Number.MAX_SAFE_INTEGER);
        cursor = page.cursor;
        for (const event of page.events) {
          if (!rules(event)) continue;
          ruleMatches += 1;
          deployment?.onRuleMatch(event);
        }
      },
    });
    await audit();
    const runMs = performance.now() - runStarted;

    const trail = world()
      .events.read(0, "default", Number.MAX_SAFE_INTEGER)
      .events.filter((event) => {
        const detail = event.detail as { eventName?: string; errorCode?: string; userIdentity?: { arn?: string } };
        return (
          detail.eventName === "DeleteNetworkInterface" &&
          !detail.errorCode &&
          detail.userIdentity?.arn?.includes(BRANCHKEEPER_ACCESS_KEY)
        );
      });
    const leakIds = scenario.truth.flatMap((eni) => {
      const id = eni.leak ? driver.eniIds.get(eni.key) : undefined;
      return id ? [id] : [];
    });
    const evidence = await deployment.firstEvidence(leakIds);
    const detection: Record<string, { seconds: number; by: string }> = {};
    for (const eni of scenario.truth) {
      const found = evidence.get(driver.eniIds.get(eni.key) ?? "");
      if (eni.leak && found) {
        detection[eni.key] = { seconds: (found.at - startMs) / 1000 - eni.leak.at, by: found.by };
      }
    }
    const deletions = [...deployment.deleted].map(([eniId, ms]) => ({
      key: driver.keysByEniId.get(eniId) ?? `unknown:${eniId}`,
      at: (ms - startMs) / 1000,
    }));
    return {
      deletions,
      cloudTrailDeletions: trail.length,
      ec2Calls: { ...deployment.ec2Calls },
      stats: { ...deployment.stats },
      graceSeconds: deployment.graceSeconds,
      applied: { ...driver.applied },
      ruleMatches,
      mismatches: [...driver.mismatches, ...mismatches],
      audits,
      detection,
      buildMs: Math.round(buildMs),
      runMs: Math.round(runMs),
    };
  } finally {
    deployment?.destroy();
    auditor.destroy();
    driver.destroy();
    await sim.stop();
  }
};
