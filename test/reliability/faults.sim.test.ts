import { DescribeSecurityGroupRulesCommand } from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AwsClients } from "../../core/aws/aws-clients.ts";
import type { ActionRecord } from "../../core/model/action-record.ts";
import { type RunningSimulator, startSimulator } from "../../sim/index.ts";
import { eventsSince } from "../support/lambda-harness.ts";
import { awsClientsFor, BRANCHKEEPER_KEY } from "../support/reconciler-harness.ts";
import {
  busiestWindow,
  type ClientFaults,
  instrumentClients,
  productionLikeClients,
} from "../support/reliability-faults.ts";
import { type ReliabilityHarness, reliabilityHarness } from "../support/reliability-harness.ts";
import { duplicatedAndShuffled, routedToQueue, SimulatedQueue, sampled } from "../support/reliability-queue.ts";
import {
  buildReliabilityWorld,
  type NormalizedState,
  normalizedEc2State,
  type ReliabilityWorld,
  resetSimStats,
  type SimStats,
  simStats,
  sumOf,
  withRoles,
} from "../support/reliability-world.ts";
import { setFaults } from "../support/sim-clients.ts";

const GRACE = 600;
/** Each round moves the pass clock half a grace: a leak needs three rounds to be reclaimed. */
const ROUND_SECONDS = GRACE / 2 + 1;
const CLEAN_ROUNDS = 4;
const FAULTY_ROUNDS = 8;

/**
 * The faults of the run, on every action of every service (EC2, ELBv2, EKS, STS, DynamoDB):
 * EC2's real token buckets at 25 % (describes 25 burst / 5 per s, mutating 12.5 / 1.25 per s),
 * 8 % injected 5xx, 3 % dropped connections, 1–3 ms latency. On top, 5 % of the responses to
 * mutating EC2 and DynamoDB calls are lost after the call was applied (`instrumentClients`).
 */
const FAULTS = {
  throttling: { enabled: true, scale: 0.25 },
  errors: [{ action: "*", rate: 0.08 }],
  timeouts: [{ action: "*", rate: 0.03, afterMs: 20 }],
  latency: [{ action: "*", ms: 1, jitterMs: 2 }],
  seed: 20261121,
};
const LOST_RESPONSE_RATE = 0.05;
/** Of the faulty world's build events the rules route (about 80), a seeded sample, 30 % sent twice. */
const EVENTS_SENT = 20;
/** Branchkeeper's own pacing: under the 25 % buckets' slowest mutating refill (1.25 per s). */
const MUTATIONS_PER_SECOND = 1;

interface Outcome {
  readonly ec2: NormalizedState;
  /** ENI role → record state. */
  readonly records: Record<string, string>;
  /** ENI role → the states its history went through. */
  readonly histories: Record<string, string[]>;
  readonly findings: string[];
  readonly audit: ActionRecord[];
  readonly deadLetters: number;
  readonly eventsDelivered: number;
}

describe("Branchkeeper under throttling, 5xx, dropped connections, latency and lost responses", () => {
  let sim: RunningSimulator;
  let clean: ReliabilityWorld;
  let faulty: ReliabilityWorld;
  let reference: Outcome;
  let underFaults: Outcome;
  let faultStats: SimStats;
  let cleanStats: SimStats;
  let client: ClientFaults;
  /** Rule id → role, taken before any pass (revoked rules no longer describe). */
  const ruleRoles = new Map<string, string>();
  const inUseViolations: string[] = [];

  const exists = (eniId: string) => sim.simulator.world.ec2.networkInterfaces.enis.has(eniId);

  /** Ids of things that must never be deleted, checked in the simulator's model after every step. */
  const checkNothingInUseDeleted = (world: ReliabilityWorld, when: string) => {
    for (const id of [...world.liveBranches(), ...world.damage.traps, world.damage.skipTaggedLeak]) {
      if (!exists(id)) inUseViolations.push(`${when}: ${id} was deleted`);
    }
  };

  const rememberRules = async (world: ReliabilityWorld, ec2: AwsClients["ec2"]) => {
    const roles = await world.roles();
    const page = await ec2.send(new DescribeSecurityGroupRulesCommand({ MaxResults: 1000 }));
    for (const r of page.SecurityGroupRules ?? []) {
      if (!roles.has(r.GroupId ?? "") || r.IsEgress) continue;
      ruleRoles.set(
        r.SecurityGroupRuleId ?? "",
        `rule:${roles.get(r.GroupId ?? "")}|${r.FromPort}-${r.ToPort}|${roles.get(r.ReferencedGroupInfo?.GroupId ?? "") ?? r.CidrIpv4}`,
      );
    }
  };

  /**
   * Rounds of work on one world: the queued events (the world's own build events, then whatever the
   * previous round caused, as the stack's rules route them) go through the event intake in batches
   * of 10, a failed one comes back next round (five receives, then the DLQ); then a sweep; then the
   * pass clock moves half a grace. The reference run has no events, only sweeps.
   */
  const run = async (
    world: ReliabilityWorld,
    harness: ReliabilityHarness,
    options: { rounds: number; events?: readonly string[]; mutationsPerSecond: number },
  ): Promise<Outcome> => {
    const { reconciler, intake, store } = harness.reconciler({
      MODE: "enforce",
      CLUSTERS: world.name,
      LEAK_GRACE_SECONDS: String(GRACE),
      EC2_MUTATIONS_PER_SECOND: String(options.mutationsPerSecond),
    });
    const queue = new SimulatedQueue(5, 10);
    const withEvents = options.events !== undefined;
    queue.send(routedToQueue(options.events ?? []));
    let cursor = (await eventsSince(sim.endpoint, "0")).cursor;
    for (let round = 0; round < options.rounds; round++) {
      await queue.receiveAll(async (batch) => {
        const failed: string[] = [];
        for (const message of batch) {
          await intake.handle(message.body).catch(() => failed.push(message.messageId));
          checkNothingInUseDeleted(world, `${world.name} round ${round} event`);
        }
        return failed;
      });
      await reconciler.sweep();
      checkNothingInUseDeleted(world, `${world.name} round ${round} sweep`);
      const caused = await eventsSince(sim.endpoint, cursor);
      if (withEvents) queue.send(routedToQueue(caused.bodies));
      cursor = caused.cursor;
      harness.advance(ROUND_SECONDS);
    }
    await setFaults(sim.endpoint, {});
    const roles = await world.roles();
    for (const [id, role] of ruleRoles) roles.set(id, role);
    const ec2 = await normalizedEc2State(world, awsClientsFor(sim.endpoint).ec2);
    const records: Record<string, string> = {};
    const histories: Record<string, string[]> = {};
    for (const record of await store.loadClusterEnis(world.name)) {
      const role = roles.get(record.eniId) ?? record.eniId;
      records[role] = record.state;
      const steps = await store.listHistory(record.eniId, { limit: 500 });
      histories[role] = [...new Set(steps.items.map((s) => s.to))].sort();
    }
    const findings = (await store.listFindings(world.name, { limit: 500 })).items
      .map((f) => `${f.kind} ${withRoles(f.resourceId, roles)}`)
      .sort();
    const audit = (await harness.audit(world.name)).map((a) => ({ ...a, target: withRoles(a.target, roles) }));
    return {
      ec2,
      records,
      histories,
      findings,
      audit,
      deadLetters: queue.deadLetters.length,
      eventsDelivered: queue.acknowledged.length + queue.deadLetters.length,
    };
  };

  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
    clean = await buildReliabilityWorld(sim.endpoint, { name: "clean", seed: 11 });
    const before = (await eventsSince(sim.endpoint, "0")).cursor;
    faulty = await buildReliabilityWorld(sim.endpoint, { name: "faulty", seed: 11 });
    const buildEvents = (await eventsSince(sim.endpoint, before)).bodies;
    const operatorEc2 = awsClientsFor(sim.endpoint).ec2;
    await rememberRules(clean, operatorEc2);
    await rememberRules(faulty, operatorEc2);
    // The reference: sweeps only, no fault.
    await resetSimStats(sim.endpoint);
    reference = await run(clean, await reliabilityHarness(sim.endpoint), {
      rounds: CLEAN_ROUNDS,
      mutationsPerSecond: 200,
    });
    cleanStats = await simStats(sim.endpoint);

    // Under faults: events duplicated and reordered, production's retry settings, lost responses.
    const clients = productionLikeClients(sim.endpoint, BRANCHKEEPER_KEY);
    const harness = await reliabilityHarness(sim.endpoint, clients);
    client = instrumentClients(clients, { loseRate: LOST_RESPONSE_RATE, seed: 7 });
    await resetSimStats(sim.endpoint);
    await setFaults(sim.endpoint, FAULTS);
    underFaults = await run(faulty, harness, {
      rounds: FAULTY_ROUNDS,
      events: duplicatedAndShuffled(sampled(routedToQueue(buildEvents), EVENTS_SENT, 5), 3),
      mutationsPerSecond: MUTATIONS_PER_SECOND,
    });
    faultStats = await simStats(sim.endpoint);
  }, 120_000);

  afterAll(async () => {
    clean?.destroy();
    faulty?.destroy();
    await sim?.stop();
  });

  it("really ran under faults: calls were throttled, failed and lost, and the reference did real work", () => {
    expect(sumOf(faultStats.errors, () => true)).toBeGreaterThan(20);
    expect(sumOf(faultStats.throttled, () => true)).toBeGreaterThan(0);
    expect(sumOf(client.lost, () => true)).toBeGreaterThan(0);
    expect(reference.audit.filter((a) => a.kind === "delete-eni" && a.outcome === "succeeded")).toHaveLength(
      clean.reclaimable.length,
    );
    expect(reference.ec2.existing).not.toContain("leak:forgotten");
  });

  it("converges on the same EC2 state as the fault-free run", () => {
    expect(underFaults.ec2).toEqual(reference.ec2);
  });

  it("converges on the same records, histories and findings: nothing is lost", () => {
    expect(underFaults.records).toEqual(reference.records);
    expect(underFaults.histories).toEqual(reference.histories);
    expect(underFaults.findings).toEqual(reference.findings);
  });

  it("never deletes a live branch, a trap or a skip-tagged leak, at any step", () => {
    expect(inUseViolations).toEqual([]);
  });

  it("acts once per change that matters: the same effective changes as the fault-free run, one per deletion", () => {
    const effective = (audit: readonly ActionRecord[]) =>
      audit
        .filter((a) => a.outcome === "succeeded" || a.outcome === "already-done")
        .map((a) => `${a.kind} ${a.target}`)
        .sort();
    const deletions = effective(underFaults.audit).filter((line) => line.startsWith("delete-eni"));

    expect(new Set(effective(underFaults.audit))).toEqual(new Set(effective(reference.audit)));
    expect(deletions).toEqual([...new Set(deletions)]);
    expect(deletions).toHaveLength(faulty.reclaimable.length);
  });

  it("loses no event: every one was acknowledged, none went to the dead-letter queue", () => {
    expect(underFaults.eventsDelivered).toBeGreaterThan(EVENTS_SENT);
    expect(underFaults.deadLetters).toBe(0);
  });

  it("stays within its own pacing: no mutation throttled, at most one first attempt per second, no retry storm", () => {
    const mutating = (key: string) => key.startsWith("ec2:") && !key.startsWith("ec2:Describe");
    const firstAttempts = client.ec2Mutations.filter((m) => m.attempt === 1).map((m) => m.at);
    const ec2CallsPerSweep = sumOf(faultStats.calls, (k) => k.startsWith("ec2:")) / FAULTY_ROUNDS;

    expect(firstAttempts.length).toBeGreaterThan(3);
    expect(sumOf(faultStats.throttled, mutating)).toBe(0);
    // The pacer's bucket holds one token: two sends can share a one-second window, never three.
    expect(busiestWindow(firstAttempts, 1000)).toBeLessThanOrEqual(2);
    // Throttling stays rare (the SDK backs off), and retries never multiply the calls.
    expect(sumOf(faultStats.throttled, () => true)).toBeLessThan(
      0.1 * sumOf(faultStats.calls, (k) => k.startsWith("ec2:")),
    );
    expect(ec2CallsPerSweep).toBeLessThan(10 * (sumOf(cleanStats.calls, (k) => k.startsWith("ec2:")) / CLEAN_ROUNDS));
  });
});
