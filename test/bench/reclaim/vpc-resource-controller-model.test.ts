import { describe, expect, it } from "vitest";
import { controllerCleaner } from "../../../bench/reclaim/vpc-resource-controller-model.ts";
import { branch, inFlight, leakedAt } from "./truth-builders.ts";

const run = (
  truth: Parameters<typeof controllerCleaner>[0],
  extra: Partial<Parameters<typeof controllerCleaner>[1]> = {},
) =>
  controllerCleaner(truth, {
    clusters: ["alpha"],
    firstCycleAt: { alpha: 0 },
    restarts: [],
    clusterDeletedAt: {},
    horizon: 3 * 3600,
    ...extra,
  });

describe("the VPC resource controller's cleaner model (two strikes, in memory)", () => {
  it("deletes a leak on its second consecutive sighting, 30 minutes after the first", () => {
    expect(run([leakedAt("a", 100)])).toEqual([{ key: "a", at: 3600 }]);
  });

  it("never deletes what is available for less than a cycle (a teardown under way)", () => {
    expect(run([inFlight("a", 1790, 60)])).toEqual([]);
  });

  it("forgets its first sightings on a restart, and starts a cycle when it is back", () => {
    // Seen at 1800; restart 2000–2100 empties the map; seen again at 2100 (first), deleted at 3900.
    const deletions = run([leakedAt("a", 100)], { restarts: [{ cluster: "alpha", at: 2000, end: 2100 }] });
    expect(deletions).toEqual([{ key: "a", at: 3900 }]);
  });

  it("stops with the cluster: a deleted cluster's leaks stay forever", () => {
    expect(run([leakedAt("a", 100)], { clusterDeletedAt: { alpha: 1000 } })).toEqual([]);
  });

  it("filters like the controller: owner tag, cluster tag, its own cluster; VPC CNI ENIs are in scope", () => {
    const truth = [
      leakedAt("no-owner", 100, { owner: undefined, kind: "look-alike" }),
      leakedAt("other-owner", 100, { owner: "platform-tooling", kind: "look-alike" }),
      leakedAt("untagged", 100, { clusterTagged: false }),
      leakedAt("beta", 100, { cluster: "beta" }),
      branch("cni", [{ at: 50, status: "available" }], { kind: "vpc-cni", owner: "amazon-vpc-cni" }),
    ];
    expect(run(truth)).toEqual([{ key: "cni", at: 3600 }]);
  });
});
