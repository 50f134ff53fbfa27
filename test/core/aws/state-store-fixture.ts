import { CreateTableCommand, DescribeTableCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { batchWriteAll, DEFAULT_BATCH_SETTINGS } from "../../../core/aws/dynamodb-batch.ts";
import { DynamoDbStateStore, type DynamoDbStateStoreOptions } from "../../../core/aws/dynamodb-state-store.ts";
import { eniToItem } from "../../../core/aws/state-items.ts";
import { stateTableDefinition } from "../../../core/aws/state-table.ts";
import type { ActionRecord } from "../../../core/model/action-record.ts";
import type { EniRecord, EniTransition } from "../../../core/model/eni-record.ts";
import type { Finding } from "../../../core/model/finding.ts";
import { systemClock } from "../../../core/ports/clock.ts";
import { type RunningSimulator, startSimulator } from "../../../sim/index.ts";
import { simClients, simControl } from "../../support/sim-clients.ts";

/** A simulator with the state table schema, handing out stores on fresh tables. */
export interface StateStoreFixture {
  readonly sim: RunningSimulator;
  readonly dynamodb: DynamoDBClient;
  /** A store on a new, empty table created from `stateTableDefinition`. */
  newStore(options?: Partial<Omit<DynamoDbStateStoreOptions, "client">>): Promise<{
    store: DynamoDbStateStore;
    tableName: string;
  }>;
  /** DynamoDB calls per operation since the last `resetStats`. */
  dynamoCalls(): Promise<Record<string, number>>;
  resetStats(): Promise<void>;
  stop(): Promise<void>;
}

export const startStateStoreFixture = async (): Promise<StateStoreFixture> => {
  const sim = await startSimulator({ port: 0 });
  const { dynamodb } = simClients(sim.endpoint);
  let tables = 0;
  return {
    sim,
    dynamodb,
    async newStore(options = {}) {
      const tableName = options.tableName ?? `state-${++tables}`;
      await dynamodb.send(new CreateTableCommand(stateTableDefinition(tableName)));
      for (;;) {
        const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: tableName }));
        if (Table?.TableStatus === "ACTIVE") break;
        await systemClock.sleep(5);
      }
      return { store: new DynamoDbStateStore({ ...options, client: dynamodb, tableName }), tableName };
    },
    async dynamoCalls() {
      const stats = await simControl<{ calls: Record<string, number> }>(sim.endpoint, "/_sim/stats");
      return Object.fromEntries(Object.entries(stats.calls).filter(([key]) => key.startsWith("dynamodb:")));
    },
    async resetStats() {
      await simControl(sim.endpoint, "/_sim/stats", { method: "DELETE" });
    },
    stop: () => sim.stop(),
  };
};

/** Write many records at once with BatchWrite (as seeding; the store's own writes are single-item). */
export const seedEnis = async (dynamodb: DynamoDBClient, tableName: string, records: readonly EniRecord[]) => {
  const document = DynamoDBDocumentClient.from(dynamodb, { marshallOptions: { removeUndefinedValues: true } });
  const writes = records.map((record) => ({ put: eniToItem(record, Date.parse(record.observedAt)) }));
  await batchWriteAll(document, tableName, writes, "seed", { ...DEFAULT_BATCH_SETTINGS, concurrency: 16 }, systemClock);
};

export const T0 = Date.parse("2026-11-21T10:00:00.000Z");
export const at = (offsetSeconds: number): string => new Date(T0 + offsetSeconds * 1000).toISOString();

/** A branch ENI record with every field set; `overrides` adjusts it. */
export const eniRecord = (overrides: Partial<EniRecord> = {}): EniRecord => ({
  eniId: "eni-0a1b2c3d4e5f60001",
  cluster: "alpha",
  state: "suspect",
  reason: "status is available and no trunk association exists",
  stateSince: at(0),
  trunkEniId: "eni-0trunk000000000001",
  vlanId: 7,
  instanceId: "i-0123456789abcdef0",
  subnetId: "subnet-0aaa",
  vpcId: "vpc-0bbb",
  securityGroupIds: ["sg-0001", "sg-0002"],
  firstSeenAt: at(-3600),
  lastSeenAt: at(0),
  evidence: {
    kind: "available",
    detail: "status is available and no trunk association exists",
    firstRecordedAt: at(0),
    firstPassId: "sweep:0001",
  },
  observedAt: at(0),
  version: 1,
  ...overrides,
});

export const transition = (overrides: Partial<EniTransition> = {}): EniTransition => ({
  eniId: "eni-0a1b2c3d4e5f60001",
  cluster: "alpha",
  at: at(0),
  from: "associated",
  to: "suspect",
  reason: "status is available and no trunk association exists",
  cause: "sweep:0001",
  ...overrides,
});

export const finding = (overrides: Partial<Finding> = {}): Finding => ({
  cluster: "alpha",
  kind: "cluster-tag-missing",
  resourceId: "eni-0a1b2c3d4e5f60001",
  detail: "none of sg-0001, sg-0002 carries kubernetes.io/cluster/alpha",
  action: "tag sg-0001 with kubernetes.io/cluster/alpha=shared",
  observedAt: at(0),
  ...overrides,
});

export const actionRecord = (overrides: Partial<ActionRecord> = {}): ActionRecord => ({
  id: "act-0001",
  at: at(0),
  kind: "delete-eni",
  cluster: "alpha",
  target: "eni-0a1b2c3d4e5f60001",
  mode: "enforce",
  outcome: "succeeded",
  reason: "leak evidence (available) held for 600 s across two passes",
  detail: "DeleteNetworkInterface accepted",
  ...overrides,
});
