import { describe, expect, it } from "vitest";
import { decideBackendRules, desiredBackendRules } from "../../../core/decide/backend-rules.ts";
import { TAGS } from "../../../core/model/tags.ts";
import {
  branchEni,
  loadBalancer,
  nodeEni,
  rule,
  type SnapshotParts,
  securityGroup,
  snapshot,
  targetGroup,
  testConfig,
} from "../../support/snapshot-builders.ts";

const repair = testConfig({ backendRules: "repair" });
const clusterTag = { "kubernetes.io/cluster/alpha": "owned" };

/** Two pods with their own ENI (sg-pod), a node (sg-node), a load balancer carrying the backend SG. */
const world = (overrides: SnapshotParts = {}) =>
  snapshot({
    backendSecurityGroupId: "sg-backend",
    loadBalancers: [loadBalancer("arn:lb/app-1", ["sg-lb", "sg-backend"])],
    targetEnis: [
      branchEni("eni-pod-1", { securityGroupIds: ["sg-pod"], privateIps: ["10.0.1.1"] }),
      branchEni("eni-pod-2", { securityGroupIds: ["sg-pod"], privateIps: ["10.0.1.2"] }),
      nodeEni("eni-node-1", "i-1", ["sg-node"], ["10.0.0.1", "10.0.0.11"]),
    ],
    securityGroups: [
      securityGroup("sg-pod", clusterTag),
      securityGroup("sg-node", clusterTag),
      securityGroup("sg-backend"),
      securityGroup("sg-lb"),
    ],
    ...overrides,
  });

const ipGroup = (name: string, port: number, overrides = {}) =>
  targetGroup({
    arn: `arn:tg/${name}/1`,
    targets: [
      { id: "10.0.1.1", port },
      { id: "10.0.1.2", port },
    ],
    ...overrides,
  });

describe("desiredBackendRules", () => {
  it("merges several ip-mode bindings on one endpoint group into one min..max rule from the backend SG", () => {
    const view = world({ targetGroups: [ipGroup("web", 8080), ipGroup("admin", 9090)] });

    const desired = desiredBackendRules(view);

    expect(desired.rules).toEqual([
      { groupId: "sg-pod", protocol: "tcp", sourceGroupId: "sg-backend", fromPort: 8080, toPort: 9090 },
    ]);
    expect(desired.findings).toEqual([]);
  });

  it("opens the NodePort on the node's primary ENI group in instance mode, merged with a distinct health-check port", () => {
    const group = targetGroup({
      arn: "arn:tg/nodeport/1",
      targetType: "instance",
      healthCheckPort: "31000",
      targets: [{ id: "i-1", port: 30080 }],
    });

    const desired = desiredBackendRules(world({ targetGroups: [group] }));

    expect(desired.rules).toEqual([
      { groupId: "sg-node", protocol: "tcp", sourceGroupId: "sg-backend", fromPort: 30080, toPort: 31000 },
    ]);
  });

  it("keeps a UDP binding's udp rule apart from the tcp rule of its health check", () => {
    const group = ipGroup("dns", 53, { protocol: "UDP", healthCheckPort: "8081" });

    const desired = desiredBackendRules(world({ targetGroups: [group] }));

    expect(desired.rules).toEqual([
      { groupId: "sg-pod", protocol: "tcp", sourceGroupId: "sg-backend", fromPort: 8081, toPort: 8081 },
      { groupId: "sg-pod", protocol: "udp", sourceGroupId: "sg-backend", fromPort: 53, toPort: 53 },
    ]);
  });

  it("uses the load balancer's own groups when it does not carry the backend SG", () => {
    const view = world({
      loadBalancers: [loadBalancer("arn:lb/app-1", ["sg-lb"])],
      targetGroups: [ipGroup("web", 8080)],
    });

    const desired = desiredBackendRules(view);

    expect(desired.rules).toEqual([
      { groupId: "sg-pod", protocol: "tcp", sourceGroupId: "sg-lb", fromPort: 8080, toPort: 8080 },
    ]);
  });

  it("resolves a multi-group pod ENI to its one cluster-tagged group", () => {
    const view = world({
      targetEnis: [branchEni("eni-pod-1", { securityGroupIds: ["sg-extra", "sg-pod"], privateIps: ["10.0.1.1"] })],
      securityGroups: [securityGroup("sg-pod", clusterTag), securityGroup("sg-extra")],
      targetGroups: [targetGroup({ arn: "arn:tg/web/1", targets: [{ id: "10.0.1.1", port: 8080 }] })],
    });

    const desired = desiredBackendRules(view);

    expect(desired.rules.map((r) => r.groupId)).toEqual(["sg-pod"]);
  });

  it("reports an ENI whose groups the LBC cannot choose from, in the LBC's words, and writes no rule", () => {
    const view = world({
      targetEnis: [branchEni("eni-pod-1", { securityGroupIds: ["sg-a", "sg-b"], privateIps: ["10.0.1.1"] })],
      securityGroups: [securityGroup("sg-a"), securityGroup("sg-b")],
      targetGroups: [targetGroup({ arn: "arn:tg/web/1", targets: [{ id: "10.0.1.1", port: 8080 }] })],
    });

    const desired = desiredBackendRules(view);

    expect(desired.rules).toEqual([]);
    expect(desired.findings).toEqual([
      expect.objectContaining({
        kind: "backend-rule-unresolved",
        resourceId: "eni-pod-1",
        detail:
          "expected exactly one securityGroup tagged with kubernetes.io/cluster/alpha for eni eni-pod-1, got: [] (clusterName: alpha) (target 10.0.1.1:8080 of target group web).",
        action: "report only; stale rules are not revoked until this is resolved",
      }),
    ]);
    expect(desired.gaps).toEqual(["eni-pod-1"]);
  });

  it("reports a load balancer without security groups and writes no rule for it", () => {
    const view = world({ loadBalancers: [loadBalancer("arn:lb/app-1", [])], targetGroups: [ipGroup("web", 8080)] });

    const desired = desiredBackendRules(view);

    expect(desired.rules).toEqual([]);
    expect(desired.findings[0]).toMatchObject({
      kind: "backend-rule-unresolved",
      resourceId: "arn:lb/app-1",
      detail:
        "Load balancer arn:lb/app-1 has no security groups, so no group-sourced backend rule applies to target group web.",
    });
    expect(desired.gaps).toEqual([]);
  });

  it("reports a target no observed ENI serves", () => {
    const view = world({
      targetGroups: [targetGroup({ arn: "arn:tg/web/1", targets: [{ id: "10.9.9.9", port: 80 }] })],
    });

    const desired = desiredBackendRules(view);

    expect(desired.findings[0]?.detail).toBe("No observed ENI serves target 10.9.9.9:80 of target group web.");
  });
});

describe("decideBackendRules", () => {
  it("authorizes a missing rule, naming the target groups that need it", () => {
    const view = world({ targetGroups: [ipGroup("web", 8080), ipGroup("admin", 9090)] });

    const decision = decideBackendRules(view, repair);

    const wanted = { groupId: "sg-pod", protocol: "tcp", sourceGroupId: "sg-backend", fromPort: 8080, toPort: 9090 };
    expect(decision.actions).toEqual([
      {
        kind: "authorize-rule",
        cluster: "alpha",
        rule: wanted,
        reason:
          "The LBC's restricted-mode rules need tcp 8080-9090 from sg-backend on sg-pod for target group(s) admin and web, but no rule labelled elbv2.k8s.aws/targetGroupBinding=shared allows it.",
      },
    ]);
    expect(decision.findings).toEqual([
      expect.objectContaining({
        kind: "backend-rule-missing",
        resourceId: "sg-pod:tcp:8080-9090<-sg-backend",
        action: "authorize tcp 8080-9090 from sg-backend on sg-pod",
      }),
    ]);
  });

  it("does nothing when the labelled rule is already there", () => {
    const view = world({
      targetGroups: [ipGroup("web", 8080)],
      securityGroups: [securityGroup("sg-pod", clusterTag, [rule("sgr-1", "sg-pod")]), securityGroup("sg-backend")],
    });

    const decision = decideBackendRules(view, repair);

    expect(decision).toEqual({ findings: [], actions: [] });
  });

  it("authorizes the merged rule before revoking the narrower one it replaces", () => {
    const view = world({
      targetGroups: [ipGroup("web", 8080), ipGroup("admin", 9090)],
      securityGroups: [securityGroup("sg-pod", clusterTag, [rule("sgr-old", "sg-pod")]), securityGroup("sg-backend")],
    });

    const decision = decideBackendRules(view, repair);

    expect(decision.actions.map((a) => a.kind)).toEqual(["authorize-rule", "revoke-rule"]);
    expect(decision.actions[1]).toMatchObject({ rule: { ruleId: "sgr-old" } });
    expect(decision.findings.map((f) => [f.kind, f.resourceId])).toEqual([
      ["backend-rule-missing", "sg-pod:tcp:8080-9090<-sg-backend"],
      ["backend-rule-stale", "sgr-old"],
    ]);
  });

  it("revokes a stale labelled rule and leaves other rules alone", () => {
    const view = world({
      targetGroups: [],
      securityGroups: [
        securityGroup("sg-pod", clusterTag, [
          rule("sgr-stale", "sg-pod"),
          rule("sgr-hand-made", "sg-pod", { description: "ops: allow backend" }),
          rule("sgr-other-cluster", "sg-pod", { sourceGroupId: "sg-backend-of-beta" }),
          rule("sgr-cidr", "sg-pod", { sourceGroupId: undefined, cidr: "10.0.0.0/16" }),
        ]),
      ],
    });

    const decision = decideBackendRules(view, repair);

    expect(decision.actions).toEqual([
      {
        kind: "revoke-rule",
        cluster: "alpha",
        rule: rule("sgr-stale", "sg-pod"),
        reason:
          "Rule sgr-stale (tcp 8080-8080 from sg-backend on sg-pod) is labelled elbv2.k8s.aws/targetGroupBinding=shared but no current target group binding needs it.",
      },
    ]);
  });

  it("revokes nothing on a partial view but still authorizes", () => {
    const view = world({
      targetGroups: [ipGroup("web", 9090)],
      securityGroups: [securityGroup("sg-pod", clusterTag, [rule("sgr-stale", "sg-pod")]), securityGroup("sg-backend")],
      incomplete: { "target-enis": "DescribeNetworkInterfaces page 2: RequestLimitExceeded" },
    });

    const decision = decideBackendRules(view, repair);

    expect(decision.actions.map((a) => a.kind)).toEqual(["authorize-rule"]);
    expect(decision.findings.find((f) => f.kind === "backend-rule-stale")?.action).toBe(
      "report only: revoke held, target-enis could not be read completely (DescribeNetworkInterfaces page 2: RequestLimitExceeded)",
    );
  });

  it("revokes nothing while a target's endpoint group cannot be resolved", () => {
    const view = world({
      targetEnis: [branchEni("eni-pod-1", { securityGroupIds: ["sg-a", "sg-b"], privateIps: ["10.0.1.1"] })],
      securityGroups: [securityGroup("sg-a"), securityGroup("sg-b", {}, [rule("sgr-maybe-needed", "sg-b")])],
      targetGroups: [targetGroup({ arn: "arn:tg/web/1", targets: [{ id: "10.0.1.1", port: 8080 }] })],
    });

    const decision = decideBackendRules(view, repair);

    expect(decision.actions).toEqual([]);
    expect(decision.findings.find((f) => f.resourceId === "sgr-maybe-needed")?.action).toBe(
      "report only: revoke held, the needs of eni-pod-1 could not be resolved",
    );
  });

  it("revokes every labelled rule sourced from a deleted cluster's backend SG, so the group can be deleted", () => {
    const view = world({
      cluster: { status: "deleted" },
      targetGroups: [ipGroup("web", 8080)],
      securityGroups: [
        securityGroup("sg-pod", clusterTag, [
          rule("sgr-1", "sg-pod"),
          rule("sgr-lb", "sg-pod", { sourceGroupId: "sg-lb" }),
        ]),
        securityGroup("sg-node", clusterTag, [rule("sgr-2", "sg-node", { fromPort: 30000, toPort: 32767 })]),
      ],
    });

    const decision = decideBackendRules(view, repair);

    expect(decision.actions.map((a) => (a.kind === "revoke-rule" ? a.rule.ruleId : a.kind))).toEqual([
      "sgr-2",
      "sgr-1",
    ]);
    expect(decision.findings.find((f) => f.resourceId === "sgr-1")?.detail).toBe(
      "Rule sgr-1 (tcp 8080-8080 from sg-backend on sg-pod) is sourced from the backend SG sg-backend of deleted cluster alpha and keeps that group from being deleted.",
    );
  });

  it("decides on a load-balancing view, which reads every binding of the cluster", () => {
    const view = world({
      scope: { kind: "load-balancing" },
      targetGroups: [ipGroup("web", 9090)],
      securityGroups: [securityGroup("sg-pod", clusterTag)],
    });

    const decision = decideBackendRules(view, repair);

    expect(decision.actions.map((a) => a.kind)).toEqual(["authorize-rule"]);
  });

  it("decides nothing from an ENI-scoped snapshot, which does not show every binding", () => {
    const view = world({
      scope: { kind: "eni", ids: ["eni-pod"] },
      targetGroups: [ipGroup("web", 9090)],
      securityGroups: [securityGroup("sg-pod", clusterTag, [rule("sgr-other-binding", "sg-pod")])],
    });

    const decision = decideBackendRules(view, repair);

    expect(decision).toEqual({ findings: [], actions: [] });
  });

  it("only reports with BACKEND_RULES=report", () => {
    const view = world({
      targetGroups: [ipGroup("web", 9090)],
      securityGroups: [securityGroup("sg-pod", clusterTag, [rule("sgr-stale", "sg-pod")]), securityGroup("sg-backend")],
    });

    const decision = decideBackendRules(view, testConfig({ backendRules: "report" }));

    expect(decision.actions).toEqual([]);
    expect(decision.findings.map((f) => f.action)).toEqual([
      "report only (BACKEND_RULES=report)",
      "report only (BACKEND_RULES=report)",
    ]);
  });

  it("never touches rules in a skip-tagged group", () => {
    const skipped = { ...clusterTag, [TAGS.skip]: "" };
    const view = world({
      targetGroups: [ipGroup("web", 9090)],
      securityGroups: [securityGroup("sg-pod", skipped, [rule("sgr-stale", "sg-pod")]), securityGroup("sg-backend")],
    });

    const decision = decideBackendRules(view, repair);

    expect(decision.actions).toEqual([]);
    expect(decision.findings.map((f) => f.action)).toEqual([
      "report only: sg-pod is tagged branchkeeper.io/skip",
      "report only: sg-pod is tagged branchkeeper.io/skip",
    ]);
  });
});
