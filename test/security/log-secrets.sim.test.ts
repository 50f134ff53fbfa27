import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSimulator, startSimulator } from "../../sim/index.ts";
import { eventsSince, lambdaContext, sqsBatch, useLambdaEnvironment } from "../support/lambda-harness.ts";
import { type CapturedOutput, captureOutput } from "../support/reliability-output.ts";
import { routedToQueue } from "../support/reliability-queue.ts";
import { buildReliabilityWorld, type ReliabilityWorld } from "../support/reliability-world.ts";
import { setFaults } from "../support/sim-clients.ts";

/** Fake credentials, each with a marker no log line has any reason to contain. */
const ACCESS_KEY_ID = "ASIAZZFAKEKEYID0TEST";
const SECRET_ACCESS_KEY = "zZ9fakeSECRETaccessKEYzZ9/never+LOGGED+anywhere0";
const SESSION_TOKEN = `IQoJb3JpZ2luX2VjEFAKE${"SessionTokenNeverLogged".repeat(8)}==`;

describe("logs of the events and sweep functions at DEBUG, with credentials in the environment", () => {
  let sim: RunningSimulator;
  let world: ReliabilityWorld;
  let restore: () => void;
  let runtime: typeof import("../../functions/runtime/reconciler-runtime.ts");
  let output: CapturedOutput;
  let text = "";

  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
    world = await buildReliabilityWorld(sim.endpoint, { name: "secrets" });
    const bodies = routedToQueue((await eventsSince(sim.endpoint, "0")).bodies).slice(0, 9);
    restore = await useLambdaEnvironment(sim.endpoint, {
      MODE: "enforce",
      LEAK_GRACE_SECONDS: "0",
      AWS_ACCESS_KEY_ID: ACCESS_KEY_ID,
      AWS_SECRET_ACCESS_KEY: SECRET_ACCESS_KEY,
      AWS_SESSION_TOKEN: SESSION_TOKEN,
      POWERTOOLS_LOG_LEVEL: "DEBUG",
      POWERTOOLS_LOGGER_LOG_EVENT: "true",
    });
    output = captureOutput();
    try {
      runtime = await import("../../functions/runtime/reconciler-runtime.ts");
      runtime.resetReconcilerRuntime();
      const events = await import("../../functions/events.ts");
      const sweep = await import("../../functions/sweep.ts");
      // Act: a healthy batch (with a malformed record), two sweeps that act, then the same under
      // denied calls, injected 5xx and throttling, whose errors get logged.
      await events.handler(sqsBatch([...bodies, "{not json"]), lambdaContext());
      await sweep.handler({}, lambdaContext("sweep"));
      await sweep.handler({}, lambdaContext("sweep"));
      await setFaults(sim.endpoint, {
        deny: [
          { action: "ec2:DeleteNetworkInterface" },
          { action: "ec2:CreateTags" },
          { action: "eks:DescribeCluster" },
        ],
        errors: [{ action: "ec2:DescribeSecurityGroups", rate: 1, code: "InvalidParameterValue", status: 400 }],
      });
      await events.handler(
        sqsBatch(bodies.map((b, i) => JSON.stringify({ ...JSON.parse(b), id: `again-${i}` }))),
        lambdaContext(),
      );
      await sweep.handler({}, lambdaContext("sweep"));
    } finally {
      output.stop();
      await setFaults(sim.endpoint, {});
      text = output.text();
    }
  }, 60_000);

  afterAll(async () => {
    restore();
    runtime.resetReconcilerRuntime();
    world.destroy();
    await sim.stop();
  });

  it("logged plenty, errors included (the check below is not vacuous)", () => {
    const levels = [...new Set(output.jsonLines().map((line) => line.level))];

    expect(output.jsonLines().length).toBeGreaterThan(20);
    // Branchkeeper logs nothing at DEBUG itself; DEBUG lets everything else (Powertools' own lines) through.
    expect(levels).toEqual(expect.arrayContaining(["INFO", "WARN", "ERROR"]));
    expect(text).toContain("Lambda invocation event");
    expect(text).toContain("sweep finished");
  });

  it("never logs the secret access key, the session token or the access key id", () => {
    expect(text).not.toContain(SECRET_ACCESS_KEY);
    expect(text).not.toContain(SECRET_ACCESS_KEY.slice(0, 16));
    expect(text).not.toContain(SESSION_TOKEN.slice(0, 24));
    // The simulator names a caller's role after its access key id (real STS ARNs carry the role name):
    // an access-denied message quoting that ARN is the simulator's doing, anything else would be a leak.
    const simulatorArn = `assumed-role/${ACCESS_KEY_ID}/${ACCESS_KEY_ID}-session`;
    expect(text.replaceAll(simulatorArn, "assumed-role/<role>/<session>")).not.toContain(ACCESS_KEY_ID);
  });

  it("never logs a request signature or signed headers", () => {
    expect(text).not.toMatch(/Signature=/i);
    expect(text).not.toMatch(/X-Amz-Signature/i);
    expect(text).not.toMatch(/Credential=/i);
    expect(text).not.toMatch(/x-amz-security-token/i);
    expect(text).not.toMatch(/AWS4-HMAC-SHA256/);
  });
});
