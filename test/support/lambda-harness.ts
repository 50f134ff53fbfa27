import { CreateTableCommand } from "@aws-sdk/client-dynamodb";
import type { Context, SQSEvent } from "aws-lambda";
import { stateTableDefinition } from "../../core/aws/state-table.ts";
import { DEFAULT_REGION } from "../../sim/index.ts";
import { BRANCHKEEPER_KEY } from "./reconciler-harness.ts";
import { simClients, simControl } from "./sim-clients.ts";

/** A Lambda context good enough for Powertools (idempotency reads the remaining time). */
export const lambdaContext = (name = "branchkeeper-test"): Context => ({
  callbackWaitsForEmptyEventLoop: false,
  functionName: name,
  functionVersion: "$LATEST",
  invokedFunctionArn: `arn:aws:lambda:${DEFAULT_REGION}:123456789012:function:${name}`,
  memoryLimitInMB: "512",
  awsRequestId: crypto.randomUUID(),
  logGroupName: `/aws/lambda/${name}`,
  logStreamName: "test",
  getRemainingTimeInMillis: () => 60_000,
  done: () => {},
  fail: () => {},
  succeed: () => {},
});

/** An SQS batch whose bodies are the given strings (EventBridge events as the rule target sends them). */
export const sqsBatch = (bodies: readonly string[]): SQSEvent => ({
  Records: bodies.map((body, i) => ({
    messageId: `msg-${i}-${crypto.randomUUID()}`,
    receiptHandle: "handle",
    body,
    attributes: {
      ApproximateReceiveCount: "1",
      SentTimestamp: String(Date.now()),
      SenderId: "events.amazonaws.com",
      ApproximateFirstReceiveTimestamp: String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: "",
    eventSource: "aws:sqs",
    eventSourceARN: `arn:aws:sqs:${DEFAULT_REGION}:123456789012:branchkeeper-events`,
    awsRegion: DEFAULT_REGION,
  })),
});

/**
 * The Lambda environment of the contract, pointed at a simulator with a fresh state table. Returns
 * a function restoring the previous environment.
 */
export const useLambdaEnvironment = async (endpoint: string, env: Record<string, string>): Promise<() => void> => {
  const tableName = `branchkeeper-fn-${crypto.randomUUID().slice(0, 8)}`;
  await simClients(endpoint).dynamodb.send(new CreateTableCommand(stateTableDefinition(tableName)));
  const wanted: Record<string, string> = {
    TABLE_NAME: tableName,
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: DEFAULT_REGION,
    AWS_ACCESS_KEY_ID: BRANCHKEEPER_KEY,
    AWS_SECRET_ACCESS_KEY: "secret",
    EC2_MUTATIONS_PER_SECOND: "200",
    POWERTOOLS_METRICS_DISABLED: "true",
    POWERTOOLS_LOG_LEVEL: "SILENT",
    ...env,
  };
  const previous = Object.fromEntries(Object.keys(wanted).map((key) => [key, process.env[key]]));
  Object.assign(process.env, wanted);
  return () => {
    for (const [key, value] of Object.entries(previous)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
};

/** Events put on the default bus since `cursor`, as JSON bodies, and the new cursor. */
export const eventsSince = async (endpoint: string, cursor: string): Promise<{ bodies: string[]; cursor: string }> => {
  const page = await simControl<{ events: unknown[]; cursor: string }>(endpoint, `/_sim/events?after=${cursor}`);
  return { bodies: page.events.map((event) => JSON.stringify(event)), cursor: page.cursor };
};
