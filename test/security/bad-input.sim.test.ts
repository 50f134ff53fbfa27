import { readdirSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSimulator, startSimulator } from "../../sim/index.ts";
import { eventsSince, lambdaContext, sqsBatch, useLambdaEnvironment } from "../support/lambda-harness.ts";
import { type CapturedOutput, captureOutput } from "../support/reliability-output.ts";
import { routedToQueue } from "../support/reliability-queue.ts";
import {
  buildReliabilityWorld,
  type ReliabilityWorld,
  resetSimStats,
  simStats,
  sumOf,
} from "../support/reliability-world.ts";

type Outcome = "failure" | "unknown" | "ignored" | "reconciled";

interface Case {
  readonly name: string;
  readonly expected: Outcome;
  /** The SQS message body, exactly as sent. */
  readonly body: string;
  /** The EventBridge id it carries, when it carries one. */
  readonly eventId?: string;
}

const CORPUS = new URL("../fixtures/bad-input/", import.meta.url);
/** EventBridge's (and SQS's classic) size limit. */
const MAX_EVENT_BYTES = 256 * 1024;

/** One fixture file: `{ description, expected, body | rawBody }`; the placeholder id `ID` gets a unique one. */
const loadCorpus = (): Case[] =>
  readdirSync(CORPUS)
    .filter((file) => file.endsWith(".json"))
    .sort()
    .map((file) => {
      const name = file.replace(/\.json$/, "");
      const fixture = JSON.parse(readFileSync(new URL(file, CORPUS), "utf8")) as {
        expected: Outcome;
        body?: unknown;
        rawBody?: string;
      };
      if (fixture.rawBody !== undefined) return { name, expected: fixture.expected, body: fixture.rawBody };
      const eventId = `bad-input-${name}`;
      const body = JSON.stringify(fixture.body).replaceAll('"id":"ID"', `"id":"${eventId}"`);
      return { name, expected: fixture.expected, body, ...(body.includes(eventId) ? { eventId } : {}) };
    });

/** A node-terminated event padded to just under the size limit with a field nobody reads. */
const hugeEvent = (id: string, instanceId: string): string => {
  const event = {
    version: "0",
    id,
    "detail-type": "EC2 Instance State-change Notification",
    source: "aws.ec2",
    account: "123456789012",
    time: "2026-11-21T10:00:00Z",
    region: "us-east-1",
    resources: [],
    detail: { "instance-id": instanceId, state: "terminated", padding: "" },
  };
  const base = Buffer.byteLength(JSON.stringify(event));
  event.detail.padding = "x".repeat(MAX_EVENT_BYTES - base - 16);
  return JSON.stringify(event);
};

/** The outcome the events function logged for one record of a batch. */
const outcomeOf = (lines: readonly Record<string, unknown>[], messageId: string, eventId?: string): string => {
  const failure = lines.find((l) => l.messageId === messageId);
  if (failure) return failure.message === "malformed event: sent back for the dead-letter queue" ? "failure" : "retry";
  const line = lines.find((l) => eventId !== undefined && l.eventId === eventId);
  if (line?.message === "event unknown") return "unknown";
  if (line?.message === "event ignored") return "ignored";
  if (line?.message === "event reconciled") return "reconciled";
  return "no log line";
};

describe("malformed and hostile events through functions/events.ts", () => {
  let sim: RunningSimulator;
  let world: ReliabilityWorld;
  let restore: () => void;
  let events: typeof import("../../functions/events.ts");
  let runtime: typeof import("../../functions/runtime/reconciler-runtime.ts");
  let output: CapturedOutput;
  const corpus = loadCorpus();
  const good: Case[] = [];
  const actual: Record<string, string> = {};
  const failedIds = new Set<string>();

  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
    world = await buildReliabilityWorld(sim.endpoint, { name: "badinput" });
    // Real events of the world, routed by the stack's rules: they must be processed whatever their batch holds.
    const real = routedToQueue((await eventsSince(sim.endpoint, "0")).bodies).filter((b) =>
      /RegisterTargets|TerminateInstances|AssociateTrunkInterface/.test(b),
    );
    for (const [i, body] of real.slice(0, 6).entries()) {
      good.push({
        name: `good-${i}`,
        expected: "reconciled",
        eventId: `good-${i}`,
        body: JSON.stringify({ ...JSON.parse(body), id: `good-${i}` }),
      });
    }
    corpus.push({
      name: "huge-event-256kb",
      expected: "reconciled",
      eventId: "bad-input-huge",
      body: hugeEvent("bad-input-huge", world.damage.terminatedInstanceId),
    });
    restore = await useLambdaEnvironment(sim.endpoint, {
      MODE: "enforce",
      CLUSTERS: "*",
      POWERTOOLS_LOG_LEVEL: "INFO",
    });
    runtime = await import("../../functions/runtime/reconciler-runtime.ts");
    runtime.resetReconcilerRuntime();
    events = await import("../../functions/events.ts");

    // Act: batches of 10, each mixing seven bad records with good ones, as SQS would deliver them.
    output = captureOutput();
    try {
      const cases = [...corpus];
      for (let batchNumber = 0; cases.length > 0; batchNumber++) {
        const goodOnes = good.slice((batchNumber * 3) % good.length, ((batchNumber * 3) % good.length) + 3);
        const batchCases = [
          ...cases.splice(0, 7),
          ...goodOnes.map((g) => ({
            ...g,
            eventId: `${g.eventId}-${batchNumber}`,
            body: g.body.replace(`"id":"${g.eventId}"`, `"id":"${g.eventId}-${batchNumber}"`),
          })),
        ];
        const batch = sqsBatch(batchCases.map((c) => c.body));
        const response = await events.handler(batch, lambdaContext());
        for (const failure of response.batchItemFailures) failedIds.add(failure.itemIdentifier);
        const lines = output.jsonLines();
        batchCases.forEach((c, i) => {
          const messageId = batch.Records[i]?.messageId ?? "";
          actual[c.name.startsWith("good-") ? `${c.name}@${batchNumber}` : c.name] =
            failedIds.has(messageId) !== (outcomeOf(lines, messageId, c.eventId) === "failure")
              ? "failure without its log line, or a log line without the failure"
              : outcomeOf(lines, messageId, c.eventId);
        });
      }
    } finally {
      output.stop();
    }
  }, 60_000);

  afterAll(async () => {
    restore();
    runtime.resetReconcilerRuntime();
    world.destroy();
    await sim.stop();
  });

  it("gives every input of the corpus its expected outcome, each with its log line", () => {
    const expected = Object.fromEntries(corpus.map((c) => [c.name, c.expected]));
    const seen = Object.fromEntries(corpus.map((c) => [c.name, actual[c.name]]));

    expect(corpus.length).toBeGreaterThan(40);
    expect(seen).toEqual(expected);
  });

  it("never loses a good record that shares a batch with bad ones", () => {
    const goodOutcomes = Object.entries(actual).filter(([name]) => name.startsWith("good-"));

    expect(goodOutcomes.length).toBeGreaterThanOrEqual(good.length);
    expect(new Set(goodOutcomes.map(([, outcome]) => outcome))).toEqual(new Set(["reconciled"]));
  });

  it("logs a malformed record's reason with its message id, and never echoes a huge body", () => {
    const malformed = output
      .jsonLines()
      .filter((l) => l.message === "malformed event: sent back for the dead-letter queue");
    const longest = Math.max(
      ...output
        .text()
        .split("\n")
        .map((line) => line.length),
    );

    expect(malformed.length).toBe(corpus.filter((c) => c.expected === "failure").length);
    for (const line of malformed) {
      expect(line.level).toBe("ERROR");
      expect(String(line.reason)).toMatch(/^(message body is not JSON|not an EventBridge event|malformed .* detail)/);
    }
    expect(longest).toBeLessThan(64 * 1024);
  });

  it("lets no hostile value break a log line: every line is one JSON entry of the function's logger", () => {
    const lines = output
      .text()
      .split("\n")
      .filter((line) => line.trim() !== "");

    expect(lines.length).toBeGreaterThan(corpus.length);
    expect(lines.filter((line) => !line.startsWith("{"))).toEqual([]);
    expect(output.jsonLines()).toHaveLength(lines.length);
    expect(output.jsonLines().filter((line) => line.service !== "branchkeeper")).toEqual([]);
    expect(output.text()).toContain("<script>");
  });

  it("answers a TerminateInstances of 1,000 nodes with a bounded number of calls", async () => {
    // Prepare
    const ids = Array.from({ length: 1000 }, (_, i) => `i-${i.toString(16).padStart(17, "0")}`);
    const body = JSON.stringify({
      version: "0",
      id: "bad-input-terminate-1000",
      "detail-type": "AWS API Call via CloudTrail",
      source: "aws.ec2",
      account: "123456789012",
      time: "2026-11-21T10:00:00Z",
      region: "us-east-1",
      resources: [],
      detail: {
        eventSource: "ec2.amazonaws.com",
        eventName: "TerminateInstances",
        userIdentity: { arn: "arn:aws:sts::123456789012:assumed-role/karpenter/session" },
        requestParameters: { instancesSet: { items: ids.map((instanceId) => ({ instanceId })) } },
      },
    });
    await resetSimStats(sim.endpoint);

    // Act
    const response = await events.handler(sqsBatch([body]), lambdaContext());

    // Assess
    const stats = await simStats(sim.endpoint);
    expect(Buffer.byteLength(body)).toBeLessThan(MAX_EVENT_BYTES);
    expect(response.batchItemFailures).toEqual([]);
    expect(sumOf(stats.calls, (k) => k.startsWith("ec2:"))).toBeGreaterThan(0);
    expect(sumOf(stats.calls, (k) => k.startsWith("ec2:"))).toBeLessThan(100);
  });
});
