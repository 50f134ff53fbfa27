import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSimulator, startSimulator } from "../../sim/index.ts";
import type { DemoReport } from "../../sim/scenarios/index.ts";
import { type CliRun, FAKE_CREDENTIALS, runCli, simEnv } from "./cli-run.ts";
import { type FakeStatusApi, startFakeStatusApi } from "./fake-status-api.ts";

const SECRETS = Object.values(FAKE_CREDENTIALS);

const expectNoSecrets = (run: CliRun) => {
  for (const secret of SECRETS) {
    expect(run.stdout).not.toContain(secret);
    expect(run.stderr).not.toContain(secret);
  }
  expect(`${run.stdout}${run.stderr}`).not.toMatch(/Signature=[0-9a-f]{16,}/);
};

describe("branchkeeper never prints credentials", () => {
  let sim: RunningSimulator;
  let demo: DemoReport;
  let api: FakeStatusApi;
  let refusing: FakeStatusApi;
  beforeAll(async () => {
    sim = await startSimulator({ port: 0, scenario: "demo" });
    if (sim.scenario?.scenario !== "demo") throw new Error("the demo scenario did not build");
    demo = sim.scenario;
    const known = {
      accessKeyId: FAKE_CREDENTIALS.AWS_ACCESS_KEY_ID,
      secretAccessKey: FAKE_CREDENTIALS.AWS_SECRET_ACCESS_KEY,
      sessionToken: FAKE_CREDENTIALS.AWS_SESSION_TOKEN,
    };
    api = await startFakeStatusApi(known);
    // A gateway whose refusal echoes what the caller sent, as signature-mismatch messages do.
    refusing = await startFakeStatusApi(
      { ...known, secretAccessKey: "another-secret-entirely" },
      {
        forbidden: (request) =>
          `signature mismatch: ${request.headers.authorization} with token ${String(request.headers["x-amz-security-token"])}`,
      },
    );
  });
  afterAll(async () => {
    await Promise.all([sim.stop(), api.stop(), refusing.stop()]);
  });

  it("in plan, as text and JSON, with --debug", async () => {
    // Act
    const text = await runCli(["plan", "--debug", "--cluster", "beta"], simEnv(sim.endpoint));
    const json = await runCli(["plan", "--json", "--debug", "--cluster", "beta"], simEnv(sim.endpoint));

    // Assess
    expect(text.code).toBe(0);
    expect(json.code).toBe(0);
    expectNoSecrets(text);
    expectNoSecrets(json);
  });

  it("in explain, with --debug", async () => {
    // Act
    const run = await runCli(["explain", demo.traps.skipTaggedEniId, "--debug"], simEnv(sim.endpoint));

    // Assess
    expect(run.code).toBe(0);
    expectNoSecrets(run);
  });

  it("in status, with --debug, including its request log", async () => {
    // Act
    const run = await runCli(["status", "--url", api.url, "--cluster", "alpha", "--debug"], {
      ...FAKE_CREDENTIALS,
      AWS_REGION: "eu-west-1",
    });

    // Assess
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/debug: GET http:\/\/127\.0\.0\.1:\d+\/v1\/clusters\/alpha\/enis\?limit=100 -> 200/);
    expectNoSecrets(run);
  });

  it("in errors that echo them, and in --debug stack traces", async () => {
    // Act
    const refused = await runCli(["status", "--url", refusing.url, "--debug"], {
      ...FAKE_CREDENTIALS,
      AWS_REGION: "eu-west-1",
    });
    const unreachable = await runCli(["status", "--url", "http://127.0.0.1:9", "--debug"], {
      ...FAKE_CREDENTIALS,
      AWS_REGION: "eu-west-1",
    });

    // Assess
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("signature mismatch: AWS4-HMAC-SHA256 Credential=[redacted]");
    expect(refused.stderr).toContain("with token [redacted]");
    expect(refused.stderr).toContain("at "); // the stack of --debug
    expect(unreachable.code).toBe(1);
    expectNoSecrets(refused);
    expectNoSecrets(unreachable);
  });
});
