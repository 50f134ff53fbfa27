/**
 * The state table: one DynamoDB table (single-table design) shared by the stack, the local runner
 * and the tests, so none of them can drift from the others.
 *
 * Every item carries `itemType`. Free-form values (cluster names, ENI ids, …) follow fixed words and
 * are followed by nothing but a fixed-width digest, so two different values never build the same key.
 *
 * | itemType         | pk                | sk                                | index keys                                      |
 * |------------------|-------------------|-----------------------------------|-------------------------------------------------|
 * | `eni`            | `ENI#<eniId>`     | `ENI`                             | gsi1: `ENIS#<cluster>` / `<state>#<eniId>`      |
 * | `eni-transition` | `ENI#<eniId>`     | `HISTORY#<at>#<digest>`           | (TTL `expiresAt`)                               |
 * | `finding`        | `FINDINGS#<c>`    | `FINDING#<kind>#<resource>#<dig>` |                                                 |
 * | `findings-pass`  | `FINDINGS#<c>`    | `PASS`                            |                                                 |
 * | `action`         | `ACTIONS#<c>`     | `<at>#<actionId>`                 | gsi1: `ACTIONKIND#<kind>#<c>` / `<at>#<id>`;    |
 * |                  |                   |                                   | gsi2: `ACTIONS` / `<at>#<id>`;                  |
 * |                  |                   |                                   | gsi3: `ACTIONKIND#<kind>` / `<at>#<id>`         |
 * | `cluster`        | `CLUSTERS`        | `CLUSTER#<name>`                  |                                                 |
 * | `lease`          | `LEASE#<cluster>` | `LEASE`                           | (TTL `expiresAt`)                               |
 *
 * Which read uses which key range (none scans):
 * - `GET /v1/clusters`, health: Query pk=`CLUSTERS`.
 * - `GET /v1/clusters/{c}/enis`: Query gsi1 `ENIS#<c>`; with `?state=`, plus sk begins_with `<state>#`.
 * - `GET /v1/enis/{id}`: GetItem `ENI#<id>`/`ENI`, history Query `ENI#<id>` sk begins_with `HISTORY#`, descending.
 * - `GET /v1/clusters/{c}/findings`: Query `FINDINGS#<c>` sk begins_with `FINDING#`.
 * - `GET /v1/actions`: `?cluster=&kind=` gsi1; `?cluster=` base `ACTIONS#<c>`; `?kind=` gsi3; neither gsi2.
 *   All descending (newest first); `<at>` in keys is the normalized ISO-8601 UTC form, which sorts by time.
 */

import type { CreateTableCommandInput } from "@aws-sdk/client-dynamodb";

/** The table's partition and sort key attributes. */
export const TABLE_KEY = { partitionKey: "pk", sortKey: "sk" } as const;

/** Epoch-seconds expiry attribute; the stack enables DynamoDB TTL on it (the store never calls UpdateTimeToLive). */
export const STATE_TABLE_TTL_ATTRIBUTE = "expiresAt";

/** Attribute naming the kind of every item. */
export const ITEM_TYPE_ATTRIBUTE = "itemType";

/** A global secondary index: its name and key attributes. */
export interface StateTableIndex {
  readonly name: string;
  readonly partitionKey: string;
  readonly sortKey: string;
}

/** ENIs by cluster (and state); audit log by cluster and kind. */
export const GSI1: StateTableIndex = { name: "gsi1", partitionKey: "gsi1pk", sortKey: "gsi1sk" };
/** The audit log across all clusters. */
export const GSI2: StateTableIndex = { name: "gsi2", partitionKey: "gsi2pk", sortKey: "gsi2sk" };
/** The audit log by kind across all clusters. */
export const GSI3: StateTableIndex = { name: "gsi3", partitionKey: "gsi3pk", sortKey: "gsi3sk" };

export const STATE_TABLE_INDEXES: readonly StateTableIndex[] = [GSI1, GSI2, GSI3];

const stringAttribute = (name: string) => ({ AttributeName: name, AttributeType: "S" as const });

/** The `CreateTableCommandInput` of the state table (on-demand capacity, all indexes projecting every attribute). */
export const stateTableDefinition = (tableName: string): CreateTableCommandInput => ({
  TableName: tableName,
  BillingMode: "PAY_PER_REQUEST",
  AttributeDefinitions: [
    stringAttribute(TABLE_KEY.partitionKey),
    stringAttribute(TABLE_KEY.sortKey),
    ...STATE_TABLE_INDEXES.flatMap((index) => [stringAttribute(index.partitionKey), stringAttribute(index.sortKey)]),
  ],
  KeySchema: [
    { AttributeName: TABLE_KEY.partitionKey, KeyType: "HASH" },
    { AttributeName: TABLE_KEY.sortKey, KeyType: "RANGE" },
  ],
  GlobalSecondaryIndexes: STATE_TABLE_INDEXES.map((index) => ({
    IndexName: index.name,
    KeySchema: [
      { AttributeName: index.partitionKey, KeyType: "HASH" },
      { AttributeName: index.sortKey, KeyType: "RANGE" },
    ],
    // Listings return whole records; projecting everything saves a second read per item.
    Projection: { ProjectionType: "ALL" },
  })),
});
