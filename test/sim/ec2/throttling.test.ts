import { DescribeVpcsCommand } from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSimulator, startSimulator } from "../../../sim/index.ts";
import { setFaults, simClients, simControl } from "../../support/sim-clients.ts";

describe("EC2 throttling", () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
  });
  afterAll(() => sim.stop());

  it("answers RequestLimitExceeded that the SDK's standard retry strategy rides out", async () => {
    const { ec2 } = simClients(sim.endpoint, "AKIDTHROTTLED", 10);
    // Describe bucket at 0.1 scale: 10 tokens, 2 per second; a burst of 14 must be throttled.
    await setFaults(sim.endpoint, { throttling: { enabled: true, scale: 0.1 } });

    const answers = await Promise.all(
      Array.from({ length: 14 }, () => ec2.send(new DescribeVpcsCommand({ MaxResults: 5 }))),
    );
    const stats = await simControl<{ throttled: Record<string, number> }>(sim.endpoint, "/_sim/stats");
    await setFaults(sim.endpoint, {});

    expect(answers.every((answer) => answer.$metadata.httpStatusCode === 200)).toBe(true);
    expect(answers.some((answer) => (answer.$metadata.attempts ?? 1) > 1)).toBe(true);
    expect(stats.throttled["ec2:DescribeVpcs"]).toBeGreaterThan(0);
  });

  it("answers throttling as a 503 RequestLimitExceeded when retries are off", async () => {
    const { ec2 } = simClients(sim.endpoint, "AKIDNORETRY", 1);
    await setFaults(sim.endpoint, { throttling: { enabled: true, scale: 0.1 } });

    const outcomes = await Promise.allSettled(
      Array.from({ length: 15 }, () => ec2.send(new DescribeVpcsCommand({ MaxResults: 5 }))),
    );
    await setFaults(sim.endpoint, {});

    const rejected = outcomes.flatMap((outcome) => (outcome.status === "rejected" ? [outcome.reason] : []));
    expect(rejected.length).toBeGreaterThan(0);
    expect(rejected[0]).toMatchObject({ name: "RequestLimitExceeded", $metadata: { httpStatusCode: 503 } });
  });
});
