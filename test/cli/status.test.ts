import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FAKE_CREDENTIALS, runCli } from "./cli-run.ts";
import { type FakeStatusApi, SIGV4_HEADER, startFakeStatusApi } from "./fake-status-api.ts";

const KNOWN = {
  accessKeyId: FAKE_CREDENTIALS.AWS_ACCESS_KEY_ID,
  secretAccessKey: FAKE_CREDENTIALS.AWS_SECRET_ACCESS_KEY,
  sessionToken: FAKE_CREDENTIALS.AWS_SESSION_TOKEN,
};
const ENV = { ...FAKE_CREDENTIALS, AWS_REGION: "eu-west-1" };

describe("branchkeeper status against a status API", () => {
  let api: FakeStatusApi;
  beforeEach(async () => {
    api = await startFakeStatusApi(KNOWN);
  });
  afterEach(() => api.stop());

  it("signs every request with SigV4 for execute-api, with the session token, and shows health and clusters", async () => {
    // Act
    const run = await runCli(["status", "--url", api.url], ENV);

    // Assess
    expect(run.code).toBe(0);
    expect(api.received.map((r) => r.path).sort()).toEqual(["/v1/clusters", "/v1/health"]);
    for (const request of api.received) {
      const [, keyId, , region] = SIGV4_HEADER.exec(request.authorization) ?? [];
      expect(keyId).toBe(KNOWN.accessKeyId);
      expect(region).toBe("eu-west-1");
      expect(request.signatureValid).toBe(true);
      expect(request.securityToken).toBe(KNOWN.sessionToken);
    }
    expect(run.stdout).toContain("Branchkeeper: ok, mode enforce, last sweep 2026-11-21T11:00:00.000Z");
    expect(run.stdout).toMatch(/alpha\s+active\s+vpc-0abc\s+3\s+0\s+0\s+2\s+0\s+0\s+0/);
    expect(run.stdout).toMatch(/gamma\s+deleted\s+-\s+0\s+0\s+7/);
  });

  it("takes the signing region from --region", async () => {
    // Act
    const run = await runCli(["status", "--url", api.url, "--region", "ap-southeast-2"], { ...FAKE_CREDENTIALS });

    // Assess
    expect(run.code).toBe(0);
    expect(api.received.every((r) => SIGV4_HEADER.exec(r.authorization)?.[3] === "ap-southeast-2")).toBe(true);
  });

  it("follows the cursors of a cluster's ENIs page by page, and shows its findings", async () => {
    // Act
    const run = await runCli(["status", "--url", api.url, "--cluster", "alpha"], ENV);

    // Assess
    expect(run.code).toBe(0);
    const enis = api.received.filter((r) => r.path === "/v1/clusters/alpha/enis");
    expect(enis.map((r) => r.query.cursor)).toEqual([undefined, "p2", "p4"]);
    expect(run.stdout).toContain("Cluster alpha: 5 branch ENIs");
    for (let i = 0; i < 5; i += 1) expect(run.stdout).toContain(`eni-0000000000000000${i}`);
    expect(run.stdout).toMatch(/cluster-tag-missing\s+eni-00000000000000001\s+tag sg-0aaa/);
    expect(run.stdout).not.toContain("raise --limit");
  });

  it("stops at --limit, asks only for what it still needs, and says that more exist", async () => {
    // Act
    const run = await runCli(["status", "--url", api.url, "--cluster", "alpha", "--limit", "3", "--json"], ENV);

    // Assess
    expect(run.code).toBe(0);
    const enis = api.received.filter((r) => r.path === "/v1/clusters/alpha/enis");
    expect(enis.map((r) => [r.query.limit, r.query.cursor])).toEqual([
      ["3", undefined],
      ["1", "p2"],
    ]);
    const view = JSON.parse(run.stdout) as { enis: { items: unknown[]; cursor?: string } };
    expect(view.enis.items).toHaveLength(3);
    expect(view.enis.cursor).toBe("p3");
  });

  it("filters ENIs by --state and the audit log by --kind", async () => {
    // Act
    const leaked = await runCli(["status", "--url", api.url, "--cluster", "alpha", "--state", "leaked"], ENV);
    const actions = await runCli(["status", "--url", api.url, "--actions", "--kind", "delete-eni", "--json"], ENV);

    // Assess
    expect(leaked.stdout).toContain("Cluster alpha: 2 branch ENIs in state leaked");
    expect(api.received.find((r) => r.path.endsWith("/enis"))?.query.state).toBe("leaked");
    const log = JSON.parse(actions.stdout) as { items: { kind: string; target: string }[] };
    expect(log.items.map((a) => a.target)).toEqual([
      "eni-00000000000000003",
      "eni-00000000000000004",
      "eni-00000000000000005",
    ]);
    expect(api.received.filter((r) => r.path === "/v1/actions").every((r) => r.query.kind === "delete-eni")).toBe(true);
  });

  it("shows one ENI with its history", async () => {
    // Act
    const run = await runCli(["status", "--url", api.url, "--eni", "eni-00000000000000003"], ENV);

    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("eni-00000000000000003: leaked in cluster alpha");
    expect(run.stdout).toMatch(/2026-11-21T10:10:00.000Z\s+suspect\s+leaked\s+sweep:s2\s+Grace elapsed\./);
  });

  it("fails with the API's own error on one line when the ENI is unknown", async () => {
    // Act
    const run = await runCli(["status", "--url", api.url, "--eni", "eni-0unknown"], ENV);

    // Assess
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe(
      "branchkeeper: error: GET /v1/enis/eni-0unknown: the status API answered 404 (not-found: no record of eni-0unknown)\n",
    );
  });

  it("fails when API Gateway refuses the signature", async () => {
    // Act
    const run = await runCli(["status", "--url", api.url], {
      ...ENV,
      AWS_SECRET_ACCESS_KEY: "not-the-secret-the-api-knows",
    });

    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/the status API answered 403 \(Forbidden\)/);
  });

  it("fails with one line when nothing answers at the URL", async () => {
    // Prepare
    await api.stop();

    // Act
    const run = await runCli(["status", "--url", api.url], ENV);

    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^branchkeeper: error: cannot reach the status API at http:\/\/127\.0\.0\.1:\d+: .*ECONNREFUSED/,
    );
  });
});
