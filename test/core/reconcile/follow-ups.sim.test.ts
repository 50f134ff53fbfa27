import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { followUpEvent } from "../../../core/events/follow-up-event.ts";
import { interpretEvent } from "../../../core/events/interpret-event.ts";
import type { ReconcileTrigger } from "../../../core/events/reconcile-trigger.ts";
import type { FollowUp, FollowUpScheduler } from "../../../core/ports/follow-up-scheduler.ts";
import { EventIntake } from "../../../core/reconcile/event-intake.ts";
import { hasErrors } from "../../../core/reconcile/pass-summary.ts";
import { DEFAULT_REGION } from "../../../sim/index.ts";
import { type Harness, startHarness } from "../../support/reconciler-harness.ts";

const GRACE = 600;

/** Keeps what the reconciler asks for, the way the events queue would hold the delayed messages. */
class QueuedFollowUps implements FollowUpScheduler {
  public readonly queued: { followUp: FollowUp; at: Date }[] = [];
  public failWith: Error | undefined;

  public async schedule(followUps: readonly FollowUp[], now: Date): Promise<void> {
    if (this.failWith) throw this.failWith;
    for (const followUp of followUps) this.queued.push({ followUp, at: now });
  }
}

describe("Follow-ups for suspects", () => {
  let h: Harness;
  let followUps: QueuedFollowUps;
  beforeEach(async () => {
    h = await startHarness();
    followUps = new QueuedFollowUps();
  });
  afterEach(() => h.stop());

  const terminated = () => h.demo.damage.terminatedNode;
  const nodeGone = (): ReconcileTrigger => ({
    eventId: "e-node-gone",
    eventTime: new Date().toISOString(),
    scopes: [{ kind: "instance", ids: [terminated().instanceId] }],
    reason: "instance terminated",
  });

  /** `delivered` with the harness's own identity (any composition of the harness has the same). */
  const delivered_ = (followUp: FollowUp, id: string) => delivered(h.compose(), followUp, id);

  /** The follow-up as the events function receives it: through the queue, then `interpretEvent`. */
  const delivered = async (composed: ReturnType<Harness["compose"]>, followUp: FollowUp, id: string) => {
    const identity = await composed.identity.callerIdentity();
    const address = { accountId: identity.accountId, region: identity.region ?? DEFAULT_REGION };
    const interpretation = interpretEvent(followUpEvent(followUp, address, id, new Date()), identity);
    if (interpretation.kind !== "trigger") throw new Error(`not a trigger: ${interpretation.reason}`);
    return interpretation.trigger;
  };

  it("reclaims a leak an event found as soon as its grace elapses, without waiting for a sweep", async () => {
    // Prepare
    const composed = h.compose({ MODE: "enforce", CLUSTERS: "alpha" }, { followUps });
    const found = await composed.reconciler.handleTrigger(nodeGone());
    const [queued] = followUps.queued;
    if (!queued) throw new Error("no follow-up was scheduled");

    // Act
    h.advance(GRACE + 5);
    const followUpPass = await composed.reconciler.handleTrigger(await delivered(composed, queued.followUp, "f-1"));

    // Assess
    expect(found.followUps).toEqual({ scheduled: terminated().leakedEniIds.length, dueAt: queued.followUp.dueAt });
    expect(followUps.queued).toHaveLength(1);
    expect([...queued.followUp.eniIds].sort()).toEqual([...terminated().leakedEniIds].sort());
    expect(Date.parse(queued.followUp.dueAt) - queued.at.getTime()).toBe((GRACE + 5) * 1000);
    expect(hasErrors(followUpPass)).toBe(false);
    expect(await h.existingEnis(terminated().leakedEniIds)).toEqual([]);
    expect(followUps.queued).toHaveLength(1);
  });

  it("asks again when a follow-up comes before the grace elapsed (a delayed message waits 15 minutes at most)", async () => {
    const composed = h.compose({ MODE: "enforce", CLUSTERS: "alpha", LEAK_GRACE_SECONDS: "1800" }, { followUps });
    await composed.reconciler.handleTrigger(nodeGone());
    const first = followUps.queued[0]?.followUp;
    if (!first) throw new Error("no follow-up was scheduled");

    h.advance(900);
    const early = await composed.reconciler.handleTrigger(await delivered(composed, first, "f-early"));
    const second = followUps.queued[1]?.followUp;
    if (!second) throw new Error("the early follow-up did not ask again");
    h.advance(900 + 5);
    await composed.reconciler.handleTrigger(await delivered(composed, second, "f-due"));

    expect(early.clusters.flatMap((c) => Object.keys(c.actions))).not.toContain("delete-eni");
    expect(second).toEqual(first);
    expect(await h.existingEnis(terminated().leakedEniIds)).toEqual([]);
  });

  it("reports a follow-up it could not schedule without failing the pass: the sweep reclaims the leak later", async () => {
    const composed = h.compose({ MODE: "enforce", CLUSTERS: "alpha" }, { followUps });
    followUps.failWith = new Error("queue unavailable");

    const found = await composed.reconciler.handleTrigger(nodeGone());
    h.advance(GRACE + 1);
    await composed.reconciler.sweep();

    expect(hasErrors(found)).toBe(false);
    expect(found.followUps).toEqual({ scheduled: 0, error: "Error: queue unavailable" });
    expect(await h.existingEnis(terminated().leakedEniIds)).toEqual([]);
  });
  it("continues a minute later when the per-run cap held leaks back, until none is left", async () => {
    // Prepare
    const composed = h.compose({ MODE: "enforce", CLUSTERS: "alpha", MAX_DELETES_PER_RUN: "1" }, { followUps });
    await composed.reconciler.handleTrigger(nodeGone());
    const leaks = terminated().leakedEniIds.length;
    h.advance(GRACE + 5);

    // Act: deliver every follow-up as it comes due
    const passes: number[] = [];
    for (let delivered = 0; delivered < followUps.queued.length && delivered < 10; delivered++) {
      const next = followUps.queued[delivered];
      if (!next) break;
      const wait = (Date.parse(next.followUp.dueAt) - next.at.getTime()) / 1000;
      if (delivered > 0) h.advance(wait);
      const pass = await composed.reconciler.handleTrigger(await delivered_(next.followUp, `f-${delivered}`));
      passes.push(pass.clusters.reduce((n, c) => n + (c.actions["delete-eni"]?.succeeded ?? 0), 0));
    }

    // Assess
    expect(leaks).toBeGreaterThan(1);
    expect(passes).toEqual([...Array.from({ length: leaks }, () => 1), 0].slice(0, passes.length));
    expect(passes.reduce((a, b) => a + b, 0)).toBe(leaks);
    expect(followUps.queued.slice(1).map((q) => (Date.parse(q.followUp.dueAt) - q.at.getTime()) / 1000)).toEqual(
      Array.from({ length: leaks - 1 }, () => 60),
    );
    expect(await h.existingEnis(terminated().leakedEniIds)).toEqual([]);
  });

  it("lets the passes of one events batch delete at most MAX_DELETES_PER_RUN together", async () => {
    // Prepare: two follow-ups for the node's leaks, one redelivered so each gets a pass of its own.
    const composed = h.compose({ MODE: "enforce", CLUSTERS: "alpha", MAX_DELETES_PER_RUN: "1" }, { followUps });
    await composed.reconciler.handleTrigger(nodeGone());
    const [queued] = followUps.queued;
    if (!queued) throw new Error("no follow-up was scheduled");
    const [a, ...rest] = queued.followUp.eniIds;
    h.advance(GRACE + 5);
    const identity = await composed.identity.callerIdentity();
    const address = { accountId: identity.accountId, region: identity.region ?? DEFAULT_REGION };
    const body = (eniIds: string[], id: string) =>
      JSON.stringify(followUpEvent({ ...queued.followUp, eniIds }, address, id, new Date()));
    const silent = { info: () => {}, warn: () => {}, error: () => {} };
    const batch = new EventIntake(composed.reconciler, async () => identity, silent).batch(2);

    // Act
    const outcomes = await Promise.all([
      batch.handle({ body: body([a ?? ""], "f-a") }),
      batch.handle({ body: body(rest, "f-rest"), redelivered: true }),
    ]);

    // Assess
    const deleted = outcomes.map((o) =>
      o.kind === "reconciled"
        ? o.summary.clusters.reduce((n, c) => n + (c.actions["delete-eni"]?.succeeded ?? 0), 0)
        : 0,
    );
    expect(rest.length).toBeGreaterThan(0);
    expect(new Set(outcomes.map((o) => o.kind === "reconciled" && o.summary.passId)).size).toBe(2);
    expect(deleted).toEqual([1, 0]);
    expect((await h.existingEnis(terminated().leakedEniIds)).length).toBe(terminated().leakedEniIds.length - 1);
  });

  it("does not chain follow-ups in dry-run, where the cap holds the same leaks every time", async () => {
    const composed = h.compose({ MODE: "dry-run", CLUSTERS: "alpha", MAX_DELETES_PER_RUN: "1" }, { followUps });
    await composed.reconciler.handleTrigger(nodeGone());
    const [first] = followUps.queued;
    if (!first) throw new Error("no follow-up was scheduled");
    h.advance(GRACE + 5);

    await composed.reconciler.handleTrigger(await delivered_(first.followUp, "f-dry"));

    expect(followUps.queued).toHaveLength(1);
  });
});
