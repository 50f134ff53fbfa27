import { makeIdempotent } from "@aws-lambda-powertools/idempotency";
import { DynamoDBPersistenceLayer } from "@aws-lambda-powertools/idempotency/dynamodb";
import { DynamoDBDocumentClient, QueryCommand } from "@aws-sdk/lib-dynamodb";
import type { Context } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  actionSort,
  actionsByKindPartition,
  actionsOfKindPartition,
  actionsPartition,
  clusterKey,
  eniKey,
  enisByClusterPartition,
  eventClaimKey,
  findingKey,
  findingsPassKey,
  historyKey,
  leaseKey,
} from "../../../core/aws/state-keys.ts";
import {
  IDEMPOTENCY_TABLE_ATTRIBUTES,
  STATE_TABLE_INDEXES,
  STATE_TABLE_TTL_ATTRIBUTE,
  stateTableDefinition,
} from "../../../core/aws/state-table.ts";
import { actionRecord, at, eniRecord, type StateStoreFixture, startStateStoreFixture } from "./state-store-fixture.ts";

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

  it("names the TTL attribute for the stack and for Powertools idempotency", () => {
    expect(STATE_TABLE_TTL_ATTRIBUTE).toBe("expiresAt");
    expect(IDEMPOTENCY_TABLE_ATTRIBUTES).toEqual({ keyAttr: "pk", sortKeyAttr: "sk", expiryAttr: "expiresAt" });
  });

  it("never builds a key in Powertools' idempotency namespace, whatever names it is given", () => {
    // Prepare
    const hostile = ["idempotency", "idempotency#", "idempotency#events", "", "#", "ENI#x"];
    const ms = Date.parse(at(0));

    // Act
    const partitions = hostile.flatMap((value) => [
      eniKey(value).pk,
      historyKey(value, ms, "0123456789abcdef").pk,
      findingKey(value, "cluster-tag-missing", value, value).pk,
      findingsPassKey(value).pk,
      actionsPartition(value),
      clusterKey(value).pk,
      leaseKey(value).pk,
      eventClaimKey(value).pk,
      enisByClusterPartition(value),
      actionsByKindPartition("tag-sg", value),
      actionsOfKindPartition("tag-sg"),
      actionSort(ms, value),
    ]);

    // Assess
    expect(partitions.filter((pk) => pk.toLowerCase().startsWith("idempotency#"))).toEqual([]);
  });
});

const lambdaContext: Context = {
  callbackWaitsForEmptyEventLoop: false,
  functionName: "events",
  functionVersion: "$LATEST",
  invokedFunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:events",
  memoryLimitInMB: "256",
  awsRequestId: "request-1",
  logGroupName: "/aws/lambda/events",
  logStreamName: "stream",
  getRemainingTimeInMillis: () => 30_000,
  done: () => {},
  fail: () => {},
  succeed: () => {},
};

describe("state table shared with Powertools idempotency", () => {
  let fixture: StateStoreFixture;
  beforeAll(async () => {
    fixture = await startStateStoreFixture();
  });
  afterAll(() => fixture.stop());

  it("keeps Powertools' records apart from every listing, and lets them expire on the same TTL attribute", async () => {
    // Prepare
    const { store, tableName } = await fixture.newStore();
    await store.putEni(eniRecord());
    await store.recordAction(actionRecord());
    const persistenceStore = new DynamoDBPersistenceLayer({
      tableName,
      awsSdkV3Client: fixture.dynamodb,
      staticPkValue: "idempotency#events",
      ...IDEMPOTENCY_TABLE_ATTRIBUTES,
    });
    let calls = 0;
    const handle = makeIdempotent(
      async (event: { id: string }, _context: Context) => ({ handled: event.id, call: ++calls }),
      { persistenceStore },
    );

    // Act
    const first = await handle({ id: "event-1" }, lambdaContext);
    const repeated = await handle({ id: "event-1" }, lambdaContext);

    // Assess
    expect(repeated).toEqual(first);
    expect(calls).toBe(1);
    expect((await store.listEnis("alpha", { limit: 10 })).items).toHaveLength(1);
    expect((await store.listActions({ limit: 10 })).items).toHaveLength(1);
    expect(await store.listClusters()).toEqual([]);
    const document = DynamoDBDocumentClient.from(fixture.dynamodb);
    const { Items = [] } = await document.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: "pk = :pk",
        ExpressionAttributeValues: { ":pk": "idempotency#events" },
      }),
    );
    expect(Items).toHaveLength(1);
    expect(Items[0]).toMatchObject({ status: "COMPLETED", [STATE_TABLE_TTL_ATTRIBUTE]: expect.any(Number) });
  });
});
