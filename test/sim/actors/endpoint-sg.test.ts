import { describe, expect, it } from "vitest";
import { resolveEndpointSg, type SecurityGroupTags } from "../../../sim/actors/endpoint-sg.ts";

const tags: SecurityGroupTags = new Map<string, Record<string, string>>([
  ["sg-cluster", { "kubernetes.io/cluster/alpha": "owned", Name: "cluster" }],
  ["sg-shared", { "kubernetes.io/cluster/alpha": "shared" }],
  ["sg-empty-value", { "kubernetes.io/cluster/alpha": "" }],
  ["sg-other-cluster", { "kubernetes.io/cluster/beta": "owned" }],
  ["sg-plain", { Name: "plain" }],
]);

describe("resolveEndpointSg", () => {
  it("takes the only group of a single-group ENI, tagged or not", () => {
    const resolution = resolveEndpointSg({ eniId: "eni-1", securityGroupIds: ["sg-plain"] }, tags, "alpha");

    expect(resolution).toEqual({ ok: true, securityGroupId: "sg-plain" });
  });

  it("takes the one group carrying the cluster tag key, whatever its value", () => {
    const owned = resolveEndpointSg({ eniId: "eni-1", securityGroupIds: ["sg-plain", "sg-cluster"] }, tags, "alpha");
    const empty = resolveEndpointSg(
      { eniId: "eni-2", securityGroupIds: ["sg-empty-value", "sg-plain"] },
      tags,
      "alpha",
    );

    expect(owned).toEqual({ ok: true, securityGroupId: "sg-cluster" });
    expect(empty).toEqual({ ok: true, securityGroupId: "sg-empty-value" });
  });

  it("finds no endpoint when no group is tagged for this cluster, with the LBC's error text", () => {
    const resolution = resolveEndpointSg(
      { eniId: "eni-0abc", securityGroupIds: ["sg-plain", "sg-other-cluster"] },
      tags,
      "alpha",
    );

    expect(resolution).toEqual({
      ok: false,
      taggedSecurityGroupIds: [],
      message:
        "expected exactly one securityGroup tagged with kubernetes.io/cluster/alpha for eni eni-0abc, got: [] (clusterName: alpha)",
    });
  });

  it("finds no endpoint when two groups are tagged, listing them sorted", () => {
    const resolution = resolveEndpointSg(
      { eniId: "eni-0abc", securityGroupIds: ["sg-shared", "sg-plain", "sg-cluster"] },
      tags,
      "alpha",
    );

    expect(resolution).toMatchObject({ ok: false, taggedSecurityGroupIds: ["sg-cluster", "sg-shared"] });
    expect(resolution.ok || resolution.message).toContain("got: [sg-cluster sg-shared] (clusterName: alpha)");
  });

  it("treats a group it knows no tags of as untagged", () => {
    const resolution = resolveEndpointSg(
      { eniId: "eni-1", securityGroupIds: ["sg-unknown", "sg-cluster"] },
      tags,
      "alpha",
    );

    expect(resolution).toEqual({ ok: true, securityGroupId: "sg-cluster" });
  });
});
