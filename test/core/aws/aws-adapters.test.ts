import { describe, expect, it } from "vitest";
import { createAwsAdapters } from "../../../core/aws/aws-adapters.ts";
import { createAwsClients } from "../../../core/aws/aws-clients.ts";

describe("createAwsAdapters", () => {
  it("wires notifications off without a bus and on with one", () => {
    // Prepare
    const clients = createAwsClients({ region: "us-east-1" });

    // Act
    const quiet = createAwsAdapters({ ec2MutationsPerSecond: 2 }, clients);
    const loud = createAwsAdapters({ ec2MutationsPerSecond: 2, notifyBusName: "ops" }, clients);

    // Assess
    expect(quiet.notifier.enabled).toBe(false);
    expect(loud.notifier.enabled).toBe(true);
  });

  it("creates clients with the SDK's standard retry strategy", async () => {
    // Act
    const { ec2 } = createAwsClients({ region: "us-east-1", maxAttempts: 7 });

    // Assess
    const strategy = await ec2.config.retryStrategy();
    expect(await ec2.config.maxAttempts()).toBe(7);
    expect(strategy).toMatchObject({ mode: "standard" });
  });
});
