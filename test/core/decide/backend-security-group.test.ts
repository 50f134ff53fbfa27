import { describe, expect, it } from "vitest";
import { backendSecurityGroupName } from "../../../core/decide/backend-security-group.ts";

describe("backendSecurityGroupName", () => {
  it("names the group as the LBC does: sanitized cluster name and 10 hex of its sha256", () => {
    const name = backendSecurityGroupName("my-cluster");

    // printf my-cluster | sha256sum → 4cbfcec96c…
    expect(name).toBe("k8s-traffic-mycluster-4cbfcec96c");
  });

  it("keeps at most 232 characters of the sanitized name", () => {
    const name = backendSecurityGroupName("a".repeat(300));

    expect(name).toBe(`k8s-traffic-${"a".repeat(232)}-${name.slice(-10)}`);
  });
});
