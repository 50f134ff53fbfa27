import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type RunningSimulator, startSimulator } from "../../sim/index.ts";
import type { DemoReport } from "../../sim/scenarios/index.ts";
import { setFaults, simControl } from "../support/sim-clients.ts";
import { runCli, section, simEnv } from "./cli-run.ts";

interface PlanJson {
  mode: string;
  complete: boolean;
  summary: { mode: string; clusters: { cluster: string; status: string }[] };
  clusters: { name: string; status: string; counts: Record<string, number> }[];
  findings: { cluster: string; kind: string; resourceId: string; detail: string }[];
  actions: { cluster: string; kind: string; target: string; reason: string }[];
  candidates: { cluster: string; eniId: string; outcome: string; reason: string }[];
}

describe("branchkeeper plan on the demo account", () => {
  let sim: RunningSimulator;
  let demo: DemoReport;
  beforeAll(async () => {
    sim = await startSimulator({ port: 0, scenario: "demo" });
    if (sim.scenario?.scenario !== "demo") throw new Error("the demo scenario did not build");
    demo = sim.scenario;
  });
  afterAll(() => sim.stop());
  beforeEach(() => simControl(sim.endpoint, "/_sim/stats", { method: "DELETE" }));

  const traps = () => [demo.traps.unattachedVpcCniEniId, demo.traps.impostorEniId, demo.traps.skipTaggedEniId];

  it("reports the planted damage, leaves the traps out of the actions, and changes nothing in EC2", async () => {
    // Prepare
    const env = simEnv(sim.endpoint, { MODE: "enforce" });

    // Act
    const run = await runCli(["plan"], env);

    // Assess
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
    expect(run.stdout).toContain("dry-run");
    expect(run.stdout).toMatch(/Cluster gamma \(deleted/);
    const candidates = section(run.stdout, "Leak candidates");
    for (const eniId of demo.damage.terminatedNode.leakedEniIds) {
      expect(candidates).toMatch(
        new RegExp(`${eniId}\\s+\\S+\\s+would be reclaimed after the grace .* if the evidence persists`),
      );
    }
    expect(candidates).toMatch(new RegExp(`${demo.traps.skipTaggedEniId}.*held: .*branchkeeper\\.io/skip`));
    const findings = section(run.stdout, "Findings");
    expect(findings).toMatch(new RegExp(`cluster-tag-missing\\s+${demo.damage.zeroClusterTagEni.eniId}`));
    expect(findings).toMatch(new RegExp(`cluster-tag-conflict\\s+${demo.damage.twoClusterTagEni.eniId}`));
    expect(findings).toContain("backend-rule-missing");
    expect(findings).toMatch(/beta\s+backend-rule-stale/);
    expect(findings).toMatch(/gamma\s+backend-rule-stale/);
    const actions = section(run.stdout, "Actions enforce mode would take now");
    expect(actions).toMatch(/alpha\s+authorize-rule/);
    expect(actions).toMatch(/beta\s+revoke-rule/);
    for (const trap of traps()) expect(actions).not.toContain(trap);
    const stats = await simControl<{ calls: Record<string, number> }>(sim.endpoint, "/_sim/stats");
    const calls = Object.keys(stats.calls);
    expect(calls.filter((call) => call.startsWith("ec2:") && !call.startsWith("ec2:Describe"))).toEqual([]);
    expect(calls.filter((call) => call.startsWith("dynamodb:") || call.startsWith("events:"))).toEqual([]);
  });

  it("prints one JSON document with the pass summary, findings, actions and leak candidates", async () => {
    // Act
    const run = await runCli(["plan", "--json"], simEnv(sim.endpoint));

    // Assess
    expect(run.code).toBe(0);
    const plan = JSON.parse(run.stdout) as PlanJson;
    expect(plan.mode).toBe("dry-run");
    expect(plan.complete).toBe(true);
    expect(plan.summary.mode).toBe("dry-run");
    expect(plan.clusters.map((c) => [c.name, c.status])).toEqual([
      ["alpha", "active"],
      ["beta", "active"],
      ["gamma", "deleted"],
    ]);
    expect(plan.candidates.map((c) => c.eniId).sort()).toEqual([...demo.leakedEniIds].sort());
    const held = plan.candidates.filter((c) => c.outcome === "held").map((c) => c.eniId);
    expect(held).toEqual([demo.traps.skipTaggedEniId]);
    const suspects = plan.clusters.reduce((n, c) => n + (c.counts.suspect ?? 0), 0);
    expect(suspects).toBe(demo.leakedEniIds.length);
    expect(new Set(plan.findings.map((f) => f.kind))).toEqual(
      new Set([
        "cluster-tag-missing",
        "cluster-tag-conflict",
        "backend-rule-missing",
        "backend-rule-stale",
        "backend-rule-unresolved",
      ]),
    );
    expect(plan.actions.filter((a) => a.kind === "delete-eni")).toEqual([]);
    const actionText = JSON.stringify(plan.actions);
    for (const trap of traps()) expect(actionText).not.toContain(trap);
    const gammaRevocations = plan.actions.filter((a) => a.cluster === "gamma" && a.kind === "revoke-rule");
    for (const rule of demo.damage.deletedCluster.leftoverRules) {
      expect(gammaRevocations.some((a) => a.reason.includes(`on ${rule.groupId}`))).toBe(true);
    }
  });

  it("plans one cluster with --cluster, and resolves the two-tag ENI only with --retag enforce", async () => {
    // Act
    const addMissing = JSON.parse(
      (await runCli(["plan", "--json", "--cluster", "alpha"], simEnv(sim.endpoint))).stdout,
    ) as PlanJson;
    const enforce = JSON.parse(
      (await runCli(["plan", "--json", "--cluster", "alpha", "--retag", "enforce"], simEnv(sim.endpoint))).stdout,
    ) as PlanJson;

    // Assess
    expect(addMissing.clusters.map((c) => c.name)).toEqual(["alpha"]);
    const twoTag = demo.damage.twoClusterTagEni;
    const untags = (plan: PlanJson) =>
      plan.actions.filter((a) => a.kind === "untag-sg" && twoTag.securityGroupIds.includes(a.target));
    expect(untags(addMissing)).toEqual([]);
    expect(untags(enforce)).toHaveLength(1);
  });

  it("shows progress as one updating line on a terminal's stderr, and nothing when stderr is not a terminal or with --json", async () => {
    // Act
    const onTerminal = await runCli(["plan", "--cluster", "beta"], simEnv(sim.endpoint), { stderrIsTTY: true });
    const piped = await runCli(["plan", "--cluster", "beta"], simEnv(sim.endpoint));
    const json = await runCli(["plan", "--cluster", "beta", "--json"], simEnv(sim.endpoint), { stderrIsTTY: true });

    // Assess
    expect(onTerminal.stderr).toMatch(/^\robserving: \d+ pages read, \d+ ENIs seen/);
    expect(onTerminal.stderr).not.toContain("\n");
    expect(onTerminal.stderr.endsWith("\r\x1b[K")).toBe(true);
    expect(onTerminal.stdout).not.toContain("observing");
    expect(piped.stderr).toBe("");
    expect(json.stderr).toBe("");
    expect(() => JSON.parse(json.stdout)).not.toThrow();
  });

  it("wraps long reasons to the terminal's width", async () => {
    // Act
    const run = await runCli(["plan", "--cluster", "beta"], simEnv(sim.endpoint), { stdoutColumns: 100 });

    // Assess
    expect(run.code).toBe(0);
    const lines = run.stdout.split("\n");
    expect(Math.max(...lines.map((line) => line.length))).toBeLessThanOrEqual(100);
    // A long reason goes on under its own column rather than past the edge.
    expect(lines.some((line) => /^ {20,}\S/.test(line))).toBe(true);
  });

  it("exits 1 and says what it could not read when the caller may not describe ENIs", async () => {
    // Prepare
    await setFaults(sim.endpoint, { deny: [{ action: "ec2:DescribeNetworkInterfaces" }] });

    // Act
    const run = await runCli(["plan", "--cluster", "alpha", "--json"], simEnv(sim.endpoint)).finally(() =>
      setFaults(sim.endpoint, {}),
    );

    // Assess
    expect(run.code).toBe(1);
    const plan = JSON.parse(run.stdout) as PlanJson & { clusters: { unread: { part: string; reason: string }[] }[] };
    expect(plan.complete).toBe(false);
    expect(plan.clusters[0]?.unread.map((u) => u.part)).toContain("branch-enis");
    expect(plan.candidates.filter((c) => c.outcome === "reclaim-after-grace")).toEqual([]);
    expect(run.stderr).toContain("UnauthorizedOperation");
    expect(run.stderr).toContain("branchkeeper: the plan is incomplete");
  });

  it("says so when the cluster asked for does not exist", async () => {
    // Act
    const run = await runCli(["plan", "--cluster", "alhpa"], simEnv(sim.endpoint));

    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Cluster alhpa (deleted): 0 branch ENIs observed");
    expect(run.stdout).toContain("EKS does not know this cluster, and none of its branch ENIs exist: check the name.");
  });
});
