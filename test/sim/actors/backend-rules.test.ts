import { describe, expect, it } from "vitest";
import { computeBackendRules, type ResolvedBinding } from "../../../sim/actors/backend-rules.ts";
import type { SecurityGroupTags } from "../../../sim/actors/endpoint-sg.ts";

const tags: SecurityGroupTags = new Map<string, Record<string, string>>([
  ["sg-cluster", { "kubernetes.io/cluster/alpha": "owned" }],
  ["sg-web", {}],
  ["sg-db", {}],
  ["sg-canary", { "kubernetes.io/cluster/alpha": "shared" }],
]);

const web: ResolvedBinding = {
  targetGroupArn: "tg/web",
  networking: { kind: "ingress", protocol: "HTTP", port: 8080, healthCheckPort: "traffic-port" },
  sourceGroupId: "sg-backend",
  endpointEnis: [
    { eniId: "eni-w1", securityGroupIds: ["sg-cluster", "sg-web"] },
    { eniId: "eni-w2", securityGroupIds: ["sg-cluster", "sg-web"] },
  ],
};
const admin: ResolvedBinding = {
  targetGroupArn: "tg/admin",
  networking: { kind: "ingress", protocol: "HTTP", port: 31080, healthCheckPort: "traffic-port" },
  sourceGroupId: "sg-backend",
  endpointEnis: [{ eniId: "eni-node", securityGroupIds: ["sg-cluster"] }],
};

describe("computeBackendRules", () => {
  it("merges the bindings' ports per endpoint group in restricted mode", () => {
    const { rules, failures } = computeBackendRules([web, admin], tags, "alpha");

    expect(failures).toEqual([]);
    expect(rules).toEqual([
      { groupId: "sg-cluster", protocol: "tcp", fromPort: 8080, toPort: 31080, sourceGroupId: "sg-backend" },
    ]);
  });

  it("fails a whole binding when one of its ENIs has no single cluster-tagged group", () => {
    const mixed: ResolvedBinding = {
      ...web,
      targetGroupArn: "tg/mixed",
      networking: { ...web.networking, port: 5000 },
      endpointEnis: [...web.endpointEnis, { eniId: "eni-untagged", securityGroupIds: ["sg-web", "sg-db"] }],
    };
    const twoTags: ResolvedBinding = {
      ...web,
      targetGroupArn: "tg/canary",
      networking: { ...web.networking, port: 6000 },
      endpointEnis: [{ eniId: "eni-two", securityGroupIds: ["sg-cluster", "sg-canary"] }],
    };

    const { rules, failures } = computeBackendRules([admin, mixed, twoTags], tags, "alpha");

    expect(rules).toEqual([
      { groupId: "sg-cluster", protocol: "tcp", fromPort: 31080, toPort: 31080, sourceGroupId: "sg-backend" },
    ]);
    expect(failures.map((f) => [f.targetGroupArn, f.eniId])).toEqual([
      ["tg/mixed", "eni-untagged"],
      ["tg/canary", "eni-two"],
    ]);
  });

  it("opens tcp 0-65535 per endpoint group when restricted rules are disabled", () => {
    const { rules } = computeBackendRules([web, admin], tags, "alpha", { restricted: false });

    expect(rules).toEqual([
      { groupId: "sg-cluster", protocol: "tcp", fromPort: 0, toPort: 65535, sourceGroupId: "sg-backend" },
    ]);
  });

  it("writes nothing for a binding without targets", () => {
    expect(computeBackendRules([{ ...web, endpointEnis: [] }], tags, "alpha").rules).toEqual([]);
  });
});
