/**
 * Fills a state table with generated ENI records, for the benchmarks that read it at scale
 * (`status-api.ts`, `state-store.ts`): 60% of the records in one big cluster, the rest over four small
 * ones, every cluster holding every state with a realistic skew (most in use, a few on their way out).
 */
import { CreateTableCommand, DescribeTableCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { batchWriteAll, DEFAULT_BATCH_SETTINGS } from "../core/aws/dynamodb-batch.ts";
import { eniToItem } from "../core/aws/state-items.ts";
import { stateTableDefinition } from "../core/aws/state-table.ts";
import type { BranchEniState } from "../core/model/branch-eni-state.ts";
import type { EniRecord } from "../core/model/eni-record.ts";
import { systemClock } from "../core/ports/clock.ts";

export const CLUSTERS = ["big", "small-0", "small-1", "small-2", "small-3"] as const;

/** Realistic skew: most branch ENIs are in use, a few are on their way out. */
const STATES: readonly BranchEniState[] = [
  ...Array<BranchEniState>(14).fill("associated"),
  "detached",
  "detached",
  "suspect",
  "leaked",
  "deleted",
  "gone",
];

const T0 = Date.UTC(2026, 10, 21, 10);

/** A fixed instant `seconds` after the records' epoch. */
export const time = (seconds: number): string => new Date(T0 + seconds * 1000).toISOString();

/** 60% of the records in one big cluster, the rest over four small ones; every cluster has every state. */
export const clusterOf = (i: number): string => {
  const block = Math.floor(i / STATES.length);
  return block % 10 < 6 ? "big" : `small-${block % 4}`;
};

/** The id of the i-th record. */
export const eniId = (i: number): string => `eni-${i.toString(16).padStart(17, "0")}`;

/** The i-th record. */
export const eniRecord = (i: number): EniRecord => ({
  eniId: eniId(i),
  cluster: clusterOf(i),
  state: STATES[i % STATES.length] ?? "associated",
  reason: "associated to trunk eni-0f0f over VLAN 3",
  stateSince: time(i % 3600),
  trunkEniId: `eni-f${(i % 500).toString(16).padStart(12, "0")}`,
  vlanId: (i % 120) + 1,
  instanceId: `i-${(i % 500).toString(16).padStart(17, "0")}`,
  subnetId: "subnet-0aaa",
  vpcId: "vpc-0bbb",
  securityGroupIds: ["sg-00000001", `sg-${(i % 50).toString(16).padStart(8, "0")}`],
  firstSeenAt: time(i % 3600),
  lastSeenAt: time(i % 3600),
  observedAt: time(i % 3600),
  version: 1,
});

/** Create the state table and wait until it is active. */
export const createStateTable = async (dynamodb: DynamoDBClient, table: string): Promise<void> => {
  await dynamodb.send(new CreateTableCommand(stateTableDefinition(table)));
  while ((await dynamodb.send(new DescribeTableCommand({ TableName: table }))).Table?.TableStatus !== "ACTIVE") {
    await systemClock.sleep(5);
  }
};

/** Write records 0 … count−1 (BatchWriteItem, 16 in flight). */
export const fillEniRecords = async (dynamodb: DynamoDBClient, table: string, count: number): Promise<void> => {
  const document = DynamoDBDocumentClient.from(dynamodb, { marshallOptions: { removeUndefinedValues: true } });
  const writes = Array.from({ length: count }, (_, i) => {
    const eni = eniRecord(i);
    return { put: eniToItem(eni, Date.parse(eni.observedAt)) };
  });
  await batchWriteAll(document, table, writes, "seed", { ...DEFAULT_BATCH_SETTINGS, concurrency: 16 }, systemClock);
};
