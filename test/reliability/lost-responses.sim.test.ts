import { CreateTableCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DynamoDbStateStore } from "../../core/aws/dynamodb-state-store.ts";
import { stateTableDefinition } from "../../core/aws/state-table.ts";
import type { EniRecord } from "../../core/model/eni-record.ts";
import { type RunningSimulator, startSimulator } from "../../sim/index.ts";
import { instrumentClients, productionLikeClients } from "../support/reliability-faults.ts";

const record = (version: number, state: EniRecord["state"], observedAt: string): EniRecord => ({
  eniId: "eni-0123456789abcdef0",
  cluster: "alpha",
  state,
  reason: `${state} (v${version})`,
  stateSince: observedAt,
  securityGroupIds: ["sg-1"],
  firstSeenAt: "2026-11-21T10:00:00.000Z",
  lastSeenAt: observedAt,
  observedAt,
  version,
});

/**
 * A conditional write whose response is lost after DynamoDB applied it: the SDK retries, the retry
 * fails the condition its own first attempt made false. The store must not call that a conflict
 * (the caller would drop the history step, and a deletion claim would be suppressed).
 */
describe("the DynamoDB state store when responses are lost after the write", () => {
  let sim: RunningSimulator;
  let tables = 0;

  const storeLosing = async (rate: number) => {
    const clients = productionLikeClients(sim.endpoint);
    tables += 1;
    const tableName = `lost-${tables}`;
    await clients.dynamodb.send(new CreateTableCommand(stateTableDefinition(tableName)));
    const faults = instrumentClients(clients, { loseRate: rate, seed: 1 });
    return { store: new DynamoDbStateStore({ client: clients.dynamodb, tableName }), faults };
  };

  beforeAll(async () => {
    sim = await startSimulator({ port: 0 });
  });
  afterAll(() => sim.stop());

  it("reports a create and an update whose responses were lost as written", async () => {
    // Prepare
    const { store, faults } = await storeLosing(1);

    // Act
    const created = await store.putEni(record(1, "suspect", "2026-11-21T10:00:00.000Z"));
    const updated = await store.putEni(record(2, "leaked", "2026-11-21T10:11:00.000Z"), 1);

    // Assess
    expect(faults.lost.PutItem).toBeGreaterThanOrEqual(2);
    expect(created).toBe("written");
    expect(updated).toBe("written");
    expect(await store.getEni("eni-0123456789abcdef0")).toMatchObject({ state: "leaked", version: 2 });
  });

  it("still reports a real conflict as a conflict", async () => {
    // Prepare: another writer moved the record to version 2 first.
    const { store, faults } = await storeLosing(1);
    await store.putEni(record(1, "suspect", "2026-11-21T10:00:00.000Z"));
    await store.putEni(record(2, "leaked", "2026-11-21T10:11:00.000Z"), 1);

    // Act: this writer still holds version 1.
    const outcome = await store.putEni(record(2, "associated", "2026-11-21T10:12:00.000Z"), 1);

    // Assess
    expect(faults.lost.PutItem).toBeGreaterThan(0);
    expect(outcome).toBe("conflict");
    expect(await store.getEni("eni-0123456789abcdef0")).toMatchObject({ state: "leaked", version: 2 });
  });
});
