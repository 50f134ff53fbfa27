import { describe, expect, it } from "vitest";
import { eksctlCleanup, eksctlGroupPattern } from "../../../bench/reclaim/eksctl-model.ts";
import { inFlight, leakedAt } from "./truth-builders.ts";

const NODE_SG = "eksctl-alpha-cluster-ClusterSharedNodeSecurityGroup-ABC123";

describe("eksctl's delete-time cleanup model", () => {
  it("matches eksctl's group names of the cluster only", () => {
    const pattern = eksctlGroupPattern("alpha");
    expect(pattern.test(NODE_SG)).toBe(true);
    expect(pattern.test("eksctl-alpha-nodegroup-ng-1-SG-XYZ")).toBe(true);
    expect(pattern.test("eksctl-alphabet-cluster-ClusterSharedNodeSecurityGroup-X")).toBe(false);
    expect(pattern.test("eks-cluster-sg-alpha-1234567890")).toBe(false);
    expect(pattern.test("alpha-pods-web")).toBe(false);
  });

  it("deletes available ENIs carrying an eksctl group, once, and misses those with pod groups only", () => {
    const truth = [
      leakedAt("with-node-sg", 100, { securityGroups: [NODE_SG, "alpha-pods-web"] }),
      leakedAt("pod-sgs-only", 100, { securityGroups: ["alpha-pods-web", "alpha-pods-db-client"] }),
      leakedAt("cluster-sg", 100, { securityGroups: ["eks-cluster-sg-alpha", "alpha-pods-api"] }),
      leakedAt("later", 900, { securityGroups: [NODE_SG] }),
      leakedAt("other-vpc", 100, { cluster: "beta", securityGroups: [NODE_SG] }),
    ];
    expect(eksctlCleanup(truth, [{ cluster: "alpha", at: 600 }])).toEqual([{ key: "with-node-sg", at: 600 }]);
  });

  it("also deletes an ENI whose teardown is under way, if it carries an eksctl group", () => {
    const truth = [inFlight("racing", 590, 60, { securityGroups: [NODE_SG] })];
    expect(eksctlCleanup(truth, [{ cluster: "alpha", at: 600 }])).toEqual([{ key: "racing", at: 600 }]);
  });
});
