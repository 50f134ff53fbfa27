/** The simulator's call counters (`/_sim/stats`), read and split the way the benchmarks report them. */
import { simControl } from "../test/support/sim-clients.ts";

/** `GET /_sim/stats` as the simulator answers it. */
export interface SimStats {
  readonly calls: Record<string, number>;
  readonly throttled: Record<string, number>;
  readonly errors: Record<string, number>;
  readonly totalCalls: number;
}

/** Calls of one run, by service. */
export interface CallCounts {
  /** EC2 calls per action (throttled answers included: each is a call EC2 saw). */
  readonly ec2: Record<string, number>;
  readonly ec2Total: number;
  readonly ec2Throttled: number;
  /** Throttled answers per EC2 action (already counted in `ec2`). */
  readonly ec2ThrottledByAction: Record<string, number>;
  /** DynamoDB requests per operation. */
  readonly dynamodb: Record<string, number>;
  /** DynamoDB read and write requests (not items: a BatchWriteItem of 25 counts once). */
  readonly dynamodbReads: number;
  readonly dynamodbWrites: number;
  /** Everything else (EKS, ELBv2, STS, EventBridge) per `service:Action`. */
  readonly other: Record<string, number>;
}

const DYNAMODB_READS = new Set(["GetItem", "BatchGetItem", "Query", "Scan", "TransactGetItems"]);

/** Read the counters. */
export const readStats = (endpoint: string): Promise<SimStats> => simControl<SimStats>(endpoint, "/_sim/stats");

/** Zero the counters. */
export const resetStats = async (endpoint: string): Promise<void> => {
  await simControl(endpoint, "/_sim/stats", { method: "DELETE" });
};

/** Split a snapshot into EC2 per action, DynamoDB reads/writes and the rest. */
export const countCalls = (stats: SimStats): CallCounts => {
  const ec2: Record<string, number> = {};
  const dynamodb: Record<string, number> = {};
  const other: Record<string, number> = {};
  let dynamodbReads = 0;
  let dynamodbWrites = 0;
  for (const [key, count] of Object.entries(stats.calls)) {
    const [service, action = ""] = key.split(":");
    if (service === "ec2") ec2[action] = count;
    else if (service !== "dynamodb") other[key] = count;
    else {
      dynamodb[action] = count;
      if (DYNAMODB_READS.has(action)) dynamodbReads += count;
      else dynamodbWrites += count;
    }
  }
  const ec2ThrottledByAction = Object.fromEntries(
    Object.entries(stats.throttled)
      .filter(([key]) => key.startsWith("ec2:"))
      .map(([key, count]) => [key.slice("ec2:".length), count]),
  );
  const ec2Throttled = Object.values(ec2ThrottledByAction).reduce((sum, count) => sum + count, 0);
  const ec2Total = Object.values(ec2).reduce((sum, count) => sum + count, 0);
  return { ec2, ec2Total, ec2Throttled, ec2ThrottledByAction, dynamodb, dynamodbReads, dynamodbWrites, other };
};
