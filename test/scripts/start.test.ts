import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { DynamoDbStateStore } from "../../core/aws/dynamodb-state-store.ts";
import { BATCH_SIZE } from "../../scripts/local/event-pump.ts";
import type { ClusterReport, LocalReport } from "../../scripts/local/local-report.ts";
import { type LocalRun, runLocal } from "../../scripts/local/run-local.ts";
import type { DemoReport } from "../../sim/scenarios/index.ts";
import { RULE_PATTERNS } from "../../stacks/event-patterns.ts";
import { existingEnis } from "../support/reconciler-harness.ts";
import { simClients } from "../support/sim-clients.ts";

/**
 * `npm start` end to end. Both runs replay the whole demo account's history through the events
 * function, the costly part, so they run side by side: the `--once --json` subprocess (dry-run, the
 * default) and an in-process run in enforce mode that keeps serving while the tests look at it.
 */

const RUN_TIMEOUT_MS = 240_000;

interface Finished {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const runStartCommand = (args: readonly string[], env: NodeJS.ProcessEnv): Promise<Finished> =>
  new Promise((resolve, reject) => {
    const child = spawn("npx", ["tsx", "scripts/start.ts", ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });

const clusterOf = (report: LocalReport, name: string): ClusterReport => {
  const cluster = report.clusters.find((c) => c.name === name);
  if (!cluster) throw new Error(`no cluster ${name} in the report`);
  return cluster;
};

/** Targets whose latest action succeeded (or found it already done). */
const done = (cluster: ClusterReport, kind: "delete-eni"): number =>
  (cluster.actions[kind]?.succeeded ?? 0) + (cluster.actions[kind]?.["already-done"] ?? 0);

/** Planted leaks per cluster that Branchkeeper may reclaim (the skip-tagged one never). */
const reclaimable = (demo: DemoReport) => ({
  alpha: demo.damage.terminatedNode.leakedEniIds.length,
  beta: 1,
  gamma: demo.damage.deletedCluster.leakedEniIds.filter((id) => id !== demo.traps.skipTaggedEniId).length,
});

describe("npm start", () => {
  let subprocess: Promise<Finished>;
  let run: LocalRun;
  let apiPort: number;

  beforeAll(async () => {
    const { MODE: _mode, LEAK_GRACE_SECONDS: _grace, ...inherited } = process.env;
    subprocess = runStartCommand(["--once", "--json", "--grace", "1"], {
      ...inherited,
      SIM_PORT: "0",
      API_PORT: "0",
      POWERTOOLS_LOG_LEVEL: "SILENT",
    });
    vi.stubEnv("POWERTOOLS_LOG_LEVEL", "SILENT");
    apiPort = await freePort();
    run = await runLocal({
      once: false,
      port: 0,
      apiPort,
      graceSeconds: 1,
      mode: "enforce",
      sweepEverySeconds: 3600,
      environment: { EC2_MUTATIONS_PER_SECOND: "200" },
    });
  }, RUN_TIMEOUT_MS);
  afterAll(async () => {
    await run?.stop();
    vi.unstubAllEnvs();
  });

  it("routes the account's events through the deployed rules' patterns, delivering only the matches", () => {
    const { events } = run.report;

    expect(events.matched).toBeGreaterThan(0);
    expect(events.unmatched).toBeGreaterThan(0);
    expect(events.matched + events.unmatched).toBe(events.read);
    expect(Object.keys(events.byRule).every((rule) => rule in RULE_PATTERNS)).toBe(true);
    expect(events.deliveries).toBeLessThanOrEqual(events.batches * BATCH_SIZE);
    expect(events.deadLettered).toBe(0);
  });

  it("reclaims the demo's planted leaks in enforce mode with a short grace, never the skip-tagged one", async () => {
    const demo = run.scenario;
    const { ec2 } = simClients(run.report.simulator.endpoint);

    const left = await existingEnis(ec2, demo.leakedEniIds);

    expect(left).toEqual([demo.traps.skipTaggedEniId]);
    const expected = reclaimable(demo);
    for (const name of ["alpha", "beta", "gamma"] as const) {
      expect(done(clusterOf(run.report, name), "delete-eni"), name).toBe(expected[name]);
    }
    expect(run.report.apiCalls.ec2.DeleteNetworkInterface).toBeGreaterThanOrEqual(
      expected.alpha + expected.beta + expected.gamma,
    );
  });

  it("reports per-cluster ENI counts equal to the state table's", async () => {
    const { report } = run;
    const store = new DynamoDbStateStore({
      client: simClients(report.simulator.endpoint).dynamodb,
      tableName: report.tableName,
    });

    const stored = await store.listClusters();

    expect(stored.map((c) => c.name)).toEqual(["alpha", "beta", "gamma"]);
    expect(report.clusters.map((c) => ({ name: c.name, counts: c.enis }))).toEqual(
      stored.map((c) => ({ name: c.name, counts: c.counts })),
    );
  });

  it("serves the status API on the chosen port while running", async () => {
    const base = `http://127.0.0.1:${apiPort}`;

    const health = await fetch(`${base}/v1/health`);
    const clusters = await fetch(`${base}/v1/clusters`);
    const missing = await fetch(`${base}/v1/clusters/nope/enis`);

    expect(run.report.statusApi).toBe(base);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true, mode: "enforce" });
    const body = (await clusters.json()) as { clusters: { name: string; counts: unknown }[] };
    expect(body.clusters.map((c) => ({ name: c.name, counts: c.counts }))).toEqual(
      run.report.clusters.map((c) => ({ name: c.name, counts: c.enis })),
    );
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
  });

  it(
    "`--once --json` exits 0 and prints only the report, which in dry-run reports the leaks and deletes nothing",
    async () => {
      const finished = await subprocess;
      const expected = reclaimable(run.scenario);

      expect(finished.code, finished.stderr.slice(-2000)).toBe(0);
      const report = JSON.parse(finished.stdout) as LocalReport;
      expect(report.mode).toBe("dry-run");
      expect(report.statusApi).toBeUndefined();
      for (const name of ["alpha", "beta", "gamma"] as const) {
        const cluster = clusterOf(report, name);
        expect(cluster.actions["delete-eni"]?.["dry-run"], name).toBe(expected[name]);
        expect(done(cluster, "delete-eni"), name).toBe(0);
        expect(cluster.enis.deleted, name).toBe(0);
      }
      expect(report.apiCalls.ec2.DeleteNetworkInterface).toBeUndefined();
    },
    RUN_TIMEOUT_MS,
  );
});
