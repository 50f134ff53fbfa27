import {
  BatchGetCommand,
  BatchWriteCommand,
  type BatchWriteCommandInput,
  type DynamoDBDocumentClient,
} from "@aws-sdk/lib-dynamodb";
import type { Clock } from "../ports/clock.ts";
import { StateStoreError } from "../ports/state-store-errors.ts";
import { chunks } from "./chunks.ts";
import type { StoredItem } from "./state-items.ts";
import type { TableKey } from "./state-keys.ts";

/**
 * BatchGetItem and BatchWriteItem over any number of items: chunked to DynamoDB's limits, chunks sent
 * a few at a time, and unprocessed keys or writes (DynamoDB's answer to throttling inside a batch)
 * sent again with backoff until done or out of attempts.
 */

type WriteRequests = NonNullable<BatchWriteCommandInput["RequestItems"]>[string];

/** DynamoDB's per-call limits. */
export const BATCH_GET_LIMIT = 100;
export const BATCH_WRITE_LIMIT = 25;

/** One write of a BatchWriteItem: a whole item to put, or a key to delete. */
export type BatchWrite = { readonly put: StoredItem } | { readonly delete: TableKey };

export interface BatchSettings {
  /** Calls per chunk, the first included. */
  readonly maxAttempts: number;
  /** Backoff before the n-th retry is random in [0, baseDelayMs * 2^n), capped at one second. */
  readonly baseDelayMs: number;
  /** Chunks in flight at once. */
  readonly concurrency: number;
}

export const DEFAULT_BATCH_SETTINGS: BatchSettings = { maxAttempts: 8, baseDelayMs: 25, concurrency: 8 };

const backoff = (clock: Clock, settings: BatchSettings, retry: number) =>
  clock.sleep(Math.random() * Math.min(1000, settings.baseDelayMs * 2 ** retry));

/** Run `work` over every chunk, at most `concurrency` at a time; the first failure fails the whole. */
const forEachChunk = async <T>(chunks: readonly T[], concurrency: number, work: (chunk: T) => Promise<void>) => {
  let next = 0;
  const worker = async () => {
    while (next < chunks.length) {
      const chunk = chunks[next++];
      if (chunk !== undefined) await work(chunk);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, chunks.length) }, worker));
};

const stillUnprocessed = (operation: string, count: number, attempts: number) =>
  new StateStoreError(`${operation}: ${count} items still unprocessed after ${attempts} attempts`, {
    operation,
    retryable: true,
    cause: new Error(`DynamoDB left ${count} batch items unprocessed (throttling)`),
  });

/** Every stored item among `keys` (absent keys are simply missing from the result). */
export const batchGetAll = async (
  client: DynamoDBDocumentClient,
  tableName: string,
  keys: readonly TableKey[],
  operation: string,
  settings: BatchSettings,
  clock: Clock,
): Promise<StoredItem[]> => {
  const found: StoredItem[] = [];
  await forEachChunk(chunks(keys, BATCH_GET_LIMIT), settings.concurrency, async (chunk) => {
    let pending: Record<string, unknown>[] = chunk.map((key) => ({ pk: key.pk, sk: key.sk }));
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt >= settings.maxAttempts) throw stillUnprocessed(operation, pending.length, attempt);
      if (attempt > 0) await backoff(clock, settings, attempt);
      const answer = await client.send(
        new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending, ConsistentRead: true } } }),
      );
      found.push(...(answer.Responses?.[tableName] ?? []));
      pending = answer.UnprocessedKeys?.[tableName]?.Keys ?? [];
    }
  });
  return found;
};

/** Apply every write; each item at most once per call (DynamoDB refuses duplicates within a batch). */
export const batchWriteAll = async (
  client: DynamoDBDocumentClient,
  tableName: string,
  writes: readonly BatchWrite[],
  operation: string,
  settings: BatchSettings,
  clock: Clock,
): Promise<void> => {
  await forEachChunk(chunks(writes, BATCH_WRITE_LIMIT), settings.concurrency, async (chunk) => {
    let pending: WriteRequests = chunk.map((write) =>
      "put" in write
        ? { PutRequest: { Item: write.put } }
        : { DeleteRequest: { Key: { pk: write.delete.pk, sk: write.delete.sk } } },
    );
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt >= settings.maxAttempts) throw stillUnprocessed(operation, pending.length, attempt);
      if (attempt > 0) await backoff(clock, settings, attempt);
      const answer = await client.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
      pending = answer.UnprocessedItems?.[tableName] ?? [];
    }
  });
};
