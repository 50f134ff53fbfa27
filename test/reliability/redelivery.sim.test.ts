import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DynamoDbStateStore } from "../../core/aws/dynamodb-state-store.ts";
import { type RunningSimulator, startSimulator } from "../../sim/index.ts";
import { eventsSince, lambdaContext, sqsBatch, useLambdaEnvironment } from "../support/lambda-harness.ts";
import { awsClientsFor } from "../support/reconciler-harness.ts";
import { routedToQueue, SimulatedQueue } from "../support/reliability-queue.ts";
import {
  buildReliabilityWorld,
  type ReliabilityWorld,
  resetSimStats,
  simStats,
  sumOf,
} from "../support/reliability-world.ts";
import { setFaults } from "../support/sim-clients.ts";

/** The same event under a new EventBridge id (a batch shares one pass between repeats of an id). */
const renamed = (body: string, id: string): string => JSON.stringify({ ...JSON.parse(body), id });

/** Calls to EC2, ELBv2 and EKS: the work a pass does in the account. */
const accountCalls = (calls: Record<string, number>) =>
  sumOf(calls, (key) => key.startsWith("ec2:") || key.startsWith("elbv2:") || key.startsWith("eks:"));

/** Calls that change the account or the state table. */
const mutations = (calls: Record<string, number>) =>
  Object.keys(calls).filter(
    (key) =>
      (/^(ec2|elbv2):/.test(key) && !/:Describe/.test(key)) || /^dynamodb:(Put|Update|Delete|BatchWrite)/.test(key),
  );

/** Messages that can never be processed, whatever the retries. */
const POISON = [
  "{not json",
  JSON.stringify({ hello: "world" }),
  JSON.stringify({
    version: "0",
    id: "6f6b2a4e-0000-4000-8000-00000000dead",
    "detail-type": "EC2 Instance State-change Notification",
    source: "aws.ec2",
    account: "123456789012",
    time: "2026-11-21T10:00:00Z",
    region: "us-east-1",
    resources: [],
    detail: { "instance-id": 42, state: "terminated" },
  }),
];

describe("SQS redelivery and poison messages through functions/events.ts", () => {
  let sim: RunningSimulator;
  let world: ReliabilityWorld;
  let restore: () => void;
  let store: DynamoDbStateStore;
  let goodEvents: string[];
  let events: typeof import("../../functions/events.ts");
  let runtime: typeof import("../../functions/runtime/reconciler-runtime.ts");
  const deliver = (bodies: readonly string[]) => events.handler(sqsBatch(bodies), lambdaContext());
  const auditSize = async () => (await store.listActions({ limit: 500 })).items.length;

  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
    world = await buildReliabilityWorld(sim.endpoint, { name: "redeliver" });
    // Events that make passes do work: the world's build, as the stack's rules route it.
    // The operator's revocation comes first: its pass authorizes the rule again (an audited change).
    goodEvents = routedToQueue((await eventsSince(sim.endpoint, "0")).bodies)
      .filter((body) =>
        /RegisterTargets|TerminateInstances|CreateNetworkInterface|RevokeSecurityGroupIngress/.test(body),
      )
      .sort(
        (a, b) => Number(b.includes("RevokeSecurityGroupIngress")) - Number(a.includes("RevokeSecurityGroupIngress")),
      );
    restore = await useLambdaEnvironment(sim.endpoint, { MODE: "enforce", CLUSTERS: world.name });
    store = new DynamoDbStateStore({
      client: awsClientsFor(sim.endpoint).dynamodb,
      tableName: process.env.TABLE_NAME ?? "",
    });
    runtime = await import("../../functions/runtime/reconciler-runtime.ts");
    runtime.resetReconcilerRuntime();
    events = await import("../../functions/events.ts");
  });
  afterAll(async () => {
    restore();
    runtime.resetReconcilerRuntime();
    world.destroy();
    await sim.stop();
  });

  it("reconciles a batch in one pass, for fewer account calls than its events one by one", async () => {
    // Prepare: the same kinds of events twice, under new ids so each set does its own work.
    const kinds = goodEvents.slice(0, 10);
    const alone = kinds.map((body, i) => renamed(body, `alone-${i}`));
    const together = kinds.map((body, i) => renamed(body, `together-${i}`));
    await resetSimStats(sim.endpoint);
    for (const body of alone) expect((await deliver([body])).batchItemFailures).toEqual([]);
    const aloneCalls = accountCalls((await simStats(sim.endpoint)).calls);
    await resetSimStats(sim.endpoint);

    // Act
    const response = await deliver(together);

    // Assess
    const togetherCalls = accountCalls((await simStats(sim.endpoint)).calls);
    expect(response.batchItemFailures).toEqual([]);
    expect(togetherCalls).toBeGreaterThan(0);
    expect(togetherCalls * 2).toBeLessThan(aloneCalls);
  });

  it("a redelivered batch of processed events changes nothing: no mutation, no state write, no audit entry", async () => {
    // Prepare
    const batch = goodEvents.slice(0, 10).map((body, i) => renamed(body, `redeliver-${i}`));
    const first = await deliver(batch);
    const audited = await auditSize();
    await resetSimStats(sim.endpoint);

    // Act
    const again = await deliver(batch);

    // Assess
    const { calls } = await simStats(sim.endpoint);
    expect(batch).toHaveLength(10);
    expect(first.batchItemFailures).toEqual([]);
    expect(audited).toBeGreaterThan(0);
    expect(again.batchItemFailures).toEqual([]);
    expect(mutations(calls)).toEqual([]);
    expect(await auditSize()).toBe(audited);
  });

  it("answers both copies of an event sent twice in one batch with one pass", async () => {
    // Prepare
    const [body] = goodEvents.slice(20, 21).map((b) => renamed(b, "twice-in-a-batch"));
    if (!body) throw new Error("the world has too few events");
    const [other] = goodEvents.slice(20, 21).map((b) => renamed(b, "once-in-a-batch"));
    await resetSimStats(sim.endpoint);
    await deliver([other ?? ""]);
    const once = accountCalls((await simStats(sim.endpoint)).calls);
    await resetSimStats(sim.endpoint);

    // Act
    const twice = await deliver([body, body]);

    // Assess
    expect(twice.batchItemFailures).toEqual([]);
    expect(accountCalls((await simStats(sim.endpoint)).calls)).toBe(once);
  });

  it("an event whose pass failed is not remembered as done: its redelivery runs the pass", async () => {
    // Prepare: every DynamoDB batch read fails, so the passes cannot load their records.
    const batch = goodEvents.slice(10, 13).map((body, i) => renamed(body, `transient-${i}`));
    await setFaults(sim.endpoint, { errors: [{ action: "dynamodb:BatchGetItem", rate: 1 }] });
    const failed = await deliver(batch);
    await setFaults(sim.endpoint, {});
    await resetSimStats(sim.endpoint);

    // Act
    const redelivered = await deliver(batch);

    // Assess
    expect(failed.batchItemFailures).toHaveLength(batch.length);
    expect(redelivered.batchItemFailures).toEqual([]);
    expect(accountCalls((await simStats(sim.endpoint)).calls)).toBeGreaterThan(0);
  });

  it("only poison messages end in batchItemFailures, on every receive, and the DLQ receives exactly them", async () => {
    // Prepare: a queue with the stack's redrive policy; the first receive happens while DynamoDB fails.
    const queue = new SimulatedQueue(5, 10);
    const good = queue.send(goodEvents.slice(13, 20).map((body, i) => renamed(body, `good-${i}`)));
    const poison = queue.send(POISON);
    const process = async (batch: readonly { messageId: string; body: string }[]) => {
      const event = sqsBatch(batch.map((m) => m.body));
      const ids = new Map(event.Records.map((r, i) => [r.messageId, batch[i]?.messageId ?? ""]));
      const response = await events.handler(event, lambdaContext());
      return response.batchItemFailures.map((f) => ids.get(f.itemIdentifier) ?? "");
    };
    await setFaults(sim.endpoint, { errors: [{ action: "dynamodb:BatchGetItem", rate: 1 }] });
    const rounds: string[][] = [await queue.receiveAll(process)];
    await setFaults(sim.endpoint, {});

    // Act
    while (queue.pending > 0) rounds.push(await queue.receiveAll(process));

    // Assess
    expect(good.length).toBeGreaterThan(3);
    expect(rounds[0]?.filter((id) => good.includes(id)).length).toBeGreaterThan(0);
    expect(rounds).toHaveLength(5);
    for (const failures of rounds) expect(failures).toEqual(expect.arrayContaining(poison));
    for (const failures of rounds.slice(1)) expect(failures.filter((id) => good.includes(id))).toEqual([]);
    expect(queue.deadLetters.map((m) => m.messageId).sort()).toEqual([...poison].sort());
    expect(queue.acknowledged.map((m) => m.messageId).sort()).toEqual([...good].sort());
  });
});
