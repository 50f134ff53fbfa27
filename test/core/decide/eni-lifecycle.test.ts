import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  decideEniRecord,
  type EniDecision,
  LAST_SEEN_REFRESH_SECONDS,
  type PassInfo,
} from "../../../core/decide/eni-lifecycle.ts";
import type { ClusterSnapshot } from "../../../core/model/cluster-snapshot.ts";
import type { EniRecord } from "../../../core/model/eni-record.ts";
import { TAGS } from "../../../core/model/tags.ts";
import {
  branchEni,
  instance,
  livePod,
  secondsAfter,
  snapshot,
  T0,
  testConfig,
  trunkEni,
} from "../../support/snapshot-builders.ts";

const config = testConfig({ leakGraceSeconds: 600 });
const passAt = (now: Date, passId: string): PassInfo => ({ now, passId, cause: `sweep:${passId}` });

/** Apply one snapshot to a record the way a pass does; the record stays when nothing is to be written. */
const apply = (previous: EniRecord | undefined, view: ClusterSnapshot, pass: PassInfo, eniId = "eni-1") =>
  decideEniRecord(previous, view.branchEnis.get(eniId), view, pass, config);

const recordOf = (decision: EniDecision | undefined): EniRecord => {
  if (decision === undefined) throw new Error("expected a record to write");
  return decision.record;
};

const leakedView = (at: Date) => {
  const eni = branchEni("eni-1", { status: "available" });
  return snapshot({ observedAt: at, branchEnis: [eni] });
};

describe("decideEniRecord", () => {
  describe("unchanged sightings", () => {
    it("skips the write while nothing changed, from the second sighting on, and refreshes lastSeenAt once it is an hour old", () => {
      // Prepare
      const first = recordOf(apply(undefined, snapshot({ ...livePod("eni-1"), observedAt: T0 }), passAt(T0, "p0")));
      const next = secondsAfter(T0, 1);
      const soon = secondsAfter(T0, LAST_SEEN_REFRESH_SECONDS - 1);
      const later = secondsAfter(T0, LAST_SEEN_REFRESH_SECONDS);

      // Act
      const secondSighting = apply(first, snapshot({ ...livePod("eni-1"), observedAt: next }), passAt(next, "p1"));
      const withinTheHour = apply(first, snapshot({ ...livePod("eni-1"), observedAt: soon }), passAt(soon, "p2"));
      const afterTheHour = apply(first, snapshot({ ...livePod("eni-1"), observedAt: later }), passAt(later, "p3"));

      // Assess
      expect(secondSighting).toBeUndefined();
      expect(withinTheHour).toBeUndefined();
      expect(afterTheHour?.record).toMatchObject({
        state: "associated",
        reason: first.reason,
        lastSeenAt: later.toISOString(),
        version: 2,
      });
      expect(afterTheHour?.transition).toBeUndefined();
    });

    it("writes at once when the security groups change", () => {
      const first = recordOf(apply(undefined, snapshot({ ...livePod("eni-1"), observedAt: T0 }), passAt(T0, "p1")));
      const soon = secondsAfter(T0, 60);
      const pod = livePod("eni-1");
      const regrouped = { ...pod, branchEnis: [{ ...pod.eni, securityGroupIds: ["sg-pod", "sg-extra"] }] };

      const decision = apply(first, snapshot({ ...regrouped, observedAt: soon }), passAt(soon, "p2"));

      expect(decision?.record.securityGroupIds).toEqual(["sg-pod", "sg-extra"]);
    });
  });

  describe("first sighting", () => {
    it("creates an associated record for a live pod ENI, with a history step without `from`", () => {
      const view = snapshot(livePod("eni-1"));

      const decision = apply(undefined, view, passAt(T0, "p1"));

      expect(decision?.record).toMatchObject({
        eniId: "eni-1",
        cluster: "alpha",
        state: "associated",
        trunkEniId: "eni-trunk-1",
        vlanId: 1,
        instanceId: "i-1",
        securityGroupIds: ["sg-pod"],
        firstSeenAt: T0.toISOString(),
        lastSeenAt: T0.toISOString(),
        observedAt: T0.toISOString(),
        version: 1,
      });
      expect(decision?.record.reason).toBe(
        "First seen: in use, associated over VLAN 1 to live trunk eni-trunk-1 of instance i-1.",
      );
      expect(decision?.transition).toEqual({
        eniId: "eni-1",
        cluster: "alpha",
        at: T0.toISOString(),
        to: "associated",
        reason: decision?.record.reason,
        cause: "sweep:p1",
      });
    });

    it("records evidence first seen as suspect, with the pass that recorded it", () => {
      const now = secondsAfter(T0, 5);

      const decision = apply(undefined, leakedView(T0), passAt(now, "p1"));

      expect(decision?.record.state).toBe("suspect");
      expect(decision?.record.evidence).toEqual({
        kind: "available",
        detail: "status is available and no trunk association exists",
        firstRecordedAt: now.toISOString(),
        firstPassId: "p1",
      });
      expect(decision?.record.reason).toBe(
        "First seen with leak evidence: status is available and no trunk association exists; reclaimable after the 600 s grace, in a later pass.",
      );
    });

    it("calls an in-use ENI detached while its trunk cannot be confirmed", () => {
      const view = snapshot({ branchEnis: [branchEni("eni-1")], incomplete: { "trunk-enis": "throttled" } });

      const decision = apply(undefined, view, passAt(T0, "p1"));

      expect(decision?.record.state).toBe("detached");
      expect(decision?.record.reason).toContain("trunk eni-trunk-1 could not be confirmed");
    });
  });

  describe("grace", () => {
    const suspect = recordOf(apply(undefined, leakedView(T0), passAt(T0, "p1")));

    it("keeps a suspect within the grace, saying how much has elapsed, without a history step", () => {
      const at = secondsAfter(T0, 120);

      const decision = apply(suspect, leakedView(at), passAt(at, "p2"));

      expect(decision?.record.state).toBe("suspect");
      expect(decision?.record.reason).toBe(
        `Status is available and no trunk association exists since ${T0.toISOString()}; 120 s of the 600 s grace elapsed.`,
      );
      expect(decision?.transition).toBeUndefined();
    });

    it("declares it leaked once the grace elapsed, in a later pass", () => {
      const at = secondsAfter(T0, 700);

      const decision = apply(suspect, leakedView(at), passAt(at, "p2"));

      expect(decision?.record.state).toBe("leaked");
      expect(decision?.record.reason).toBe(
        `Status is available and no trunk association exists since ${T0.toISOString()}; grace 600 s elapsed (700 s).`,
      );
      expect(decision?.transition).toMatchObject({ from: "suspect", to: "leaked", cause: "sweep:p2" });
      expect(decision?.record.evidence?.firstRecordedAt).toBe(T0.toISOString());
    });

    it("does not declare it leaked in the pass that first recorded the evidence, however late", () => {
      const at = secondsAfter(T0, 900);

      const decision = apply(suspect, leakedView(at), passAt(at, "p1"));

      expect(decision?.record.state).toBe("suspect");
      expect(decision?.record.reason).toContain(
        "the 600 s grace elapsed, but the evidence must still hold in a later pass than p1",
      );
    });

    it("counts the grace from the persisted first record across a restart", () => {
      const persisted: EniRecord = JSON.parse(JSON.stringify(suspect));
      const early = secondsAfter(T0, 300);
      const late = secondsAfter(T0, 600);

      const midGrace = apply(persisted, leakedView(early), passAt(early, "after-restart-1"));
      const pastGrace = apply(recordOf(midGrace), leakedView(late), passAt(late, "after-restart-2"));

      expect(midGrace?.record.state).toBe("suspect");
      expect(pastGrace?.record.state).toBe("leaked");
      expect(pastGrace?.record.evidence?.firstPassId).toBe("p1");
    });
  });

  describe("evidence changes", () => {
    it("returns to associated when the evidence clears, dropping it and saying what it was", () => {
      const suspect = recordOf(apply(undefined, leakedView(T0), passAt(T0, "p1")));
      const at = secondsAfter(T0, 60);

      const decision = apply(suspect, snapshot({ ...livePod("eni-1"), observedAt: at }), passAt(at, "p2"));

      expect(decision?.record.state).toBe("associated");
      expect(decision?.record.evidence).toBeUndefined();
      expect(decision?.record.reason).toBe(
        "Evidence cleared: in use, associated over VLAN 1 to live trunk eni-trunk-1 of instance i-1 (was: status is available and no trunk association exists).",
      );
      expect(decision?.transition).toMatchObject({ from: "suspect", to: "associated" });
    });

    it("keeps the first record time when the kind of evidence changes, and says so", () => {
      const eni = branchEni("eni-1", { extraTags: { [TAGS.instanceId]: "i-1" } });
      const dying = snapshot({
        branchEnis: [eni],
        trunkEnis: [trunkEni("eni-trunk-1", "i-1")],
        instances: [instance("i-1", "shutting-down")],
      });
      const suspect = recordOf(apply(undefined, dying, passAt(T0, "p1")));
      const at = secondsAfter(T0, 120);

      const decision = apply(suspect, snapshot({ observedAt: at, branchEnis: [eni] }), passAt(at, "p2"));

      expect(decision?.record.evidence).toEqual({
        kind: "trunk-missing",
        detail: "status is in-use but its trunk ENI eni-trunk-1 no longer exists",
        firstRecordedAt: T0.toISOString(),
        firstPassId: "p1",
      });
      expect(decision?.record.reason).toContain(
        `Leak evidence changed from instance-terminated to trunk-missing; unused since ${T0.toISOString()}`,
      );
      expect(decision?.transition).toMatchObject({ from: "suspect", to: "suspect" });
    });

    it("refreshes what it observed: groups, times and version", () => {
      const first = recordOf(apply(undefined, snapshot(livePod("eni-1")), passAt(T0, "p1")));
      const at = secondsAfter(T0, 30);
      const pod = livePod("eni-1");
      const changed = { ...pod.eni, securityGroupIds: ["sg-a", "sg-b"] };

      const decision = apply(first, snapshot({ ...pod, branchEnis: [changed], observedAt: at }), passAt(at, "p2"));

      expect(decision?.record).toMatchObject({
        securityGroupIds: ["sg-a", "sg-b"],
        firstSeenAt: T0.toISOString(),
        lastSeenAt: at.toISOString(),
        observedAt: at.toISOString(),
        stateSince: T0.toISOString(),
        version: 2,
      });
      expect(decision?.transition).toBeUndefined();
    });
  });

  describe("disappearance", () => {
    const tracked = recordOf(apply(undefined, snapshot(livePod("eni-1")), passAt(T0, "p1")));
    const later = secondsAfter(T0, 60);

    it("marks an ENI missing from a complete read gone", () => {
      const decision = apply(tracked, snapshot({ observedAt: later }), passAt(later, "p2"));

      expect(decision?.record.state).toBe("gone");
      expect(decision?.record.reason).toBe(
        "No longer returned by a complete EC2 read: deleted outside Branchkeeper (by the VPC resource controller or someone else).",
      );
      expect(decision?.record.lastSeenAt).toBe(T0.toISOString());
    });

    it("marks an ENI Branchkeeper was deleting deleted", () => {
      const deleting: EniRecord = { ...tracked, state: "deleting" };

      const decision = apply(deleting, snapshot({ observedAt: later }), passAt(later, "p2"));

      expect(decision?.record.state).toBe("deleted");
      expect(decision?.transition).toMatchObject({ from: "deleting", to: "deleted" });
    });

    it("changes nothing when the branch ENI read was incomplete", () => {
      const decision = apply(
        tracked,
        snapshot({ observedAt: later, incomplete: { "branch-enis": "throttled" } }),
        passAt(later, "p2"),
      );

      expect(decision).toBeUndefined();
    });

    it("changes nothing when the snapshot did not look at this ENI", () => {
      const view = snapshot({ observedAt: later, scope: { kind: "instance", ids: ["i-9"] } });

      const decision = apply(tracked, view, passAt(later, "p2"));

      expect(decision).toBeUndefined();
    });

    it("marks it gone from a scoped read that looked this very ENI up by id", () => {
      const view = snapshot({
        observedAt: later,
        scope: { kind: "eni", ids: ["eni-1"] },
        lookedUp: { eniIds: ["eni-1"] },
      });

      const decision = apply(tracked, view, passAt(later, "p2"));

      expect(decision?.record.state).toBe("gone");
    });
  });

  describe("never moving backwards", () => {
    const tracked = recordOf(
      apply(
        undefined,
        snapshot({ ...livePod("eni-1"), observedAt: secondsAfter(T0, 60) }),
        passAt(secondsAfter(T0, 60), "p1"),
      ),
    );

    it("ignores a snapshot older than the record", () => {
      const decision = apply(tracked, leakedView(T0), passAt(secondsAfter(T0, 90), "late-event"));

      expect(decision).toBeUndefined();
    });

    it("ignores the same snapshot applied twice", () => {
      const decision = apply(
        tracked,
        snapshot({ ...livePod("eni-1"), observedAt: secondsAfter(T0, 60) }),
        passAt(secondsAfter(T0, 90), "dup"),
      );

      expect(decision).toBeUndefined();
    });

    it("never changes a terminal record, even when the ENI shows up again", () => {
      const gone: EniRecord = { ...tracked, state: "gone" };

      const decision = apply(gone, leakedView(secondsAfter(T0, 3600)), passAt(secondsAfter(T0, 3600), "p9"));

      expect(decision).toBeUndefined();
    });
  });
});

describe("decideEniRecord over delivered event sequences (property)", () => {
  interface Observation {
    readonly status: "available" | "in-use";
    readonly present: boolean;
    readonly trunkPresent: boolean;
    readonly instanceState: "running" | "terminated";
    readonly branchComplete: boolean;
    readonly trunksComplete: boolean;
    readonly gapSeconds: number;
  }

  const observation = fc.record<Observation>({
    status: fc.constantFrom("available", "in-use"),
    present: fc.boolean(),
    trunkPresent: fc.boolean(),
    instanceState: fc.constantFrom("running", "terminated"),
    branchComplete: fc.boolean(),
    trunksComplete: fc.boolean(),
    gapSeconds: fc.integer({ min: 1, max: 400 }),
  });

  /** The ordered observations as snapshots, each with the pass that first delivers it. */
  const timeline = (observations: readonly Observation[]) => {
    let at = T0;
    return observations.map((o, index) => {
      at = secondsAfter(at, o.gapSeconds);
      const eni = branchEni("eni-1", { status: o.status, extraTags: { [TAGS.instanceId]: "i-1" } });
      const view = snapshot({
        observedAt: at,
        branchEnis: o.present ? [eni] : [],
        trunkEnis: o.trunkPresent ? [trunkEni("eni-trunk-1", "i-1")] : [],
        instances: [instance("i-1", o.instanceState)],
        incomplete: {
          ...(o.branchComplete ? {} : { "branch-enis": "throttled" }),
          ...(o.trunksComplete ? {} : { "trunk-enis": "throttled" }),
        },
      });
      return { view, pass: passAt(secondsAfter(at, 2), `p${index}`) };
    });
  };

  const run = (deliveries: readonly { view: ClusterSnapshot; pass: PassInfo }[]) => {
    let record: EniRecord | undefined;
    const history: unknown[] = [];
    for (const { view, pass } of deliveries) {
      const decision = apply(record, view, pass);
      if (decision === undefined) continue;
      record = decision.record;
      if (decision.transition) history.push(decision.transition);
    }
    return { record, history };
  };

  it("converges to the ordered result when events are duplicated and redelivered late", () => {
    fc.assert(
      fc.property(
        fc.array(observation, { minLength: 1, maxLength: 12 }),
        fc.array(fc.array(fc.nat(), { maxLength: 3 }), { maxLength: 12 }),
        (observations, redeliveries) => {
          const ordered = timeline(observations);
          const delivered = ordered.flatMap((step, index) => {
            // After each first delivery, copies of it or of earlier events may arrive again, later.
            const copies = (redeliveries[index] ?? []).map((pick, copy) => {
              const original = ordered[pick % (index + 1)] ?? step;
              const late = secondsAfter(step.pass.now, copy + 1);
              return { view: original.view, pass: passAt(late, `redelivery-${index}-${copy}`) };
            });
            return [step, ...copies];
          });

          const outcome = run(delivered);

          expect(outcome).toEqual(run(ordered));
        },
      ),
      { numRuns: 150 },
    );
  });

  it("never moves a record's observation time backwards, in any delivery order", () => {
    fc.assert(
      fc.property(
        fc
          .array(observation, { minLength: 1, maxLength: 10 })
          .chain((observations) => fc.shuffledSubarray(timeline(observations), { minLength: observations.length })),
        (shuffled) => {
          let record: EniRecord | undefined;
          for (const { view, pass } of shuffled) {
            const decision = apply(record, view, pass);
            if (decision === undefined) continue;
            if (record !== undefined)
              expect(Date.parse(decision.record.observedAt)).toBeGreaterThan(Date.parse(record.observedAt));
            record = decision.record;
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
