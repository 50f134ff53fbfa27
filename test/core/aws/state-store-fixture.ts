import { CreateTableCommand, DescribeTableCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { batchWriteAll, DEFAULT_BATCH_SETTINGS } from "../../../core/aws/dynamodb-batch.ts";
import { DynamoDbStateStore, type DynamoDbStateStoreOptions } from "../../../core/aws/dynamodb-state-store.ts";
import { eniToItem } from "../../../core/aws/state-items.ts";
import { stateTableDefinition } from "../../../core/aws/state-table.ts";
import type { EniRecord } from "../../../core/model/eni-record.ts";
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

export {
  actionRecord,
  at,
  bareEniRecord,
  eniRecord,
  finding,
  listedEni,
  T0,
  transition,
} from "../../support/state-records.ts";
