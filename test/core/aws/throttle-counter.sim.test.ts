import { DescribeVpcsCommand } from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ThrottleCounter } from "../../../core/aws/throttle-counter.ts";
import { type RunningSimulator, startSimulator } from "../../../sim/index.ts";
import { awsClientsFor } from "../../support/reconciler-harness.ts";
import { setFaults } from "../../support/sim-clients.ts";

describe("ThrottleCounter", () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
  });
  afterAll(() => sim.stop());

  it("counts every throttled attempt, the ones the SDK retried through included", async () => {
    const { ec2 } = awsClientsFor(sim.endpoint);
    const counter = new ThrottleCounter();
    counter.attach(ec2);
    await setFaults(sim.endpoint, {
      errors: [{ action: "ec2:DescribeVpcs", rate: 0.5, code: "RequestLimitExceeded", status: 503 }],
      seed: 3,
    });

    const answers = await Promise.allSettled(Array.from({ length: 20 }, () => ec2.send(new DescribeVpcsCommand({}))));
    const stats = await fetch(`${sim.endpoint}/_sim/stats`).then(
      (r) => r.json() as Promise<{ errors: Record<string, number> }>,
    );

    await setFaults(sim.endpoint, {});
    expect(answers.length).toBe(20);
    expect(stats.errors["ec2:DescribeVpcs"]).toBeGreaterThan(0);
    expect(counter.take()).toBe(stats.errors["ec2:DescribeVpcs"]);
    expect(counter.take()).toBe(0);
  });
});
