import { describe, expect, it } from "vitest";
import { partitionOwnedEnis } from "../../../core/aws/owned-enis.ts";
import type { ObservedEni } from "../../../core/model/observed.ts";

const eni = (eniId: string, description: string, tags: Record<string, string>): ObservedEni => ({
  eniId,
  vpcId: "vpc-1",
  subnetId: "subnet-1",
  status: "in-use",
  interfaceType: "",
  description,
  securityGroupIds: [],
  privateIps: [],
  tags: { "eks:eni:owner": "eks-vpc-resource-controller", ...tags },
});

describe("partitionOwnedEnis", () => {
  it("gives a branch without a cluster tag to its trunk's cluster, and a trunk without one to its branches' cluster", () => {
    // Prepare
    const taggedTrunk = eni("eni-t1", "aws-k8s-trunk-eni", { "kubernetes.io/cluster/alpha": "owned" });
    const untaggedTrunk = eni("eni-t2", "aws-k8s-trunk-eni", {});
    const oldBranch = eni("eni-b1", "aws-k8s-branch-eni", { "vpcresources.k8s.aws/trunk-eni-id": "eni-t1" });
    const branch = eni("eni-b2", "aws-k8s-branch-eni", {
      "kubernetes.io/cluster/beta": "owned",
      "vpcresources.k8s.aws/trunk-eni-id": "eni-t2",
    });
    const orphan = eni("eni-b3", "aws-k8s-branch-eni", { "vpcresources.k8s.aws/trunk-eni-id": "eni-gone" });
    const cni = { ...eni("eni-c1", "aws-K8S-i-1", { "kubernetes.io/cluster/alpha": "owned" }), tags: {} };

    // Act
    const byCluster = partitionOwnedEnis([taggedTrunk, untaggedTrunk, oldBranch, branch, orphan, cni]);

    // Assess
    expect(byCluster.get("alpha")).toEqual({ branches: [oldBranch], trunks: [taggedTrunk] });
    expect(byCluster.get("beta")).toEqual({ branches: [branch], trunks: [untaggedTrunk] });
    expect([...byCluster.keys()].sort()).toEqual(["alpha", "beta"]);
  });
});
