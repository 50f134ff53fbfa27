import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DynamoDbStateStore } from "../../../core/aws/dynamodb-state-store.ts";
import { simClientConfig } from "../../support/sim-clients.ts";
import { eniRecord, type StateStoreFixture, seedEnis, startStateStoreFixture } from "./state-store-fixture.ts";

/** An SDK logger keeping what it is given at info level (the logger middleware's level). */
const recordingLogger = () => {
  const entries: Record<string, unknown>[] = [];
  const ignore = () => undefined;
  return {
    entries,
    logger: {
      debug: ignore,
      warn: ignore,
      error: ignore,
      info: (entry: Record<string, unknown>) => entries.push(entry),
    },
  };
};

describe("Query logging", () => {
  let fixture: StateStoreFixture;
  beforeAll(async () => {
    fixture = await startStateStoreFixture();
  });
  afterAll(() => fixture.stop());

  it("gives a configured SDK logger each listing page's size and end, never its items", async () => {
    // Prepare
    const { tableName } = await fixture.newStore();
    const records = Array.from({ length: 30 }, (_, i) => eniRecord({ eniId: `eni-${String(i).padStart(5, "0")}` }));
    await seedEnis(fixture.dynamodb, tableName, records);
    const { entries, logger } = recordingLogger();
    const client = new DynamoDBClient({ ...simClientConfig(fixture.sim.endpoint), logger });
    const store = new DynamoDbStateStore({ client, tableName });

    // Act
    const page = await store.listEnis("alpha", { limit: 10 });
    const all = await store.loadClusterEnis("alpha");

    // Assess
    expect(page.items).toHaveLength(10);
    expect(all).toHaveLength(30);
    expect(entries).toHaveLength(2);
    expect(entries.map((entry) => entry.commandName)).toEqual(["QueryCommand", "QueryCommand"]);
    expect(entries.map((entry) => entry.output)).toEqual([
      { Count: 11, ScannedCount: 11, LastEvaluatedKey: expect.objectContaining({ pk: "ENI#eni-00010" }) },
      { Count: 30, ScannedCount: 30, LastEvaluatedKey: undefined },
    ]);
    expect(JSON.stringify(entries)).not.toContain("securityGroupIds");
  });
});
