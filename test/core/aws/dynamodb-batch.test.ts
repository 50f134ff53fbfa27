import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { BatchGetCommand, BatchWriteCommand, DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { batchGetAll, batchWriteAll } from "../../../core/aws/dynamodb-batch.ts";
import type { Clock } from "../../../core/ports/clock.ts";
import { StateStoreError } from "../../../core/ports/state-store.ts";

const settings = { maxAttempts: 3, baseDelayMs: 25, concurrency: 2 };

/** A clock that records the backoff it was asked to wait, without waiting. */
const recordingClock = (): Clock & { waited: number[] } => {
  const waited: number[] = [];
  return { waited, now: () => 0, sleep: async (ms) => void waited.push(ms) };
};

const keys = (count: number) => Array.from({ length: count }, (_, i) => ({ pk: `ENI#eni-${i}`, sk: "ENI" }));

describe("DynamoDB batch calls", () => {
  const document = DynamoDBDocumentClient.from(new DynamoDBClient({ region: "us-east-1" }));
  const mock = mockClient(DynamoDBDocumentClient);
  afterEach(() => mock.reset());

  it("reads in chunks of 100 and asks again, after a backoff, for keys DynamoDB left unprocessed", async () => {
    // Prepare
    const clock = recordingClock();
    let first = true;
    mock.on(BatchGetCommand).callsFake((input: { RequestItems: Record<string, { Keys: { pk: string }[] }> }) => {
      const asked = input.RequestItems.t?.Keys ?? [];
      // The first call of the run leaves its last 10 keys unprocessed, as DynamoDB does when throttled.
      const served = first ? asked.slice(0, -10) : asked;
      const left = first ? asked.slice(-10) : [];
      first = false;
      return {
        Responses: { t: served.map((k) => ({ ...k, itemType: "eni" })) },
        ...(left.length > 0 ? { UnprocessedKeys: { t: { Keys: left } } } : {}),
      };
    });

    // Act
    const items = await batchGetAll(document, "t", keys(150), "getEnis", settings, clock);

    // Assess
    expect(items.map((item) => item.pk).sort()).toEqual(
      keys(150)
        .map((k) => k.pk)
        .sort(),
    );
    expect(mock.commandCalls(BatchGetCommand).map((call) => call.args[0].input.RequestItems?.t?.Keys?.length)).toEqual(
      expect.arrayContaining([100, 50, 10]),
    );
    expect(clock.waited).toHaveLength(1);
  });

  it("gives up with a retryable error when writes stay unprocessed", async () => {
    // Prepare
    const clock = recordingClock();
    mock.on(BatchWriteCommand).callsFake((input: { RequestItems: Record<string, unknown[]> }) => ({
      UnprocessedItems: { t: input.RequestItems.t },
    }));

    // Act
    const error = await batchWriteAll(
      document,
      "t",
      keys(30).map((key) => ({ delete: key })),
      "replaceFindings",
      settings,
      clock,
    ).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(StateStoreError);
    expect(error).toMatchObject({ retryable: true, operation: "replaceFindings" });
    expect(mock.commandCalls(BatchWriteCommand)).toHaveLength(2 * settings.maxAttempts);
    expect(mock.commandCalls(BatchWriteCommand)[0]?.args[0].input.RequestItems?.t).toHaveLength(25);
  });
});
