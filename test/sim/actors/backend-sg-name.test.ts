import { describe, expect, it } from "vitest";
import { backendSgName } from "../../../sim/actors/backend-sg-name.ts";

describe("backendSgName", () => {
  it("names the group k8s-traffic-<cluster>-<first 10 hex of sha256(cluster)>", () => {
    expect(backendSgName("alpha")).toBe("k8s-traffic-alpha-8ed3f6ad68");
  });

  it("drops every non-alphanumeric character from the cluster part, but hashes the cluster as given", () => {
    expect(backendSgName("my-cluster.prod_1")).toBe("k8s-traffic-myclusterprod1-694fc136d3");
    expect(backendSgName("é-cluster")).toBe("k8s-traffic-cluster-aae59620d9");
  });

  it("keeps at most 232 characters of the cluster name, so the name fits EC2's 255", () => {
    const name = backendSgName("a".repeat(300));

    expect(name).toHaveLength(255);
    expect(name.startsWith(`k8s-traffic-${"a".repeat(232)}-`)).toBe(true);
  });
});
