import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSimulator, startSimulator } from "../../sim/index.ts";
import type { DemoReport } from "../../sim/scenarios/index.ts";
import { runCli, section, simEnv } from "./cli-run.ts";

/** The value of one `Label:` line of an explanation. */
const field = (report: string, label: string): string =>
  report
    .split("\n")
    .find((line) => line.trimStart().startsWith(`${label}:`))
    ?.trim()
    .slice(label.length + 1)
    .trim() ?? "";

describe("branchkeeper explain on the demo account", () => {
  let sim: RunningSimulator;
  let demo: DemoReport;
  beforeAll(async () => {
    sim = await startSimulator({ port: 0, scenario: "demo" });
    if (sim.scenario?.scenario !== "demo") throw new Error("the demo scenario did not build");
    demo = sim.scenario;
  });
  afterAll(() => sim.stop());

  it("explains a leaked branch ENI of a terminated node: suspect, its evidence, deleted after the grace if it persists", async () => {
    // Prepare
    const [eniId = ""] = demo.damage.terminatedNode.leakedEniIds;

    // Act
    const run = await runCli(["explain", eniId], simEnv(sim.endpoint));

    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`${eniId}: branch ENI of cluster alpha (active)`);
    expect(field(run.stdout, "Node")).toBe(`${demo.damage.terminatedNode.instanceId} (terminated)`);
    expect(field(run.stdout, "Ownership")).toMatch(/^reclaimable: /);
    expect(field(run.stdout, "State")).toMatch(/^suspect: First seen with leak evidence: status is available/);
    expect(field(run.stdout, "Evidence")).toMatch(/^available: status is available/);
    expect(field(run.stdout, "Would do")).toMatch(
      /^delete it later: would be reclaimed after the grace .* if the evidence persists/,
    );
  });

  it("explains a live branch ENI: associated to its live trunk, nothing to do", async () => {
    // Prepare
    const [eniId = ""] = demo.clusters.beta.branchEniIds;

    // Act
    const run = await runCli(["explain", eniId], simEnv(sim.endpoint));

    // Assess
    expect(run.code).toBe(0);
    expect(field(run.stdout, "State")).toMatch(
      /^associated: First seen: in use, associated over VLAN \d+ to live trunk eni-/,
    );
    expect(field(run.stdout, "Evidence")).toBe("none");
    expect(field(run.stdout, "Would do")).toMatch(/^nothing: it shows no leak evidence/);
  });

  it("explains why the traps are never touched: VPC CNI, impostor, skip-tagged", async () => {
    // Act
    const cni = await runCli(["explain", demo.traps.unattachedVpcCniEniId], simEnv(sim.endpoint));
    const impostor = await runCli(["explain", demo.traps.impostorEniId, "--cluster", "alpha"], simEnv(sim.endpoint));
    const skipped = await runCli(["explain", demo.traps.skipTaggedEniId], simEnv(sim.endpoint));

    // Assess
    expect(field(cni.stdout, "Ownership")).toMatch(/^foreign: .* a VPC CNI ENI, which Branchkeeper never touches/);
    expect(field(cni.stdout, "Would do")).toMatch(/^nothing: /);
    expect(field(impostor.stdout, "Ownership")).toMatch(/^foreign: .* has no eks:eni:owner tag/);
    expect(field(impostor.stdout, "Would do")).toMatch(/^nothing: .*No pass of cluster alpha tracks it/);
    expect(skipped.stdout).toContain("branch ENI of cluster gamma (deleted)");
    expect(field(skipped.stdout, "Ownership")).toMatch(/^protected: .*branchkeeper\.io\/skip/);
    expect(field(skipped.stdout, "Evidence")).toMatch(/^available: /);
    expect(field(skipped.stdout, "Would do")).toMatch(/^not delete it: .*tagged branchkeeper\.io\/skip/);
    for (const run of [cni, impostor, skipped]) expect(run.code).toBe(0);
  });

  it("shows the cluster-tag finding and the tag action of the zero-tag ENI", async () => {
    // Prepare
    const { eniId, securityGroupIds } = demo.damage.zeroClusterTagEni;

    // Act
    const run = await runCli(["explain", eniId, "--json"], simEnv(sim.endpoint));

    // Assess
    expect(run.code).toBe(0);
    const explanation = JSON.parse(run.stdout) as {
      role: string;
      state: string;
      verdict: { outcome: string };
      findings: { kind: string }[];
      actions: { kind: string; target: string }[];
    };
    expect(explanation).toMatchObject({ role: "branch", state: "associated", verdict: { outcome: "nothing" } });
    expect(explanation.findings.map((f) => f.kind)).toContain("cluster-tag-missing");
    const tagging = explanation.actions.filter((a) => a.kind === "tag-sg");
    expect(tagging).toHaveLength(1);
    expect(securityGroupIds).toContain(tagging[0]?.target);
  });

  it("explains a deleted cluster's backend security group: the stale rule and its revocation", async () => {
    // Prepare
    const groupId = demo.damage.deletedCluster.backendSecurityGroupId;

    // Act
    const run = await runCli(["explain", groupId], simEnv(sim.endpoint));

    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("In cluster gamma (deleted)");
    expect(run.stdout).toContain("the LBC's shared backend security group");
    expect(section(run.stdout, "Findings that mention it")).toMatch(/gamma\s+backend-rule-stale/);
    expect(section(run.stdout, "Actions enforce mode would take that mention it")).toMatch(
      /gamma\s+revoke-rule\s+sgr-/,
    );
  });

  it("explains the group missing the payments rule: the authorization enforce mode would add", async () => {
    // Prepare
    const { rule } = demo.damage.missingBackendRule;

    // Act
    const run = await runCli(["explain", rule.groupId, "--cluster", "alpha"], simEnv(sim.endpoint));

    // Assess
    expect(run.code).toBe(0);
    expect(section(run.stdout, "Findings that mention it")).toContain("backend-rule-missing");
    expect(section(run.stdout, "Actions enforce mode would take that mention it")).toContain(
      `authorize-rule  ${rule.groupId}:${rule.protocol}:${rule.fromPort}-${rule.toPort}<-${rule.sourceGroupId}`,
    );
  });

  it("fails with one line when EC2 does not know the ENI", async () => {
    // Act
    const run = await runCli(["explain", "eni-0123456789abcdef0"], simEnv(sim.endpoint));

    // Assess
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toMatch(/^branchkeeper: error: .*eni-0123456789abcdef0/);
  });
});
