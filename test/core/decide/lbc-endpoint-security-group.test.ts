import { describe, expect, it } from "vitest";
import { resolveEndpointSecurityGroup } from "../../../core/decide/lbc-endpoint-security-group.ts";
import { nodeEni, securityGroup } from "../../support/snapshot-builders.ts";

const groups = new Map(
  [
    securityGroup("sg-a", { "kubernetes.io/cluster/alpha": "owned" }),
    securityGroup("sg-b", { "kubernetes.io/cluster/alpha": "" }),
    securityGroup("sg-c"),
    securityGroup("sg-d", { "kubernetes.io/cluster/beta": "owned" }),
  ].map((group) => [group.groupId, group]),
);

describe("resolveEndpointSecurityGroup (the LBC's resolveEndpointSGForENI)", () => {
  it("uses an ENI's only group, tagged or not", () => {
    const eni = nodeEni("eni-1", "i-1", ["sg-c"]);

    const resolved = resolveEndpointSecurityGroup(eni, groups, "alpha");

    expect(resolved).toEqual({ groupId: "sg-c" });
  });

  it("uses the one group carrying the cluster tag key, whatever its value", () => {
    const eni = nodeEni("eni-1", "i-1", ["sg-c", "sg-b", "sg-d"]);

    const resolved = resolveEndpointSecurityGroup(eni, groups, "alpha");

    expect(resolved).toEqual({ groupId: "sg-b" });
  });

  it("fails with the LBC's message when no group carries the tag", () => {
    const eni = nodeEni("eni-1", "i-1", ["sg-c", "sg-d"]);

    const resolved = resolveEndpointSecurityGroup(eni, groups, "alpha");

    expect(resolved).toEqual({
      error:
        "expected exactly one securityGroup tagged with kubernetes.io/cluster/alpha for eni eni-1, got: [] (clusterName: alpha)",
    });
  });

  it("fails with the LBC's message, sorted ids space-separated, when several carry it", () => {
    const eni = nodeEni("eni-1", "i-1", ["sg-b", "sg-c", "sg-a"]);

    const resolved = resolveEndpointSecurityGroup(eni, groups, "alpha");

    expect(resolved).toEqual({
      error:
        "expected exactly one securityGroup tagged with kubernetes.io/cluster/alpha for eni eni-1, got: [sg-a sg-b] (clusterName: alpha)",
    });
  });

  it("does not guess when one of the ENI's groups was not observed", () => {
    const eni = nodeEni("eni-1", "i-1", ["sg-a", "sg-zzz"]);

    const resolved = resolveEndpointSecurityGroup(eni, groups, "alpha");

    expect(resolved).toEqual({
      error: "security groups sg-zzz of eni-1 were not observed, so their tags are unknown",
    });
  });
});
