import { describe, expect, it } from "vitest";
import { measureContender } from "../../../bench/reclaim/metrics.ts";
import { earliestDeletions } from "../../../bench/reclaim/model-deletion.ts";
import { judgeDeletion } from "../../../bench/reclaim/truth.ts";
import { branch, inFlight, leakedAt } from "./truth-builders.ts";

describe("time-to-reclaim metrics", () => {
  const leaks = Array.from({ length: 100 }, (_, i) => leakedAt(`l${i}`, 1000));

  it("takes p50/p99 (nearest rank) over reclaimed leaks, and counts unreclaimed ones to the horizon", () => {
    // l0..l98 reclaimed after 1..99 s; l99 never.
    const deletions = leaks.slice(0, 99).map((eni, i) => ({ key: eni.key, at: 1000 + i + 1 }));
    const m = measureContender("x", leaks, deletions, 4600);
    expect(m.leaks).toBe(100);
    expect(m.reclaimed).toBe(99);
    expect(m.neverReclaimed).toBe(1);
    expect(m.p50Seconds).toBe(50);
    expect(m.p99Seconds).toBe(99);
    expect(m.maxSeconds).toBe(99);
    // (1 + … + 99) s + 3600 s for the one left = 4950 + 3600 = 8550 s = 142.5 min.
    expect(m.leakedEniMinutes).toBe(142.5);
    expect(m.wrongDeletions).toBe(0);
  });

  it("leaves out leaks that start after the horizon", () => {
    expect(measureContender("x", [leakedAt("late", 5000)], [], 4600).leaks).toBe(0);
  });

  it("judges each deletion: in use, racing the owner, foreign, unknown", () => {
    const truth = [
      branch("busy", [{ at: 0, status: "in-use" }]),
      inFlight("tearing", 100, 60),
      branch("cni", [{ at: 0, status: "available" }], { kind: "vpc-cni", owner: "amazon-vpc-cni" }),
      leakedAt("leak", 100),
    ];
    const m = measureContender(
      "x",
      truth,
      [
        { key: "busy", at: 50 },
        { key: "tearing", at: 120 },
        { key: "cni", at: 10 },
        { key: "unknown:eni-0abc", at: 10 },
        { key: "leak", at: 160 },
      ],
      1000,
    );
    expect(m.wrongByReason).toEqual({ "in-use": 1, "pod-teardown": 1, foreign: 1, unknown: 1 });
    expect(m.reclaimed).toBe(1);
    expect(m.p99Seconds).toBe(60);
  });

  it("counts a leak deleted while its owner still acted as preempted and wrong, not reclaimed", () => {
    const eni = leakedAt("n", 200, {
      phases: [
        { at: 0, status: "in-use" },
        { at: 100, status: "available" },
      ],
      ownerActing: [{ from: 100, to: 200, what: "node-cleanup" }],
    });
    expect(judgeDeletion(eni, 150)).toEqual({ kind: "wrong", reason: "node-cleanup" });
    expect(judgeDeletion(eni, 250)).toEqual({ kind: "reclaimed", seconds: 50 });
    const m = measureContender("x", [eni], [{ key: "n", at: 150 }], 1000);
    expect(m).toMatchObject({ leaks: 1, reclaimed: 0, preempted: 1, neverReclaimed: 0, wrongDeletions: 1 });
    expect(m.leakedEniMinutes).toBe(0);
  });

  it("splits leaks an event announces from those only a sweep finds", () => {
    const truth = [leakedAt("t", 0), leakedAt("f", 0, { leak: { at: 0, cause: "teardown-failed" } })];
    const m = measureContender(
      "x",
      truth,
      [
        { key: "t", at: 30 },
        { key: "f", at: 900 },
      ],
      1000,
    );
    expect(m.evented).toMatchObject({ leaks: 1, p99Seconds: 30 });
    expect(m.eventless).toMatchObject({ leaks: 1, p99Seconds: 900 });
    expect(Object.keys(m.byCause).sort()).toEqual(["node-terminated", "teardown-failed"]);
  });

  it("combines side-by-side contenders: the earlier deletion of each ENI wins", () => {
    expect(
      earliestDeletions(
        [
          { key: "a", at: 10 },
          { key: "b", at: 50 },
        ],
        [{ key: "b", at: 20 }],
      ),
    ).toEqual([
      { key: "a", at: 10 },
      { key: "b", at: 20 },
    ]);
  });
});
