import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { plainEvent } from "../core/api/http-api-events.ts";
import { type ApiHarness, importApiHandler, restoreEnvironment } from "../functions/api-harness.ts";
import { type Harness, startHarness } from "../support/reconciler-harness.ts";
import { FAKE_CREDENTIALS, runCli } from "./cli-run.ts";
import { SIGV4_HEADER } from "./fake-status-api.ts";

/**
 * `branchkeeper status` against the real status API: `functions/api.ts` behind a local HTTP adapter
 * that stands in for API Gateway (IAM authorization reduced to a well-formed SigV4 header), reading the
 * state a dry-run sweep of the demo account wrote to DynamoDB.
 */
describe("branchkeeper status against functions/api.ts", () => {
  let h: Harness;
  let api: ApiHarness;
  let url: string;
  let stopAdapter: () => Promise<void>;
  beforeAll(async () => {
    h = await startHarness();
    await h.compose({ MODE: "dry-run" }).reconciler.sweep();
    api = await importApiHandler({
      TABLE_NAME: h.tableName,
      MODE: "dry-run",
      AWS_ENDPOINT_URL: h.sim.endpoint,
      AWS_MAX_ATTEMPTS: "1",
    });
    const server = createServer((request, response) => {
      const signed = SIGV4_HEADER.test(request.headers.authorization ?? "");
      const answer = signed
        ? api.invoke(plainEvent(request.method ?? "GET", request.url ?? "/"))
        : Promise.resolve({ status: 403, body: { message: "Forbidden" } });
      void answer.then(({ status, body }) => {
        response.writeHead(status, { "content-type": "application/json" });
        response.end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    stopAdapter = () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
  });
  afterAll(async () => {
    restoreEnvironment();
    await stopAdapter();
    await h.stop();
  });

  const env = { ...FAKE_CREDENTIALS, AWS_REGION: "us-east-1" };

  it("shows every swept cluster with its counts", async () => {
    // Act
    const run = await runCli(["status", "--url", url], env);

    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Branchkeeper: ok, mode dry-run, last sweep 20");
    expect(run.stdout).toMatch(/alpha\s+active\s+vpc-\S+\s+\d+\s+0\s+3\s/);
    expect(run.stdout).toMatch(/gamma\s+deleted/);
  });

  it("lists a cluster's suspect ENIs across pages, and one ENI with its history", async () => {
    // Prepare
    const leaked = [...h.demo.damage.terminatedNode.leakedEniIds].sort();

    // Act
    const list = await runCli(["status", "--url", url, "--cluster", "alpha", "--state", "suspect", "--json"], env);
    const one = await runCli(["status", "--url", url, "--eni", leaked[0] ?? ""], env);

    // Assess
    expect(list.code).toBe(0);
    const view = JSON.parse(list.stdout) as { enis: { items: { eniId: string }[] }; findings: { items: unknown[] } };
    expect(view.enis.items.map((e) => e.eniId).sort()).toEqual(leaked);
    expect(view.findings.items.length).toBeGreaterThan(0);
    expect(one.code).toBe(0);
    expect(one.stdout).toContain(`${leaked[0]}: suspect in cluster alpha`);
    expect(one.stdout).toMatch(/History \(1, newest first\)/);
  });

  it("lists the dry-run audit log of one kind", async () => {
    // Act
    const run = await runCli(["status", "--url", url, "--actions", "--kind", "revoke-rule", "--limit", "1"], env);

    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/revoke-rule\s+(beta|gamma)\s+sgr-\S+\s+dry-run\s+dry-run/);
    expect(run.stdout).toContain("(first 1 actions shown; the API holds more: raise --limit)");
  });

  it("reports the API's 404 for an unknown ENI", async () => {
    // Act
    const run = await runCli(["status", "--url", url, "--eni", "eni-0123456789abcdef0"], env);

    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^branchkeeper: error: GET \/v1\/enis\/eni-0123456789abcdef0: the status API answered 404 \(/,
    );
  });
});
