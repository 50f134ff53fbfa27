import { describe, expect, it } from "vitest";
import type { PassInfo } from "../../../core/decide/eni-lifecycle.ts";
import { planCluster } from "../../../core/decide/reconcile-plan.ts";
import type { EniRecord } from "../../../core/model/eni-record.ts";
import { TAGS } from "../../../core/model/tags.ts";
import {
  branchEni,
  livePod,
  loadBalancer,
  rule,
  type SnapshotParts,
  secondsAfter,
  securityGroup,
  snapshot,
  T0,
  targetGroup,
  testConfig,
} from "../../support/snapshot-builders.ts";

const config = testConfig();
const first: PassInfo = { now: T0, passId: "sweep-1", cause: "sweep:sweep-1" };
const later: PassInfo = { now: secondsAfter(T0, 900), passId: "sweep-2", cause: "sweep:sweep-2" };

/** A cluster with one live pod, one leaked ENI, a pod ENI with two untagged groups and a stale backend rule. */
const cluster = (at: Date, overrides: SnapshotParts = {}) => {
  const pod = livePod("eni-live");
  return snapshot({
    ...pod,
    observedAt: at,
    branchEnis: [
      pod.eni,
      branchEni("eni-leaked", { status: "available" }),
      branchEni("eni-two-groups", { securityGroupIds: ["sg-y", "sg-x"] }),
      branchEni("eni-cni", { status: "available", description: "aws-K8S-i-1" }),
    ],
    associations: [
      ...pod.associations,
      { associationId: "a-2", branchEniId: "eni-two-groups", trunkEniId: "eni-trunk-1" },
    ],
    backendSecurityGroupId: "sg-backend",
    loadBalancers: [loadBalancer("arn:lb/app-1", ["sg-backend"])],
    targetGroups: [targetGroup({ arn: "arn:tg/web/1", targets: [] })],
    securityGroups: [
      securityGroup("sg-pod", {}, [rule("sgr-stale", "sg-pod")]),
      securityGroup("sg-x"),
      securityGroup("sg-y"),
      securityGroup("sg-backend"),
    ],
    ...overrides,
  });
};

const recordsOf = (plan: ReturnType<typeof planCluster>): Map<string, EniRecord> =>
  new Map(plan.records.map(({ record }) => [record.eniId, record]));

describe("planCluster", () => {
  it("tracks the cluster's branch ENIs but not foreign ones, and deletes nothing in the first pass", () => {
    const plan = planCluster(cluster(T0), new Map(), first, config);

    expect(plan.records.map(({ record }) => [record.eniId, record.state])).toEqual([
      ["eni-leaked", "suspect"],
      ["eni-live", "associated"],
      ["eni-two-groups", "associated"],
    ]);
    expect(plan.actions.filter((a) => a.kind === "delete-eni")).toEqual([]);
  });

  it("declares a leak in a later pass and plans its deletion, then tags, then rules", () => {
    const records = recordsOf(planCluster(cluster(T0), new Map(), first, config));

    const plan = planCluster(cluster(later.now), records, later, config);

    expect(plan.records.find(({ record }) => record.eniId === "eni-leaked")?.transition).toMatchObject({
      from: "suspect",
      to: "leaked",
      cause: "sweep:sweep-2",
    });
    expect(
      plan.actions.map((a) => [a.kind, "eniId" in a ? a.eniId : "groupId" in a ? a.groupId : a.rule.groupId]),
    ).toEqual([
      ["delete-eni", "eni-leaked"],
      ["tag-sg", "sg-x"],
      ["revoke-rule", "sg-pod"],
    ]);
    expect(plan.findings.map((f) => [f.kind, f.resourceId])).toEqual([
      ["cluster-tag-missing", "eni-two-groups"],
      ["backend-rule-stale", "sgr-stale"],
    ]);
  });

  it("deletes, revokes and untags nothing on a partial view", () => {
    const records = recordsOf(planCluster(cluster(T0), new Map(), first, config));
    const partial = cluster(later.now, {
      incomplete: { "branch-enis": "throttled", "security-groups": "throttled" },
    });

    const plan = planCluster(partial, records, later, config);

    expect(plan.actions).toEqual([]);
    expect(plan.held).toEqual([
      {
        eniId: "eni-leaked",
        reason: "Branch ENIs could not be read completely (throttled): nothing is deleted on a partial view.",
      },
    ]);
  });

  it("holds a skip-tagged leak while still tracking it as leaked", () => {
    const skipped = branchEni("eni-leaked", { status: "available", extraTags: { [TAGS.skip]: "" } });
    const records = recordsOf(planCluster(cluster(T0, { branchEnis: [skipped] }), new Map(), first, config));

    const plan = planCluster(cluster(later.now, { branchEnis: [skipped] }), records, later, config);

    expect(recordsOf(plan).get("eni-leaked")?.state).toBe("leaked");
    expect(plan.actions.filter((a) => a.kind === "delete-eni")).toEqual([]);
    expect(plan.held[0]?.reason).toContain("tagged branchkeeper.io/skip");
  });

  it("spends only the remaining deletion budget of the run", () => {
    const records = recordsOf(planCluster(cluster(T0), new Map(), first, config));

    const plan = planCluster(cluster(later.now), records, later, config, { deleteBudget: 0 });

    expect(plan.actions.filter((a) => a.kind === "delete-eni")).toEqual([]);
    expect(plan.held[0]?.reason).toContain("Per-run cap");
  });

  it("is deterministic whatever order the stored records come in", () => {
    const records = [...recordsOf(planCluster(cluster(T0), new Map(), first, config)).entries()];

    const forward = planCluster(cluster(later.now), new Map(records), later, config);
    const backward = planCluster(cluster(later.now), new Map([...records].reverse()), later, config);

    expect(backward).toEqual(forward);
  });

  it("ignores records of other clusters", () => {
    const beta = snapshot({ cluster: { name: "beta" }, branchEnis: [branchEni("eni-beta", { status: "available" })] });
    const stranger = recordsOf(planCluster(beta, new Map(), first, config));

    const plan = planCluster(cluster(later.now), stranger, later, config);

    expect(stranger.get("eni-beta")?.cluster).toBe("beta");
    expect(plan.records.map(({ record }) => record.eniId)).not.toContain("eni-beta");
  });
});
