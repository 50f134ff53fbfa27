import { describe, expect, it } from "vitest";
import { STATE_TABLE_INDEXES, STATE_TABLE_TTL_ATTRIBUTE, stateTableDefinition } from "../../../core/aws/state-table.ts";

describe("state table definition", () => {
  it("is on-demand, keyed by pk/sk, with indexes that project whole items", () => {
    // Act
    const definition = stateTableDefinition("branchkeeper-state");

    // Assess
    expect(definition.TableName).toBe("branchkeeper-state");
    expect(definition.BillingMode).toBe("PAY_PER_REQUEST");
    expect(definition.KeySchema).toEqual([
      { AttributeName: "pk", KeyType: "HASH" },
      { AttributeName: "sk", KeyType: "RANGE" },
    ]);
    expect(definition.GlobalSecondaryIndexes?.map((index) => index.IndexName)).toEqual(["gsi1", "gsi2", "gsi3"]);
    for (const index of definition.GlobalSecondaryIndexes ?? []) {
      expect(index.Projection).toEqual({ ProjectionType: "ALL" });
      expect(index.ProvisionedThroughput).toBeUndefined();
    }
    // Every key attribute is declared as a string, and nothing else is declared (CreateTable rejects extras).
    const keyAttributes = ["pk", "sk", ...STATE_TABLE_INDEXES.flatMap((i) => [i.partitionKey, i.sortKey])];
    expect(definition.AttributeDefinitions).toEqual(
      keyAttributes.map((name) => ({ AttributeName: name, AttributeType: "S" })),
    );
  });

  it("names the TTL attribute the stack enables", () => {
    expect(STATE_TABLE_TTL_ATTRIBUTE).toBe("expiresAt");
  });
});
