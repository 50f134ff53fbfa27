import { describe, expect, it } from "vitest";
import { MalformedEventError } from "../../../core/events/malformed-event-error.ts";
import type { ReconcileTrigger } from "../../../core/events/reconcile-trigger.ts";
import type { CallerIdentity } from "../../../core/ports/caller-identity.ts";
import { DeleteBudget } from "../../../core/reconcile/delete-budget.ts";
import { EventBatch } from "../../../core/reconcile/event-batch.ts";
import { EventPassFailedError } from "../../../core/reconcile/event-pass-failed-error.ts";
import type { PassSummary } from "../../../core/reconcile/pass-summary.ts";
import { eventBridgeEnvelope } from "../../support/event-bridge-envelope.ts";

const self: CallerIdentity = {
  accountId: "123456789012",
  region: "us-east-1",
  arn: "arn:aws:sts::123456789012:assumed-role/branchkeeper/s",
  principalArn: "arn:aws:iam::123456789012:role/branchkeeper",
};

/** A CloudTrail CreateNetworkInterface event naming one ENI. */
const created = (id: string, eniId: string): string =>
  JSON.stringify(
    eventBridgeEnvelope(id, "aws.ec2", "AWS API Call via CloudTrail", {
      eventVersion: "1.09",
      eventSource: "ec2.amazonaws.com",
      eventName: "CreateNetworkInterface",
      eventTime: "2026-11-21T09:59:58Z",
      eventID: `ct-${id}`,
      userIdentity: { type: "AssumedRole", arn: "arn:aws:sts::123456789012:assumed-role/vpcrc/s" },
      requestParameters: {},
      responseElements: { networkInterface: { networkInterfaceId: eniId } },
    }),
  );

const unknown = (id: string): string => JSON.stringify(eventBridgeEnvelope(id, "aws.s3", "Object Created", {}));

/** The passes a batch asked for; a pass fails when its trigger names `failing`. */
const reconciler = (failing?: string) => {
  const passes: ReconcileTrigger[] = [];
  const budgets = new Set<DeleteBudget>();
  return {
    passes,
    budgets,
    deleteBudget: () => new DeleteBudget(100),
    handleTrigger: async (trigger: ReconcileTrigger, budget?: DeleteBudget): Promise<PassSummary> => {
      passes.push(trigger);
      if (budget) budgets.add(budget);
      const fails = trigger.scopes.some((s) => "ids" in s && failing !== undefined && s.ids.includes(failing));
      return {
        passId: `event-${trigger.eventId}`,
        cause: `event:${trigger.eventId}`,
        mode: "dry-run",
        scope: "eni",
        startedAt: "2026-11-21T10:00:01Z",
        finishedAt: "2026-11-21T10:00:02Z",
        clusters: [],
        errors: fails ? ["observe eni: throttled"] : [],
      };
    },
  };
};

const silent = { info: () => {}, warn: () => {}, error: () => {} };

/** Every record handed to one batch at once, as Powertools runs them; each settles on its own. */
const run = (batch: EventBatch, records: { body: string; redelivered?: boolean }[]) =>
  Promise.allSettled(records.map((record) => batch.handle(record)));

describe("EventBatch", () => {
  it("reconciles every event of a batch in one pass over all their ENIs, and answers each", async () => {
    // Prepare
    const fake = reconciler();
    const batch = new EventBatch(fake, async () => self, silent, 3);

    // Act
    const results = await run(batch, [
      { body: created("ev-1", "eni-1") },
      { body: created("ev-2", "eni-2") },
      { body: created("ev-3", "eni-1") },
    ]);

    // Assess
    expect(fake.passes).toHaveLength(1);
    expect(fake.passes[0]?.scopes).toEqual([{ kind: "eni", ids: ["eni-1", "eni-2"] }]);
    expect(results.map((r) => r.status === "fulfilled" && r.value.eventId)).toEqual(["ev-1", "ev-2", "ev-3"]);
    expect(results.every((r) => r.status === "fulfilled" && r.value.kind === "reconciled")).toBe(true);
  });

  it("answers malformed and unknown events on their own, and runs nothing until every record is in", async () => {
    // Prepare
    const fake = reconciler();
    const batch = new EventBatch(fake, async () => self, silent, 3);

    // Act
    const early = await Promise.allSettled([
      batch.handle({ body: "{not json" }),
      batch.handle({ body: unknown("u-1") }),
    ]);
    const passesBeforeLast = fake.passes.length;
    const last = await batch.handle({ body: created("ev-1", "eni-1") });

    // Assess
    expect(early[0]).toMatchObject({ status: "rejected", reason: expect.any(MalformedEventError) });
    expect(early[1]).toMatchObject({ status: "fulfilled", value: { kind: "unknown", eventId: "u-1" } });
    expect(passesBeforeLast).toBe(0);
    expect(last).toMatchObject({ kind: "reconciled", eventId: "ev-1" });
    expect(fake.passes).toHaveLength(1);
  });

  it("runs a redelivered event alone, so its failing pass fails only itself; the passes share one delete budget", async () => {
    // Prepare
    const fake = reconciler("eni-poison");
    const batch = new EventBatch(fake, async () => self, silent, 3);

    // Act
    const results = await run(batch, [
      { body: created("ev-1", "eni-1") },
      { body: created("ev-poison", "eni-poison"), redelivered: true },
      { body: created("ev-2", "eni-2") },
    ]);

    // Assess
    expect(fake.passes.map((p) => p.eventId)).toEqual(["ev-1", "ev-poison"]);
    expect(fake.budgets.size).toBe(1);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(results[1]).toMatchObject({ reason: expect.any(EventPassFailedError) });
  });

  it("fails every event of a merged pass that did not complete, so SQS retries each", async () => {
    // Prepare
    const fake = reconciler("eni-poison");
    const batch = new EventBatch(fake, async () => self, silent, 2);

    // Act
    const results = await run(batch, [{ body: created("ev-1", "eni-1") }, { body: created("ev-2", "eni-poison") }]);

    // Assess
    expect(fake.passes).toHaveLength(1);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
  });

  it("shares one pass between two copies of an event id, and fails neither", async () => {
    // Prepare
    const fake = reconciler();
    const batch = new EventBatch(fake, async () => self, silent, 2);

    // Act
    const results = await run(batch, [{ body: created("ev-1", "eni-1") }, { body: created("ev-1", "eni-1") }]);

    // Assess
    expect(fake.passes).toHaveLength(1);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled"]);
  });

  it("fails the waiting records, rather than leaving them hanging, when the passes cannot start", async () => {
    // Prepare
    const fake = {
      ...reconciler(),
      deleteBudget: (): DeleteBudget => {
        throw new Error("no budget");
      },
    };
    const batch = new EventBatch(fake, async () => self, silent, 2);

    // Act
    const results = await run(batch, [{ body: created("ev-1", "eni-1") }, { body: created("ev-2", "eni-2") }]);

    // Assess
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
  });

  it("fails every record, retryably, when its caller identity cannot be read", async () => {
    // Prepare
    const fake = reconciler();
    const batch = new EventBatch(
      fake,
      async () => {
        throw new Error("sts unavailable");
      },
      silent,
      2,
    );

    // Act
    const results = await run(batch, [{ body: created("ev-1", "eni-1") }, { body: created("ev-2", "eni-2") }]);

    // Assess
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    expect(results[0]).not.toMatchObject({ reason: expect.any(MalformedEventError) });
    expect(fake.passes).toEqual([]);
  });
});
