import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from "@aws-sdk/lib-dynamodb";
import { InvalidLimitError, MAX_PAGE_LIMIT } from "../ports/state-store-errors.ts";
import { logQueryAsSummary } from "./query-log-summary.ts";
import { type CursorBinding, decodeCursor, encodeCursor, type StartKey } from "./state-cursor.ts";
import type { StoredItem } from "./state-items.ts";
import { ITEM_TYPE_ATTRIBUTE, type StateTableIndex, TABLE_KEY } from "./state-table.ts";

/**
 * Queries over one key range of the state table: a partition, optionally narrowed to a sort key
 * prefix, on the table or one index. The only read shape listings use, so none can scan.
 */
export interface KeyRange {
  /** Route and filters, binding cursors to this exact query (see `state-cursor.ts`). */
  readonly scope: readonly (string | null)[];
  /** Absent: the table itself. */
  readonly index?: StateTableIndex;
  readonly partition: string;
  readonly sortPrefix?: string;
  /** Descending sort key order (newest first for time-sorted keys). */
  readonly descending?: boolean;
  /** Strongly consistent (table only): for read-modify-write, not for listings. */
  readonly consistent?: boolean;
  /** Only some attributes of each item; absent: whole items. */
  readonly projection?: Projection;
}

/** Some attributes of each item only: fewer bytes to send, parse and decode than whole items. */
export interface Projection {
  /** The attributes to read; `itemType` is read too, as every reader checks it. */
  readonly attributes: readonly string[];
  /**
   * The item's key attributes, except the partition being read, rebuilt from the attributes read: cursors
   * are keys, and the key attributes are a quarter of a listed ENI's bytes. Absent: the keys are read.
   */
  readonly keyOf?: (item: StoredItem, operation: string) => Readonly<Record<string, string>>;
}

const partitionAttribute = (range: KeyRange) => range.index?.partitionKey ?? TABLE_KEY.partitionKey;
const sortAttribute = (range: KeyRange) => range.index?.sortKey ?? TABLE_KEY.sortKey;

/** The key attributes DynamoDB returns as LastEvaluatedKey: the table's, plus the index's. */
const keyAttributes = (range: KeyRange): string[] => [
  TABLE_KEY.partitionKey,
  TABLE_KEY.sortKey,
  ...(range.index ? [range.index.partitionKey, range.index.sortKey] : []),
];

const bindingOf = (range: KeyRange): CursorBinding => ({
  scope: range.scope,
  attributes: keyAttributes(range),
  equals: { [partitionAttribute(range)]: range.partition },
  ...(range.sortPrefix === undefined ? {} : { prefix: { attribute: sortAttribute(range), value: range.sortPrefix } }),
});

/**
 * The `ProjectionExpression` of a range that asks for some attributes only, with its attribute names
 * (`#a0`, `#a1`, …: names such as `state` are reserved words in expressions).
 */
const projectionOf = (
  range: KeyRange,
): Pick<QueryCommandInput, "ProjectionExpression" | "ExpressionAttributeNames"> => {
  const { projection } = range;
  if (projection === undefined) return {};
  const keys = projection.keyOf === undefined ? keyAttributes(range) : [];
  const attributes = [...new Set([ITEM_TYPE_ATTRIBUTE, ...keys, ...projection.attributes])];
  return {
    ProjectionExpression: attributes.map((_, i) => `#a${i}`).join(", "),
    ExpressionAttributeNames: Object.fromEntries(attributes.map((attribute, i) => [`#a${i}`, attribute])),
  };
};

const queryInput = (tableName: string, range: KeyRange): QueryCommandInput => {
  const projection = projectionOf(range);
  return {
    TableName: tableName,
    IndexName: range.index?.name,
    KeyConditionExpression: range.sortPrefix === undefined ? "#p = :p" : "#p = :p AND begins_with(#s, :s)",
    ProjectionExpression: projection.ProjectionExpression,
    ExpressionAttributeNames: {
      "#p": partitionAttribute(range),
      ...(range.sortPrefix === undefined ? {} : { "#s": sortAttribute(range) }),
      ...projection.ExpressionAttributeNames,
    },
    ExpressionAttributeValues: {
      ":p": range.partition,
      ...(range.sortPrefix === undefined ? {} : { ":s": range.sortPrefix }),
    },
    ScanIndexForward: range.descending !== true,
    ConsistentRead: range.consistent === true,
  };
};

/** Validate a page size before anything is read. */
export const checkLimit = (operation: string, limit: number): number => {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_LIMIT) throw new InvalidLimitError(operation, limit);
  return limit;
};

/**
 * One page of at most `limit` items. Asks DynamoDB for one item more than the page holds, so the
 * cursor is only returned when another item really follows (no empty last page), and is built from
 * the last item kept, not from DynamoDB's LastEvaluatedKey. Reads again only when DynamoDB stopped
 * early at its 1 MB page size.
 */
export const queryPage = async (
  client: DynamoDBDocumentClient,
  tableName: string,
  range: KeyRange,
  request: { readonly limit: number; readonly cursor?: string },
  operation: string,
): Promise<{ items: StoredItem[]; cursor?: string }> => {
  const limit = checkLimit(operation, request.limit);
  const binding = bindingOf(range);
  let startKey: StartKey | Record<string, unknown> | undefined =
    request.cursor === undefined ? undefined : decodeCursor(operation, binding, request.cursor);
  const items: StoredItem[] = [];
  do {
    const answer = await client.send(
      logQueryAsSummary(
        new QueryCommand({
          ...queryInput(tableName, range),
          Limit: limit + 1 - items.length,
          ExclusiveStartKey: startKey,
        }),
      ),
    );
    items.push(...(answer.Items ?? []));
    startKey = answer.LastEvaluatedKey;
  } while (items.length <= limit && startKey !== undefined);
  if (items.length <= limit) return { items };
  const page = items.slice(0, limit);
  const last = page[page.length - 1] ?? {};
  const keyOf = range.projection?.keyOf;
  const key =
    keyOf === undefined
      ? Object.fromEntries(binding.attributes.map((attribute) => [attribute, String(last[attribute])]))
      : { ...binding.equals, ...keyOf(last, operation) };
  return { items: page, cursor: encodeCursor(binding, key) };
};

/** Every item of the range, all pages. For sweeps and small fixed partitions, never for API listings. */
export const queryAll = async (
  client: DynamoDBDocumentClient,
  tableName: string,
  range: KeyRange,
): Promise<StoredItem[]> => {
  const items: StoredItem[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const answer = await client.send(
      logQueryAsSummary(new QueryCommand({ ...queryInput(tableName, range), ExclusiveStartKey: startKey })),
    );
    items.push(...(answer.Items ?? []));
    startKey = answer.LastEvaluatedKey;
  } while (startKey !== undefined);
  return items;
};
