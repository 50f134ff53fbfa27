import { describe, expect, it } from "vitest";
import { custodianPolicy } from "../../../bench/reclaim/custodian-model.ts";
import { measureContender } from "../../../bench/reclaim/metrics.ts";
import { branch, inFlight, leakedAt } from "./truth-builders.ts";

describe("the Cloud Custodian policy model (available + description, no grace)", () => {
  const truth = [
    leakedAt("leak", 100),
    inFlight("tearing-down", 880, 60),
    branch("look-alike", [{ at: 0, status: "available" }], { kind: "look-alike", owner: undefined }),
    branch("cni", [{ at: 850, status: "available" }], {
      kind: "vpc-cni",
      owner: "amazon-vpc-cni",
      description: "aws-K8S-i-0123",
    }),
    branch("in-use", [{ at: 0, status: "in-use" }]),
  ];
  const deletions = custodianPolicy(truth, { firstRunAt: 900, horizon: 3600 });

  it("deletes everything available with the branch description at its first run", () => {
    expect(deletions).toEqual([
      { key: "leak", at: 900 },
      { key: "tearing-down", at: 900 },
      { key: "look-alike", at: 900 },
    ]);
  });

  it("counts the in-flight ENI and the look-alike as wrong deletions, and reclaims the leak", () => {
    const metrics = measureContender("custodian", truth, deletions, 3600);
    expect(metrics.wrongDeletions).toBe(2);
    expect(metrics.wrongByReason).toEqual({ "pod-teardown": 1, foreign: 1 });
    expect(metrics.reclaimed).toBe(1);
    expect(metrics.p50Seconds).toBe(800);
  });
});
