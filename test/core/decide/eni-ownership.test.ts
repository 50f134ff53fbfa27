import { describe, expect, it } from "vitest";
import { eniOwnership } from "../../../core/decide/eni-ownership.ts";
import { TAGS } from "../../../core/model/tags.ts";
import { branchEni, withoutTag } from "../../support/snapshot-builders.ts";

describe("eniOwnership", () => {
  it("claims a branch ENI of the VPC resource controller", () => {
    const eni = branchEni("eni-1");

    const ownership = eniOwnership(eni);

    expect(ownership.verdict).toBe("reclaimable");
    expect(ownership.reason).toBe("eni-1 is a branch ENI of eks-vpc-resource-controller (aws-k8s-branch-eni).");
  });

  it("never claims a VPC CNI ENI, even one carrying the controller's owner tag", () => {
    const eni = branchEni("eni-cni", { description: "aws-K8S-i-0abc" });

    const ownership = eniOwnership(eni);

    expect(ownership.verdict).toBe("foreign");
    expect(ownership.reason).toContain("aws-K8S-i-0abc, a VPC CNI ENI");
  });

  it("never claims another owner's ENI", () => {
    const eni = branchEni("eni-2", { extraTags: { [TAGS.eniOwner]: "amazon-vpc-cni" } });

    const ownership = eniOwnership(eni);

    expect(ownership.verdict).toBe("foreign");
    expect(ownership.reason).toBe("eni-2 is owned by amazon-vpc-cni (eks:eni:owner), not eks-vpc-resource-controller.");
  });

  it("never claims an ENI without the owner tag", () => {
    const eni = withoutTag(branchEni("eni-3"), TAGS.eniOwner);

    const ownership = eniOwnership(eni);

    expect(ownership.verdict).toBe("foreign");
    expect(ownership.reason).toContain("no eks:eni:owner tag");
  });

  it("requires the branch description, not just the owner tag", () => {
    const eni = branchEni("eni-4", { description: "aws-k8s-trunk-eni" });

    const ownership = eniOwnership(eni);

    expect(ownership.verdict).toBe("foreign");
    expect(ownership.reason).toContain('description "aws-k8s-trunk-eni", not aws-k8s-branch-eni');
  });

  it("protects a skip-tagged branch ENI whatever the tag's value", () => {
    const eni = branchEni("eni-5", { extraTags: { [TAGS.skip]: "" } });

    const ownership = eniOwnership(eni);

    expect(ownership.verdict).toBe("protected");
    expect(ownership.reason).toBe("eni-5 is tagged branchkeeper.io/skip: tracked and reported, never deleted.");
  });
});
